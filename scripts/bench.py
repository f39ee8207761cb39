"""The benchmark (`make bench`): build cost and scaling, validation, edit-to-preview and page weight.

Writes bench/RESULTS.md (tables, machine, versions, targets, where the time goes) and bench/results.json.
Every timing is the median of --repeat runs (3 by default) in fresh processes; builds of our site and of the
plain baseline alternate, so that load from other work on the machine falls on both alike. The code is in
scripts/bench/: plans.py (the plan generator), builds.py, preview.py, make_runs.py, weight.py, profiling.py and
experiments.py (the runners), report.py (the report writer), cli.py (this command line).

    .venv/bin/python scripts/bench.py                       # the full run (~12 minutes on 2 cores)
    .venv/bin/python scripts/bench.py --sizes 50,500 --repeat 1 --no-profile --out bench/work/try
    .venv/bin/python scripts/bench.py --sizes 100 --repeat 1 --no-profile --out /tmp/b --work /tmp/b/work  # quick
    .venv/bin/python scripts/bench.py --huge                # also try 20,000 activities once (up to 10 min)
"""
import sys

from bench.cli import main  # scripts/bench/, a package beside this file

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], __doc__))
