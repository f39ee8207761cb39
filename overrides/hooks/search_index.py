"""MkDocs hook: one search index per language, one entry per plan element, and the search worker that ranks them.

The combined index of the i18n build is split by language. Each activity is indexed once, at its permanent anchor
on its pillar page, with what a reader may type to find it: its id, text, owners (names and abbreviations), output
and outcome, status and the expansions of the acronyms it uses. Each acronym gets an entry at its glossary row.
Ranking is done in the browser by overrides/assets/javascripts/search-worker.js (see the README, "Search"),
which replaces Material's lunr worker through the page configuration; Material's search box and results stay.
"""
from __future__ import annotations

import functools
import html
import json
import os
import re
import sys
from pathlib import Path

from mkdocs.plugins import event_priority

try:
    from material.plugins.search import plugin as material_search
except ImportError:  # pragma: no cover - another theme
    material_search = None

LANGUAGES = ("fr", "en")
WORKER = "assets/javascripts/search-worker.js"
# Material's worker as the page configuration names it; replaced in every page by ours.
_MATERIAL_WORKER = re.compile(r'("search":\s*")([^"]*?)assets/javascripts/workers/search\.[0-9a-f]+\.min\.js(")')
_ANCHOR_KIND = re.compile(r"(?P<kind>pillar|outcome|output|a|commitment)-(?P<id>[0-9][0-9.]*)")
_MD_LINK = re.compile(r"\[([^\]^][^\]]*)\]\([^)]*\)")
_MD_NOISE = re.compile(r"\[\^[^\]]*\]|[*_`<>]")


def plain(markdown: str) -> str:
    """A Markdown text of the data as the words a reader sees (links by their text, no emphasis or footnote marks)."""
    return " ".join(_MD_NOISE.sub("", _MD_LINK.sub(r"\1", markdown)).split())


def esc(text: str) -> str:
    # Material shows title and text as HTML: every string of the index is escaped text, as Material's own are.
    return html.escape(text, quote=False)


# Where a reader sees words apart although the HTML has no space between them: a line break, a table cell, the
# start or end of a block. Material's parser joins the texts of a page as they come ("recordedThe plan").
_BLOCKS = {"td", "th", "tr", "table", "caption", "div", "dd", "dt", "figcaption", "summary", "details", "blockquote",
           "section", "aside"}


def _left_out(tag: str, attrs: dict) -> str:
    """Why the index leaves an element of the page out, if it does: "footnotes" (the page's footnotes, which would
    end the text of its last section), "mark" (a footnote's number in the text: it leads nowhere from a search
    result and would read "Clusters1"), "sign" (a sign screen readers skip, such as the editor's note's †, whose
    words follow it for them: "as needed. Editor's note: …", not "as needed.†Editor's note")."""
    if tag == "div" and "footnote" in (attrs.get("class") or "").split():
        return "footnotes"
    if tag == "sup" and (attrs.get("id") or "").startswith("fnref"):
        return "mark"
    if attrs.get("aria-hidden") == "true":
        return "sign"
    return ""


def _search_parser(base):
    class SpacedParser(base):
        """Material's parser of a page for its index, with a space wherever the page shows one without writing it,
        and without the page's footnotes, footnote numbers and signs (`_left_out`)."""

        def handle_starttag(self, tag, attrs):
            why = _left_out(tag, dict(attrs))
            if tag in _BLOCKS or tag == "br" or why == "sign":
                self._space()  # a sign stands between words: a space in its place
            if why:
                attrs = [*attrs, ("data-search-exclude", "")]
            super().handle_starttag(tag, attrs)

        def handle_endtag(self, tag):
            super().handle_endtag(tag)
            if tag in _BLOCKS:
                self._space()

        def _space(self):
            if self.section is not None and not self.skip.intersection(self.context):
                self.handle_data(" ")  # collapsed with any space beside it, in the title or the text

    SpacedParser.__name__ = SpacedParser.__qualname__ = "SpacedParser"
    return SpacedParser


def on_config(config, **kwargs):
    """Material's search plugin parses pages with `SpacedParser` (installed once, however many builds run)."""
    base = getattr(material_search, "Parser", None)
    if base is not None and base.__name__ != "SpacedParser":
        material_search.Parser = _search_parser(base)
    return config


def load_plan(config):
    """The validated plan, or None when the data is broken (the macros then report it on every page)."""
    root = Path(config.config_file_path).resolve().parent
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    from macros.data.load import load_plan as load
    from macros.data.problems import DataError
    try:
        return load()
    except DataError:
        return None


def element_kind(location: str) -> tuple[str, list[str]]:
    """('activity', ['1.2.1.3']) for 'pillars/1.html#a-1.2.1.3'; ('glossary', []) for a glossary entry; etc."""
    page, _, anchor = location.partition("#")
    found = _ANCHOR_KIND.fullmatch(anchor)
    if found:
        kind = {"a": "activity"}.get(found["kind"], found["kind"])
        return kind, [found["id"].rstrip(".")]
    if page == "glossary.html":
        return "glossary", []
    return ("section" if anchor else "page"), []


@functools.lru_cache(maxsize=1)
def _preview_template():
    from jinja2 import Environment, FileSystemLoader
    folder = Path(__file__).resolve().parents[1] / "partials" / "sip"
    return Environment(loader=FileSystemLoader(str(folder)), autoescape=True).get_template("search_preview.html")


def activity_preview(activity, lang: str) -> str:
    """The preview's last line: "Not reported · Owner: Partnerships Working Group" (escaped HTML); with no owner,
    "Completed · Owner: not recorded"."""
    from macros.labels import fmt, labels
    owners = [{"name": role.owner.name(lang), "role": plain(role.role(lang)) if role.role else ""}
              for role in activity.owners]
    return _preview_template().render(status=activity.current_status.label(lang), colon=labels(lang)["colon"],
                                      owned_by=fmt(lang, "owned_by", count=len(owners)), owners=owners,
                                      role_dash=labels(lang)["role_separator"],
                                      not_recorded=labels(lang)["owner_none"]).strip()


def activity_fields(plan, activity, lang: str) -> dict:
    """The hidden fields of an activity's entry: everything else a reader may type to find it."""
    output = plan.output_of(activity)
    outcome = plan.outcome_of(activity)
    pillar = next(p for p in plan.pillars if p.id == activity.pillar_id)
    owners = []
    for role in activity.owners:
        owners += [role.owner.name(lang), role.owner.short(lang)] + ([role.role(lang)] if role.role else [])
    text = plain(activity.text(lang))
    words = set(re.findall(r"[\w-]+", text))
    expansions = [plain(a.expansion(lang)) for a in plan.acronyms if words.intersection(a.abbr.get(lang) or ())]
    return {"ids": [activity.id, *activity.former_ids],
            "owners": esc(" · ".join(owners)),
            "status": esc(activity.current_status.label(lang)),
            "context": esc(" · ".join(plain(t(lang)) for t in (output.text, outcome.text, pillar.title))),
            "acronyms": esc(" · ".join(expansions))}


def acronym_docs(plan, lang: str, glossary_page: str) -> list[dict]:
    """One entry per acronym used in `lang`, at its row of the glossary: it answers what the acronym means, and
    its expansion is the other name of its heading."""
    return [{"location": f"{glossary_page}#{a.anchor}", "title": esc(", ".join(a.abbr[lang])),
             "text": esc(plain(a.expansion(lang))), "kind": "acronym", "answers": ["definition"],
             "aka": esc(plain(a.expansion(lang)))}
            for a in plan.acronyms if a.abbr.get(lang)]


def mark_answers(by_location: dict, plan, lang: str) -> None:
    """The entries that answer a question rather than hold its words (README, "Search"): a glossary term says what
    it is ("definition"); an owner's section says who leads what ("owner") and what the body is, under its short
    name too (`aka`)."""
    for entry in plan.glossary:
        doc = by_location.get(f"glossary.html#{entry.anchor}")
        if doc is not None:
            doc["answers"] = ["definition"]
    for owner in plan.owners:
        doc = by_location.get(f"owners.html#owner-{owner.id}")
        if doc is not None:
            doc["answers"] = ["owner", "definition"]
            doc["aka"] = esc(plain(owner.short(lang)))


def commitment_docs(plan, lang: str, annex_page: str) -> list[dict]:
    """One entry per minimum commitment of the annex, at its permanent anchor."""
    from macros.labels import labels
    return [{"location": f"{annex_page}#commitment-{c.number}", "title": esc(f"{labels(lang)['annex']} · {c.number}"),
             "text": esc(plain(c.text(lang))), "kind": "commitment", "ids": [str(c.number)]}
            for c in plan.annex.commitments]


def language_docs(docs: list[dict], lang: str, plan) -> list[dict]:
    """The entries of one language (locations relative to it), with their kind, ids and hidden fields."""
    by_location = {}
    for doc in docs:
        kind, ids = element_kind(doc["location"])
        entry = {"location": doc["location"], "title": doc.get("title", ""), "text": doc.get("text", ""), "kind": kind}
        if ids:
            entry["ids"] = ids
        if "boost" in doc:
            entry["boost"] = doc["boost"]
        by_location[doc["location"]] = entry
    if plan is None:
        return list(by_location.values())
    for pillar in plan.pillars:
        page, anchor = f"pillars/{pillar.id}.html", f"pillars/{pillar.id}.html#{pillar.anchor}"
        if page in by_location and anchor not in by_location:
            # The pillar's heading opens its page: its entry leads to the pillar's permanent anchor.
            by_location[anchor] = {**by_location.pop(page), "location": anchor, "kind": "pillar", "ids": [pillar.id]}
    for activity in plan.activities:
        location = f"pillars/{activity.pillar_id}.html#{activity.anchor}"
        entry = by_location.setdefault(location, {"location": location, "title": "", "kind": "activity",
                                                  "text": f"<p>{esc(plain(activity.text(lang)))}</p>"})
        entry.update(kind="activity", **activity_fields(plan, activity, lang))
        entry["text"] = f"{entry['text']} {activity_preview(activity, lang)}".strip()
    for pillar in plan.pillars:  # a renumbered outcome or output is found by its former number too (issue 20)
        for element in (e for oc in pillar.outcomes for e in (oc, *oc.outputs) if e.former_ids):
            entry = by_location.get(f"pillars/{pillar.id}.html#{element.anchor}")
            if entry is not None:
                entry["ids"] = [*entry.get("ids", [element.id]), *element.former_ids]
    extra = acronym_docs(plan, lang, "glossary.html") if "glossary.html" in by_location else []
    extra += commitment_docs(plan, lang, "annex.html") if "annex.html" in by_location else []
    for doc in extra:
        by_location.setdefault(doc["location"], doc)
    mark_answers(by_location, plan, lang)
    return list(by_location.values())


def load_synonyms(config) -> dict:
    """The reviewed synonyms per language (data/search-synonyms.yaml, checked with the data), or {}."""
    root = Path(config.config_file_path).resolve().parent
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    from macros.data.load import data_path
    from macros.data.search_synonyms import load_search_synonyms
    return load_search_synonyms(data_path())


def split_index(index: dict, plan=None, synonyms: dict | None = None) -> dict[str, dict]:
    """The combined index of the i18n build, as one index per language with locations relative to it, with the
    synonyms of that language (the worker expands queries with them)."""
    result = {}
    for lang in LANGUAGES:
        prefix = "" if lang == LANGUAGES[0] else f"{lang}/"
        others = tuple(f"{other}/" for other in LANGUAGES[1:])
        mine = [{**doc, "location": doc["location"][len(prefix):]} for doc in index["docs"]
                if (doc["location"].startswith(prefix) if prefix else not doc["location"].startswith(others))]
        # Material's highlighter on the page a result opens reads `separator` from this configuration.
        # The synonyms ride in `config`: Material hands the worker the index's config and docs only.
        result[lang] = {"config": {**index["config"], "lang": [lang], "synonyms": (synonyms or {}).get(lang, [])},
                        "docs": language_docs(mine, lang, plan)}
    return result


# Material's lunr worker and the lunr language files it loads: no page asks for them once ours is named instead.
UNUSED_THEME_FILES = ("assets/javascripts/workers/", "assets/javascripts/lunr/")


def on_files(files, config, **kwargs):
    """Material's own search worker and its lunr files are not published (site and offline bundle)."""
    for file in list(files):
        if file.src_uri.startswith(UNUSED_THEME_FILES):
            files.remove(file)
    return files


def on_post_page(output: str, page, config, **kwargs) -> str:
    """Every page asks for our search worker instead of Material's (same place, same messages)."""
    if '"search":' not in output:
        return output
    replaced, count = _MATERIAL_WORKER.subn(lambda m: f"{m[1]}{m[2]}{WORKER}{m[3]}", output, count=1)
    if not count:
        raise RuntimeError(f"{page.file.src_uri}: Material's search worker is not named in the page configuration; "
                           "overrides/hooks/search_index.py cannot install the plan's search (Material upgraded?)")
    return replaced


def on_post_template(output: str, template_name: str, config, **kwargs) -> str:
    """The pages built from templates alone (404.html) ask for our worker too."""
    if '"search":' not in output or not _MATERIAL_WORKER.search(output):
        return output
    return _MATERIAL_WORKER.sub(lambda m: f"{m[1]}{m[2]}{WORKER}{m[3]}", output, count=1)


@event_priority(-200)  # after the search plugin and the offline plugin (-100) have written the index
def on_post_build(config, **kwargs) -> None:
    site = Path(config.site_dir)
    source = site / "search" / "search_index.json"
    if not source.exists():
        return
    index = json.loads(source.read_text(encoding="utf-8"))
    # One language per process (SIP_LANGUAGE, scripts/build.py): that language's part is complete now.
    alone = os.environ.get("SIP_LANGUAGE", "")
    if not alone and not any(doc["location"].startswith("en/") for doc in index["docs"]):
        return  # not the last language build yet: the combined index is written with the last one
    offline = (site / "search" / "search_index.js").exists()
    for lang, part in split_index(index, load_plan(config), load_synonyms(config)).items():
        if alone and lang != alone:
            continue
        folder = site / ("" if lang == LANGUAGES[0] else lang) / "search"
        folder.mkdir(parents=True, exist_ok=True)
        data = json.dumps(part, ensure_ascii=False, separators=(",", ":"))
        (folder / "search_index.json").write_text(data, encoding="utf-8")
        if offline:  # file:// cannot fetch JSON: the offline plugin's script form of the index
            (folder / "search_index.js").write_text(f"var __index = {data}", encoding="utf-8")
