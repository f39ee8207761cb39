"""The plan as typed, immutable objects: what every view reads, never the YAML itself."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar
from functools import cached_property

LANGUAGES = ("fr", "en")


@dataclass(frozen=True)
class Text:
    """A human-readable text in French (the reference) and English."""

    fr: str
    en: str
    # "" once the English was checked against this French; "stale" or "new" otherwise (data/translation_lock.py).
    review: ClassVar[str] = ""

    def __call__(self, lang: str) -> str:
        return getattr(self, lang)


class StaleText(Text):
    """A text whose French changed since its English was last checked (same fields, exported alike)."""

    review = "stale"


class NewText(Text):
    """A text whose English was never checked against its French (no fingerprint recorded)."""

    review = "new"


@dataclass(frozen=True)
class MarkdownText(Text):
    """A text documented as Markdown in the schema ($defs/markdown_text): emphasis, footnotes, checked links."""


class StaleMarkdownText(MarkdownText):
    """A Markdown text whose French changed since its English was last checked."""

    review = "stale"


class NewMarkdownText(MarkdownText):
    """A Markdown text whose English was never checked against its French."""

    review = "new"


@dataclass(frozen=True)
class Status:
    id: str
    label: Text
    meaning: Text


@dataclass(frozen=True)
class Owner:
    """A body responsible for activities ("Réalisé par")."""

    id: str
    name: Text
    short: Text
    glossary: str | None = None


@dataclass(frozen=True)
class OwnerRole:
    """An owner as attached to one activity, with the qualifier the plan prints beside it, if any."""

    owner: Owner
    role: Text | None = None


@dataclass(frozen=True)
class Period:
    """A quarterly reporting period, e.g. 2024-Q1; every second report is presented at a GLM."""

    id: str
    glm: bool = False

    @property
    def anchor(self) -> str:
        return f"period-{self.id}"


@dataclass(frozen=True)
class Update:
    """A dated progress report on an activity, for one reporting period."""

    period: str
    date: str
    status: Status
    note: Text
    reported_by: Owner
    # The language the note still awaits (its translation), None when written in both; `note` then holds the
    # written text under both languages, so every reader shows something.
    pending: str | None = None

    @property
    def written(self) -> str | None:
        """The one language a note awaiting translation was written in."""
        return next((lang for lang in LANGUAGES if lang != self.pending), None) if self.pending else None


@dataclass(frozen=True)
class Activity:
    id: str
    text: Text
    owners: tuple[OwnerRole, ...]
    status: Status
    pillar_id: str
    outcome_id: str
    output_id: str
    former_ids: tuple[str, ...] = ()
    updates: tuple[Update, ...] = ()

    @property
    def anchor(self) -> str:
        return f"a-{self.id}"

    @property
    def owner_ids(self) -> tuple[str, ...]:
        return tuple(role.owner.id for role in self.owners)

    @property
    def current_status(self) -> Status:
        """The latest reported status; the plan's own status (the baseline) when nothing was reported since."""
        return self.updates[-1].status if self.updates else self.status

    def status_after(self, period: str | None) -> Status:
        """The status at the end of `period` (None: the baseline)."""
        reported = [u for u in self.updates if period is not None and u.period <= period]
        return reported[-1].status if reported else self.status


@dataclass(frozen=True)
class Output:
    id: str
    text: Text
    activities: tuple[Activity, ...]
    former_ids: tuple[str, ...] = ()  # published ids before a renumbering; their anchors stay

    @property
    def anchor(self) -> str:
        return f"output-{self.id}"


@dataclass(frozen=True)
class Outcome:
    id: str
    text: Text
    outputs: tuple[Output, ...]
    former_ids: tuple[str, ...] = ()  # published ids before a renumbering; their anchors stay

    @property
    def anchor(self) -> str:
        return f"outcome-{self.id}"


@dataclass(frozen=True)
class Pillar:
    id: str
    title: Text
    goal: Text
    outcomes: tuple[Outcome, ...]

    @property
    def anchor(self) -> str:
        return f"pillar-{self.id}"

    @cached_property
    def activities(self) -> tuple[Activity, ...]:
        return tuple(a for oc in self.outcomes for op in oc.outputs for a in op.activities)


@dataclass(frozen=True)
class RetiredActivity:
    """A published activity id that no longer exists; its anchor stays and explains why."""

    id: str
    pillar_id: str
    note: Text


@dataclass(frozen=True)
class Acronym:
    id: str
    abbr: dict  # language -> tuple of abbreviations as written in that language
    expansion: Text
    glossary: str | None = None

    @property
    def anchor(self) -> str:
        return f"acronym-{self.id}"


@dataclass(frozen=True)
class Footnote:
    id: str
    text: Text
    url: str | None = None
    url_en: str | None = None  # the English edition of the cited document, if it has its own address

    def link(self, lang: str) -> str | None:
        return self.url_en if lang == "en" and self.url_en else self.url


@dataclass(frozen=True)
class Section:
    """A narrative section of the plan (purpose, development, management, review); body is Markdown."""

    id: str
    title: Text
    body: Text


@dataclass(frozen=True)
class GlossaryEntry:
    id: str
    term: Text
    definition: Text
    acronyms: tuple[str, ...] = ()

    @property
    def anchor(self) -> str:
        return f"term-{self.id}"


@dataclass(frozen=True)
class Commitment:
    number: int
    text: Text


@dataclass(frozen=True)
class Annex:
    id: str
    title: Text
    intro: Text
    lead_in: Text
    commitments: tuple[Commitment, ...]
    source_title: Text
    source_edition: Text
    source_url: str
    source_url_en: str | None = None  # the English edition of the source, if it has its own address

    def source_link(self, lang: str) -> str:
        return self.source_url_en if lang == "en" and self.source_url_en else self.source_url


@dataclass(frozen=True)
class EditorNote:
    """An editor's note on an anomaly of the French source, which stays verbatim; `about` names the element."""

    id: str
    about: str  # 'activity 1.3.1.1', 'section management', 'glossary entry glc', 'commitment 4', 'meta.revision'
    note: Text
    quote: Text | None = None

    @property
    def anchor(self) -> str:
        return f"note-{self.id}"


@dataclass(frozen=True)
class Consultation:
    """The consultation on a draft revision: where comments go and until when (either may be unset)."""

    email: str | None = None
    deadline: str | None = None  # "YYYY-MM-DD"


@dataclass(frozen=True)
class Meta:
    series: Text
    subtitle: Text
    title: Text
    short_title: Text
    organisation: Text
    revision: Text
    period_start: int
    period_end: int
    version: str
    reference_language: str
    status_as_of: str
    # None when the data records no licence: shown as "Licence: not stated", never guessed.
    licence: Text | None = None
    # The revision's state: "draft", "approved" or "superseded"; None in data written before the field existed.
    state: str | None = None
    approved_on: str | None = None
    approved_by: Text | None = None
    consultation: Consultation | None = None

    @property
    def open_for_comments(self) -> bool:
        """A draft with a consultation address: the pages then offer a prefilled comment email per element."""
        return self.state == "draft" and self.consultation is not None and self.consultation.email is not None


@dataclass(frozen=True)
class AsOf:
    """The date the statuses speak for: the latest period reported, else the plan's baseline (meta.status_as_of)."""

    baseline: str  # '2023-11': the statuses the plan itself records
    period: Period | None = None  # the latest period in which something was reported

    @property
    def differs(self) -> bool:
        """True when the statuses shown are later than the plan's baseline (a report was imported)."""
        return self.period is not None

    @property
    def latest(self) -> str | None:
        """The latest period reported ('2026-Q3'), None when nothing was reported since the baseline."""
        return self.period.id if self.period else None

    @property
    def period_tag(self) -> str:
        """The latest period as file names carry it ('2026Q3'), '' with no report."""
        return self.period.id.replace("-", "") if self.period else ""


@dataclass(frozen=True)
class Plan:
    """The whole Strategy Implementation Plan, validated; `warnings` are shown on the data-quality page."""

    meta: Meta
    statuses: tuple[Status, ...]
    owners: tuple[Owner, ...]
    acronyms: tuple[Acronym, ...]
    footnotes: tuple[Footnote, ...]
    sections: tuple[Section, ...]
    glossary_title: Text
    glossary: tuple[GlossaryEntry, ...]
    pillars: tuple[Pillar, ...]
    annex: Annex
    periods: tuple[Period, ...] = ()
    retired: tuple[RetiredActivity, ...] = ()
    editor_notes: tuple[EditorNote, ...] = ()
    warnings: tuple = field(default=(), compare=False)

    # Views ask for these for every page and row: computed once (the Plan never changes).
    @cached_property
    def activities(self) -> tuple[Activity, ...]:
        return tuple(a for p in self.pillars for a in p.activities)

    @cached_property
    def outcomes(self) -> tuple[Outcome, ...]:
        return tuple(oc for p in self.pillars for oc in p.outcomes)

    @cached_property
    def outputs(self) -> tuple[Output, ...]:
        return tuple(op for oc in self.outcomes for op in oc.outputs)

    @cached_property
    def _output_of(self) -> dict[str, Output]:
        return {a.id: op for op in self.outputs for a in op.activities}

    def output_of(self, activity: Activity) -> Output:
        """The output an activity sits under (its id may not say so: 2.3.2.1 sits under 2.2.2)."""
        return self._output_of[activity.id]

    @cached_property
    def _outcome_of(self) -> dict[str, Outcome]:
        return {a.id: oc for oc in self.outcomes for op in oc.outputs for a in op.activities}

    def outcome_of(self, activity: Activity) -> Outcome:
        """The outcome an activity sits under, found by id: comparing the dataclasses would walk their contents."""
        return self._outcome_of[activity.id]

    @cached_property
    def as_of(self) -> AsOf:
        """The one "statuses as of" fact every page, file name, JSON, feed and PDF states."""
        reported = {u.period for a in self.activities for u in a.updates}
        latest = next((p for p in reversed(self.periods) if p.id in reported), None)
        return AsOf(self.meta.status_as_of, latest)

    def period(self, period_id: str) -> Period:
        return next(p for p in self.periods if p.id == period_id)

    def status(self, status_id: str) -> Status:
        return next(s for s in self.statuses if s.id == status_id)

    def notes_about(self, about: str) -> tuple[EditorNote, ...]:
        """The editor's notes on one element, e.g. notes_about('activity 1.3.1.1')."""
        return self._notes_by_element.get(about, ())

    @cached_property
    def _notes_by_element(self) -> dict[str, tuple[EditorNote, ...]]:
        # Asked for every element of every page: the notes grouped once, in their order.
        grouped: dict[str, list[EditorNote]] = {}
        for note in self.editor_notes:
            grouped.setdefault(note.about, []).append(note)
        return {about: tuple(notes) for about, notes in grouped.items()}

    def footnote(self, footnote_id: str) -> Footnote:
        return next(f for f in self.footnotes if f.id == footnote_id)


def as_of(plan: Plan) -> AsOf:
    """The single "statuses as of" fact (Plan.as_of), for callers that hold a plan."""
    return plan.as_of
