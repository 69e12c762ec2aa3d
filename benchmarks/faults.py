"""A fault under load, repeatable: how many requests failed, how long until none failed, and whether every
acknowledged ticket is in the database and the audit chain verifies afterwards.

    # a worker killed with SIGKILL (the master's pid from gunicorn's log or `pgrep -o gunicorn`)
    python benchmarks/faults.py --kill-worker-of MASTER_PID --email R --password P --database-url URL
    # anything else: a command that breaks something, and one that mends it after --down-seconds
    python benchmarks/faults.py --break-cmd "pg_ctl -D DIR restart -m fast" --email R --password P --database-url URL
    python benchmarks/faults.py --break-cmd "redis-cli -p 6390 shutdown nosave" --mend-cmd "redis-server --port 6390 --daemonize yes" ...

The load is benchmarks/load.py's (asks and tickets mixed, --clients threads, --seconds long, 127.0.0.1
only); the fault strikes at a third of it. Recovery time: from the fault until the last failed request.
Run it from the checkout the server runs, with the server's environment (DATABASE_URL,
HELPDESK_INSTANCE_DIR): `helpdesk audit verify` runs here against the same database.
"""
from __future__ import annotations

import argparse
import os
import shlex
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load  # noqa: E402  (the load generator beside this file)


def workers_of(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    load.add_load_arguments(parser, clients=8, seconds=30, tickets=0.2)
    parser.add_argument("--database-url", required=True, help="the server's DATABASE_URL, to look the tickets up")
    fault = parser.add_mutually_exclusive_group(required=True)
    fault.add_argument("--kill-worker-of", type=int, metavar="MASTER_PID", help="SIGKILL one worker of this gunicorn")
    fault.add_argument("--break-cmd", help="a shell command that breaks something")
    parser.add_argument("--mend-cmd", help="run --down-seconds after --break-cmd")
    parser.add_argument("--down-seconds", type=float, default=5)
    args = parser.parse_args()
    url = urlsplit(args.url)
    if url.scheme != "http" or url.hostname not in load.LOCAL_HOSTS or not 0 < args.seconds <= load.MAX_SECONDS:
        raise SystemExit("only http://127.0.0.1 servers, for at most 600 s")
    if not (args.email and args.password):
        raise SystemExit("--email and --password of a researcher account are needed (tickets are checked)")

    struck: dict[str, float] = {}

    def strike() -> None:
        time.sleep(args.seconds / 3)
        struck["at"] = time.monotonic()
        if args.kill_worker_of:
            victim = workers_of(args.kill_worker_of)[0]
            os.kill(victim, signal.SIGKILL)
            print(f"fault: SIGKILL to worker {victim}")
            return
        print(f"fault: {args.break_cmd}")
        subprocess.run(args.break_cmd, shell=True, check=False)  # noqa: S602 the operator's own fault command line
        if args.mend_cmd:
            time.sleep(args.down_seconds)
            print(f"mend: {args.mend_cmd}")
            subprocess.run(args.mend_cmd, shell=True, check=False)  # noqa: S602 the operator's own mend command line

    striker = threading.Thread(target=strike, daemon=True)
    striker.start()
    result = load.run_load(args, url.hostname, url.port or 80)
    striker.join()
    load.report(result, args.clients)

    failures = result["failures"]  # monotonic times of failed requests
    failed_after = [t for t in failures if t >= struck["at"]]
    recovery = (max(failed_after) - struck["at"]) if failed_after else 0.0
    print(f"requests failed: {len(failures)} ({len(failed_after)} after the fault); recovery {recovery:.1f} s")

    from sqlalchemy import create_engine, text

    engine = create_engine(args.database_url)
    with engine.connect() as conn:
        stored = {row[0] for row in conn.execute(text("SELECT ref FROM ticket"))}
    lost = [ref for ref in result["refs"] if ref not in stored]
    print(f"tickets acknowledged: {len(result['refs'])}, lost: {len(lost)} {lost[:5]}")
    verify = subprocess.run([sys.executable, "-m", "helpdesk", "audit", "verify"], capture_output=True, text=True,
                            env={**os.environ, "DATABASE_URL": args.database_url})
    print(f"audit verify (exit {verify.returncode}): {(verify.stdout + verify.stderr).strip().splitlines()[-1:]}")
    if lost or verify.returncode:
        raise SystemExit(1)


if __name__ == "__main__":
    print(" ".join(shlex.quote(a) for a in sys.argv))
    main()
