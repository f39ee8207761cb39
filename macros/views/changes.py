"""The changes page of a revision: counts, then each kind of change, one anchored line per change."""
from __future__ import annotations

from ..data.model import LANGUAGES
from .render import Page, render

SECTION_LINE = {"added": "added", "retired": "retired", "renumbered": "renumbered", "moved": "moved",
                "reworded": "reworded", "owners": "owners", "statuses": "status", "glossary": "glossary",
                "annex": "annex"}


def element_anchor(section: str, item) -> str:
    """The anchor of what a line is about (its element, entry or commitment), as on the page it lives on."""
    if section == "renumbered":
        return item.new.anchor
    if section in ("glossary", "annex"):
        return item.anchor
    return item.ref.anchor


def line_anchor(section: str, item) -> str:
    """The anchor of one line of the changes page, e.g. change-added-a-2.2.1.5, change-renumbered-a-2.3.2.1."""
    if section == "renumbered":
        target = item.old.anchor  # an old id is renumbered once; two old ids may merge into one new one
    elif section in ("glossary", "annex"):
        target = item.anchor + (f"-{item.field}" if getattr(item, "field", "") else "")
    elif section == "reworded" and item.field != "text":
        target = f"{item.ref.anchor}-{item.field}"
    else:
        target = item.ref.anchor
    return f"change-{SECTION_LINE[section]}-{target}"


def change_lines(changes) -> list[tuple[str, list[tuple[str, list[str], object]]]]:
    """(section, [(line anchor, element aliases, change)]) for each section with changes, in page order.

    The first line about an element also carries `change-<its anchor>` (change-a-2.2.2.1), and a renumbered
    element's old number too (change-a-2.3.2.1): a link about one element needs no section name."""
    seen: set[str] = set()
    sections = []
    for section in SECTION_LINE:
        lines = []
        for item in getattr(changes, section):
            anchors = [element_anchor(section, item)] + ([item.old.anchor] if section == "renumbered" else [])
            aliases = [f"change-{a}" for a in anchors if a not in seen]
            seen.update(anchors)
            lines.append((line_anchor(section, item), aliases, item))
        if lines:
            sections.append((section, lines))
    return sections


def render_changes(plan, page: Page, changes, download: str, schema: str, base: str = "") -> str:
    """`changes` (a computed Changes) as the page of its newer revision; `download` and `schema` are the site
    paths of the same changes as JSON and of its schema; `base` the folder of that revision's pages ('' when it
    is the current one, as on the pillar pages)."""
    languages = [page.lang] + [lang for lang in LANGUAGES if lang != page.lang]  # the page's language first
    return render("changes.html", page, plan=plan, changes=changes, sections=change_lines(changes),
                  languages=languages, download=page.site_file(download), schema=page.site_file(schema), base=base,
                  owner_ids={o.id for o in plan.owners})
