"""Frozen revisions as data: `make revision-freeze` round trip in a copy of data/, and `make check` refusing every
tampered frozen revision with its file and line."""
from __future__ import annotations

import datetime
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from macros.revisions.check import check_revisions
from macros.revisions.freeze import Refused, freeze
from macros.revisions.index import read_index
from macros.revisions.store import fingerprint, frozen_revisions

ROOT = Path(__file__).resolve().parents[1]
VERSION = "2023-11"  # meta.version of data/sip.yaml


@pytest.fixture
def project(tmp_path):
    """A copy of data/ and of the committed permalink manifests, in a temporary folder."""
    shutil.copytree(ROOT / "data", tmp_path / "data", ignore=shutil.ignore_patterns("revisions"))
    shutil.copytree(ROOT / "tests" / "permalinks", tmp_path / "permalinks")
    return tmp_path


def run(module: str, project: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, SIP_DATA=str(project / "data" / "sip.yaml"), NO_MKDOCS_2_WARNING="1")
    return subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, env=env, capture_output=True, text=True)


def frozen(project: Path) -> Path:
    result = run("macros.revisions.freeze", project, "--manifests", str(project / "permalinks"))
    assert result.returncode == 0, result.stderr
    return project / "data" / "revisions" / f"{VERSION}.yaml"


def entry_line(index: Path, version: str) -> int:
    return index.read_text(encoding="utf-8").splitlines().index(f'- version: "{version}"') + 1


def check(project: Path) -> subprocess.CompletedProcess:
    return run("macros.data.check", project)


def test_freeze_copies_the_revision_byte_for_byte_and_records_its_fingerprint_and_manifest(project):
    data = project / "data"
    before = {p.name: p.read_bytes() for p in data.iterdir() if p.is_file()}
    target = frozen(project)
    assert target.read_bytes() == (data / "sip.yaml").read_bytes()
    # bumps nothing else: every file of data/ is as it was
    assert {p.name: p.read_bytes() for p in data.iterdir() if p.is_file()} == before
    entries, problems = read_index(data / "revisions" / "index.yaml")
    assert problems == [] and [e.version for e in entries] == [VERSION]
    assert entries[0].sha256 == fingerprint(target)
    assert entries[0].frozen_on == datetime.date.today().isoformat()
    manifest = Path(entries[0].manifest)
    assert manifest == project / "permalinks" / f"{VERSION}.json" and entries[0].manifest_sha256 == fingerprint(manifest)
    committed = json.loads((ROOT / "tests" / "permalinks" / f"{VERSION}.json").read_text(encoding="utf-8"))
    assert set(committed["urls"]) <= set(json.loads(manifest.read_text(encoding="utf-8"))["urls"])
    assert [r.version for r in frozen_revisions(data / "sip.yaml")] == [VERSION]  # the index is not a revision
    result = check(project)
    assert result.returncode == 0, result.stderr
    assert f"frozen revisions: OK: {VERSION}" in result.stdout
    # the current revision still carries the frozen version: a warning says to move on
    assert f"warning: meta.version: revision {VERSION} is already frozen" in result.stderr
    assert not list((data / "revisions").glob(".*.tmp")) and not list(project.glob("permalinks/.*.tmp"))


def test_a_second_freeze_of_the_same_version_is_refused_in_one_line(project):
    frozen(project)
    index = (project / "data" / "revisions" / "index.yaml").read_bytes()
    result = run("macros.revisions.freeze", project, "--manifests", str(project / "permalinks"))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"revision {VERSION} is already frozen" in lines[0], result.stderr
    assert (project / "data" / "revisions" / "index.yaml").read_bytes() == index
    assert run("macros.revisions.freeze", project, "--dry-run").returncode == 1


def test_data_that_does_not_validate_is_not_frozen(project):
    data = project / "data" / "sip.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace("status: completed", "status: complete", 1), encoding="utf-8")
    for args in (("--dry-run",), ("--manifests", str(project / "permalinks"))):
        result = run("macros.revisions.freeze", project, *args)
        assert result.returncode == 1 and len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert "does not validate" in result.stderr
    assert not (project / "data" / "revisions").exists()


def test_a_manifest_of_another_version_or_missing_links_is_refused(project, tmp_path_factory):
    other = tmp_path_factory.mktemp("site") / "permalinks.json"
    other.write_text(json.dumps({"version": "2021-01", "urls": []}), encoding="utf-8")
    with pytest.raises(Refused, match="manifest of revision '2021-01'"):
        freeze(project / "data" / "sip.yaml", other, project / "permalinks")
    other.write_text(json.dumps({"version": VERSION, "urls": ["index.html"]}), encoding="utf-8")
    with pytest.raises(Refused, match="no longer serves"):
        freeze(project / "data" / "sip.yaml", other, project / "permalinks")
    (project / "permalinks" / f"{VERSION}.json").unlink()
    with pytest.raises(Refused, match="no permalink manifest"):
        freeze(project / "data" / "sip.yaml", None, project / "permalinks")
    assert not (project / "data" / "revisions").exists()


def test_a_built_manifest_adds_the_links_published_since_the_committed_one(project, tmp_path_factory):
    committed = json.loads((project / "permalinks" / f"{VERSION}.json").read_text(encoding="utf-8"))["urls"]
    built = tmp_path_factory.mktemp("site") / "permalinks.json"
    built.write_text(json.dumps({"version": VERSION, "urls": committed + ["reports/2024-Q2.html"]}), encoding="utf-8")
    result = freeze(project / "data" / "sip.yaml", built, project / "permalinks", datetime.date(2025, 1, 2))
    urls = json.loads(result.manifest.read_text(encoding="utf-8"))["urls"]
    assert "reports/2024-Q2.html" in urls and set(committed) < set(urls)
    assert read_index(result.index)[0][0].frozen_on == "2025-01-02"


def refused(project: Path, *expected: str) -> str:
    result = check(project)
    assert result.returncode == 1, result.stdout + result.stderr
    for text in expected:
        assert text in result.stderr, result.stderr
    return result.stderr


def test_check_refuses_a_frozen_file_whose_bytes_changed(project):
    target = frozen(project)
    index = target.parent / "index.yaml"
    # one character, at the end: still valid YAML and a valid plan
    target.write_bytes(target.read_bytes() + b"\n")
    refused(project, f"{target}:1:1: frozen revision {VERSION}: the file changed since it was frozen",
            f"{index}:{entry_line(index, VERSION)}", f"git checkout -- {target}")


def test_check_refuses_a_frozen_file_not_in_the_index(project):
    target = frozen(project)
    stray = target.parent / "2024-06.yaml"
    stray.write_text(target.read_text(encoding="utf-8").replace(f'version: "{VERSION}"', 'version: "2024-06"'),
                     encoding="utf-8")
    refused(project, f"{stray}:1:1: frozen revision 2024-06: unknown frozen revision: it is not in {target.parent / 'index.yaml'}",
            "make revision-freeze")
    (target.parent / "index.yaml").unlink()
    refused(project, f"{target}:1:1: frozen revision {VERSION}: unknown frozen revision", "does not exist")


def test_check_refuses_an_index_entry_without_its_file(project):
    target = frozen(project)
    index = target.parent / "index.yaml"
    line = entry_line(index, VERSION)
    target.unlink()
    refused(project, f"{index}:{line}:1: revision {VERSION}: no file {target} for this entry")


def test_check_refuses_a_changed_or_missing_manifest(project):
    target = frozen(project)
    index = target.parent / "index.yaml"
    manifest = project / "permalinks" / f"{VERSION}.json"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace('"index.html",\n', ""), encoding="utf-8")
    refused(project, f"{manifest}:1:1: permalink manifest of revision {VERSION}: the file changed",
            f"{index}:{entry_line(index, VERSION)}")
    manifest.unlink()
    refused(project, f"{index}:{entry_line(index, VERSION)}:1: revision {VERSION}: its permalink manifest", "is missing")


def refreeze(target: Path, text: str) -> None:
    """Rewrite a frozen file and its fingerprint, as a schema change would find an old file."""
    target.write_text(text, encoding="utf-8")
    index = target.parent / "index.yaml"
    entries, _ = read_index(index)
    index.write_text(index.read_text(encoding="utf-8").replace(entries[0].sha256, fingerprint(target)), encoding="utf-8")


def test_a_frozen_file_is_validated_with_todays_schema(project):
    target = frozen(project)
    text = target.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    line = next(i for i, ln in enumerate(lines, 1) if ln.strip() == "state: draft")
    lines[line - 1] = lines[line - 1].replace("draft", "adopted")
    refreeze(target, "".join(lines))
    stderr = refused(project, f"{target}:{line}:")
    assert "'adopted' is not allowed for 'meta.state'" in stderr
    # a frozen file's warnings (its numbering, kept as published) are counted, not listed
    refreeze(target, text)
    result = check(project)
    assert result.returncode == 0 and str(target) not in result.stderr
    assert re.search(r"; (1 warning about a frozen text|\d+ warnings about frozen texts) not shown\.", result.stdout), result.stdout
    assert "(1 warnings" not in result.stdout


def test_a_frozen_file_named_for_another_version_is_refused(project):
    target = frozen(project)
    text = target.read_text(encoding="utf-8")
    refreeze(target, text.replace(f'version: "{VERSION}"', 'version: "2023-10"'))
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if ln.strip() == f'version: "{VERSION}"')
    refused(project, f"{target}:{line}:", "meta.version is '2023-10', not the file's name '2023-11'")


def test_the_current_revision_cannot_be_older_than_a_frozen_one(project):
    frozen(project)
    data = project / "data" / "sip.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace(f'version: "{VERSION}"', 'version: "2022-01"'), encoding="utf-8")
    refused(project, "the current revision 2022-01 is older than the frozen revision 2023-11")


@pytest.mark.parametrize("text, wrong", [
    ("revisions:\n- version: 2023.11\n  sha256: abc\n", "index.yaml:2:12: 'version' has an invalid value"),
    ('revisions:\n- version: "2023-11"\n', "the entry has no 'sha256'"),
    ('revisions:\n- {version: "2023-11", sha256: "' + "0" * 64 + '", by: me}\n', "unknown key 'by'"),
    ("revisions: {}\n", "one key, 'revisions'"),
    ("revisions:\n  - [\n", "index.yaml:"),
])
def test_a_broken_index_is_refused_with_its_line(project, text, wrong):
    folder = project / "data" / "revisions"
    folder.mkdir()
    (folder / "index.yaml").write_text(text, encoding="utf-8")
    report = check_revisions(project / "data" / "sip.yaml")
    assert report.errors and any(wrong in p.format() for p in report.errors), [p.format() for p in report.problems]
    with pytest.raises(Refused):
        freeze(project / "data" / "sip.yaml", None, project / "permalinks")


def test_the_real_data_has_no_frozen_revision_yet_and_checks_clean():
    report = check_revisions(ROOT / "data" / "sip.yaml", VERSION)
    assert report.problems == [] and report.plans == {}


def test_a_build_stops_on_a_tampered_frozen_revision_naming_it(project):
    target = frozen(project)
    target.write_bytes(target.read_bytes() + b"# edited\n")
    env = dict(os.environ, SIP_DATA=str(project / "data" / "sip.yaml"), NO_MKDOCS_2_WARNING="1", SIP_OFFLINE="false")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(project / "site")], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode != 0
    assert f"{target}:1:1: frozen revision {VERSION}: the file changed since it was frozen" in result.stdout + result.stderr


APPROVAL = '  state: approved\n  approved_on: "2024-03-01"\n  approved_by:\n    fr: Groupe consultatif stratégique (SAG)\n' \
           '    en: Strategic Advisory Group (SAG)\n'


def set_meta(data: Path, version: str, state_lines: str) -> None:
    text = data.read_text(encoding="utf-8")
    text = text.replace(next(ln for ln in text.splitlines(keepends=True) if ln.startswith("  version: ")),
                        f'  version: "{version}"\n')
    start = text.index("  state: ")
    end = text.index("\n", start) + 1
    while text[end:].startswith("  approved_") or text[end:].startswith("    "):
        end = text.index("\n", end) + 1
    data.write_text(text[:start] + state_lines + text[end:], encoding="utf-8")


@pytest.mark.parametrize("current_state, frozen_state", [
    ("  state: draft\n", "approved"),        # the approved text stays in force while its successor is a draft
    (APPROVAL, "superseded"),                # until the successor is approved
])
def test_a_frozen_approved_revision_is_in_force_until_its_successor_is_approved(project, current_state, frozen_state):
    from macros.data.load import load_plan
    from macros.revisions.listing import revision_history

    data = project / "data" / "sip.yaml"
    set_meta(data, VERSION, APPROVAL)
    frozen(project)
    set_meta(data, "2025-06", current_state)
    rows = revision_history(load_plan(data), data)
    assert [(r.version, r.current, r.predecessor) for r in rows] == [("2025-06", True, VERSION), (VERSION, False, None)]
    assert rows[1].state == frozen_state and rows[1].meta.approved_by.en == "Strategic Advisory Group (SAG)"
    assert rows[0].state == current_state.split()[1]


def test_adopt_records_a_frozen_file_written_before_the_index(project):
    folder = project / "data" / "revisions"
    folder.mkdir()
    shutil.copyfile(project / "data" / "sip.yaml", folder / f"{VERSION}.yaml")
    refused(project, "unknown frozen revision")
    result = run("macros.revisions.freeze", project, "--adopt", VERSION)
    assert result.returncode == 0, result.stderr
    entries, _ = read_index(folder / "index.yaml")
    assert [(e.version, e.sha256, e.manifest) for e in entries] == [(VERSION, fingerprint(folder / f"{VERSION}.yaml"), None)]
    assert check(project).returncode == 0
    again = run("macros.revisions.freeze", project, "--adopt", VERSION)
    assert again.returncode == 1 and "already in" in again.stderr
    assert run("macros.revisions.freeze", project, "--adopt", "2019-01").returncode == 1
