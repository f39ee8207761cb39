"""Rules from the blind English review of 2026-12-03 (tests/fixtures/reviews/), checked on the data, labels and pages."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATA = ROOT / "data" / "sip.yaml"
LABEL_FILES = [ROOT / "macros" / "labels" / f"{lang}.yml" for lang in ("fr", "en")]
MESSAGE_FILES = [ROOT / "macros" / "messages" / f"{lang}.yml" for lang in ("fr", "en")]
TEMPLATES = ROOT / "overrides"

# A year range written with a hyphen ("2022-2026"): English typography wants an en dash.
HYPHEN_RANGE = re.compile(r"\b(?:19|20)\d\d-(?:19|20)\d\d\b")
# US spellings a UK-spelling reviser corrects; the stems are the ones this plan's vocabulary uses.
US_SPELLING = re.compile(r"\b(?:organiz|mobiliz|prioritiz|standardiz|harmoniz|localiz|capitaliz|analyz|initializ|"
                         r"recogniz|utiliz|minimiz|optimiz|summariz|catalog(?!ue)|program(?!m)|center|behavior|"
                         r"favor|labor|color|honor)\w*", re.IGNORECASE)
# French contractions that must never appear uncontracted, and the doubled article the review found.
UNCONTRACTED = re.compile(r"\b(?:de le|de les|à le|à les|de des)\b", re.IGNORECASE)
LITERAL = ("script", "style", "code", "pre", "kbd", "samp", "textarea")
READER_ATTRS = ("title", "aria-label", "alt", "placeholder")


def english_texts(node, path=""):
    """Every English text of the data file as (path, French, English)."""
    if isinstance(node, dict):
        if isinstance(node.get("en"), str) and isinstance(node.get("fr"), str):
            yield path, node["fr"], node["en"]
        for key, value in node.items():
            ident = f"[{node['id']}]" if isinstance(node.get("id"), str) else ""
            yield from english_texts(value, f"{path}{ident}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from english_texts(value, f"{path}[{i}]")


@pytest.fixture(scope="module")
def data():
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def texts(data):
    found = list(english_texts(data))
    assert len(found) > 150, "the walk found too few English texts to be checking the plan"
    return found


def strings(node):
    """Every string value of a nested label/message mapping."""
    if isinstance(node, dict):
        for value in node.values():
            yield from strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from strings(value)
    elif isinstance(node, str):
        yield node


def test_english_data_uses_curly_double_quotes(texts):
    bad = [(path, en) for path, _, en in texts if '"' in en]
    assert bad == [], f"straight double quotes in English (use “ ”): {bad}"


def test_english_data_year_ranges_use_an_en_dash(texts):
    bad = [(path, en) for path, _, en in texts if HYPHEN_RANGE.search(en)]
    assert bad == [], f"year range with a hyphen (use –): {bad}"


def test_english_data_uses_uk_spelling(texts):
    bad = [(path, m.group()) for path, _, en in texts for m in US_SPELLING.finditer(en)]
    assert bad == [], f"US spelling in English: {bad}"


def test_english_plan_statements_end_with_a_full_stop(data):
    """Outcomes, outputs, activities and the Minimum Commitments are sentences, even where the source drops the stop."""
    items = []
    for pillar in data["pillars"]:
        for outcome in pillar["outcomes"]:
            items.append((f"outcome {outcome['id']}", outcome["text"]["en"]))
            for output in outcome["outputs"]:
                items.append((f"output {output['id']}", output["text"]["en"]))
                items += [(f"activity {a['id']}", a["text"]["en"]) for a in output["activities"]]
    items += [(f"commitment {c['number']}", c["text"]["en"]) for c in data["annex"]["commitments"]]
    assert len(items) > 80
    bad = [where for where, en in items if not en.rstrip().endswith(".")]
    assert bad == [], f"English text without a final full stop: {bad}"


def test_english_data_has_no_nested_brackets(texts):
    """“(e.g. the X (RITA), …)”: brackets inside brackets read badly; the acronyms expand on hover anyway."""
    def nested(text):
        depth = 0
        for char in text:
            depth += char == "("
            if depth > 1:
                return True
            depth -= char == ")"
        return False
    bad = [(path, en) for path, _, en in texts if nested(en)]
    assert bad == [], f"nested brackets in English: {bad}"


class _DuplicateKey(yaml.SafeLoader):
    """A loader that refuses a key written twice in one mapping (PyYAML silently keeps the last one)."""


def _no_duplicates(loader, node, deep=False):
    seen = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise AssertionError(f"key {key!r} at line {key_node.start_mark.line + 1} is already defined at line {seen[key]}")
        seen[key] = key_node.start_mark.line + 1
    return loader.construct_mapping(node, deep=deep)


_DuplicateKey.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicates)


@pytest.mark.parametrize("path", LABEL_FILES + MESSAGE_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_label_and_message_files_define_each_key_once(path):
    """A second `revision_state_approved` once hid the approval date and body the Revisions table asks for."""
    yaml.load(path.read_text(encoding="utf-8"), Loader=_DuplicateKey)  # noqa: S506 - a SafeLoader subclass


def _fmt_calls(source: str):
    """(key, keyword names) of every fmt('key', name=...) call with a literal key in a template."""
    for match in re.finditer(r"fmt\('([a-z_.]+)'(?=\s*[,)])", source):
        depth, end = 1, match.end()
        start = source.index("(", match.start()) + 1
        while depth and end < len(source):
            depth += {"(": 1, ")": -1}.get(source[end], 0)
            end += 1
        args, flat, level = source[start:end - 1], [], 0
        for char in args:  # keep only the call's own arguments, not those of calls nested inside it
            level += char == "("
            if level == 0:
                flat.append(char)
            level -= char == ")"
        yield match.group(1), set(re.findall(r"\b([a-z_]+)=(?!=)", "".join(flat)))


def test_every_value_a_template_gives_a_label_is_shown():
    """fmt('x', date=…) on a label without {date} drops the value without a word (the duplicate-key bug's symptom)."""
    calls = [call for path in TEMPLATES.rglob("*.html") for call in _fmt_calls(path.read_text(encoding="utf-8"))]
    assert len(calls) > 20, "too few fmt() calls found: the parser is not reading the templates"
    bad = []
    for path in LABEL_FILES:
        labels = yaml.safe_load(path.read_text(encoding="utf-8"))
        for key, names in calls:
            label = labels[key]
            text = " ".join(label.values()) if isinstance(label, dict) else label
            bad += [(path.name, key, name) for name in names - {"count"} if "{" + name + "}" not in text]
    assert bad == [], f"a value given to a label that does not show it: {bad}"


@pytest.mark.parametrize("path", [LABEL_FILES[0], MESSAGE_FILES[0]], ids=lambda p: f"{p.parent.name}/{p.name}")
def test_french_interface_has_no_uncontracted_articles(path):
    bad = [s for s in strings(yaml.safe_load(path.read_text(encoding="utf-8"))) if UNCONTRACTED.search(s)]
    assert bad == [], f"« de le », « à les », « de des »… in French interface strings: {bad}"


def test_french_terms_stay_consistent_in_the_interface():
    """The interface calls an abbreviation « sigle » and a pillar's goal « but »; the current revision « en cours »."""
    labels = yaml.safe_load(LABEL_FILES[0].read_text(encoding="utf-8"))
    messages = yaml.safe_load(MESSAGE_FILES[0].read_text(encoding="utf-8"))
    assert labels["goal"].lower() == labels["changes_field_goal"].lower()
    assert labels["abbreviation"].lower() in labels["changes_field_abbr"].lower()
    assert messages["kinds"]["acronym"] == labels["abbreviation"].lower()
    assert labels["revision_changes"] == labels["changes_nav"]
    # « en vigueur » is a state of its own (revision_state_in_force); the current revision may be a draft.
    assert "en vigueur" not in labels["revision_banner"] + labels["revision_banner_link"]


# The built pages, as a reader meets them.

def _english_pages(site_dir: Path):
    pages = sorted((site_dir / "en").rglob("*.html"))
    assert len(pages) > 15, "the English site has too few pages"
    return pages


def _reader_text(html: str) -> tuple[str, list[str], list[str]]:
    """Visible text (without code), the reader-facing attributes, and the meta descriptions of a page."""
    soup = BeautifulSoup(html, "html.parser")
    descriptions = [m.get("content", "") for m in soup.find_all("meta")
                    if m.get("name") == "description" or m.get("property") == "og:description"]
    for tag in soup(LITERAL):
        tag.decompose()
    attrs = [el[a] for el in soup.find_all(True) for a in READER_ATTRS if isinstance(el.get(a), str)]
    return soup.get_text(" "), attrs, descriptions


def test_english_pages_use_en_dashes_curly_quotes_and_uk_spelling(site_dir):
    bad = []
    for page in _english_pages(site_dir):
        text, attrs, descriptions = _reader_text(page.read_text(encoding="utf-8"))
        for where, value in [("text", text)] + [("attribute", a) for a in attrs] + [("description", d) for d in descriptions]:
            rel = page.relative_to(site_dir).as_posix()
            bad += [(rel, where, m.group()) for m in HYPHEN_RANGE.finditer(value)]
            bad += [(rel, where, m.group()) for m in US_SPELLING.finditer(value)]
            if '"' in value:
                bad.append((rel, where, value[max(0, value.index('"') - 30):value.index('"') + 30]))
    assert bad == [], f"English typography or spelling on the built pages: {bad[:20]}"


def test_page_descriptions_do_not_repeat_themselves(site_dir):
    """The printable plan's description once read “Logistics Cluster Logistics Cluster Strategy …”."""
    repeated = re.compile(r"\b(\w+(?: \w+)*) \1\b")
    bad = []
    for page in _english_pages(site_dir) + sorted(site_dir.glob("*.html")):
        for description in _reader_text(page.read_text(encoding="utf-8"))[2]:
            match = repeated.search(description)
            if match and len(match.group(1)) > 3:
                bad.append((page.relative_to(site_dir).as_posix(), match.group()))
    assert bad == [], f"a meta description repeats words: {bad}"


def test_french_home_names_the_owners_in_how_to_read(site_dir):
    """« Activité (responsables, statut) », not the column heading « réalisé par » out of its context."""
    home = BeautifulSoup((site_dir / "index.html").read_text(encoding="utf-8"), "html.parser").get_text(" ")
    english = BeautifulSoup((site_dir / "en" / "index.html").read_text(encoding="utf-8"), "html.parser").get_text(" ")
    assert "(responsables, statut)" in home
    assert "réalisé par," not in home.lower()
    assert "(owners, status)" in english


def _plain_values_cut_by_a_comment(path: Path) -> list[str]:
    """Unquoted values followed on their line by ` #…`: YAML reads the rest as a comment, so the text is cut there."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found = []

    def walk(node):
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                walk(value)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                walk(item)
        elif isinstance(node, yaml.ScalarNode) and node.style is None and node.end_mark.line < len(lines):
            rest = lines[node.end_mark.line][node.end_mark.column:]
            if rest.lstrip().startswith("#"):
                found.append(f"{path.name}:{node.end_mark.line + 1}: {node.value!r} then {rest.strip()!r}")
    walk(yaml.compose(path.read_text(encoding="utf-8")))
    return found


@pytest.mark.parametrize("path", LABEL_FILES + MESSAGE_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_label_or_message_is_cut_short_by_a_hash(path):
    """`hxl_pillar_id: … hence #indicator)` showed "… hence" on the Downloads page: quote a value that holds ` #`."""
    assert _plain_values_cut_by_a_comment(path) == []


def test_footnote_back_links_speak_the_page_language(site_dir):
    """Python-Markdown titles every back-link "Jump back to footnote 1 in the text", French pages included."""
    seen = {"fr": 0, "en": 0}
    for page in sorted(site_dir.rglob("*.html")):
        rel = page.relative_to(site_dir).as_posix()
        if rel.startswith(("assets/", "revisions/", "en/revisions/")):
            continue
        lang = "en" if rel.startswith("en/") else "fr"
        for link in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select("a.footnote-backref"):
            seen[lang] += 1
            assert ("Jump back" in link["title"]) == (lang == "en"), (rel, link["title"])
    assert seen["fr"] and seen["en"], seen


# A link after a sentence is a sentence of its own (blind review 7, finding 1): "… published since. Owners" read
# as a stray word. Not counted: footnote back links and editor's note marks (signs), and links shown as their address.
SENTENCE_END = re.compile(r"[.!?…]\W*$")
SIGNS = ("footnote-backref", "sip-editor-note")


def _links_after_a_sentence(html: str):
    """(the sentence before, the text from the link to the end of its block) for each link that follows a sentence."""
    from bs4 import NavigableString
    article = BeautifulSoup(html, "html.parser").find("article")
    for link in article.find_all("a") if article else []:
        text = link.get_text(" ", strip=True)
        if set(link.get("class") or ()) & set(SIGNS) or not text or text.startswith(("http://", "https://", "mailto:")):
            continue
        before = link.previous_sibling
        while isinstance(before, NavigableString) and not before.strip():
            before = before.previous_sibling
        if before is None:
            continue
        said = before if isinstance(before, NavigableString) else before.get_text(" ")
        if not SENTENCE_END.search(said.strip()):
            continue
        after, node = [text], link.next_sibling
        while node is not None:
            after.append(node if isinstance(node, NavigableString) else node.get_text(" "))
            node = node.next_sibling
        yield " ".join(said.split())[-60:], " ".join(" ".join(after).split())


def test_a_link_after_a_sentence_reads_as_a_sentence(site_dir):
    bad, seen = [], 0
    for page in sorted(site_dir.rglob("*.html")):
        rel = page.relative_to(site_dir).as_posix()
        if rel.startswith(("assets/", "partials/")):
            continue
        for said, link in _links_after_a_sentence(page.read_text(encoding="utf-8")):
            seen += 1
            if not SENTENCE_END.search(link):
                bad.append(f"{rel}: “{said}” then the link “{link}”")
    assert seen >= 14, f"only {seen} links after a sentence: the owner reports' link to the Owners page was missed"
    assert not bad, "\n".join(bad)
