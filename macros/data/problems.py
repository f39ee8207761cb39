"""Problems found in the data: where they are, what is wrong, how to fix it, as one line each."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..messages import Msg, text_in, where_in


_VISIBLE = {c: f"\\x{c:02x}" for c in [*range(0x20), 0x7f]} | {0x0a: "\\n", 0x0d: "\\r", 0x09: "\\t", 0x85: "\\x85", 0x2028: "\\u2028",
                                                            0x2029: "\\u2029"} | {
    c: f"\\u{c:04x}" for c in [*range(0x202a, 0x202f), *range(0x2066, 0x206a)]}  # bidi controls would reorder the line


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

    def format(self, lang: str | None = None) -> str:
        """`data/sip.yaml:412:7: activity 1.2.2.1: owner 'rome-tem' is not defined (did you mean 'rome-team'?)`

        In `lang`, by default the user's language (macros/messages): the file:line, names and values stay as written.
        """
        level = "" if self.severity == "error" else Msg("warning_prefix").text(lang)
        where = where_in(self.where, lang) + Msg("after_where").text(lang) if self.where else ""
        hint = f" ({text_in(self.hint, lang)})" if self.hint else ""
        message = text_in(self.message, lang)
        # One line per problem whatever the data holds: line breaks and control characters in quoted values are shown.
        return f"{self.file}:{self.line}:{self.column}: {level}{where}{message}{hint}".translate(_VISIBLE)


class DataError(Exception):
    """Raised when the data cannot be published; carries every problem found in one run."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        super().__init__(f"{len(errors)} {'error' if len(errors) == 1 else 'errors'} in the data")

    def report(self, lang: str | None = None) -> str:
        errors = sum(p.severity == "error" for p in self.problems)
        warnings = len(self.problems) - errors
        lines = [p.format(lang) for p in self.problems]
        lines.append(Msg("site_not_built", errors=Msg("n_errors", count=errors), warnings=Msg("n_warnings", count=warnings)).text(lang))
        return "\n".join(lines)
