"""The escaping path's character rule, checked against its plain definition on random and hostile texts."""
from __future__ import annotations

import random

from macros.views import render

PLAIN = "&<>\"'\\`*_{}[]()!|~^=#$@"
MARKDOWN = "&<>\"'\\`{}|~=$@"
ALPHABET = list("ab_Z09 *&<>\"'\\`{}[]()!|~^=#$@é٣²ⅷ\u0301\u00a0\u202f\n\t") + ["_"] * 6


def reference(text: str, escaped: str) -> str:
    """Every listed character as a numeric entity, except an underscore with a letter or digit on both sides."""
    last = len(text) - 1
    return "".join(c if c == "_" and 0 < i < last and text[i - 1].isalnum() and text[i + 1].isalnum()
                   else f"&#{ord(c)};" if c in escaped else c for i, c in enumerate(text))


def test_the_fast_escape_is_the_character_rule():
    rng = random.Random(15)
    texts = ["", "_", "__", "a_b", "_a_", "a__b", "in_progress_", "é_٣", "a_\u0301", "x_²", "ⅷ_ⅷ"]
    texts += ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 16))) for _ in range(20000)]
    for text in texts:
        assert render._escape(text, render._PLAIN_ESCAPES) == reference(text, PLAIN), repr(text)
        assert render._escape(text, render._MARKDOWN_ESCAPES) == reference(text, MARKDOWN), repr(text)


def test_plain_text_keeps_ids_readable_and_shows_markup_as_text():
    assert render.plain("status in_progress") == "status in_progress"
    assert render.plain("_x_ <b>") == "&#95;x&#95; &#60;b&#62;"
