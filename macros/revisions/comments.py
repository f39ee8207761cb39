"""Comments on a draft: a prefilled mailto: per activity, output and outcome (RFC 6068), in the page's language."""
from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import quote, urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ..data.model import LANGUAGES, Plan
from ..labels import fmt, labels
from ..views.render import TEMPLATES, Page
from .store import in_frozen_build

_FOOTNOTE = re.compile(r"\[\^[^\]\s]+\]")
_LINK = re.compile(r"\[([^\]]*)\]\(\s*<?([^)>\s]*)>?\s*\)")
_AUTOLINK = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]*:[^>\s]*)>")
_EMPHASIS = re.compile(r"(?<![^\W_])[*_]+|[*_]+(?![^\W_])")  # a run of * or _ at a word's edge: Markdown emphasis


def plain_text(markdown: str) -> str:
    """A Markdown text of the data as a reader sees it: no emphasis marks or footnote references, links as
    'text (address)'. The result goes into an e-mail, never into a page."""
    text = _FOOTNOTE.sub("", markdown)
    text = _LINK.sub(lambda m: f"{m.group(1)} ({m.group(2)})" if m.group(2) != m.group(1) else m.group(1), text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _EMPHASIS.sub("", text)
    return "\n".join(" ".join(line.split()) for line in text.strip().splitlines())


@lru_cache(maxsize=1)
def _mail_templates() -> Environment:
    # Plain text: nothing is escaped for HTML here, since the whole result is percent-encoded into one attribute.
    return Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=False, undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def mailto(address: str, subject: str, body: str) -> str:
    """RFC 6068: every character but the unreserved ones percent-encoded as UTF-8, spaces %20, line breaks %0D%0A."""
    body = "\r\n".join(body.splitlines())
    return f"mailto:{address}?" + urlencode({"subject": " ".join(subject.split()), "body": body}, quote_via=quote)


class CommentLinks:
    """The comment links of one page: None from `for_page` unless the revision is a draft with an address."""

    def __init__(self, plan: Plan, page: Page):
        self.plan, self.lang, self.site_url = plan, page.lang, page.site_url

    @classmethod
    def for_page(cls, plan: Plan, page: Page, printing: bool = False) -> CommentLinks | None:
        # Not in the printable plan: the PDF is the plan's text, and a link per element would interleave it.
        # Nor in a frozen revision's pages: its consultation is over, whatever its file says.
        return cls(plan, page) if plan.meta.open_for_comments and not printing and not in_frozen_build() else None

    def permalink(self, path: str) -> str:
        """Absolute with the site's address, else relative to the site root, in this page's language."""
        prefix = "" if self.lang == LANGUAGES[0] else f"{self.lang}/"
        return self.site_url + prefix + path

    def href(self, kind: str, element, pillar_id: str) -> str:
        """The mailto: for one activity, output or outcome."""
        element_name = fmt(self.lang, f"element_{kind}", id=element.id)
        permalink = self.permalink(f"pillars/{pillar_id}.html#{element.anchor}")
        return self._mail(fmt(self.lang, "comment_subject", element=element_name, **self._names()),
                          element=element_name, permalink=permalink, text=plain_text(element.text(self.lang)))

    def general_href(self) -> str:
        """The mailto: for the draft as a whole (home page)."""
        return self._mail(fmt(self.lang, "comment_subject_general", **self._names()), element=None,
                          permalink=self.permalink("index.html"), text="")

    def title(self, kind: str, element) -> str:
        return fmt(self.lang, f"comment_on_{kind}", id=element.id)

    def _names(self) -> dict:
        return {"short_title": self.plan.meta.short_title(self.lang), "version": self.plan.meta.version}

    def _mail(self, subject: str, **context) -> str:
        meta = self.plan.meta
        body = _mail_templates().get_template("comment_mail.txt").render(
            t=labels(self.lang), version=meta.version, revision=meta.revision(self.lang), **context)
        return mailto(meta.consultation.email, subject, body)
