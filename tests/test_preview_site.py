"""The preview's site folder, rebuilt in place (unchanged files kept, changed ones replaced whole, stale ones gone)."""
from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.preview_site import SiteWrites  # noqa: E402
from scripts.preview_watch import settled_data  # noqa: E402


def test_unchanged_files_stay_changed_ones_are_replaced_and_stale_ones_go(tmp_path):
    site = SiteWrites(str(tmp_path))
    page, other, hidden = str(tmp_path / "a.html"), str(tmp_path / "x" / "b.html"), tmp_path / ".kept"
    site.next_rebuild()
    site._write(page, b"same")
    site._write(other, b"gone next time")
    hidden.write_text("MkDocs' cleaning leaves hidden files")
    kept = os.stat(page)
    time.sleep(0.05)
    site.next_rebuild()
    site._write(page, b"same")
    (tmp_path / "feed.xml").write_text("written by a hook during the rebuild")
    assert site.remove_stale() == [os.path.join("x", "b.html")]
    assert (os.stat(page).st_ino, os.stat(page).st_mtime_ns) == (kept.st_ino, kept.st_mtime_ns)  # not even rewritten
    assert not (tmp_path / "x").exists() and hidden.exists() and (tmp_path / "feed.xml").exists()
    site._write(page, b"changed")
    assert Path(page).read_bytes() == b"changed" and os.stat(page).st_ino != kept.st_ino  # a new file renamed over it
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_a_file_changed_after_its_release_is_noticed(tmp_path):
    site = SiteWrites(str(tmp_path))
    page = str(tmp_path / "a.html")
    site.next_rebuild()
    site._write(page, b"first")
    site.fresh.add(page)
    site.release()
    site._write(page, b"first")
    assert not site.changed_after_release
    site._write(page, b"second")
    assert site.changed_after_release
    site.next_rebuild()
    assert not site.changed_after_release and site.released == frozenset()


def test_a_theme_file_is_copied_again_only_when_its_source_is_another(tmp_path):
    from mkdocs.structure.files import File
    theme, out = tmp_path / "theme", tmp_path / "site"
    (theme / "css").mkdir(parents=True)
    source = theme / "css" / "a.css"
    source.write_text("one")
    site = SiteWrites(str(out))
    site.install()
    try:
        asset = File("css/a.css", str(theme), str(out), False)
        site.next_rebuild()
        asset.copy_file()
        copied = os.stat(out / "css" / "a.css")
        site.next_rebuild()
        asset.copy_file()
        assert os.stat(out / "css" / "a.css").st_ino == copied.st_ino  # the same source: left as it is
        assert str(out / "css" / "a.css") in site.fresh and site.remove_stale() == []
        source.write_text("two")
        os.utime(source, ns=(copied.st_mtime_ns - 10**9, copied.st_mtime_ns - 10**9))  # older than the copy
        site.next_rebuild()
        asset.copy_file()
        assert (out / "css" / "a.css").read_text() == "two"
    finally:
        site.uninstall()
    from mkdocs import utils
    assert not hasattr(utils.write_file, "sip_site_writes")  # MkDocs' own again, for the other tests


def test_a_data_file_written_in_two_steps_is_valid_once_the_second_comes(tmp_path):
    text = (ROOT / "data" / "sip.yaml").read_text(encoding="utf-8")
    data = tmp_path / "sip.yaml"
    data.write_text(text[: len(text) // 2], encoding="utf-8")
    later = threading.Timer(0.15, lambda: data.write_text(text, encoding="utf-8"))
    later.start()
    try:
        assert settled_data(data, 0.6)
    finally:
        later.join()


def test_a_broken_data_file_left_so_is_reported_after_the_settling_time(tmp_path):
    data = tmp_path / "sip.yaml"
    data.write_text("pillars: [\n", encoding="utf-8")
    start = time.monotonic()
    assert not settled_data(data, 0.2)
    assert time.monotonic() - start >= 0.2
