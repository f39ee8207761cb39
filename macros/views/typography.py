"""French typography applied to rendered text: no-break spaces before `; : ! ? %` and inside « », never in data.

Conservative by design: only an existing run of ordinary whitespace becomes the right no-break space
(U+202F before ; ! ? and before % after a digit, U+00A0 before : and », after «); where the source has no space, none is added, so
`«mot»` and `10:30` stay as written. URLs and ids contain no spaces, so they are never touched; in HTML only
what a reader meets in a French context (`lang="fr"` on the element or an ancestor) changes: text nodes, and the
attributes that are read out or shown (`title`, `aria-label`, `alt`, `placeholder`..., the `content` of the
description and Open Graph `<meta>`s). Never tag names, other attributes (href, src, id, class...), comments, or
the contents of script, style, code, pre, kbd, samp and textarea. Every pass is linear.
"""
from __future__ import annotations

import re

NNBSP, NBSP = "\u202f", "\u00a0"
_NARROW_BEFORE, _WIDE_BEFORE = ";!?%", ":»"
_SPACES = " \t\r\n"
# A whitespace run, matched once from its first character (the lookbehind keeps matching linear).
_RUN = re.compile(r"(?<![ \t\r\n])[ \t\r\n]+")
_MARKS = re.compile(r"[;:!?%«»]")

_RAW = {"script", "style", "textarea"}  # content is not HTML: jump to the closing tag
_CODE = {"code", "pre", "kbd", "samp", "var"}  # HTML inside, but literal text
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Text on both sides of these tags reads as one run, so a space and its mark may sit on either side.
_INLINE = {"a", "abbr", "b", "cite", "data", "dfn", "em", "i", "mark", "q", "s", "small", "span", "strong", "sub",
           "sup", "time", "u"}
_TAG_NAME = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)")
_LANG = re.compile(r"""(?<![\w:-])lang\s*=\s*["']?([A-Za-z]+)""")
_TAG_END = re.compile(r"""[>"']""")
_FRENCH = re.compile(r"""(?<![\w:-])lang\s*=\s*["']?fr""", re.IGNORECASE)
# Attributes whose value a reader hears or sees (tooltips, screen readers, image text, empty fields, the copy-link
# confirmation); every other attribute is an address, an id or a token, left byte for byte.
READER_ATTRIBUTES = frozenset({"title", "aria-label", "aria-description", "aria-roledescription", "aria-valuetext",
                               "aria-placeholder", "alt", "placeholder", "label", "data-sip-copy"})
# <meta> whose `content` is text shown by search engines and link previews.
READER_META = frozenset({"description", "og:title", "og:description", "og:site_name", "og:image:alt",
                         "twitter:title", "twitter:description"})
_ATTRIBUTE = re.compile(r"""([^\s"'<>/=]+)(?:(\s*=\s*)("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")


def space_for(before: str, after: str) -> str | None:
    """The no-break space a whitespace run between `before` and `after` becomes, or None to keep it."""
    if after == "%":  # a percentage: "50 %", not template-like text such as "{% if %}"
        return NNBSP if before.isdigit() else None
    if after and after in _NARROW_BEFORE:
        return NNBSP
    if (after and after in _WIDE_BEFORE) or before == "«":
        return NBSP
    return None


def french_text(text: str, before: str = "") -> str:
    """`text` with French no-break spaces; `before` is the character just before it (from a previous node)."""
    if not _MARKS.search(text) and before != "«":
        return text

    def fix(match: re.Match) -> str:
        start, end = match.span()
        return space_for(text[start - 1] if start else before, text[end:end + 1]) or match.group()

    return _RUN.sub(fix, text)


def french_html(html: str, default_lang: str = "") -> str:
    """The page `html` with French typography in the text of its French parts; everything else byte for byte."""
    if default_lang != "fr" and not _FRENCH.search(html):
        return html  # an English page with no French part: nothing to scan
    out: list[str] = []
    frames: list[list] = [["", default_lang, 0]]  # [tag name, language, open count of that name]
    code_depth = 0
    last_text = None  # index in `out` of the previous text node of the current inline run
    pos, size = 0, len(html)
    while pos < size:
        lt = html.find("<", pos)
        if lt < 0:
            lt = size
        if lt > pos:
            text = html[pos:lt]
            if frames[-1][1] == "fr" and not code_depth:
                last_text = _add_text(out, text, last_text)
            else:
                out.append(text)
                last_text = None
        if lt >= size:
            break
        end, name, closing = _tag_end(html, lt)
        tag = html[lt:end]
        if name and not closing and not code_depth and "=" in tag:
            tag = french_attributes(tag, frames[-1][1])
        out.append(tag)
        pos = end
        if not name:
            last_text = None
            continue
        if name not in _INLINE:
            last_text = None
        if name in _RAW and not closing:
            close = re.compile(rf"</{name}\s*>", re.IGNORECASE).search(html, pos)
            stop = close.start() if close else size
            out.append(html[pos:stop])
            pos = stop
            continue
        if name in _CODE:
            code_depth = max(0, code_depth + (-1 if closing else 1))
        if name in _VOID or tag.endswith("/>"):
            continue
        for frame in frames[1:]:
            if frame[0] == name:
                frame[2] += -1 if closing else 1
        if len(frames) > 1 and frames[-1][2] <= 0:
            frames.pop()
        if not closing:
            lang = _LANG.search(tag)
            if lang:
                frames.append([name, lang.group(1).lower()[:2], 1])
    return "".join(out)


def french_attributes(tag: str, lang: str) -> str:
    """The start tag `tag` with French typography in its reader-facing attribute values, when the element is French
    (its own `lang`, else `lang`, the language around it); the tag name and every other attribute unchanged."""
    own = _LANG.search(tag)
    if (own.group(1).lower()[:2] if own else lang) != "fr":
        return tag
    name_end = _TAG_NAME.match(tag).end()
    pieces = [(m.group(1).lower(), m) for m in _ATTRIBUTE.finditer(tag, name_end, len(tag) - 1)]
    wanted = READER_ATTRIBUTES
    if tag[1:name_end].lower() == "meta":
        kind = next((_unquote(m.group(3)).lower() for key, m in pieces if key in ("name", "property") and m.group(3)), "")
        wanted = {"content"} if kind in READER_META else set()
    out, pos = [], 0
    for key, match in pieces:
        if key not in wanted or not match.group(3):
            continue
        start, end = match.span(3)
        value = tag[start:end]
        quote = value[0] if value[0] in "\"'" else ""
        inner = french_text(value[len(quote):len(value) - len(quote)])
        out += [tag[pos:start], quote, inner, quote]
        pos = end
    return "".join(out) + tag[pos:] if out else tag


def _unquote(value: str) -> str:
    return value[1:-1] if value[:1] in "\"'" else value


def _add_text(out: list[str], text: str, last_text: int | None) -> int | None:
    if not text:
        return last_text
    before = ""
    if last_text is not None:
        previous = out[last_text]
        before = previous[-1]
        if before in _SPACES and text[0] in _NARROW_BEFORE + _WIDE_BEFORE:
            # The space ends the previous node and its mark starts this one: `mot <em>: x</em>`.
            stripped = previous.rstrip(_SPACES)
            out[last_text] = stripped + space_for(stripped[-1:], text[0])
            before = out[last_text][-1]
    out.append(french_text(text, before))
    return len(out) - 1


def _tag_end(html: str, lt: int) -> tuple[int, str, bool]:
    """(end of the tag or comment starting at `lt`, its lower-case name or '' for comments/doctypes, closing?)."""
    if html.startswith("<!--", lt):
        end = html.find("-->", lt + 4)
        return (len(html) if end < 0 else end + 3), "", False
    match = _TAG_NAME.match(html, lt)
    if not match:
        if html.startswith(("<!", "<?"), lt):
            end = html.find(">", lt)
            return (len(html) if end < 0 else end + 1), "", False
        return lt + 1, "", False  # a lone "<" in text (browsers show it as text)
    pos = match.end()
    while True:
        found = _TAG_END.search(html, pos)
        if not found:
            return len(html), "", False
        if found.group() == ">":
            return found.end(), match.group(1).lower(), html[lt + 1] == "/"
        quote = html.find(found.group(), found.end())
        if quote < 0:
            return len(html), "", False
        pos = quote + 1
