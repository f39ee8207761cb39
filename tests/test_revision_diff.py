"""The diff engine on small synthetic plans: each kind of change found alone, nothing when nothing changed."""
from __future__ import annotations

import copy
import random
from pathlib import Path

import pytest
import yaml

from macros.data.load import build_plan
from macros.revisions.diff import diff_plans
from macros.revisions.words import DELETED, INSERTED, SAME, diff_words

ROOT = Path(__file__).resolve().parent.parent
BASE = yaml.safe_load((ROOT / "tests" / "fixtures" / "plans" / "minimal.yaml").read_text(encoding="utf-8"))


def plan_of(data: dict):
    return build_plan(data)


def edited(edit) -> dict:
    data = copy.deepcopy(BASE)
    edit(data)
    return data


def activities(data: dict) -> dict:
    return {a["id"]: a for p in data["pillars"] for oc in p["outcomes"] for op in oc["outputs"] for a in op["activities"]}


def output(data: dict, output_id: str) -> dict:
    return next(op for p in data["pillars"] for oc in p["outcomes"] for op in oc["outputs"] if op["id"] == output_id)


def summary(changes) -> dict:
    """Each non-empty section as plain tuples, to compare with a list written by hand."""
    out = {}
    for name, items in (("added", [(c.ref.kind, c.ref.id) for c in changes.added]),
                        ("retired", [(c.ref.kind, c.ref.id) for c in changes.retired]),
                        ("renumbered", [(c.old.kind, c.old.id, c.new.id) for c in changes.renumbered]),
                        ("moved", [(c.ref.id, c.old_parent.id, c.new_parent.id) for c in changes.moved]),
                        ("reworded", [(c.ref.kind, c.ref.id, c.field) for c in changes.reworded]),
                        ("owners", [(c.ref.id, [r.owner.id for r in c.added], [r.owner.id for r in c.removed],
                                     [r.owner.id for r in c.roles]) for c in changes.owners]),
                        ("statuses", [(c.ref.id, c.old.id, c.new.id) for c in changes.statuses]),
                        ("glossary", [(c.kind, c.id, c.change, c.field) for c in changes.glossary]),
                        ("annex", [(c.item, c.change, c.number) for c in changes.annex])):
        if items:
            out[name] = items
    return out


def test_nothing_changed_is_empty():
    changes = diff_plans(plan_of(BASE), plan_of(copy.deepcopy(BASE)))
    assert changes.empty and summary(changes) == {} and set(changes.counts.values()) == {0}


def test_a_reflowed_text_is_not_a_rewording():
    def reflow(data):
        activities(data)["1.1.1.1"]["text"]["fr"] = "Créer des supports\nde   sensibilisation. "
    assert diff_plans(plan_of(BASE), plan_of(edited(reflow))).empty


def test_renumbered_and_reworded_in_one_element():
    def edit(data):
        activity = activities(data)["1.1.1.2"]
        activity["id"], activity["former_ids"] = "1.1.1.9", ["1.1.1.2"]
        activity["text"] = {"fr": "Organiser des réunions régulières et y participer.",
                            "en": "Organise and take part in meetings."}
    changes = diff_plans(plan_of(BASE), plan_of(edited(edit)))
    assert summary(changes) == {"renumbered": [("activity", "1.1.1.2", "1.1.1.9")],
                                "reworded": [("activity", "1.1.1.9", "text")]}
    words = changes.reworded[0].words
    assert [(r.op, r.text) for r in words.fr if r.op != SAME] == [(INSERTED, " régulières")]
    assert [(r.op, r.text) for r in words.en if r.op != SAME] == [(DELETED, "participate"), (INSERTED, "take part")]
    assert words.old("en") == "Organise and participate in meetings." and words.new("en") == "Organise and take part in meetings."


def test_a_move_to_another_output_keeps_the_id():
    def edit(data):
        moving = output(data, "1.1.1")["activities"].pop(1)
        output(data, "2.1.1")["activities"].append(moving)
    changes = diff_plans(plan_of(BASE), plan_of(edited(edit)))
    assert summary(changes) == {"moved": [("1.1.1.2", "1.1.1", "2.1.1")]}
    assert changes.moved[0].ref.pillar_id == "2" and changes.moved[0].old_parent.kind == "output"


def test_under_a_renumbered_output_nothing_moves():
    def edit(data):
        op = output(data, "2.1.1")
        op["id"], op["former_ids"] = "2.1.2", ["2.1.1"]
    changes = diff_plans(plan_of(BASE), plan_of(edited(edit)))
    assert summary(changes) == {"renumbered": [("output", "2.1.1", "2.1.2")]}


def test_added_and_retired_with_its_note():
    def edit(data):
        acts = output(data, "2.1.1")["activities"]
        acts.pop(1)
        acts.append({"id": "2.1.1.3", "text": {"fr": "Nouvelle activité.", "en": "New activity."},
                     "owners": ["glc"], "status": "not_reported"})
        data["retired"] = [{"id": "2.1.1.2", "pillar": "2", "note": {"fr": "Fusionnée.", "en": "Merged."}}]
    changes = diff_plans(plan_of(BASE), plan_of(edited(edit)))
    assert summary(changes) == {"added": [("activity", "2.1.1.3")], "retired": [("activity", "2.1.1.2")]}
    assert changes.retired[0].note.en == "Merged." and changes.retired[0].note_pillar == "2"
    assert changes.added[0].parent.id == "2.1.1"


def test_two_activities_merged_into_one():
    def edit(data):
        acts = output(data, "2.1.1")["activities"]
        acts.pop(1)
        acts[0]["former_ids"] = ["2.1.1.2"]
    changes = diff_plans(plan_of(BASE), plan_of(edited(edit)))
    assert summary(changes) == {"renumbered": [("activity", "2.1.1.2", "2.1.1.1")]}


def test_owners_roles_and_baseline_status():
    def edit(data):
        activity = activities(data)["1.1.1.2"]
        activity["owners"] = [{"id": "rome-team", "role": {"fr": "pilote", "en": "leads"}}]  # glc removed
        activity["status"] = "completed"
        activities(data)["1.1.1.1"]["owners"] = ["glc"]
    changes = diff_plans(plan_of(BASE), plan_of(edited(edit)))
    assert summary(changes) == {"owners": [("1.1.1.1", ["glc"], [], []), ("1.1.1.2", [], ["glc"], ["rome-team"])],
                                "statuses": [("1.1.1.2", "not_reported", "completed")]}


def test_glossary_and_annex_changes():
    def edit(data):
        data["glossary"]["entries"][0]["definition"]["en"] = "based at WFP headquarters, Rome."
        data["acronyms"].append({"id": "wfp", "abbr": {"fr": ["PAM"], "en": ["WFP"]},
                                 "expansion": {"fr": "Programme alimentaire mondial", "en": "World Food Programme"}})
        data["annex"]["commitments"][1]["text"]["fr"] = "Intégrer la protection dans tous les programmes."
        data["annex"]["commitments"].append({"number": 3, "text": {"fr": "Trois.", "en": "Three."}})
        data["annex"]["intro"]["en"] = "Without commitment, coordination cannot be achieved."
    changes = diff_plans(plan_of(BASE), plan_of(edited(edit)))
    assert summary(changes) == {"glossary": [("term", "gsl-rome", "reworded", "definition"), ("acronym", "wfp", "added", "")],
                                "annex": [("intro", "reworded", None), ("commitment", "reworded", 2),
                                          ("commitment", "added", 3)]}
    assert not changes.glossary[0].words.changed("fr") and changes.glossary[0].words.changed("en")


def test_a_pillar_title_reworded_and_markdown_compared_on_its_words():
    def edit(data):
        data["pillars"][0]["title"]["en"] = "Partnership Base and Network"
        # Emphasis removed only: the words read the same, the text still changed.
        activities(data)["2.1.1.1"]["text"]["en"] = "Disseminate the Minimum Commitments[^reference-module] to partners."
    changes = diff_plans(plan_of(BASE), plan_of(edited(edit)))
    assert summary(changes) == {"reworded": [("pillar", "1", "title"), ("activity", "2.1.1.1", "text")]}
    assert changes.reworded[1].formatting_only and not changes.reworded[0].formatting_only
    # Markdown is compared on plain words: no asterisk or footnote reference in the runs.
    assert "*" not in "".join(r.text for r in changes.reworded[1].words.en)


def test_word_runs_rebuild_both_texts():
    random.seed(20)
    vocabulary = "le la les de l’eau mise-en-œuvre , ; . : « » données plan a b".split()
    for _ in range(3000):
        old = " ".join(random.choice(vocabulary) for _ in range(random.randint(0, 15)))
        new = " ".join(random.choice(vocabulary) for _ in range(random.randint(0, 15)))
        runs = diff_words(old, new)
        assert "".join(r.text for r in runs if r.op != INSERTED) == old
        assert "".join(r.text for r in runs if r.op != DELETED) == new
        assert all(r.text for r in runs) and all(a.op != b.op for a, b in zip(runs, runs[1:]))


@pytest.mark.parametrize("old, new, expected", [
    ("rentable et basé", "rentable, accessible et basé", [(INSERTED, ", accessible")]),
    ("a b c d", "a x y d", [(DELETED, "b c"), (INSERTED, "x y")]),
    ("same words", "same words", []),
])
def test_word_diff_marks_words_not_characters(old, new, expected):
    assert [(r.op, r.text) for r in diff_words(old, new) if r.op != SAME] == expected


def test_which_revisions_have_a_changes_page(tmp_path):
    """The current revision against the newest frozen one, and each frozen one against its predecessor; none for
    the current revision right after it was frozen (same version)."""
    from macros.data.load import load_plan
    from macros.revisions.history import all_changes, change_versions

    fixture = ROOT / "tests" / "fixtures" / "revisions" / "data"
    (tmp_path / "revisions").mkdir()
    for name in ("2023-11.yaml",):
        (tmp_path / "revisions" / name).write_bytes((fixture / "revisions" / name).read_bytes())
    draft = (fixture / "sip.yaml").read_text(encoding="utf-8")
    (tmp_path / "revisions" / "2025-06.yaml").write_text(draft, encoding="utf-8")
    current = tmp_path / "sip.yaml"
    current.write_text(draft.replace('version: "2025-06"', 'version: "2026-01"', 1)
                       .replace("Maintenir une plateforme commune", "Maintenir la plateforme commune", 1), encoding="utf-8")
    plan = load_plan(current)
    assert change_versions(plan, current) == ["2026-01", "2025-06"]
    newest, older = all_changes(plan, current)
    assert (newest.old_version, newest.new_version, older.old_version, older.new_version) == ("2025-06", "2026-01", "2023-11", "2025-06")
    assert summary(newest) == {"reworded": [("activity", "3.1.1.2", "text")]}
    assert older.counts["renumbered"] == 9
    # Right after freezing 2026-01: the current revision is the frozen one, which has the page.
    (tmp_path / "revisions" / "2026-01.yaml").write_bytes(current.read_bytes())
    assert change_versions(plan, current) == ["2026-01", "2025-06"]
    assert [c.new_version for c in all_changes(plan, current)] == ["2026-01", "2025-06"]
    # A plan with no frozen revision has no changes page.
    lone = tmp_path / "lone" / "sip.yaml"
    lone.parent.mkdir()
    lone.write_bytes(current.read_bytes())
    assert change_versions(load_plan(lone), lone) == [] and all_changes(load_plan(lone), lone) == []


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_kind_of_change_renders_with_its_anchor(lang):
    """The changes template on a pair of plans holding every kind of change (the fixture has only some)."""
    import markdown
    from bs4 import BeautifulSoup

    from macros.views.changes import change_lines, render_changes
    from macros.views.render import Page

    def edit(data):
        acts = activities(data)
        acts["1.1.1.2"]["owners"] = [{"id": "rome-team", "role": {"fr": "pilote", "en": "leads"}}]
        acts["1.1.1.2"]["status"] = "completed"
        acts["2.1.1.1"]["text"]["en"] = "Disseminate the Minimum Commitments[^reference-module] to partners."
        moving = output(data, "2.1.1")["activities"].pop(1)
        output(data, "1.1.1")["activities"].append(moving)
        data["pillars"][1]["goal"]["fr"] = "Les bonnes pratiques sont définies, publiées et diffusées."
        data["glossary"]["entries"][0]["definition"]["en"] = "based at WFP headquarters, Rome."
        data["acronyms"].append({"id": "wfp", "abbr": {"fr": ["PAM"], "en": ["WFP"]},
                                 "expansion": {"fr": "Programme alimentaire mondial", "en": "World Food Programme"}})
        data["annex"]["commitments"].pop(0)
        data["annex"]["commitments"][0]["text"]["fr"] = "Intégrer la protection dans tous les programmes."
        data["annex"]["lead_in"]["en"] = "The commitments are:"
    new = plan_of(edited(edit))
    changes = diff_plans(plan_of(BASE), new)
    assert {name for name, count in changes.counts.items() if count} == {"moved", "reworded", "owners", "statuses",
                                                                        "glossary", "annex"}
    page = render_changes(new, Page(lang, "changes/2024-01.md"), changes, "downloads/changes-2024-01.json",
                          "downloads/changes.schema.json")
    html = markdown.markdown(page, extensions=["attr_list", "md_in_html", "tables"])
    soup = BeautifulSoup(html, "html.parser")
    anchors = [anchor for _, lines in change_lines(changes) for anchor, _, _ in lines]
    assert len(anchors) == sum(changes.counts.values()) == len(set(anchors))
    for anchor in anchors:
        assert soup.find(id=anchor) is not None, anchor
    assert soup.find(id="change-moved-a-2.1.1.2") and soup.find(id="change-reworded-pillar-2-goal")
    assert soup.find(id="change-annex-commitment-1") and soup.find(id="change-glossary-acronym-wfp")
    assert soup.find(id="change-glossary-term-gsl-rome-definition")
    owners = soup.find(id="change-owners-a-1.1.1.2").get_text(" ")
    names = {o["id"]: o["name"][lang] for o in BASE["owners"]}
    removed_label = {"fr": "retrait", "en": "removed"}[lang]
    assert owners.index(removed_label) < owners.index(names["glc"])  # glc removed
    assert ("pilote" if lang == "fr" else "leads") in owners and ("organise" if lang == "fr" else "organises") in owners
    # The emphasis-only change says so instead of an empty difference.
    formatting = soup.find(id="change-reworded-a-2.1.1.1")
    assert not formatting.find(["del", "ins"]) and formatting.get_text(strip=True)
