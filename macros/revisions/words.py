"""Word-level difference of two texts: runs of kept, deleted and inserted words, as a reader compares them."""
from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from ..data.model import LANGUAGES, MarkdownText, Text
from ..views.describe import plain as markdown_words

SAME, DELETED, INSERTED = "same", "del", "ins"
# A word (with its inner apostrophes and hyphens), a run of spaces, or one other character (punctuation):
# "rentable et" -> "rentable, accessible et" changes by ", accessible", not by the whole word "rentable,".
_TOKEN = re.compile(r"\w+(?:['’-]\w+)*|\s+|[^\w\s]")


@dataclass(frozen=True)
class Run:
    """Consecutive tokens with the same fate: kept (`same`), deleted (`del`) or inserted (`ins`)."""

    op: str
    text: str


@dataclass(frozen=True)
class WordDiff:
    """The word-level difference of one text in each language (runs in reading order)."""

    fr: tuple[Run, ...]
    en: tuple[Run, ...]

    def __call__(self, lang: str) -> tuple[Run, ...]:
        return getattr(self, lang)

    def changed(self, lang: str) -> bool:
        return any(run.op != SAME for run in self(lang))

    def old(self, lang: str) -> str:
        return "".join(run.text for run in self(lang) if run.op != INSERTED)

    def new(self, lang: str) -> str:
        return "".join(run.text for run in self(lang) if run.op != DELETED)


def words(text: Text, lang: str) -> str:
    """What a reader reads of a text: a Markdown text's plain words (no emphasis marks, footnote references or
    link targets), on one line; a plain text as written, on one line."""
    value = text(lang)
    return markdown_words(value) if isinstance(text, MarkdownText) else " ".join(value.split())


def same_text(old: Text, new: Text) -> bool:
    """Whether two texts say the same in both languages (reflowing lines and surrounding spaces do not count)."""
    return all(" ".join(old(lang).split()) == " ".join(new(lang).split()) for lang in LANGUAGES)


def text_diff(old: Text, new: Text) -> WordDiff:
    return WordDiff(**{lang: diff_words(words(old, lang), words(new, lang)) for lang in LANGUAGES})


def diff_words(old: str, new: str) -> tuple[Run, ...]:
    """The runs that turn `old` into `new`, word by word; deletions come before the insertions that replace them."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    matcher = SequenceMatcher(None, [_key(t) for t in a], [_key(t) for t in b], autojunk=False)
    runs: list[Run] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            runs.append(Run(SAME, "".join(b[j1:j2])))
            continue
        if i2 > i1:
            runs.append(Run(DELETED, "".join(a[i1:i2])))
        if j2 > j1:
            runs.append(Run(INSERTED, "".join(b[j1:j2])))
    return _grouped(runs)


def _key(token: str) -> str:
    return " " if token.isspace() else token


def _grouped(runs: list[Run]) -> tuple[Run, ...]:
    """Changes separated only by a space read as one change ("<del>a b</del><ins>c d</ins>", not four pieces)."""
    out: list[Run] = []
    pending: dict[str, str] = {}  # the change being gathered: deleted and inserted text
    gap = ""  # a kept space after a change, held until we know whether another change follows
    for run in runs:
        if run.op == SAME:
            if pending and run.text.isspace() and not gap:
                gap = run.text
                continue
            _flush(out, pending, gap and Run(SAME, gap))
            pending, gap = {}, ""
            out.append(run)
            continue
        if gap:  # a change after a space after a change: the kept space joins both sides
            for op in (DELETED, INSERTED):
                pending[op] = pending.get(op, "") + gap
            gap = ""
        pending[run.op] = pending.get(run.op, "") + run.text
    _flush(out, pending, gap and Run(SAME, gap))
    merged: list[Run] = []
    for run in out:
        if merged and merged[-1].op == run.op == SAME:
            merged[-1] = Run(SAME, merged[-1].text + run.text)
        else:
            merged.append(run)
    return tuple(merged)


def _flush(out: list[Run], pending: dict[str, str], gap: Run | str) -> None:
    deleted, inserted = pending.get(DELETED, ""), pending.get(INSERTED, "")
    # Spaces both sides begin or end with are kept text, not part of the change.
    lead = _common_space(deleted, inserted, lambda t: t[: len(t) - len(t.lstrip())])
    trail = _common_space(deleted[len(lead):], inserted[len(lead):], lambda t: t[len(t.rstrip()):])
    if lead:
        out.append(Run(SAME, lead))
    for op, text in ((DELETED, deleted), (INSERTED, inserted)):
        text = text[len(lead): len(text) - len(trail)]
        if text:
            out.append(Run(op, text))
    if trail:
        out.append(Run(SAME, trail))
    if gap:
        out.append(gap)


def _common_space(one: str, two: str, part) -> str:
    if not one or not two:
        return ""
    first, second = part(one), part(two)
    return first if first == second else ""
