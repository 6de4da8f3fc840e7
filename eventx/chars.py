"""Character-level safety: what the tokenizer sees, grapheme-cluster edges, and safe echoing.

All three keep string lengths (and so every offset) unchanged or work on offsets only.

>>> tokenizer_view("\\x01Japan\\u200bjoined\\ud848")
' Japan joined '
>>> text = "Japan\\u0301 joined"
>>> snap_to_graphemes(text, 0, 5)
(0, 6)
>>> escape_control("model\\x1b[31m.json")
'model\\\\x1b[31m.json'
"""
from __future__ import annotations

import bisect
import functools
import unicodedata

import regex

# Control, format, surrogate, private-use and unassigned characters. Tokenizers drop or choke on them
# (a lone surrogate is a TypeError; a dropped leading control character shifts every later offset
# by one), so the tokenizer sees a space in their place: same length, so offsets stay exact.
_HIDDEN = frozenset(("Cc", "Cf", "Cs", "Co", "Cn"))
_KEEP = frozenset("\t\n\r")


@functools.lru_cache(maxsize=65536)
def _hidden(ch: str) -> bool:
    return ch not in _KEEP and unicodedata.category(ch) in _HIDDEN


def tokenizer_view(text: str) -> str:
    """``text`` with control/format/surrogate characters replaced by spaces (same length)."""
    table = {ord(c): " " for c in set(text) if _hidden(c)}
    return text.translate(table) if table else text


_CLUSTER = regex.compile(r"\X")


@functools.lru_cache(maxsize=32)
def grapheme_bounds(text: str) -> tuple[int, ...]:
    """Offsets where a grapheme cluster starts, plus ``len(text)``.

    >>> grapheme_bounds("e\\u0301👍🏽!")
    (0, 2, 4, 5)
    """
    return tuple(m.start() for m in _CLUSTER.finditer(text)) + (len(text),)


def snap_to_graphemes(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow ``[start, end)`` to whole grapheme clusters (accents, ZWJ emoji, skin tones, keycaps)."""
    if start >= end:
        return start, end
    b = grapheme_bounds(text)
    s = b[bisect.bisect_right(b, start) - 1]
    e = b[bisect.bisect_left(b, end)]
    if text[s].isspace():  # a cluster such as " \u0301" starts with a space: leave it out instead
        s = b[bisect.bisect_right(b, start)]
    return s, max(s, e)


_ESCAPES = {i: f"\\x{i:02x}" for i in list(range(0x20)) + list(range(0x7f, 0xa0))}


def escape_control(s: str) -> str:
    """``s`` with terminal control characters (ESC, CR, C1...) and surrogates shown as escapes."""
    s = str(s).translate(_ESCAPES)
    if any(_hidden(c) and unicodedata.category(c) == "Cs" for c in s):
        s = s.encode("utf-8", "backslashreplace").decode("utf-8")
    return s


def decode_utf8(data: bytes, name: str) -> str:
    """Strict UTF-8 decoding; the error names the line and the byte offset (from 0) of the bad byte.

    >>> decode_utf8(b"ok\\nbad \\xff here", "in.txt")
    Traceback (most recent call last):
    ...
    ValueError: in.txt:2: not UTF-8 text (invalid start byte at byte 7)
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise ValueError(escape_control(f"{name}:{line}: not UTF-8 text ({e.reason} at byte {e.start})")) from None
