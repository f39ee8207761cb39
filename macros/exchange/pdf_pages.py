"""Page furniture of the printed plan: running header (the pillar or part), page number, matching page labels.

Chromium prints no CSS margin boxes, and its header and footer templates are the same on every page (they cannot
name the pillar a page belongs to, nor leave the cover unnumbered). So the furniture is added after printing:
each page's part is read from the bookmarks (a part runs from its bookmark's page to the next one's), and a small
content stream, marked as a pagination artifact for screen readers, draws it in a standard font. The cover (the
pages before the first bookmark) carries neither; the page labels say what the numbers say.
"""
from __future__ import annotations

import re

from pypdf import PdfReader
from pypdf.generic import (ArrayObject, DecodedStreamObject, DictionaryObject, IndirectObject, NameObject,
                           NumberObject, PdfObject, TextStringObject)

FONT = "/SipHelv"
SIZE = 8
MARGIN = 42.52  # 15 mm, the printed margin of the text (pdf.MARGIN)
DIGIT_WIDTH = 0.556  # Helvetica's digits are all 556/1000 em: a number's width is known without metrics
MAX_HEAD = 120
# A part whose heading starts this far from the page's top edge (pt) heads that page: the margin and a line.
TOP_ZONE = 110


_ASCII_SPACES = re.compile(r"[ \t\r\n]+")


def _bare(text: str) -> str:
    return re.sub(r"\s", "", text)


def outline_items(reader: PdfReader):
    """(object number, dictionary) of every bookmark, in document order (depth first)."""
    outlines = reader.trailer["/Root"].get("/Outlines")
    stack = [outlines.get_object().raw_get("/First")] if outlines is not None and "/First" in outlines.get_object() else []
    while stack:
        ref = stack.pop()
        item = ref.get_object()
        yield ref.idnum, item
        # Depth first: the children before the next sibling.
        if "/Next" in item:
            stack.append(item.raw_get("/Next"))
        if "/First" in item:
            stack.append(item.raw_get("/First"))


def spaced_titles(reader: PdfReader, headings: list[str]) -> list[tuple[int, PdfObject]]:
    """The bookmarks whose title lost the space where its heading wrapped (Chromium joins the lines), given back
    their heading's words; `headings` are the printed headings' texts, in order. Only a title equal to its heading
    once spaces are ignored is changed."""
    fixed = []
    items = list(outline_items(reader))
    if len(items) != len(headings):
        return fixed
    for (number, item), heading in zip(items, headings):
        heading = _ASCII_SPACES.sub(" ", heading).strip()  # no-break spaces kept: French typography
        title = str(item.get("/Title", ""))
        if title != heading and _bare(title) == _bare(heading):
            updated = DictionaryObject(item)
            updated[NameObject("/Title")] = TextStringObject(heading)
            fixed.append((number, updated))
    return fixed


def parts(reader: PdfReader) -> list[tuple[int, float, str]]:
    """(first page, height on it, title) of each top-level part of the document, from its bookmarks, in order."""
    outline = list(reader.outline)
    # A single root (a document title) holds the parts: they are its children.
    while len(outline) == 2 and isinstance(outline[1], list) and not isinstance(outline[0], list):
        outline = outline[1]
    found = []
    for item in outline:
        if isinstance(item, list):
            continue
        page = reader.get_destination_page_number(item)
        if page is not None and page >= 0:
            top = item.top if item.get("/Top") is not None else float(reader.pages[page].mediabox.height)
            found.append((page, float(top), _ASCII_SPACES.sub(" ", str(item.title)).strip()))
    return sorted(found, key=lambda part: (part[0], -part[1]))


def running_heads(reader: PdfReader, title: str, names: dict[str, str] | None = None
                  ) -> tuple[int, list[str | None]]:
    """(number of cover pages, the header of each page: None on the cover); `names` corrects bookmark titles.

    A page is headed by the part in force at its top: one that opens there, else the one running on from before
    (a glossary opening half-way down the last page of a pillar leaves that page to the pillar).
    """
    names = names or {}
    found = [(page, top, names.get(_bare(name), name)) for page, top, name in parts(reader)]
    cover = found[0][0] if found and found[0][0] > 0 else 1
    heads: list[str | None] = []
    for index, page in enumerate(reader.pages):
        near_top = float(page.mediabox.height) - TOP_ZONE
        current = [name for first, top, name in found if first < index or (first == index and top >= near_top)][-1:]
        current = current or [name for first, _, name in found if first == index][:1]
        heads.append(None if index < cover else f"{title} · {current[0]}" if current else title)
    return cover, heads


def _literal(text: str) -> bytes:
    """`text` as a PDF string in WinAnsi (Helvetica's encoding); what it cannot hold becomes '?'."""
    text = text.replace("\u202f", "\u00a0")  # WinAnsi has the no-break space, not the narrow one
    if len(text) > MAX_HEAD:
        text = text[:MAX_HEAD - 1].rstrip() + "…"
    raw = text.encode("cp1252", "replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


_NBSP_CMAP = b"""/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /SipWinAnsi def
/CMapType 2 def
1 begincodespacerange
<00> <FF>
endcodespacerange
1 beginbfchar
<A0> <00A0>
endbfchar
endcmap
CMapName currentdict /CMap defineresource pop
end
end"""


def _stream(data: bytes) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return stream


def _resources(page: DictionaryObject) -> DictionaryObject:
    node = page
    while node is not None and "/Resources" not in node:  # inherited from the page tree
        node = node.get("/Parent")
        node = node.get_object() if node is not None else None
    return DictionaryObject(node["/Resources"].get_object()) if node is not None else DictionaryObject()


def furnish(reader: PdfReader, title: str, cover_label: str, first_number: int, headings: list[str] = ()
            ) -> tuple[list[tuple[int, PdfObject]], dict[str, PdfObject]]:
    """The objects to write (numbered from `first_number`) and the catalog entries that add the furniture."""
    objects = spaced_titles(reader, list(headings))
    names = {_bare(str(item["/Title"])): str(item["/Title"]) for _, item in objects}
    cover, heads = running_heads(reader, title, names)
    number = first_number

    def new(obj: PdfObject) -> IndirectObject:
        nonlocal number
        objects.append((number, obj))
        number += 1
        return IndirectObject(number - 1, 0, reader)

    # WinAnsi draws 0xA0 as a space; the ToUnicode map tells text extraction it is French typography's no-break space.
    to_unicode = new(_stream(_NBSP_CMAP))
    font = new(DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                                 NameObject("/BaseFont"): NameObject("/Helvetica"),
                                 NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
                                 NameObject("/ToUnicode"): to_unicode}))
    # Chromium's content may leave the graphics state changed: it is wrapped in q/Q before ours is drawn.
    save, restore = new(_stream(b"q\n")), new(_stream(b"Q\n"))
    for index, head in enumerate(heads):
        if head is None:
            continue
        page = reader.pages[index]
        width = float(page.mediabox.width)
        top = float(page.mediabox.height)
        shown = str(index - cover + 1)
        x_number = (width - DIGIT_WIDTH * SIZE * len(shown)) / 2
        draw = (b"/Artifact <</Type /Pagination /Subtype /Header>> BDC BT " + FONT.encode() + f" {SIZE} Tf 0 g "
                f"{MARGIN:.2f} {top - 24:.2f} Td ".encode() + _literal(head) + b" Tj ET EMC\n"
                b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC BT " + FONT.encode() + f" {SIZE + 1} Tf 0 g "
                f"{x_number:.2f} 20 Td ".encode() + _literal(shown) + b" Tj ET EMC\n")
        contents = page.raw_get("/Contents")
        old = list(contents.get_object()) if isinstance(contents.get_object(), ArrayObject) else [contents]
        updated = DictionaryObject(page)
        updated[NameObject("/Contents")] = ArrayObject([save, *old, restore, new(_stream(draw))])
        resources = _resources(page)
        fonts = DictionaryObject(resources.get("/Font", DictionaryObject()).get_object())
        fonts[NameObject(FONT)] = font
        resources[NameObject("/Font")] = fonts
        updated[NameObject("/Resources")] = resources
        objects.append((page.indirect_reference.idnum, updated))
    labels = ArrayObject([NumberObject(0), DictionaryObject({NameObject("/P"): TextStringObject(cover_label)})])
    if cover < len(reader.pages):
        labels += [NumberObject(cover), DictionaryObject({NameObject("/S"): NameObject("/D"),
                                                          NameObject("/St"): NumberObject(1)})]
    return objects, {"/PageLabels": DictionaryObject({NameObject("/Nums"): labels})}
