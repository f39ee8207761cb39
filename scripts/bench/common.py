"""What every part of the benchmark shares: paths, the error, one measured process run."""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from macros.system_tools import find_chromium  # noqa: E402 - the project's one lookup

PY = sys.executable
REAL_PLAN = ROOT / "data" / "sip.yaml"
SIZES = (50, 500, 5000)
HUGE = 20000
HUGE_TIMEOUT_S = 600
CHROMIUM = find_chromium() or "chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update"]

class BenchError(Exception):
    pass


@dataclass
class Measure:
    wall_s: float
    cpu_s: float    # user + system time of the process and its children: less sensitive to other load
    rss_mb: float   # peak resident set size, MiB
    gc_s: float = 0.0  # time in the cyclic garbage collector


def base_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SIP_DATA", "SIP_SERVE")
           and not k.startswith("SIP_BENCH_")}
    env.update(NO_MKDOCS_2_WARNING="1", SIP_OFFLINE="false", PYTHONDONTWRITEBYTECODE="1", PYTHONUNBUFFERED="1")
    env.update(extra)
    return env


def measured(cmd: list[str], env: dict, log: Path, timeout: float | None = None) -> Measure | None:
    """Run `cmd` from the repository root; wall time and, from wait4, its own CPU time and peak RSS.

    None when it ran past `timeout` (it is then stopped); BenchError with the log's tail when it failed."""
    log.parent.mkdir(parents=True, exist_ok=True)
    gc_log = Path(env.get("SIP_BENCH_GC", "/nonexistent"))
    gc_log.unlink(missing_ok=True)
    with log.open("w") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        timer = threading.Timer(timeout, proc.kill) if timeout else None
        if timer:
            timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        if timer:
            timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if timeout and wall >= timeout:
        return None
    if proc.returncode != 0:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-25:])
        shown = cmd[3:] if cmd[1] == "-c" else cmd
        raise BenchError(f"{' '.join(shown)} failed (exit {proc.returncode}, log {log}):\n{tail}")
    gc_s = float(gc_log.read_text().split()[0]) if gc_log.is_file() else 0.0
    return Measure(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, gc_s)


def median(values: list[float]) -> float:
    return statistics.median(values)


def best_of(func, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return round(min(times), 3)
