"""Machine-readable downloads: the validated plan as JSON, and a flat CSV of activities with HXL tags."""
from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict
from pathlib import Path

from ..data.model import LANGUAGES, Activity, Plan, Text

JSON_NAME = "downloads/sip.json"
CSV_NAME = "downloads/sip-activities.csv"

# (header, HXL hashtag, value of an activity); HXL's +i_fr / +i_en attributes mark the language.
_COLUMNS = [
    ("pillar_id", "#activity+pillar+code", lambda a, p, u: a.pillar_id),
    ("outcome_id", "#activity+outcome+code", lambda a, p, u: a.outcome_id),
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


def _owner_label(role, lang: str) -> str:
    name = role.owner.name(lang)
    return f"{name} ({role.role(lang)})" if role.role else name


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

    data = {
        "meta": asdict(plan.meta),
        "statuses": [asdict(s) for s in plan.statuses],
        "owners": [asdict(o) for o in plan.owners],
        "pillars": [{"id": p.id, "title": text(p.title), "goal": text(p.goal), "outcomes": [
            {"id": oc.id, "text": text(oc.text), "outputs": [
                {"id": op.id, "text": text(op.text), "activities": [activity(a) for a in op.activities]}
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


def activities_csv(plan: Plan, site_url: str = "") -> str:
    """One row per activity, a header row then an HXL hashtag row; written with a BOM for Excel."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([name for name, _, _ in _COLUMNS])
    writer.writerow([tag for _, tag, _ in _COLUMNS])
    for a in plan.activities:
        writer.writerow([value(a, plan, site_url) for _, _, value in _COLUMNS])
    return out.getvalue()


def write_downloads(plan: Plan, site_dir: str | Path, site_url: str = "") -> None:
    """Write the JSON and CSV downloads under `site_dir`/downloads/."""
    root = Path(site_dir)
    (root / "downloads").mkdir(parents=True, exist_ok=True)
    (root / JSON_NAME).write_text(plan_json(plan, site_url), encoding="utf-8")
    (root / CSV_NAME).write_text(activities_csv(plan, site_url), encoding="utf-8-sig", newline="")
