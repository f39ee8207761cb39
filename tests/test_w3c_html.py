"""The W3C HTML checker (vnu, pinned in package.json, run with Debian's Java) on both builds, without and with SITE_URL.

Accepted: only the theme-owned findings listed in THEME_OWNED, each with its reason (also listed in the README).
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# (message pattern, what the offending markup must contain, why it is accepted).
THEME_OWNED = [
    (r"^Attribute “autocomplete” is only allowed when the input type is", 'class="md-toggle"',
     "Material's header toggles (drawer, search) are checkboxes with autocomplete=off, which keeps Firefox from "
     "restoring their state; the markup is in the theme's base.html."),
]


def theme_owned(message: dict) -> bool:
    return any(re.search(pattern, message.get("message", "")) and needle in message.get("extract", "")
               for pattern, needle, _ in THEME_OWNED)


def test_the_w3c_checker_accepts_every_page_of_both_builds(site_dir, published_build, tmp_path):
    java = shutil.which("java")
    if java is None or not VNU.is_file():
        pytest.fail("the W3C checker needs Java (apt-get install default-jre-headless) and `npm ci` (vnu-jar)",
                    pytrace=False)
    # A page with an orphan label, checked in the same run: proof that the checker reads files and reports.
    canary = tmp_path / "canary.html"
    canary.write_text('<!doctype html><html lang="en"><title>x</title><label for="nothing">x</label></html>',
                      encoding="utf-8")
    # One Java start for both builds: the checker costs about 10 s of CPU for the ~90 pages.
    result = subprocess.run([java, "-jar", str(VNU), "--format", "json", "--skip-non-html", "--exit-zero-always",
                             str(canary), str(site_dir), str(published_build.site)],
                            capture_output=True, text=True, timeout=600)
    everything = json.loads(result.stderr)["messages"]
    assert any(m.get("url", "").endswith("canary.html") and "label" in m["message"] for m in everything), \
        "the checker did not report the orphan label of the canary page"
    messages = [m for m in everything if not m.get("url", "").endswith("canary.html")]
    assert not [m for m in messages if m["type"] == "non-document-error"], result.stderr[-2000:]
    found = [m for m in messages if m["type"] in ("error", "info") and not theme_owned(m)
             and not m["message"].startswith("Trailing slash on void elements")]  # style advice, not an error
    report = [f"{m['url'].rsplit('/site/', 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in found]
    assert not report, f"{len(report)} finding(s), e.g.:\n" + "\n".join(report[:15])
