"""Build the site and the offline bundle into a scratch folder, then swap them in only if everything succeeded."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from macros.exchange.exports import CSV_NAME, JSON_NAME  # noqa: E402
from macros.exchange.pdf import PdfError, configured_url, find_chromium, print_plan  # noqa: E402
from macros.data.load import data_path, display_name, validate  # noqa: E402
from permalinks import unresolved, write_manifest  # noqa: E402

# Source maps serve developers, not field staff on slow links.
BUNDLE_EXCLUDE = (".map",)


def mkdocs_build(dest: Path, offline: bool) -> None:
    env = dict(os.environ, SIP_OFFLINE="true" if offline else "false", NO_MKDOCS_2_WARNING="1")
    # Never add -q: with it, strict mode lets warnings through.
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-d", str(dest)],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    log = "\n".join(line for line in (result.stdout + result.stderr).splitlines()
                    if "WARNING" in line or "ERROR" in line or line.startswith(("Error", "Aborted", "  ")))
    if result.returncode != 0:
        raise BuildFailed(f"mkdocs build ({'offline' if offline else 'online'}) failed:\n{log}")


def write_bundle(site: Path, zip_path: Path, version: str, as_of: str) -> None:
    """Zip the offline site with a bilingual note on how to open it."""
    note = (ROOT / "scripts" / "OFFLINE-README.txt").read_text(encoding="utf-8").format(version=version, as_of=as_of)
    top = f"sip-{version}-offline"
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as bundle:
        bundle.writestr(f"{top}/LISEZMOI-README.txt", note)
        for path in sorted(site.rglob("*")):
            if path.is_file() and not path.name.endswith(BUNDLE_EXCLUDE):
                bundle.write(path, f"{top}/{path.relative_to(site).as_posix()}")


class BuildFailed(Exception):
    pass


def print_pdfs(site: Path, dist: Path, plan) -> list[Path]:
    """Print the printable plan of each language to PDF (macros/exchange/pdf.py); without Chromium, say so."""
    if find_chromium() is None:
        print("warning: chromium not found, so no PDF was printed (apt-get install chromium)", file=sys.stderr)
        return []
    try:
        counts = print_plan(site, dist, plan, configured_url(ROOT / "mkdocs.yml"))
    except PdfError as exc:
        raise BuildFailed(f"printing the PDFs failed: {exc}") from None
    return [dist / f"sip-{plan.meta.version}-{lang}.pdf" for lang in counts]


def committed_manifests() -> list[tuple[str, dict]]:
    """The permalink manifests of past releases (tests/permalinks/<version>.json): links that must keep working."""
    folder = ROOT / "tests" / "permalinks"
    return [(path.name, json.loads(path.read_text(encoding="utf-8"))) for path in sorted(folder.glob("*.json"))]


def main() -> int:
    path = data_path()
    plan, problems = validate(path)
    for problem in problems:
        print(problem.format(), file=sys.stderr)
    if plan is None:
        print(f"{display_name(path)}: build stopped; site/ and dist/ were left as they were.", file=sys.stderr)
        return 1
    site, dist = ROOT / "site", ROOT / "dist"
    # Scratch space next to site/ so that the final swap is a rename on the same filesystem.
    (ROOT / ".cache").mkdir(exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="sip-build-", dir=ROOT / ".cache"))
    try:
        mkdocs_build(scratch / "site", offline=False)
        write_manifest(scratch / "site", plan.meta.version)
        broken = [f"{name}: {entry}" for name, manifest in committed_manifests() for entry in unresolved(manifest, scratch / "site")]
        if broken:
            raise BuildFailed("published permalinks no longer resolve (renumbered or removed activities need "
                              "former_ids or a retired entry in the data):\n  " + "\n  ".join(broken[:20]))
        mkdocs_build(scratch / "offline", offline=True)
        zip_name = f"sip-{plan.meta.version}-offline.zip"
        (scratch / "dist").mkdir()
        write_bundle(scratch / "offline", scratch / "dist" / zip_name, plan.meta.version, plan.meta.status_as_of)
        print_pdfs(scratch / "site", scratch / "dist", plan)
        # Release assets: the downloads under versioned names.
        for name, suffix in ((JSON_NAME, ".json"), (CSV_NAME, "-activities.csv")):
            shutil.copyfile(scratch / "site" / name, scratch / "dist" / f"sip-{plan.meta.version}{suffix}")
    except BuildFailed as exc:
        print(exc, file=sys.stderr)
        print("build failed; site/ and dist/ were left as they were.", file=sys.stderr)
        shutil.rmtree(scratch, ignore_errors=True)
        return 1
    # The owners' report workbooks (make report-kit) are not build outputs: they move into the new dist/ as they are.
    if (dist / "report-kit").is_dir():
        (dist / "report-kit").rename(scratch / "dist" / "report-kit")
    # Everything succeeded: swap in the new outputs (a rename within one filesystem).
    for new, old in ((scratch / "site", site), (scratch / "dist", dist)):
        backup = scratch / f"old-{old.name}"
        if old.exists():
            old.rename(backup)
        new.rename(old)
    shutil.rmtree(scratch, ignore_errors=True)
    size = (dist / zip_name).stat().st_size
    print(f"built site/ and dist/{zip_name} ({size / 1e6:.2f} MB) from {display_name(path)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
