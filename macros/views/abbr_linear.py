"""Python-Markdown's `abbr` extension with a linear tree walk: the same output, in time linear in the page.

The extension looks up each element's position among its parent's children (`list(parent).index(el)`) for every
element with a tail, abbreviation or not: quadratic in the number of siblings, a tenth of a 5,000-activity build.
Here each child is visited with its position, which the reversed walk keeps valid (insertions land after it).
mkdocs.yml names this module instead of `abbr`; tests/test_abbr_linear.py compares both on every page.
"""
from __future__ import annotations

from markdown.extensions.abbr import AbbrExtension, AbbrTreeprocessor
from markdown.util import AtomicString


class LinearAbbrTreeprocessor(AbbrTreeprocessor):
    def iter_element(self, el, parent=None, position: int | None = None) -> None:
        for index in range(len(el) - 1, -1, -1):
            self.iter_element(el[index], el, index)
        if text := el.text:
            if not isinstance(text, AtomicString):
                for m in reversed(list(self.RE.finditer(text))):
                    if self.abbrs[m.group(0)]:
                        abbr = self.create_element(self.abbrs[m.group(0)], m.group(0), text[m.end():])
                        el.insert(0, abbr)
                        text = text[:m.start()]
                el.text = text
        if parent is not None and el.tail:
            tail = el.tail
            index = (position if position is not None else list(parent).index(el)) + 1
            if not isinstance(tail, AtomicString):
                for m in reversed(list(self.RE.finditer(tail))):
                    if self.abbrs[m.group(0)]:
                        abbr = self.create_element(self.abbrs[m.group(0)], m.group(0), tail[m.end():])
                        parent.insert(index, abbr)
                        tail = tail[:m.start()]
                el.tail = tail


class LinearAbbrExtension(AbbrExtension):
    def extendMarkdown(self, md) -> None:
        super().extendMarkdown(md)
        md.treeprocessors.register(LinearAbbrTreeprocessor(md, self.abbrs), "abbr", 7)


def makeExtension(**kwargs) -> LinearAbbrExtension:  # noqa: N802 - the name Python-Markdown looks for
    return LinearAbbrExtension(**kwargs)
