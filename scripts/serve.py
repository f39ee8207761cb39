"""Live preview (`make serve`): rebuilds on every save of the data, and survives data mistakes."""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from macros.data.load import data_path, validate  # noqa: E402


def wait_until_valid(path: Path) -> None:
    """Print the problems, then wait for the file to be saved without errors before starting."""
    plan, problems = validate(path)
    if plan is not None:
        return
    for problem in problems:
        print(problem.format(), file=sys.stderr)
    print("Waiting for the data to be fixed; the preview starts as soon as it is valid.", file=sys.stderr)
    seen = path.stat().st_mtime_ns
    while plan is None:
        time.sleep(0.5)
        if path.stat().st_mtime_ns != seen:
            seen = path.stat().st_mtime_ns
            plan, problems = validate(path)
            for problem in problems:
                print(problem.format(), file=sys.stderr)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", help="host:port to serve on")
    args = parser.parse_args()
    os.chdir(ROOT)
    os.environ["SIP_SERVE"] = "1"
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    wait_until_valid(data_path())
    from mkdocs.__main__ import cli
    # A data mistake during a rebuild is reported by the macros and the last good site stays served.
    return cli.main(args=["serve", "--dev-addr", args.dev_addr, "--watch", str(data_path())], standalone_mode=False) or 0


if __name__ == "__main__":
    sys.exit(main())
