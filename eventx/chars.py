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
    """Grow ``[start, end)`` to whole grapheme clusters (accents, ZWJ emoji, skin tones, keycaps).

    A cluster at either edge that starts with whitespace (``" \u0301"``) or holds only invisible
    characters is left out instead, so a span never starts or ends on what the reader cannot see.
    """
    if start >= end:
        return start, end
    b = grapheme_bounds(text)
    i = bisect.bisect_right(b, start) - 1
    j = bisect.bisect_left(b, end)
    while i < j and (text[b[i]].isspace() or all(_hidden(c) for c in text[b[i]:b[i + 1]])):
        i += 1
    while j > i and (text[b[j] - 1].isspace() or all(_hidden(c) for c in text[b[j - 1]:b[j]])):
        j -= 1
    return (b[i], b[j]) if i < j else (b[i], b[i])


# Grapheme rules are pairwise except for regional-indicator pairs, emoji ZWJ sequences and Indic
# conjuncts, which look further back; none of those involves an ASCII character. So a boundary between
# two characters is certain, whatever precedes them, after an ASCII control other than CR (always a
# break), or between two ASCII characters other than CR LF. Checks near such an anchor stay local.
_ANCHOR_SCAN = 256  # how far back an anchor is looked for (longer runs only in pathological text)


def _anchor(text: str, i: int) -> int:
    """A position ``<= i`` that is certainly a cluster boundary (0 at worst; approximate past 256)."""
    lo = max(0, i - _ANCHOR_SCAN)
    while i > lo:
        a, b = text[i - 1], text[i] if i < len(text) else "\n"
        if a < "\x80" and a != "\r" and (a < " " or a == "\x7f" or b < "\x80"):
            return i
        if a == "\r" and b != "\n":
            return i
        i -= 1
    return i


def cluster_edges(text: str, i: int) -> tuple[int, int]:
    """``(first, next)``: the start of the grapheme cluster holding position ``i`` and the next start.

    Bounds as in :func:`grapheme_bounds` of the whole text, found from the nearest certain boundary, so
    checking one position costs a few characters, not the whole document.

    >>> cluster_edges(" \u0301word", 1), cluster_edges(" \u0301word", 2)
    ((0, 2), (2, 3))
    """
    n = len(text)
    if i >= n:
        return n, n
    pos = _anchor(text, i)
    while True:
        # match on a short slice: a match on the whole text costs time in its length (quadratic
        # splitting of a long line); the slice grows only for a cluster longer than itself
        width = 64
        while True:
            piece = text[pos:pos + width]
            nxt = pos + _CLUSTER.match(piece).end()
            if nxt < pos + len(piece) or pos + width >= n:
                break
            width *= 2
        if nxt > i:
            return pos, nxt
        pos = nxt


def is_boundary(text: str, i: int) -> bool:
    """Whether a grapheme cluster starts at ``i`` (``0`` and ``len(text)`` are boundaries).

    >>> is_boundary("e\u0301x", 1), is_boundary("e\u0301x", 2)
    (False, True)
    """
    return i <= 0 or i >= len(text) or cluster_edges(text, i)[0] == i


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
