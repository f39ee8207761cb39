"""The last line of a tool refused under make: says that make's own 'make: *** ... Error 1' line after it is no crash.

    python -m macros.messages.refusal check     # printed by the Makefile after a refusal; ./sip passes REFUSAL= to skip it
"""
from __future__ import annotations

import sys

from . import say

if __name__ == "__main__":
    print(say("refusal_complete", target=" ".join(sys.argv[1:]) or "check"), file=sys.stderr)
