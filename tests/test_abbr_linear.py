"""The linear abbreviation pass (macros/views/abbr_linear.py) makes exactly the HTML of Python-Markdown's `abbr`."""
from __future__ import annotations

import random

import markdown
import pytest

from macros.data.model import LANGUAGES
from macros.views.pages import VIEWS, page_appendix
from macros.views.render import Page

OTHERS = ["admonition", "attr_list", "footnotes", "md_in_html", "tables", "toc", "pymdownx.details"]


def both(text: str) -> tuple[str, str]:
    theirs = markdown.Markdown(extensions=["abbr", *OTHERS]).convert(text)
    ours = markdown.Markdown(extensions=["macros.views.abbr_linear", *OTHERS]).convert(text)
    return theirs, ours


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_of_the_plan_gets_the_same_html(plan, lang):
    pages = {"render_home": (), "render_owner_index": (), "render_glossary": (), "render_annex": (),
             "render_printable_plan": (), **{f"render_pillar#{p.id}": (p.id,) for p in plan.pillars}}
    for name, args in pages.items():
        text = page_appendix(plan, lang, VIEWS[name.split("#")[0]](plan, Page(lang, "pillars/1.md"), *args))
        theirs, ours = both(text)
        assert "<abbr" in theirs or name != "render_printable_plan", "the plan's pages use abbreviations"
        assert ours == theirs, name


def test_random_documents_get_the_same_html():
    rng = random.Random(15)
    words = ["ABC", "LC", "GLC", "x", "*em*", "**b**", "`c`", "[l](u)", "ABC.", "(LC)", "<span>LC</span>", "\n"]
    for _ in range(400):
        body = " ".join(rng.choice(words) for _ in range(rng.randint(1, 40)))
        lists = "\n".join(f"- {rng.choice(words)} LC {rng.choice(words)}" for _ in range(rng.randint(0, 6)))
        text = f"{body}\n\n{lists}\n\n| a | b |\n|---|---|\n| ABC | LC x GLC |\n\n*[ABC]: alpha\n*[LC]: Logistics Cluster\n*[GLC]: \n"
        theirs, ours = both(text)
        assert ours == theirs, text
