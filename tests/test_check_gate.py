"""`make check` is the build's gate: whenever the build refuses a data file, `make check` refused it first, at a line.

A property test over the real plan: each mutation changes one bilingual text, in one language, in one way (a word
appended, emptied, upper-cased, brackets, a footnote or attribute list, a leading formula sign), on a seeded random
sample of fields. `make check` runs on each. The build runs on those `make check` accepts, since a data file
`make check` refuses already satisfies the property (the build validates with the same code and stops).

Building is the expensive part, and the only part of the build that data texts can break beyond validation is
MkDocs itself (strict: links, anchors, macros that raise). So the build here is what scripts/build.py runs for the
online site: one strict MkDocs process per language, side by side, without PDFs, zip or offline variant (derived
from the same pages). Accepted mutations are built in batches of several fields at once, each in its own field;
a batch that fails is built again one mutation at a time, so that every failure is attributed to one mutation.
"""
from __future__ import annotations

import contextlib
import io
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEED = 20231
SAMPLE = 36
BATCH = 12
MUTATIONS = {
    "append a word": lambda text: text + " supplémentaire",
    "empty": lambda text: "",
    "upper case": lambda text: text.upper(),
    "brackets": lambda text: f"[{text}] (voir) {{x}}",
    "footnote": lambda text: text + " [^nope]",
    "attribute list": lambda text: text + " {#a-1.1.1.1}",
    "formula": lambda text: "=" + text,
    "admonition": lambda text: "!!! danger\n" + text,
}
_AT_LINE = re.compile(r"^\S+:\d+:\d+: (?!warning:)", re.M)


def bilingual_fields(data, path=()):
    """(path, language) of every text of the plan that has both languages."""
    if isinstance(data, dict):
        if isinstance(data.get("fr"), str) and isinstance(data.get("en"), str):
            yield from ((path, lang) for lang in ("fr", "en"))
        for key, value in data.items():
            yield from bilingual_fields(value, path + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from bilingual_fields(value, path + (i,))


def mutated(raw, changes) -> dict:
    data = yaml.safe_load(raw)
    for (path, lang), name in changes:
        node = data
        for step in path:
            node = node[step]
        node[lang] = MUTATIONS[name](node[lang])
    return data


def write(folder: Path, data) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "sip.yaml"
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100_000), encoding="utf-8")
    # The lock comes along: a changed French then flags its English, and the Data quality page links to it.
    shutil.copyfile(ROOT / "data" / "translations.lock", folder / "translations.lock")
    return target


def check(path: Path) -> tuple[int, str]:
    """`make check` on `path`, in this process (the command's own main): (exit status, what it printed)."""
    from macros.data import check as command
    errors = io.StringIO()
    with contextlib.redirect_stderr(errors), contextlib.redirect_stdout(io.StringIO()):
        code = command.main([str(path)])
    return code, errors.getvalue()


def build(path: Path) -> tuple[bool, str]:
    """The online site's strict MkDocs builds, one process per language as scripts/build.py runs them."""
    with tempfile.TemporaryDirectory() as out:
        env = dict(os.environ, SIP_DATA=str(path), SIP_OFFLINE="false", NO_MKDOCS_2_WARNING="1")
        env.pop("SITE_URL", None)
        processes = [subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-d", f"{out}/{lang}"],
                                      cwd=ROOT, env=dict(env, SIP_LANGUAGE=lang), stdout=subprocess.PIPE,
                                      stderr=subprocess.STDOUT, text=True) for lang in ("fr", "en")]
        logs = [p.communicate(timeout=300)[0] for p in processes]
        return all(p.returncode == 0 for p in processes), "\n".join(logs)


@pytest.fixture(scope="module")
def raw() -> str:
    return (ROOT / "data" / "sip.yaml").read_text(encoding="utf-8")


def sample(raw: str) -> list:
    rng = random.Random(SEED)
    fields = list(bilingual_fields(yaml.safe_load(raw)))
    return [(field, rng.choice(sorted(MUTATIONS))) for field in rng.sample(fields, SAMPLE)]


def test_whenever_the_build_fails_make_check_failed_first_at_a_line(raw, tmp_path):
    # The reported case first: the French expansion of an acronym with no English abbreviation.
    reported = (("acronyms", next(i for i, a in enumerate(yaml.safe_load(raw)["acronyms"]) if a["id"] == "gsl-rome"),
                 "expansion"), "fr")
    mutations = [(reported, "append a word")] + sample(raw)
    accepted, refused = [], 0
    for number, change in enumerate(mutations):
        path = write(tmp_path / f"m{number}", mutated(raw, [change]))
        code, printed = check(path)
        if code == 0:
            accepted.append(change)
        else:
            refused += 1
            assert _AT_LINE.search(printed), (change, printed)  # refused at a line, never vaguely
    assert accepted and refused  # the sample exercises both sides
    failures = []
    batches = [accepted[:1]] + [accepted[i:i + BATCH] for i in range(1, len(accepted), BATCH)]
    for number, batch in enumerate(batches):
        fields = [field for field, _ in batch]
        assert len(set(fields)) == len(fields)
        ok, log = build(write(tmp_path / f"b{number}", mutated(raw, batch)))
        if ok:
            continue
        for single in batch:  # a failed batch: find which mutation the build refuses
            ok, log = build(write(tmp_path / f"s{number}", mutated(raw, [single])))
            if not ok:
                failures.append((single, log[-2000:]))
    assert not failures, f"make check accepted {len(failures)} mutation(s) that the build refuses: {failures}"


def test_make_check_refuses_a_link_the_build_would_not_resolve_at_the_elements_line(raw, tmp_path, monkeypatch):
    """The gate alone, without the data-quality page's fix: the old link to an English acronym row that does not
    exist is refused by make check at the acronym's line."""
    from macros.views import review
    monkeypatch.setattr(review, "_target", lambda field, plan=None, lang="": (
        "glossary.md#acronym-" + field.split("/")[1] if field.startswith("acronyms/") else None))
    data = yaml.safe_load(raw)
    index = next(i for i, a in enumerate(data["acronyms"]) if a["id"] == "gsl-rome")
    path = write(tmp_path, mutated(raw, [((("acronyms", index, "expansion"), "fr"), "append a word")]))
    code, printed = check(path)
    assert code == 1
    line = next(i for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text == "- id: gsl-rome")
    assert re.search(rf"^{re.escape(str(path))}:{line}:\d+: acronym gsl-rome: the English page data-quality.html links to "
                     r"glossary.html#acronym-gsl-rome, an anchor that page does not have in English", printed, re.M), printed


def test_the_gate_resolves_every_anchored_link_of_the_real_plan():
    from macros.data.load import load_plan
    from macros.views import references
    plan = load_plan(ROOT / "data" / "sip.yaml")
    sources = references.page_sources(plan)
    links = sum(len([m for m in references._LINK.findall(references.rendered(plan, lang, path, source)) if "#" in (m[0] or m[1])])
                for lang in ("fr", "en") for path, source in sources.items())
    assert links > 500 and len(sources) > 20
    assert references.unresolved(plan) == []
