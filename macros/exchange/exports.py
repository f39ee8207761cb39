"""Machine-readable downloads: the validated plan as JSON, and a flat CSV of activities with HXL tags."""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path

from ..data.memo import once_per_plan
from ..data.model import LANGUAGES, Activity, Plan, Text
from ..labels import labels
from ..views.as_of import as_of_sentence

JSON_NAME = "downloads/sip.json"
CSV_NAME = "downloads/sip-activities.csv"
SCHEMA_NAME = "downloads/sip.schema.json"
SCHEMA_SOURCE = Path(__file__).resolve().parent / "sip.download.schema.json"

# (header, HXL hashtag, value of an activity); HXL's +i_fr / +i_en attributes mark the language.
# Only the activity id carries #activity+code, so that `#activity+code` selects it alone (libhxl matches a
# pattern against every column that has its hashtag and attributes): pillars and outcomes are the plan's
# tracked results (#indicator, told apart by +pillar / +outcome), outputs are #output (HXL 1.1 dictionary).
_COLUMNS = [
    ("pillar_id", "#indicator+pillar+code", lambda a, p, u: a.pillar_id),
    ("outcome_id", "#indicator+outcome+code", lambda a, p, u: a.outcome_id),
    ("output_id", "#output+code", lambda a, p, u: a.output_id),
    ("activity_id", "#activity+code", lambda a, p, u: a.id),
    ("activity_fr", "#activity+name+i_fr", lambda a, p, u: a.text.fr),
    ("activity_en", "#activity+name+i_en", lambda a, p, u: a.text.en),
    ("output_fr", "#output+name+i_fr", lambda a, p, u: p.output_of(a).text.fr),
    ("output_en", "#output+name+i_en", lambda a, p, u: p.output_of(a).text.en),
    ("owner_ids", "#org+code", lambda a, p, u: " ; ".join(a.owner_ids)),
    ("owners_fr", "#org+name+i_fr", lambda a, p, u: " ; ".join(_owner_label(r, "fr") for r in a.owners)),
    ("owners_en", "#org+name+i_en", lambda a, p, u: " ; ".join(_owner_label(r, "en") for r in a.owners)),
    ("status", "#status+code", lambda a, p, u: a.current_status.id),
    ("status_fr", "#status+name+i_fr", lambda a, p, u: a.current_status.label.fr),
    ("status_en", "#status+name+i_en", lambda a, p, u: a.current_status.label.en),
    ("permalink_fr", "#activity+url+i_fr", lambda a, p, u: u + permalink(a, "fr")),
    ("permalink_en", "#activity+url+i_en", lambda a, p, u: u + permalink(a, "en")),
]


def permalink(activity: Activity, lang: str) -> str:
    """The activity's permanent link relative to the site root, e.g. 'en/pillars/1.html#a-1.1.1.2'."""
    prefix = "" if lang == LANGUAGES[0] else f"{lang}/"
    return f"{prefix}pillars/{activity.pillar_id}.html#{activity.anchor}"


def hxl_columns() -> list[tuple[str, str]]:
    """(header, hashtag) of every CSV column, in order: what the downloads page documents."""
    return [(name, tag) for name, tag, _ in _COLUMNS]


def licence(plan: Plan) -> Text:
    """The licence as the data states it, or "not stated" in each language: never a guessed one."""
    return plan.meta.licence or Text(**{lang: labels(lang)["licence_not_stated"] for lang in LANGUAGES})


def generated_at() -> str:
    """The build time in UTC; SOURCE_DATE_EPOCH (reproducible builds) fixes it."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch else datetime.now(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _owner_label(role, lang: str) -> str:
    name = role.owner.name(lang)
    return f"{name} ({role.role(lang)})" if role.role else name


@once_per_plan
def plan_json(plan: Plan, site_url: str = "") -> str:
    """The validated plan as JSON: the same tree as data/sip.yaml, with owners and statuses by id."""
    def text(value: Text) -> dict:
        return {"fr": value.fr, "en": value.en}

    def note(u) -> dict:
        """As written: a note awaiting translation has its one language only (`translation_pending` names the other)."""
        return text(u.note) if u.pending is None else {u.written: u.note(u.written)}

    def activity(a: Activity) -> dict:
        return {"id": a.id, "text": text(a.text), "status": a.current_status.id, "baseline_status": a.status.id,
                "owners": [{"id": r.owner.id, **({"role": text(r.role)} if r.role else {})} for r in a.owners],
                "former_ids": list(a.former_ids),
                "updates": [{"date": u.date, "period": u.period, "status": u.status.id, "note": note(u),
                             "reported_by": u.reported_by.id if u.reported_by else None,
                             **({"translation_pending": u.pending} if u.pending else {})} for u in a.updates],
                "permalink": {lang: site_url + permalink(a, lang) for lang in LANGUAGES}}

    meta = asdict(plan.meta)
    meta["licence"] = asdict(licence(plan))
    data = {
        # Relative to the JSON file when the site's address is unknown, so a copy beside it still resolves.
        "$schema": site_url + SCHEMA_NAME if site_url else SCHEMA_NAME.rsplit("/", 1)[1],
        "generated_at": generated_at(),
        "version": plan.meta.version,
        "as_of": {"baseline": plan.as_of.baseline, "latest_period": plan.as_of.period.id if plan.as_of.period else None,
                  "statement": {lang: as_of_sentence(plan, lang) for lang in LANGUAGES}},
        "meta": meta,
        "statuses": [asdict(s) for s in plan.statuses],
        "owners": [asdict(o) for o in plan.owners],
        "pillars": [{"id": p.id, "title": text(p.title), "goal": text(p.goal), "outcomes": [
            {"id": oc.id, "text": text(oc.text), "former_ids": list(oc.former_ids), "outputs": [
                {"id": op.id, "text": text(op.text), "former_ids": list(op.former_ids),
                 "activities": [activity(a) for a in op.activities]}
                for op in oc.outputs]} for oc in p.outcomes]} for p in plan.pillars],
        "retired": [asdict(r) for r in plan.retired],
        "sections": [asdict(s) for s in plan.sections],
        "glossary": {"title": text(plan.glossary_title), "entries": [asdict(g) for g in plan.glossary]},
        "acronyms": [asdict(a) for a in plan.acronyms],
        "footnotes": [asdict(f) for f in plan.footnotes],
        "annex": asdict(plan.annex),
        "editor_notes": [asdict(n) for n in plan.editor_notes],
    }
    return json.dumps(data, ensure_ascii=False, indent=1)


@once_per_plan
def activities_csv(plan: Plan, site_url: str = "") -> str:
    """One row per activity, a header row then an HXL hashtag row; UTF-8 without a BOM (libhxl and pandas
    would read it into the first header)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([name for name, _, _ in _COLUMNS])
    writer.writerow([tag for _, tag, _ in _COLUMNS])
    for a in plan.activities:
        writer.writerow([spreadsheet_safe(value(a, plan, site_url)) for _, _, value in _COLUMNS])
    return out.getvalue()


# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: str) -> str:
    """The cell as text a spreadsheet shows rather than runs: a leading quote before a formula start."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def write_downloads(plan: Plan, site_dir: str | Path, site_url: str = "") -> None:
    """Write the JSON (with its JSON Schema) and CSV downloads under `site_dir`/downloads/."""
    root = Path(site_dir)
    (root / "downloads").mkdir(parents=True, exist_ok=True)
    (root / JSON_NAME).write_text(plan_json(plan, site_url), encoding="utf-8")
    shutil.copyfile(SCHEMA_SOURCE, root / SCHEMA_NAME)
    (root / CSV_NAME).write_text(activities_csv(plan, site_url), encoding="utf-8", newline="")
