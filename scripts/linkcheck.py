"""Check every internal link of a built site: the file exists, and so does the anchor in it. Standard library only.

    python scripts/linkcheck.py [--offline] SITE_DIR

Every `href`, `src` and meta-refresh URL of every `.html` file under SITE_DIR is checked:

- relative links (`../owners.html#owner-glc`) resolve from the page's folder; a folder means its `index.html`;
- root-absolute links (`/en/index.html`, written in 404.html when site_url is unset) resolve from SITE_DIR,
  which is where the site is served from; a link that climbs out of SITE_DIR is broken. With --offline (an
  unzipped offline bundle, opened from file://, where '/' is the disk's root) they are broken, except in
  404.html, which only a web server ever shows;
- a fragment must be the `id` (or `<a name>`) of an element of the target page; `#` alone is the page top;
- `http:`, `https:`, `mailto:`, `data:` and `//host` links are another site's business and are skipped;
- a `javascript:` link is broken wherever it appears, as is any other scheme.

Prints each broken link as `page: href (reason)`, then `N pages, M links, K broken`; exit 1 if K > 0.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

EXTERNAL_SCHEMES = {"http", "https", "mailto", "data"}
# Attributes that hold a URL, by element; <a name> and every id are anchors.
URL_ATTRIBUTES = {"a": ("href",), "area": ("href",), "link": ("href",), "img": ("src",), "script": ("src",),
                  "iframe": ("src",), "source": ("src",), "audio": ("src",), "video": ("src", "poster"),
                  "track": ("src",), "embed": ("src",), "object": ("data",), "form": ("action",),
                  "use": ("href", "xlink:href"), "image": ("href", "xlink:href")}
_REFRESH_URL = re.compile(r"url\s*=\s*['\"]?([^'\"]+)", re.IGNORECASE)


@dataclass(frozen=True)
class Broken:
    page: str  # relative to the site folder, with forward slashes
    href: str
    reason: str

    def __str__(self) -> str:
        return f"{self.page}: {self.href} ({self.reason})"


@dataclass
class Report:
    pages: int = 0
    links: int = 0  # internal links checked (external ones are skipped, not counted)
    broken: list[Broken] = field(default_factory=list)

    def summary(self) -> str:
        return f"{self.pages} pages, {self.links} links, {len(self.broken)} broken"


class _PageParser(HTMLParser):
    """Collects the anchors (ids, <a name>) and the URLs (with their attribute) of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.anchors: set[str] = set()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs if value is not None}
        if "id" in values:
            self.anchors.add(values["id"])
        if tag == "a" and "name" in values:
            self.anchors.add(values["name"])
        for name in URL_ATTRIBUTES.get(tag, ()):
            if name in values:
                self.urls.append(values[name])
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            target = _REFRESH_URL.search(values.get("content", ""))
            if target:
                self.urls.append(target.group(1).strip())

    handle_startendtag = handle_starttag


def parse_page(path: Path) -> _PageParser:
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    parser.close()
    return parser


def is_external(href: str) -> bool:
    parts = urlsplit(href.strip())
    return parts.scheme.lower() in EXTERNAL_SCHEMES or (not parts.scheme and bool(parts.netloc))


def check_link(site: Path, page: Path, href: str, anchors=lambda path: parse_page(path).anchors) -> str | None:
    """Why `href` on `page` is broken, or None if it is fine or external. `site` and `page` are resolved paths;
    `anchors(path)` gives the ids of a page (check_site caches them)."""
    parts = urlsplit(href.strip())
    scheme = parts.scheme.lower()
    # Browsers ignore tabs and line breaks inside a URL, and so 'java\nscript:' is a javascript: link.
    if re.sub(r"[\x00-\x20]", "", href).lower().startswith("javascript:"):
        return "javascript: link"
    if is_external(href):
        return None
    if scheme:
        return f"unexpected scheme {scheme}:"
    path = unquote(parts.path)
    if not path:
        target = page
    else:
        target = (site / path.lstrip("/")) if path.startswith("/") else (page.parent / path)
        target = target.resolve()
        if target != site and site not in target.parents:
            return "outside the site"
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            return "no such file"
    if parts.fragment and target.suffix == ".html":
        fragment = unquote(parts.fragment)
        if fragment not in anchors(target):
            where = "" if target == page else f" in {target.relative_to(site).as_posix()}"
            return f"no id '{fragment}'{where}"
    return None


def check_site(site: Path, offline: bool = False) -> Report:
    """Every internal link of every page under `site`; `offline`: the site is opened from file://."""
    site = Path(site).resolve()
    parsed: dict[Path, _PageParser] = {}

    def page_of(path: Path) -> _PageParser:
        if path not in parsed:
            parsed[path] = parse_page(path)
        return parsed[path]

    report = Report()
    for page in sorted(site.rglob("*.html")):
        report.pages += 1
        name = page.relative_to(site).as_posix()
        for href in page_of(page).urls:
            if is_external(href):
                continue  # another site's business: skipped, not counted
            report.links += 1
            reason = check_link(site, page, href, lambda path: page_of(path).anchors)
            if not reason and offline and href.startswith("/") and name != "404.html":
                reason = "root-absolute link, which file:// resolves from the disk's root"
            if reason:
                report.broken.append(Broken(name, href, reason))
    return report


def main(argv: list[str]) -> int:
    offline = "--offline" in argv
    folders = [arg for arg in argv if arg != "--offline"]
    if len(folders) != 1 or not Path(folders[0]).is_dir():
        print("usage: python scripts/linkcheck.py [--offline] SITE_DIR", file=sys.stderr)
        return 2
    report = check_site(Path(folders[0]), offline=offline)
    for broken in report.broken:
        print(broken)
    print(report.summary())
    return 1 if report.broken else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
