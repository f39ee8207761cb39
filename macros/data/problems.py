"""Problems found in the data: where they are, what is wrong, how to fix it, as one line each."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One mistake (or warning) in a data file, located by file, line and column (1-based)."""

    file: str
    line: int
    column: int
    where: str
    message: str
    hint: str = ""
    severity: str = "error"
    code: str = ""  # a stable name for problems shown to readers, e.g. "numbering"
    params: dict = field(default_factory=dict, compare=False, hash=False)

    def format(self) -> str:
        """`data/sip.yaml:412:7: activity 1.2.2.1: owner 'rome-tem' is not defined (did you mean 'rome-team'?)`"""
        level = "" if self.severity == "error" else "warning: "
        where = f"{self.where}: " if self.where else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{self.file}:{self.line}:{self.column}: {level}{where}{self.message}{hint}"


class DataError(Exception):
    """Raised when the data cannot be published; carries every problem found in one run."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        super().__init__(f"{len(errors)} error(s) in the data")

    def report(self) -> str:
        errors = sum(p.severity == "error" for p in self.problems)
        warnings = len(self.problems) - errors
        lines = [p.format() for p in self.problems]
        lines.append(f"{errors} error(s), {warnings} warning(s): the site was not built.")
        return "\n".join(lines)
