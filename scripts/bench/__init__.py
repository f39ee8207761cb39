"""The benchmark (`make bench`): plans, runners and the report writer; scripts/bench.py runs it."""
