"""MkDocs hook: one page stub per reporting period and per owner report, written before files are collected.

Periods and owners come from the data, so their pages cannot be committed stubs; the stubs are written into
docs/<lang>/reports/ (git-ignored), each a single macro call like every other page.
"""
from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.plugins import event_priority


def stubs(plan) -> dict[str, str]:
    """Relative path under docs/<lang>/ -> page source."""
    pages = {f"reports/{p.id}.md": f'{{{{ render_period_report("{p.id}") }}}}\n' for p in plan.periods}
    pages.update({f"reports/owners/{o.id}.md": f'{{{{ render_owner_report("{o.id}") }}}}\n' for o in plan.owners})
    return pages


@event_priority(100)
def on_pre_build(config, **kwargs) -> None:
    root = Path(config.config_file_path).resolve().parent
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    from macros.load import load_plan
    from macros.model import LANGUAGES
    from macros.problems import DataError
    try:
        plan = load_plan()
    except DataError:
        return  # the macros report it; keep the pages of the last good data
    wanted = stubs(plan)
    for lang in LANGUAGES:
        folder = Path(config.docs_dir) / lang / "reports"
        for rel, source in wanted.items():
            path = folder.parent / rel
            # Write only what changed, or `make serve` would rebuild forever.
            if not path.exists() or path.read_text(encoding="utf-8") != source:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(source, encoding="utf-8")
        for path in folder.rglob("*.md") if folder.exists() else ():
            if path.relative_to(folder.parent).as_posix() not in wanted:
                path.unlink()
