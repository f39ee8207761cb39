"""The Atom feed of progress reports, one per language, for partners who subscribe."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from ..labels import fmt, labels
from ..data.model import LANGUAGES, Plan
from ..data.progress import period_report
from ..views.as_of import as_of_sentence
from ..views.typography import french_text

ATOM = "http://www.w3.org/2005/Atom"
FEED_NAME = "feed.xml"
_DATED = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?(?![0-9])")


def atom_feed(plan: Plan, lang: str, base_url: str, id_base: str = "", revisions: tuple = ()) -> bytes:
    """An Atom document with one entry per reporting period, newest first, valid with no period too, and one
    entry per revision that has a predecessor (`revisions`: its Changes, newest first) leading to its changes page.

    `base_url` is where the language's pages live ('' when unknown: links stay relative to the feed, as RFC 4287
    allows); `id_base` prefixes the ids when `base_url` is unknown, since Atom ids must be absolute IRIs.
    """
    t = labels(lang)
    id_base = base_url or id_base or tag_base(plan, lang)
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": lang})
    reports = [period_report(plan, p.id) for p in reversed(plan.periods)]
    updated = max([c.update.date for r in reports for c in r.changes] + [revision_date(c.new_version, plan) for c in revisions],
                  default=plan.meta.status_as_of)
    _text(feed, "title", f"{t['feed_title']} · {plan.meta.title(lang)}")
    _text(feed, "subtitle", as_of_sentence(plan, lang))
    _text(feed, "id", f"{id_base}reports.html")
    _text(feed, "updated", _timestamp(updated))
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "type": "application/atom+xml",
                                            "href": f"{base_url}{FEED_NAME}"})
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": f"{base_url}reports.html"})
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", plan.meta.organisation(lang))
    for report in reports:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        path = f"reports/{report.period.id}.html"
        _text(entry, "title", t["period_title"].format(period=report.period.id))
        _text(entry, "id", f"{id_base}{path}")
        _text(entry, "updated", _timestamp(max((c.update.date for c in report.changes), default=updated)))
        ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": f"{base_url}{path}"})
        summary = t["feed_entry_summary"].format(updates=fmt(lang, "updates_n", len(report.changes)),
                                                 transitions=fmt(lang, "transitions_n", report.transitions),
                                                 completed=fmt(lang, "completed_n", report.completed))
        _text(entry, "summary", summary + (f" {t['glm_period']}" if report.period.glm else ""))
    for changes in revisions:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        path = f"changes/{changes.new_version}.html"
        _text(entry, "title", t["feed_revision_title"].format(version=changes.new_version))
        _text(entry, "id", f"{id_base}{path}")
        _text(entry, "updated", _timestamp(revision_date(changes.new_version, plan)))
        ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": f"{base_url}{path}"})
        counts = [fmt(lang, f"changes_n_{name}", count) for name, count in changes.counts.items() if count]
        _text(entry, "summary", f"{changes.new_revision(lang)}{t['colon']} {', '.join(counts)}." if counts
              else f"{changes.new_revision(lang)}{t['colon']} {t['feed_revision_none']}")
    if lang == "fr":  # French typography, as on the pages; ids, dates and links carry no spaces to change
        for element in feed.iter():
            if element.text:
                element.text = french_text(element.text)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def revision_date(version: str, plan: Plan) -> str:
    """When a revision is dated: its version when it reads as a month or a day (2025-06), else the plan's date."""
    dated = _DATED.match(version)
    return dated.group() if dated else plan.meta.status_as_of


def tag_base(plan: Plan, lang: str, authority: str = "logcluster.org") -> str:
    """A `tag:` URI prefix (RFC 4151) for ids when the site's address is unknown: stable, absolute, per language.

    The authority is the publisher's domain, dated by the plan's first year, so ids never change between builds.
    """
    return f"tag:{authority},{plan.meta.period_start}:sip/{lang}/"


def _text(parent: ET.Element, tag: str, value: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}{tag}").text = value


def _timestamp(date: str) -> str:
    return (date if len(date) == 10 else f"{date}-01") + "T00:00:00Z"


def write_feed(plan: Plan, site_dir: str | Path, lang: str, site_url: str = "", tag_authority: str = "",
               revisions: tuple = ()) -> None:
    """Write `lang`'s feed beside its pages (feed.xml, en/feed.xml), on every build."""
    # static-i18n builds every language into the same site_dir; other languages live in <lang>/.
    folder = Path(site_dir) / ("" if lang == LANGUAGES[0] else lang)
    folder.mkdir(parents=True, exist_ok=True)
    id_base = tag_base(plan, lang, tag_authority) if tag_authority else ""
    (folder / FEED_NAME).write_bytes(atom_feed(plan, lang, feed_base(site_url, lang), id_base, tuple(revisions)))


def feed_base(site_url: str, lang: str) -> str:
    """Where a language's pages live: absolute when the site's address is known, else relative to the feed."""
    return (site_url + ("" if lang == LANGUAGES[0] else f"{lang}/")) if site_url else ""
