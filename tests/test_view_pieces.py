"""The views' once-per-build pieces (escaped texts, status badges, links, per-plan tables) change no byte of any page:
every page of both languages, rendered with them and with each piece worked out afresh at every use, is the same."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import jinja2
import pytest

from macros.data import stats
from macros.data.load import validate
from macros.data.model import LANGUAGES, Plan
from macros.revisions import anchors
from macros.views import dashboard, owners, pillars, render
from macros.views.pages import VIEWS, page_appendix
from macros.views.render import Page

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "overrides" / "hooks"))
sys.path.insert(0, str(ROOT / "scripts"))
from report_pages import stubs  # noqa: E402
import synthetic_plan  # noqa: E402

_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)


def every_page(plan) -> dict[str, str]:
    """(language, docs path) -> the page's Markdown, as mkdocs-macros makes it, for every page of the site."""
    out = {}
    for lang in LANGUAGES:
        sources = {src.relative_to(ROOT / "docs" / lang).as_posix(): src.read_text(encoding="utf-8")
                   for src in sorted((ROOT / "docs" / lang).rglob("*.md"))}
        sources.update(stubs(plan))
        for path, text in sources.items():
            page = Page(lang, path)
            macros = {name: (lambda *args, _view=view, _page=page: _view(plan, _page, *args)) for name, view in VIEWS.items()}
            body = text[_FRONT_MATTER.match(text).end():] if _FRONT_MATTER.match(text) else text
            out[f"{lang}/{path}"] = page_appendix(plan, lang, jinja2.Environment().from_string(body).render(**macros))
    return out


def afresh(monkeypatch) -> None:
    """Every once-per-build piece replaced by the function it caches, so each use works it out again."""
    for module, name in ((render, "escaped_text"), (render, "escaped_plain"), (render, "status_badge"),
                         (render, "_link"), (render, "trusted_labels"), (stats, "owner_index"),
                         (owners, "owner_index"), (dashboard, "owner_index"), (anchors, "landings"),
                         (anchors, "moved_away"), (pillars, "moved_away")):
        function = getattr(module, name)
        assert hasattr(function, "__wrapped__"), f"{module.__name__}.{name} is no cached piece any more"
        monkeypatch.setattr(module, name, function.__wrapped__)
    # The editor's notes grouped once per plan: looked up by scanning them all instead.
    monkeypatch.setattr(Plan, "notes_about", lambda self, about: tuple(n for n in self.editor_notes if n.about == about))


@pytest.fixture(scope="module")
def plans(tmp_path_factory):
    path = tmp_path_factory.mktemp("plans") / "plan-300.yaml"
    path.write_text(synthetic_plan.dump(synthetic_plan.synthetic_plan(300)), encoding="utf-8")
    found = {"real": validate(ROOT / "data" / "sip.yaml")[0], "synthetic 300": validate(path)[0]}
    assert all(found.values())
    return found


@pytest.mark.parametrize("name", ["real", "synthetic 300"])
def test_the_pieces_rendered_once_change_no_byte_of_any_page(plans, name, monkeypatch):
    plan = plans[name]
    with_pieces = every_page(plan)
    afresh(monkeypatch)
    assert with_pieces == every_page(plan)
    assert len(with_pieces) > 40 and sum(len(page) for page in with_pieces.values()) > 100_000
