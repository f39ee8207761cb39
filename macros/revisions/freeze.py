"""`make revision-freeze`: copy the current revision to revisions/<version>.yaml, its fingerprint and manifest."""
from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..data.load import ROOT, data_path, display_name, validate
from ..messages import say
from .check import check_revisions
from .index import Entry, read_index, with_entry
from .store import MANIFESTS, fingerprint, index_path, manifest_path, revisions_folder


class Refused(Exception):
    """The freeze cannot be done; the message is one line and nothing was written."""


@dataclass(frozen=True)
class Frozen:
    version: str
    path: Path
    index: Path
    manifest: Path


@contextmanager
def writing(path: Path):
    """The lock around the read-validate-write of a writer of data files: the one place to wire it
    (macros/exchange/writer.py's writing(path, doing=..., again=...), whose two values are catalog keys)."""
    yield


def freeze(current: Path, manifest: Path | None = None, manifests: Path = MANIFESTS,
           today: datetime.date | None = None) -> Frozen:
    """Freeze the revision in `current`; `manifest` is a built site's permalinks.json of this revision (else the
    committed `manifests/<version>.json` is used). Raises Refused, having written nothing, when it cannot."""
    raw = current.read_bytes()
    plan, problems = validate(current)
    errors = [p for p in problems if p.severity == "error"]
    if plan is None:
        raise Refused(say("freeze_invalid_count", file=display_name(current), count=len(errors)))
    version = plan.meta.version
    target, index = revisions_folder(current) / f"{version}.yaml", index_path(current)
    _refuse_if_frozen(current, version)
    report = check_revisions(current)
    if report.errors:
        raise Refused(say("freeze_frozen_errors", count=len(report.errors)))
    urls = _manifest_urls(version, manifest, manifest_path(version, manifests))
    manifest_text = json.dumps({"version": version, "urls": urls}, indent=1) + "\n"
    kept = manifest_path(version, manifests)
    entry = Entry(version, _sha256(raw), 0, (today or datetime.date.today()).isoformat(), _project_path(kept),
                  _sha256(manifest_text.encode("utf-8")))
    index_text = with_entry(index, entry)
    if current.read_bytes() != raw:
        raise Refused(say("freeze_changed", file=display_name(current)))
    # The index last: a freeze stopped half-way leaves a file that is not in the index, which make check names.
    _write(kept, manifest_text.encode("utf-8"))
    _write(target, raw)
    _write(index, index_text.encode("utf-8"))
    if fingerprint(target) != entry.sha256 or not any(e.version == version for e in read_index(index)[0]):
        raise Refused(say("freeze_write_failed", file=display_name(target), index=display_name(index)))
    return Frozen(version, target, index, kept)


def adopt(current: Path, version: str, today: datetime.date | None = None) -> Entry:
    """Record in the index a frozen file written before the index existed (a revision frozen by hand, a fixture):
    its fingerprint as it is now, and no manifest. Refused if it is already listed or does not validate."""
    target, index = revisions_folder(current) / f"{version}.yaml", index_path(current)
    if not target.is_file():
        raise Refused(say("freeze_no_file", file=display_name(target)))
    if any(e.version == version for e in read_index(index)[0]):
        raise Refused(say("freeze_already_listed", version=version, index=display_name(index)))
    raw = target.read_bytes()
    plan, _ = validate(target)
    if plan is None or plan.meta.version != version:
        raise Refused(say("freeze_not_revision", file=display_name(target), version=version))
    entry = Entry(version, _sha256(raw), 0, (today or datetime.date.today()).isoformat())
    _write(index, with_entry(index, entry).encode("utf-8"))
    return entry


def _manifest_urls(version: str, built: Path | None, committed: Path) -> list[str]:
    """The links published while this revision was current: the build's manifest, which holds every committed one."""
    kept = _read_manifest(committed, version) if committed.exists() else None
    fresh = _read_manifest(built, version) if built is not None else None
    if fresh is None and kept is None:
        raise Refused(say("freeze_no_manifest", version=version, file=_project_path(committed)))
    if fresh is None:
        return kept
    lost = sorted(set(kept or ()) - set(fresh))
    if lost:
        raise Refused(say("freeze_lost_links", count=len(lost), file=_project_path(committed), example=lost[0]))
    return fresh


def _read_manifest(path: Path, version: str) -> list[str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise Refused(say("freeze_manifest_unreadable", file=display_name(path), reason=exc)) from None
    urls = data.get("urls") if isinstance(data, dict) else None
    if not isinstance(urls, list) or not all(isinstance(u, str) for u in urls):
        raise Refused(say("freeze_not_manifest", file=display_name(path)))
    if data.get("version") != version:
        raise Refused(say("freeze_other_manifest", file=display_name(path), found=repr(data.get("version")),
                          version=version))
    return sorted(set(urls))


def _project_path(path: Path) -> str:
    """How the index names a file: relative to the project when inside it (tests/permalinks/2023-11.json)."""
    path = path.resolve()
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.as_posix()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write(path: Path, data: bytes) -> None:
    """Write atomically: a temporary file beside `path`, then one rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="make revision-freeze", description=__doc__)
    parser.add_argument("--manifest", type=Path, help="the built site's permalinks.json for this revision")
    parser.add_argument("--manifests", type=Path, default=MANIFESTS, help="where permalink manifests are kept")
    parser.add_argument("--dry-run", action="store_true", help="only say whether the freeze would be refused")
    parser.add_argument("--adopt", metavar="VERSION", help="record an existing frozen file in the index (no manifest)")
    args = parser.parse_args(argv)
    current = data_path()
    try:
        with writing(current):
            if args.dry_run:
                _dry_run(current)
                return 0
            if args.adopt:
                adopt(current, args.adopt)
                print(say("freeze_adopted", version=args.adopt, index=display_name(index_path(current))))
                return 0
            frozen = freeze(current, args.manifest, args.manifests)
    except Refused as exc:
        print(say("freeze_refused", problem=exc), file=sys.stderr)
        return 1
    names = [display_name(p) for p in (frozen.path, frozen.index, frozen.manifest)]
    print(say("freeze_done", version=frozen.version, file=names[0], index=names[1], manifest=names[2],
              files=" ".join(names)))
    return 0


def _dry_run(current: Path) -> None:
    """The quick refusals, before make builds the site for the manifest."""
    plan, problems = validate(current)
    if plan is None:
        raise Refused(say("freeze_invalid", file=display_name(current)))
    _refuse_if_frozen(current, plan.meta.version)


def _refuse_if_frozen(current: Path, version: str) -> None:
    target = revisions_folder(current) / f"{version}.yaml"
    if target.exists() or any(e.version == version for e in read_index(index_path(current))[0]):
        raise Refused(say("freeze_already_frozen", version=version, file=display_name(target)))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
