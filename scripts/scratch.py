"""The build's scratch folders in .cache/: made with an owner stamp, removed after use, and cleared when stale."""
from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

PREFIX = "sip-build-"
OWNER = "owner"
# A folder without an owner stamp is either being created right now or left by an older build.
UNSTAMPED_GRACE_S = 60


def _start_time(pid: int) -> str:
    """The process's start time in clock ticks since boot ('' where /proc is missing): tells a reused pid apart."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return ""


def _alive(stamp: str) -> bool:
    try:
        pid_text, _, started = stamp.strip().partition(" ")
        pid = int(pid_text)
        os.kill(pid, 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True  # someone else's live process
    return not started or _start_time(pid) in ("", started)


def clear_stale(cache: Path) -> list[Path]:
    """Remove the scratch folders whose build is no longer running (killed, or the machine stopped); return them."""
    removed = []
    for folder in sorted(cache.glob(PREFIX + "*")) if cache.is_dir() else []:
        stamp = folder / OWNER
        try:
            if stamp.is_file():
                if _alive(stamp.read_text()):
                    continue
            elif time.time() - folder.stat().st_mtime < UNSTAMPED_GRACE_S:
                continue
        except OSError:
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def make(cache: Path) -> Path:
    """A new scratch folder in `cache`, stamped with this process's id and start time."""
    cache.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=PREFIX, dir=cache))
    (folder / OWNER).write_text(f"{os.getpid()} {_start_time(os.getpid())}\n")
    return folder


def remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
