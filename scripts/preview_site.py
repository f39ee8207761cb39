"""Live preview only: the site folder is rebuilt in place, each file replaced whole, unchanged files left alone."""
from __future__ import annotations

# MkDocs empties the site folder before each build; the preview serves pages while it rebuilds (the viewed page first,
# then each language), so emptying it would take away files that are being served. Instead every file MkDocs writes or
# copies is compared with the one in place: unchanged, it stays; changed, it is replaced by a rename (a reader gets the
# old file or the new one, never half of one). At the end of a successful rebuild the files it did not produce are
# removed: the folder is then what an emptied folder would hold after the same build. `make build` never loads this.

import os
import shutil

from mkdocs import utils
from mkdocs.commands import build as mkdocs_build
from mkdocs.structure.files import File


def _same_bytes(path: str, data: bytes) -> bool:
    try:
        if os.path.getsize(path) != len(data):
            return False
        with open(path, "rb") as existing:
            return existing.read() == data
    except OSError:
        return False


def replace_file(path: str, data: bytes) -> None:
    """Write `path` through a temporary file renamed over it."""
    folder, name = os.path.split(path)
    os.makedirs(folder, exist_ok=True)
    temporary = os.path.join(folder, f".{name}.{os.getpid()}.tmp")  # hidden: never served, never a stale file
    with open(temporary, "wb") as out:
        out.write(data)
    os.replace(temporary, path)


class SiteWrites:
    """The files of the current rebuild: pages and theme files handled (written or found unchanged), and whether a
    file already released to the browsers was changed afterwards (they must then reload once more)."""

    STAMP = ".sip-rebuild-stamp"

    def __init__(self, root: str) -> None:
        self.root = os.path.abspath(root)
        self.handled: set[str] = set()   # every path MkDocs wrote or copied in this rebuild, changed or not
        self.fresh: set[str] = set()     # of those, the pages and theme files: servable as soon as they are done
        self.released: frozenset[str] = frozenset()
        self.changed_after_release = False
        self._since_ns = 0
        self._copied: dict[str, tuple] = {}  # destination -> (inode, time, size) of the source it was copied from

    def next_rebuild(self) -> None:
        self.handled, self.fresh, self.released, self.changed_after_release = set(), set(), frozenset(), False
        # The file system's own clock (coarser than time.time_ns()): what is written from now on is not older.
        stamp = os.path.join(self.root, self.STAMP)
        os.makedirs(self.root, exist_ok=True)
        with open(stamp, "wb"):
            pass
        self._since_ns = os.stat(stamp).st_mtime_ns
        os.unlink(stamp)

    def release(self) -> frozenset[str]:
        self.released = frozenset(self.fresh)
        return self.released

    def _write(self, path: str, data: bytes) -> None:
        path = os.path.abspath(path)
        self.handled.add(path)
        if _same_bytes(path, data):
            return
        if path in self.released:
            self.changed_after_release = True
        replace_file(path, data)

    def install(self) -> None:
        if getattr(utils.write_file, "sip_site_writes", None) is self:
            return
        site = self

        def write_file(content: bytes, output_path: str) -> None:
            site._write(output_path, content)

        def copy_file(file, dirty: bool = False) -> None:
            dest = os.path.abspath(file.abs_dest_path)
            content = file._content
            if content is None:
                src = file.abs_src_path
                if os.path.abspath(src) == dest:  # a plugin wrote it into the site folder itself
                    site.handled.add(dest)
                    return
                # Theme and docs files: copied again only if their source is no longer the one copied last time
                # (any save changes its time, size or inode; an older file put back too).
                try:
                    stat = os.stat(src)
                    source_now = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
                except OSError:
                    source_now = None
                if source_now is not None and site._copied.get(dest) == source_now and os.path.isfile(dest):
                    site.handled.add(dest)
                else:
                    with open(src, "rb") as source:
                        site._write(dest, source.read())
                    site._copied[dest] = source_now
            else:
                site._write(dest, content.encode("utf-8") if isinstance(content, str) else content)
            if file.generated_by is None:
                site.fresh.add(dest)

        original_build_page = mkdocs_build._build_page

        def build_page(page, config, *args, **kwargs):
            original_build_page(page, config, *args, **kwargs)
            site.fresh.add(os.path.abspath(page.file.abs_dest_path))

        write_file.sip_site_writes = self
        self._originals = (utils.write_file, File.copy_file, mkdocs_build._build_page, utils.clean_directory)
        utils.write_file, File.copy_file, mkdocs_build._build_page = write_file, copy_file, build_page
        # static-i18n empties it for nothing too: it sets utils.clean_directory aside and puts it back after each build.
        utils.clean_directory = lambda directory: None

    def uninstall(self) -> None:
        if getattr(utils.write_file, "sip_site_writes", None) is self:
            utils.write_file, File.copy_file, mkdocs_build._build_page, utils.clean_directory = self._originals

    def remove_stale(self) -> list[str]:
        """Remove what an emptied folder would not hold after this rebuild: files older than its start that it did not
        write or find unchanged, then empty folders. The removed paths, relative to the site."""
        removed = []
        for folder, dirs, names in os.walk(self.root, topdown=False):
            for name in names:
                path = os.path.join(folder, name)
                if name.startswith(".") or path in self.handled:
                    continue  # hidden files: MkDocs' cleaning leaves them too
                try:
                    if os.stat(path).st_mtime_ns < self._since_ns:
                        os.unlink(path)
                        removed.append(os.path.relpath(path, self.root))
                except OSError:
                    pass
            if folder != self.root and not os.listdir(folder):
                shutil.rmtree(folder, ignore_errors=True)
        return removed
