"""The views' templates are read once per change, not once per include (macros/views/render.py)."""
from __future__ import annotations

import os

from macros.views import render


def test_a_saved_template_is_read_again_at_the_next_build():
    render.refresh_templates()
    first = render.environment()
    assert not first.auto_reload, "the environment itself must not check every include on disk"
    render.refresh_templates()
    assert render.environment() is first, "nothing changed: the compiled templates are kept"
    template = render.TEMPLATES / "status_badge.html"
    stat = template.stat()
    try:
        os.utime(template, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        render.refresh_templates()
        assert render.environment() is not first, "a template saved since: the environment starts afresh"
    finally:
        os.utime(template, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        render.refresh_templates()
