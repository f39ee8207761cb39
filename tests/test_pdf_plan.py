"""The PDF reads as the plan (issue 22): a cover, running headers with the pillar, page numbers matching the page
labels, headings sized in the plan's order, no web page title, each activity's permanent address when the site's
address is known. Read with pypdf and poppler, in both languages, for a build without and with SITE_URL."""
from __future__ import annotations

import re
import subprocess

import pytest
from pypdf import PdfReader

from macros.data.model import as_of
from macros.labels import labels

LANGS = ("fr", "en")


def pdf_path(build, plan, lang):
    path = build.dist / f"sip-{plan.meta.version}-{lang}.pdf"
    assert path.is_file(), f"{path} was not printed"
    return path


def page_texts(path) -> list[str]:
    """Each page's text as poppler reads it (pdftotext -layout), NBSPs and narrow NBSPs as spaces."""
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [re.sub(r"[\u00a0\u202f]", " ", page) for page in out.split("\f")[:-1]]


def words(text: str) -> str:
    return " ".join(re.sub(r"[\u00a0\u202f]", " ", text).split())


@pytest.mark.parametrize("lang", LANGS)
def test_the_cover_names_the_plan_its_revision_organisation_date_of_statuses_and_build(any_build, plan, lang):
    cover = words(page_texts(pdf_path(any_build, plan, lang))[0])
    label = labels(lang)
    assert not cover.startswith(words(label["print"])), "the PDF starts with the web page's title"
    assert words(label["print"]) not in cover
    for text in (plan.meta.title(lang), plan.meta.organisation(lang)):
        assert words(text) in cover, f"the cover lacks {text!r}"
    assert words(plan.meta.revision(lang)).split("(")[0].strip() in cover
    months = label["months"]
    baseline = as_of(plan).baseline
    assert f"{months[int(baseline.split('-')[1]) - 1]} {baseline.split('-')[0]}" in cover, "no 'statuses as of'"
    assert re.search(r"\b20\d\d\b", cover.split(plan.meta.version)[-1]), "no build date after the version"
    if any_build.url:
        assert words(label["cover_no_links"]) not in cover
        assert any_build.url in cover
    else:
        assert words(label["cover_no_links"]) in cover, "the cover does not say that links are not available"


@pytest.mark.parametrize("lang", LANGS)
def test_page_numbers_and_running_headers_follow_the_pillars_and_match_the_page_labels(any_build, plan, lang):
    path = pdf_path(any_build, plan, lang)
    reader = PdfReader(path, strict=True)
    texts = page_texts(path)
    page_labels = reader.page_labels
    assert page_labels[0] == labels(lang)["pdf_cover_label"]
    assert page_labels[1:] == [str(n) for n in range(1, len(texts))]
    head = f"{plan.meta.short_title(lang)} {plan.meta.period_start}-{plan.meta.period_end}"
    assert head not in texts[0], "the cover carries a running header"
    pillar_pages = {}
    for index, text in enumerate(texts[1:], 1):
        lines = [line.strip() for line in text.strip("\n").splitlines() if line.strip()]
        assert lines[0].startswith(head + " · "), f"page {index + 1} has no running header: {lines[0]!r}"
        assert lines[-1] == page_labels[index], f"page {index + 1} prints {lines[-1]!r}, labelled {page_labels[index]!r}"
        for pillar in plan.pillars:
            if words(lines[0]).startswith(words(f"{head} · {labels(lang)['pillar']} {pillar.id}")):
                pillar_pages.setdefault(pillar.id, []).append(index)
    # Every pillar heads the pages where its activities are printed, and only those.
    for pillar in plan.pillars:
        assert pillar.id in pillar_pages, f"no page is headed with pillar {pillar.id}"
        for activity in pillar.activities:
            where = [i for i, text in enumerate(texts)
                     if re.search(rf"{re.escape(labels(lang)['activity'])} {re.escape(activity.id)}\s*$", text, re.M)]
            assert where and where[0] in pillar_pages[pillar.id], f"activity {activity.id} is not under its pillar's header"
    bare = [str(o.title) for o in reader.outline if not isinstance(o, list)]
    assert all("  " not in t for t in bare)


@pytest.mark.parametrize("lang", LANGS)
def test_headings_are_sized_pillar_outcome_output_activity_in_that_order(any_build, plan, lang):
    """The font size of each level's heading line, read from poppler's bounding boxes: strictly decreasing."""
    path = pdf_path(any_build, plan, lang)
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    # Words below the running header's band (it names the pillar too, in small print).
    boxes = [(float(y0), float(y1), word) for y0, y1, word in
             re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', html)
             if float(y0) > 40]
    label = labels(lang)
    pillar, outcome = plan.pillars[0], plan.pillars[0].outcomes[0]
    output, activity = outcome.outputs[0], outcome.outputs[0].activities[0]

    def height(word: str, number: str) -> float:
        for (a0, a1, w1), (_, _, w2) in zip(boxes, boxes[1:]):
            if w1 == word and w2.startswith(number) and w2.rstrip(":\u00a0") == number:
                return a1 - a0
        pytest.fail(f"no heading '{word} {number}' in the {lang} PDF")

    sizes = [height(label["pillar"], pillar.id), height(label["outcome"], outcome.id),
             height(label["output"], output.id), height(label["activity"], activity.id)]
    assert sizes == sorted(sizes, reverse=True) and len(set(sizes)) == 4, f"heading heights {sizes}"


@pytest.mark.parametrize("lang", LANGS)
def test_each_activity_prints_its_permanent_address_when_the_site_has_one(any_build, plan, lang):
    text = "".join(page_texts(pdf_path(any_build, plan, lang)))
    flat = re.sub(r"\s+", "", text)
    prefix = any_build.url + ("" if lang == "fr" else f"{lang}/")
    for activity in plan.activities:
        address = f"{prefix}pillars/{activity.pillar_id}.html#{activity.anchor}"
        if any_build.url:
            assert address in flat, f"activity {activity.id}: no permanent address {address}"
    if not any_build.url:
        assert words(labels(lang)["permanent_address"]) not in words(text)


@pytest.mark.parametrize("lang", LANGS)
def test_outcome_and_output_texts_print_in_full_contrast(any_build, plan, lang):
    """Every glyph of the pillar pages is drawn black (the theme's light grey is for the screen)."""
    path = pdf_path(any_build, plan, lang)
    reader = PdfReader(path)
    texts = page_texts(path)
    first = next(i for i, t in enumerate(texts) if words(plan.pillars[0].outcomes[0].text(lang))[:40] in words(t))
    content = reader.pages[first].get_contents().get_data().decode("latin-1")
    greys = [m for m in re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) rg", content) if len(set(m)) == 1 and 0.05 < float(m[0]) < 0.9]
    assert not greys, f"text or fills in grey on page {first + 1}: {greys[:3]}"


@pytest.mark.parametrize("lang", LANGS)
def test_the_cover_says_both_the_baseline_and_the_latest_report_when_they_differ(lang):
    """as_of(): the plan's baseline and the latest period reported (the progress fixture has three quarters)."""
    from pathlib import Path

    import yaml

    from macros.data.load import load_plan
    from macros.views.pillars import render_printable_plan
    from macros.views.render import Page

    fixture = Path(__file__).parent / "fixtures" / "plans" / "progress.yaml"
    raw = yaml.safe_load(fixture.read_text(encoding="utf-8"))
    reported = {u["period"] for p in raw["pillars"] for oc in p["outcomes"] for op in oc["outputs"]
                for a in op["activities"] for u in a.get("updates", [])}
    latest = max(reported)
    plan = load_plan(fixture)
    assert as_of(plan).latest == latest and as_of(plan).baseline == raw["meta"]["status_as_of"]
    cover = render_printable_plan(plan, Page(lang, "print.md", "https://example.org/sip/")).split("</div>")[0]
    assert latest in cover
    year, month = raw["meta"]["status_as_of"].split("-")[:2]
    assert f"{labels(lang)['months'][int(month) - 1]} {year}" in cover
    assert "https://example.org/sip/" in cover and labels(lang)["cover_no_links"] not in cover
