"""The printable plan as PDF: A4, bookmarks, metadata, and links that work wherever the file is copied.

Headless Chromium (through Playwright) prints `print.html`; before printing, every link is rewritten:
a target inside the printable plan becomes a jump within the PDF, another page of the site becomes its published
address when the site's address is known, and otherwise plain text (a `file:` link would point into the build
machine). The metadata Chromium leaves out is then appended as an incremental update. A PDF that still holds a
`file:` link is refused. Both languages print at once in one browser (`Printer`), started before the pages exist.
"""
from __future__ import annotations

import asyncio
import posixpath
import re
import shutil
import threading
from dataclasses import dataclass
from io import BytesIO
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject, NameObject, NumberObject, TextStringObject

from ..data.model import LANGUAGES, Plan
from ..views.typography import french_text
from . import names
from ..labels import labels
from ..messages import say
from . import pdf_pages
from .address import configured_url  # noqa: F401 - where callers have found it

PRINT_PAGE = "print.html"
# Quiet, offline, container-friendly Chromium: no sandbox (containers run as root), no calls home.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
EXTERNAL_SCHEMES = ("http", "https", "mailto")
# Room above and below for the running header and page number drawn by pdf_pages.py.
MARGIN = {"top": "17mm", "bottom": "17mm", "left": "15mm", "right": "15mm"}


class PdfError(Exception):
    """Printing failed, or the PDF breaks a rule (a `file:` link)."""


@dataclass
class LinkCounts:
    internal: int = 0  # jumps within the PDF
    site: int = 0      # to the published site
    text: int = 0      # printed as text: nowhere to go once the file is copied
    external: int = 0  # http(s) and mailto, kept as they are


def find_chromium() -> str | None:
    """The project's one Chromium lookup ($CHROMIUM, the system's, or Playwright's own download)."""
    from ..system_tools import ChromiumNotFound, find_chromium as lookup
    try:
        return lookup()
    except ChromiumNotFound as exc:
        raise PdfError(str(exc)) from None


class _Ids(HTMLParser):
    """Every element id of a page, the id of its first heading (what a link to the page shows) and its links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.heading: str | None = None
        self.hrefs: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        element_id = attributes.get("id")
        if element_id:
            self.ids.add(element_id)
            if self.heading is None and tag == "h1":
                self.heading = element_id
        if tag == "a" and attributes.get("href") is not None:
            self.hrefs.add(attributes["href"])


def page_ids(path: Path) -> _Ids:
    parser = _Ids()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def link_target(href: str, page_path: str, site: Path, print_ids: set[str], public_url: str,
                cache: dict[str, _Ids]) -> tuple[str, str | None]:
    """(kind, new href or None for text) of a link found in the site page `page_path` (relative to `site`)."""
    parts = urlsplit(href)
    if parts.scheme in EXTERNAL_SCHEMES:
        return "external", href
    if parts.scheme or parts.netloc or href.startswith("//"):
        return "text", None  # javascript:, data:, file: or another host without a scheme: never a live link
    anchor = unquote(parts.fragment)
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page_path), unquote(parts.path))) if parts.path else page_path
    if target.startswith("../") or target == "..":
        return "text", None
    if anchor and anchor in print_ids:
        return "internal", f"#{anchor}"
    if not anchor and target == page_path:
        return "internal", "#"
    if not anchor and (site / target).is_file() and target.endswith(".html"):
        # A link to a page the printable plan also holds (a pillar, say) jumps to it: same heading id.
        if target not in cache:  # each page parsed once, however many links point to it
            cache[target] = page_ids(site / target)
        ids = cache[target]
        if ids.heading and ids.heading in print_ids and target != page_path:
            return "internal", f"#{ids.heading}"
    if public_url and (site / target).exists():
        return "site", public_url + target + (f"#{parts.fragment}" if parts.fragment else "")
    return "text", None


class LinkPlan:
    """Where each link of a printable page goes, worked out from its HTML file while Chromium loads it."""

    def __init__(self, site: Path, page_path: str, public_url: str):
        self.site, self.page_path, self.public_url = site, page_path, public_url
        page = page_ids(site / page_path)
        self.print_ids, self.cache = page.ids, {}
        self.targets = {href: self.target(href) for href in page.hrefs}

    def target(self, href: str) -> tuple[str, str | None]:
        return link_target(href, self.page_path, self.site, self.print_ids, self.public_url, self.cache)


async def rewrite_links(page, plan: LinkPlan) -> LinkCounts:
    """Rewrite the links of the loaded `page` in place as `plan` says; return how many went where."""
    seen = await page.evaluate(_REWRITE_SCRIPT, {href: new for href, (_, new) in plan.targets.items()})
    unplanned = sorted(set(seen) - set(plan.targets))
    if unplanned:  # the browser's DOM holds a link the HTML parser did not see: worked out now, never left as is
        plan.targets.update((href, plan.target(href)) for href in unplanned)
        await page.evaluate(_REWRITE_SCRIPT, {href: plan.targets[href][1] for href in unplanned})
    counts = LinkCounts()
    for href in seen:
        kind = plan.targets[href][0]
        setattr(counts, kind, getattr(counts, kind) + 1)
    return counts


# Returns every link's href as it was; a link missing from `mapping` is left for a second pass.
_REWRITE_SCRIPT = """mapping => {
    const seen = [];
    for (const a of [...document.querySelectorAll('a[href]')]) {
        const href = a.getAttribute('href');
        seen.push(href);
        if (!Object.prototype.hasOwnProperty.call(mapping, href)) continue;
        const target = mapping[href];
        if (target !== null) {
            // A link to the site stays clickable; printing its address after it, 50 times, helps no one.
            if (!href.startsWith('http') && target.startsWith('http')) a.classList.add('sip-pdf-site-link');
            a.setAttribute('href', target);
            continue;
        }
        // Keep the words, drop the link: a span with the same classes keeps the look.
        const span = document.createElement('span');
        span.className = a.className;
        span.append(...a.childNodes);
        a.replaceWith(span);
    }
    return seen;
}"""


# The printed headings' words, in order (a hidden heading has no bookmark; the permalink sign is not a word).
_HEADINGS_SCRIPT = """() => [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
    .filter(h => h.getClientRects().length > 0)
    .map(h => { const c = h.cloneNode(true); c.querySelectorAll('.headerlink').forEach(a => a.remove());
                return c.textContent; })"""


def metadata(plan: Plan, lang: str) -> dict[str, str]:
    """The document information of the `lang` PDF, with French typography in the French one (as on its pages)."""
    info = {
        "/Title": f"{plan.meta.title(lang)} {plan.meta.period_start}–{plan.meta.period_end}",
        "/Author": plan.meta.organisation(lang),
        "/Subject": f"{plan.meta.subtitle(lang)} · {plan.meta.revision(lang)} · {plan.meta.version}",
        "/Keywords": f"{plan.meta.organisation(lang)}, {plan.meta.short_title(lang)}, {plan.meta.version}",
        "/Creator": "SIP site build (Chromium, pypdf)",
    }
    return {name: french_text(value) for name, value in info.items()} if lang == "fr" else info


def set_metadata(pdf: Path, plan: Plan, lang: str, headings: list[str] = ()) -> None:
    """Title, author, subject, language, bookmarks shown on opening, running headers, page numbers and page labels:
    what Chromium leaves out (pdf_pages.py).

    Written as an incremental update (the new catalog and information dictionaries, their cross-reference section
    and trailer, appended to Chromium's file), which reads only those two objects instead of the whole document.
    """
    reader = PdfReader(pdf)
    data = pdf.read_bytes()
    previous = _STARTXREF.search(data[-1024:])
    if previous is None or "/Root" not in reader.trailer:
        raise PdfError(f"{pdf.name}: no cross-reference table where Chromium writes one (Chromium upgraded?)")
    root_ref = reader.trailer.raw_get("/Root")
    root = DictionaryObject(reader.trailer["/Root"])
    root[NameObject("/Lang")] = TextStringObject(lang)
    root[NameObject("/PageMode")] = NameObject("/UseOutlines")
    size = int(reader.trailer["/Size"])
    info_ref = reader.trailer.raw_get("/Info") if "/Info" in reader.trailer else None
    info_number = info_ref.idnum if isinstance(info_ref, IndirectObject) else size
    info = DictionaryObject(reader.trailer["/Info"]) if info_ref is not None else DictionaryObject()
    for name, value in metadata(plan, lang).items():
        info[NameObject(name)] = TextStringObject(value)
    first_free = max(size, info_number + 1)
    title = f"{plan.meta.short_title(lang)} {plan.meta.period_start}-{plan.meta.period_end}"
    furniture, catalog = pdf_pages.furnish(reader, title, labels(lang)["pdf_cover_label"], first_free, headings)
    for name, value in catalog.items():
        root[NameObject(name)] = value
    size = max([first_free] + [number + 1 for number, _ in furniture])
    update, offsets = BytesIO(), {}
    update.write(b"\n")
    for number, dictionary in ((root_ref.idnum, root), (info_number, info), *furniture):
        offsets[number] = len(data) + update.tell()
        update.write(f"{number} 0 obj\n".encode())
        dictionary.write_to_stream(update)
        update.write(b"\nendobj\n")
    xref = len(data) + update.tell()
    # The free-list head first, as in the example of an update in ISO 32000 (7.5.6); readers expect it.
    update.write(b"xref\n0 1\n0000000000 65535 f \n")
    for number in sorted(offsets):
        update.write(f"{number} 1\n{offsets[number]:010d} 00000 n \n".encode())
    trailer = DictionaryObject({NameObject("/Size"): NumberObject(size),
                                NameObject("/Root"): IndirectObject(root_ref.idnum, 0, reader),
                                NameObject("/Info"): IndirectObject(info_number, 0, reader),
                                NameObject("/Prev"): NumberObject(int(previous.group(1)))})
    if "/ID" in reader.trailer:
        trailer[NameObject("/ID")] = reader.trailer["/ID"]
    update.write(b"trailer\n")
    trailer.write_to_stream(update)
    update.write(f"\nstartxref\n{xref}\n%%EOF\n".encode())
    temporary = pdf.with_suffix(".tmp.pdf")
    temporary.write_bytes(data + update.getvalue())
    temporary.replace(pdf)


_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*\Z")


def file_links(pdf: Path) -> list[str]:
    """Every link of the PDF that points at a file on some machine."""
    found = []
    for page in PdfReader(pdf).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            uri = action.get_object().get("/URI") if action else None
            if uri is not None and not str(uri).lower().startswith(EXTERNAL_SCHEMES):
                found.append(str(uri))
    return found


def print_plan(site: Path, dest: Path, plan: Plan, public_url: str = "", chromium: str | None = None
               ) -> dict[str, LinkCounts]:
    """Print each language's printable plan to `dest`/<names.pdf()>; return the link counts."""
    with Printer(chromium) as printer:
        return printer.print_plan(site, dest, plan, public_url)


class Printer:
    """A headless Chromium started ahead of time, in a thread of its own, that prints the languages at once.

    Started while MkDocs builds, the browser is ready when the pages are; each language loads and prints in its own
    context concurrently (Playwright's async API), and pypdf finishes each file in a worker thread.
    """

    def __init__(self, chromium: str | None = None):
        chromium = chromium or find_chromium()
        if chromium is None:
            raise PdfError(say("pdf_no_chromium"))
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="pdf-printer", daemon=True)
        self._thread.start()
        self._playwright = self._browser = None
        self._ready: dict[str, object] = {}  # a page per language, opened while MkDocs builds, used once
        self._started = asyncio.run_coroutine_threadsafe(self._launch(chromium), self._loop)

    async def _launch(self, chromium: str) -> None:
        from playwright.async_api import async_playwright

        self._playwright = await async_playwright().start()
        self._browser = await self._playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        # Opening a context and its page takes Chromium 0.15-0.3 s: done now, off the path that waits for the pages.
        pages = await asyncio.gather(*(self._open() for _ in LANGUAGES))
        self._ready = dict(zip(LANGUAGES, pages))

    async def _open(self):
        # No scripts: the printable page is complete without them (pages identical when printed, checked by
        # rendering each PDF page), and Material's would start a search worker for nothing.
        context = await self._browser.new_context(offline=True, java_script_enabled=False)
        return await context.new_page()

    def print_plan(self, site: Path, dest: Path, plan: Plan, public_url: str = "",
                   languages: tuple[str, ...] = LANGUAGES) -> dict[str, LinkCounts]:
        """Print `languages` of the built `site` into `dest`; raises PdfError."""
        try:
            self._started.result()
        except Exception as exc:  # noqa: BLE001 - Playwright's launch errors have no common base we can name
            raise PdfError(say("pdf_chromium_failed", reason=exc)) from None
        work = asyncio.run_coroutine_threadsafe(self._print_all(site, dest, plan, public_url, languages), self._loop)
        return work.result()

    async def _print_all(self, site: Path, dest: Path, plan: Plan, public_url: str,
                         languages: tuple[str, ...]) -> dict[str, LinkCounts]:
        jobs = [self._print_one(site, dest, plan, public_url, lang) for lang in languages]
        return dict(zip(languages, await asyncio.gather(*jobs)))

    async def _print_one(self, site: Path, dest: Path, plan: Plan, public_url: str, lang: str) -> LinkCounts:
        page_path = PRINT_PAGE if lang == LANGUAGES[0] else f"{lang}/{PRINT_PAGE}"
        pdf = dest / names.pdf(plan, lang)
        # Where the links go is worked out in a worker thread while Chromium loads the page.
        planned = asyncio.get_running_loop().run_in_executor(None, LinkPlan, site, page_path, public_url)
        page = self._ready.pop(lang, None) or await self._open()
        try:
            await page.goto((site / page_path).as_uri(), wait_until="load")
            counts = await rewrite_links(page, await planned)
            await page.emulate_media(media="print")  # the headings as printed: the web page's title is hidden
            headings = await page.evaluate(_HEADINGS_SCRIPT)
            await page.pdf(path=str(pdf), format="A4", margin=MARGIN, print_background=True, outline=True,
                           tagged=True)
        finally:
            await page.context.close()
        await asyncio.get_running_loop().run_in_executor(None, finish_pdf, pdf, plan, lang, headings)
        return counts

    def close(self) -> None:
        async def stop() -> None:
            if self._browser is not None:
                await self._browser.close()
            if self._playwright is not None:
                await self._playwright.stop()

        if self._loop.is_closed():
            return
        try:
            # Closed before the browser was up (a build stopped by a data error): let the launch finish first, or
            # stopping the loop under Playwright's half-started driver prints "Event loop is closed" tracebacks.
            self._started.result(timeout=30)
        except Exception:  # noqa: BLE001 - a launch that failed has nothing to stop
            pass
        try:
            asyncio.run_coroutine_threadsafe(stop(), self._loop).result(timeout=30)
        except Exception:  # noqa: BLE001 - closing after a failure: the process group is stopped anyway
            pass
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=30)
        self._loop.close()

    def __enter__(self) -> "Printer":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def finish_pdf(pdf: Path, plan: Plan, lang: str, headings: list[str] = ()) -> None:
    """Metadata in, then the rule: a PDF holding a link to a local file is refused."""
    set_metadata(pdf, plan, lang, headings)
    dead = file_links(pdf)
    if dead:
        raise PdfError(f"{pdf.name} holds {len(dead)} {'link' if len(dead) == 1 else 'links'} to local files, e.g. {dead[0]}")
