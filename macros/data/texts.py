"""The plan's bilingual texts as they stand in the raw data: every {fr, en} mapping, where it is and its name."""
from __future__ import annotations

from collections.abc import Iterator, Mapping

# List items are named by the first of these keys they have (updates by their period); else by position.
_ITEM_KEYS = ("id", "period", "number")


def bilingual_texts(data: object, path: tuple = (), name: tuple = ()) -> Iterator[tuple[tuple, str, Mapping]]:
    """(position path, stable name, mapping) for every mapping holding an `fr` or `en` text, in document order.

    The stable name is built from ids, not list positions (`pillars/1/outcomes/1.1/outputs/1.1.1/text`), so it
    survives insertions. Works on plain data and on ruamel's round-trip mappings alike.
    """
    if isinstance(data, Mapping):
        if isinstance(data.get("fr"), str) or isinstance(data.get("en"), str):
            yield path, "/".join(name), data
            return
        for key, value in data.items():
            yield from bilingual_texts(value, path + (key,), name + (str(key),))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            label = next((str(item[k]) for k in _ITEM_KEYS if isinstance(item, Mapping) and k in item
                          and isinstance(item[k], (str, int))), str(index))
            yield from bilingual_texts(item, path + (index,), name + (label,))
