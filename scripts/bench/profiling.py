"""The profile runner: one cProfile'd build, split into stages and packages."""
from __future__ import annotations

import pstats
import shutil
from pathlib import Path

from .common import PY, base_env, measured
from .patches import MKDOCS

# Inclusive time of the stages of a build (they nest: the i18n plugin runs the English build inside the French
# build's post-build event, so only the rows marked as parts add up to their parent).
STAGES = [
    ("whole run (config, plugins, both languages' builds)", "click/core.py", "main", 0),
    ("config: read mkdocs.yml, import plugins and the macros module", "mkdocs/config/base.py", "load_config", 1),
    ("data: validate (YAML + schema + references) and build the Plan", "macros/data/load.py", "validate", 1),
    ("YAML: read with line numbers (size guard + compose + positions)", "macros/data/yamlnodes.py", "read_document", 2),
    ("YAML: size guard (parses every event once more)", "macros/data/yamlnodes.py", "_oversized", 3),
    ("JSON Schema (jsonschema)", "macros/data/schema_check.py", "check_schema", 2),
    ("cross-references, texts, links", "macros/data/checks.py", "check_references", 2),
    ("Plan from validated data", "macros/data/load.py", "build_plan", 2),
    ("macros: page Markdown (mkdocs-macros on_page_markdown)", "mkdocs_macros/plugin.py", "on_page_markdown", 1),
    ("views rendering their templates (macros/views/render.py, Jinja)", "macros/views/render.py", "render", 2),
    ("appendix (footnotes, abbreviations) on every page", "macros/views/pages.py", "page_appendix", 2),
    ("Markdown to HTML (Python-Markdown + extensions)", "markdown/core.py", "convert", 1),
    ("theme templates (Material, Jinja)", "jinja2/environment.py", "render", 1),
    ("search: text of each page (Material search, HTML parser)", "material/plugins/search/plugin.py", "add_entry_from_context", 1),
    ("search: index written (Material search post-build)", "material/plugins/search/plugin.py", "on_post_build", 1),
    ("search: i18n merges both languages' entries, index rewritten", "mkdocs_static_i18n/reconfigure.py", "reconfigure_search_index", 1),
    ("search: per-language split + spelling variants (hooks/search_index.py)", "overrides/hooks/search_index.py", "on_post_build", 1),
    ("i18n: files per language (static-i18n on_files)", "mkdocs_static_i18n/plugin.py", "on_files", 1),
    ("downloads JSON/CSV + feeds (macros on_post_build)", "macros/__init__.py", "on_post_build", 1),
    ("report pages hook (on_files)", "overrides/hooks/report_pages.py", "on_files", 1),
    ("privacy plugin (scans each page for external assets)", "material/plugins/privacy/plugin.py", "on_post_page", 1),
    ("writing files (mkdocs write_file)", "mkdocs/utils/__init__.py", "write_file", 1),
]
PACKAGES = [("macros/", "project: macros/"), ("overrides/hooks/", "project: hooks"), ("mkdocs_macros/", "mkdocs-macros"),
            ("/yaml/", "PyYAML"), ("jsonschema", "jsonschema"), ("referencing", "jsonschema"), ("rpds", "jsonschema"),
            ("/markdown/", "Python-Markdown"), ("pymdownx", "Python-Markdown"), ("/jinja2/", "Jinja2"),
            ("markupsafe", "Jinja2"), ("material/", "Material"), ("mkdocs_static_i18n", "static-i18n"),
            ("/mkdocs/", "MkDocs"), ("/json/", "json"), ("/html/", "html parser"), ("/xml/", "xml")]


def _package(filename: str) -> str:
    return next((label for part, label in PACKAGES if part in filename), "other (stdlib, startup)")


def profile(plan: Path, lifted: bool, work: Path) -> dict:
    """A cProfile'd build: inclusive time of each stage, and self time per package (built-ins charged to caller)."""
    prof = work / "profile.prof"
    env = base_env(SIP_DATA=str(plan), SIP_BENCH_PROFILE=str(prof), **({"SIP_BENCH_LIMITS": "1"} if lifted else {}))
    m = measured([PY, "-c", MKDOCS, "build", "--strict", "--clean", "-d", str(work / "site-profile")], env, work / "logs" / "profile.log")
    shutil.rmtree(work / "site-profile", ignore_errors=True)
    stats = pstats.Stats(str(prof)).stats
    total = max(ct for (file, _, name), (_, _, _, ct, _) in stats.items() if file.endswith("click/core.py") and name == "main")
    stages = []
    for label, file, name, level in STAGES:
        matches = [(key, v) for key, v in stats.items() if key[0].endswith(file) and key[2] == name]
        if name == "render" and file.startswith("jinja2"):
            # Theme templates only: mkdocs-macros renders each page (and so the views' templates) with Jinja too.
            pages = sum(v[3] for k, v in stats.items() if k[0].endswith("mkdocs_macros/plugin.py") and k[2] == "render")
            inclusive = sum(v[3] for _, v in matches) - pages
        else:
            inclusive = sum(v[3] for _, v in matches)
        stages.append({"stage": label, "level": level, "s": round(inclusive, 2), "share": round(inclusive / total, 3)})
    by_package: dict[str, float] = {}
    for (file, _, _), (_, _, tt, _, callers) in stats.items():
        if file == "~" and callers:  # a built-in (re, str, dict...): charge it to whoever called it
            edge_total = sum(c[2] for c in callers.values()) or 1.0
            for (caller_file, _, _), c in callers.items():
                by_package[_package(caller_file)] = by_package.get(_package(caller_file), 0) + tt * c[2] / edge_total
        else:
            by_package[_package(file)] = by_package.get(_package(file), 0) + tt
    packages = sorted(({"package": k, "s": round(v, 2), "share": round(v / total, 3)} for k, v in by_package.items()),
                      key=lambda r: -r["s"])
    top = sorted(((key, v) for key, v in stats.items()), key=lambda kv: -kv[1][2])[:15]
    functions = [{"function": f"{Path(file).name}:{line} {name}" if file != "~" else name, "self_s": round(v[2], 2),
                  "calls": v[1]} for (file, line, name), v in top]
    return {"profiled_s": round(total, 1), "process_wall_s": round(m.wall_s, 1),
            "stages": stages, "packages": packages, "top_functions": functions}
