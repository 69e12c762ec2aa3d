"""End-to-end latency of POST /api/v1/ask over the dev questions (real corpus, index, DB).

    .venv/bin/python benchmarks/ask_bench.py [--rounds 3] [--questions tests/data/dev_questions.jsonl]

Requests go through Flask's test client (full WSGI stack: JSON parsing, search, triage, answer
composition, DB write, audit) after a warm-up that loads the model, index and calibration, as
the server does at start. Prints p50/p95/max in milliseconds.
"""
from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--questions", type=Path, default=ROOT / "tests/data/dev_questions.jsonl")
    args = parser.parse_args()

    from flask_migrate import upgrade

    from helpdesk import create_app
    from helpdesk.answering.answerer import get_answerer

    database = Path(tempfile.mkdtemp(prefix="ask-bench-")) / "bench.sqlite3"
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "RATELIMIT_ENABLED": False})
    with app.app_context():
        upgrade()
        get_answerer()  # model, index, FAQ vectors and calibration, loaded once as at server start
    questions = [json.loads(line)["question"] for line in args.questions.read_text(encoding="utf-8").splitlines()
                 if line.strip()]
    client = app.test_client()
    client.post("/api/v1/ask", json={"question": questions[0]})  # first-request setup outside the timing
    timings = []
    for _ in range(args.rounds):
        for question in questions:
            started = time.perf_counter()
            response = client.post("/api/v1/ask", json={"question": question})
            timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{response.status_code} for {question!r}: {response.get_data(as_text=True)}")
    timings.sort()
    p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
    print(f"POST /api/v1/ask: {len(timings)} requests ({len(questions)} questions x {args.rounds} rounds)")
    print(f"p50 {statistics.median(timings):.1f} ms  p95 {p95:.1f} ms  max {timings[-1]:.1f} ms")


if __name__ == "__main__":
    main()
