"""What the figures were measured on: the machine, the versions, the load, the commit."""
from __future__ import annotations

import contextlib
import importlib.metadata
import os
import platform
import subprocess
from pathlib import Path

from .common import CHROMIUM, ROOT

def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    return {"nproc": len(os.sched_getaffinity(0)), "memory_gb": round(mem_kb / 2**20, 1), "cpu": cpu,
            "os": platform.platform()}


def versions() -> dict:
    found = {"python": platform.python_version()}
    for dist in ("mkdocs", "mkdocs-material", "mkdocs-macros-plugin", "mkdocs-static-i18n", "Markdown",
                 "pymdown-extensions", "Jinja2", "PyYAML", "jsonschema", "playwright"):
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            found[dist] = importlib.metadata.version(dist)
    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True) if Path(CHROMIUM).exists() else None
    if chromium and chromium.returncode == 0:
        found["chromium"] = chromium.stdout.strip()
    return found


def uptime() -> str:
    out = subprocess.run(["uptime"], capture_output=True, text=True)
    return out.stdout.strip() if out.returncode == 0 else " ".join(f"{x:.2f}" for x in os.getloadavg())


def git_commit() -> str:
    out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return out.stdout.strip() or "unknown"
