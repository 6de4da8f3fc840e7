"""Decoding: pure functions from scores (probabilities) and offset mappings to character spans.

No model here: every function takes plain numbers, so it can be tested with hand-written scores.

>>> import numpy as np
>>> text = "Japan joined PURL"
>>> offsets = [(0, 0), (0, 5), (5, 12), (12, 17), (0, 0)]       # tokenizer offsets (may include a space)
>>> labels = ["O", "B-X", "I-X"]
>>> probs = np.array([[1, 0, 0], [.9, .1, 0], [.1, .8, .1], [.9, 0, .1], [1, 0, 0]])
>>> decode_spans(probs, offsets, labels, text)
[('X', 6, 12, 0.8)]
"""
from __future__ import annotations

import sys

import numpy as np

from .chars import snap_to_graphemes

OPENERS = "([{«„“‘\"'"
CLOSERS = ")]}»“”’\"'"
PAIRS = {")": "(", "]": "[", "}": "{", "»": "«", "”": "“", "“": "„", "’": "‘"}
EDGE_PUNCT = set(".,;:!?…-–—/\\|*•·") | set(OPENERS) | set(CLOSERS)


def softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``[start, end)`` past whitespace and edge punctuation (keeping balanced brackets/quotes).

    >>> t = 'to the «Drone Coalition», said'
    >>> s, e = trim_span(t, 7, 25); t[s:e]
    '«Drone Coalition»'
    >>> s, e = trim_span(t, 8, 24); t[s:e]
    'Drone Coalition'
    """
    while start < end:
        piece = text[start:end]
        if piece[0].isspace():
            start += 1
        elif piece[-1].isspace():
            end -= 1
        elif piece[-1] in EDGE_PUNCT and not _balanced_closer(piece):
            end -= 1
        elif piece[0] in EDGE_PUNCT and not _balanced_opener(piece):
            start += 1
        else:
            break
    return start, end


def _balanced_closer(piece: str) -> bool:
    c = piece[-1]
    if c in PAIRS and PAIRS[c] in piece[:-1]:
        return True
    return c in "\"'" and piece[:-1].count(c) % 2 == 1


def _balanced_opener(piece: str) -> bool:
    c = piece[0]
    closers = [k for k, v in PAIRS.items() if v == c]
    if any(k in piece[1:] for k in closers):
        return True
    return c in "\"'" and piece[1:].count(c) % 2 == 1


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow a span that starts or ends inside a word to the whole word (subword tags can stop early).

    >>> snap_to_words("з Японією", 2, 6)
    (2, 9)
    >>> t = "вони зобов'язалися"; s, e = snap_to_words(t, 5, 11); t[s:e]    # an apostrophe inside a word
    "зобов'язалися"
    >>> snap_to_words("Japan's aid", 0, 5)
    (0, 5)
    >>> t = "прем'єр-міністр Індії"; s, e = snap_to_words(t, 0, 7); t[s:e]   # a hyphen between lower-case letters
    "прем'єр-міністр"
    """
    while start > 0 and _inside_word(text, start):
        start -= 1
    while end < len(text) and _inside_word(text, end):
        end += 1
    return start, end


APOSTROPHES = "'\u2019\u02bc"  # Ukrainian writes one word with them: зобов'язалися, об’єднання


def _cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


def _inside_word(text: str, i: int) -> bool:
    """Whether the boundary before ``text[i]`` falls inside a word: between letters or digits, at a hyphen
    between lower-case letters, or at an apostrophe between Cyrillic letters (English "Japan's" keeps its
    possessive outside the span)."""
    a, b = text[i - 1], text[i]
    if a.isalnum() and b.isalnum():
        return True
    # "прем'єр-міністр", "co-chair": a hyphen between lower-case letters joins one word; "EU-Ukraine"
    # (capitals) names two parties and stays splittable
    if b == "-":
        return a.islower() and i + 1 < len(text) and text[i + 1].islower()
    if a == "-":
        return b.islower() and i >= 2 and text[i - 2].islower()
    if b in APOSTROPHES:
        return _cyrillic(a) and i + 1 < len(text) and _cyrillic(text[i + 1])
    if a in APOSTROPHES:
        return _cyrillic(b) and i >= 2 and _cyrillic(text[i - 2])
    return False


def drop_possessive(text: str, start: int, end: int) -> tuple[int, int]:
    """Move a span that starts on the "s" of an English possessive past it (the tagger's first subword
    was "'s": "Japan's [drone plant]").

    >>> t = "Japan's drone plant"; s, e = drop_possessive(t, 6, 19); t[s:e]
    'drone plant'
    """
    if start >= 1 and text[start - 1] in APOSTROPHES and text[start:start + 1] in "sS" and \
            start + 1 < end and text[start + 1].isspace():
        start += 1
        while start < end and text[start].isspace():
            start += 1
    return start, end


def decode_spans(probs, offsets, labels, text: str, allowed=None, base: int = 0, raw: str | None = None) -> list[tuple]:
    """BIO tag probabilities ``[L, C]`` to spans ``(name, start, end, score)``.

    ``offsets[i]`` is token i's ``(start, end)`` in ``text`` (``(0, 0)`` for special tokens, which are
    skipped); ``allowed`` (bool ``[C]``) masks tags out; ``base`` is added to every offset. The score of a
    span is the mean probability of its chosen tags. An ``I-X`` with no open ``X`` starts a span.
    ``raw`` is the user's text when ``text`` is the tokenizer's view of it (same length): span edges are
    moved to its grapheme-cluster boundaries, so an accent or an emoji sequence is never cut.

    >>> decode_spans(np.array([[0, 1, 0]]), [(0, 5)], ["O", "B-X", "I-X"], "Japan\u0301 met")
    [('X', 0, 6, 1.0)]
    """
    probs = np.asarray(probs, dtype=np.float64)
    if allowed is not None:
        probs = np.where(np.asarray(allowed, bool)[None, :], probs, -1.0)
    best = probs.argmax(-1)
    spans, cur = [], None  # cur = [name, first_tok, last_tok, [scores]]

    def close():
        if cur is None:
            return
        s, e = offsets[cur[1]][0], offsets[cur[2]][1]
        s, e = snap_to_words(text, s, e)
        s, e = drop_possessive(text, *trim_span(text, s, e))
        s, e = snap_to_graphemes(raw if raw is not None else text, s, e)
        if s < e:
            spans.append((cur[0], s + base, e + base, float(np.mean(cur[3]))))

    for i, (tok_start, tok_end) in enumerate(offsets):
        if tok_start == tok_end:
            continue
        lab = labels[best[i]]
        p = probs[i, best[i]]
        if lab == "O":
            close(); cur = None
        elif lab.startswith("B-") or cur is None or cur[0] != lab[2:]:
            # one shared string per name, not a slice per span: a document with many events keeps one "place"
            close(); cur = [sys.intern(lab[2:]), i, i, [p]]
        else:
            cur[2] = i; cur[3].append(p)
    close()
    return _dedupe(spans)


def join_adjacent(spans: list[tuple], text: str, base: int = 0) -> list[tuple]:
    """Join neighbouring spans of one name that only whitespace separates (one phrase the tagger split).

    Two ``B-`` tags in a row ("Ministers | of defence of Chile", "телефонні | переговори") are one phrase:
    a list or two events always have a comma, a conjunction or a word between them. The joined score is
    the mean of the two. Offsets are into ``text`` shifted by ``base``, as :func:`decode_spans` returns.

    >>> join_adjacent([("X", 0, 3, 0.75), ("X", 4, 8, 0.25), ("X", 13, 17, 0.9)], "Ali Baba and Cleo")
    [('X', 0, 8, 0.5), ('X', 13, 17, 0.9)]
    """
    out: list[tuple] = []
    for sp in spans:
        if out and out[-1][0] == sp[0] and out[-1][2] <= sp[1] and not text[out[-1][2] - base:sp[1] - base].strip():
            prev = out[-1]
            out[-1] = (prev[0], prev[1], sp[2], (prev[3] + sp[3]) / 2)
            continue
        out.append(sp)
    return out


def _dedupe(spans: list[tuple]) -> list[tuple]:
    """Word snapping can make neighbouring spans overlap; keep the better of overlapping same-name spans."""
    out: list[tuple] = []
    for sp in spans:
        if out and out[-1][0] == sp[0] and sp[1] < out[-1][2]:
            if sp[3] > out[-1][3]:
                out[-1] = sp
            continue
        out.append(sp)
    return out


def visible_offsets(offsets, text: str) -> list[tuple[int, int]]:
    """Token offsets without the leading whitespace that metaspace tokenizers include.

    >>> visible_offsets([(0, 0), (0, 5), (5, 12)], "Japan joined")
    [(0, 0), (0, 5), (6, 12)]
    """
    out = []
    for s, e in offsets:
        if s != e:
            s += len(text[s:e]) - len(text[s:e].lstrip())
            s = min(s, e)
        out.append((s, e))
    return out


def token_mask(offsets, start: int, end: int) -> list[int]:
    """1 for tokens overlapping characters ``[start, end)``, else 0 (offsets as from :func:`visible_offsets`).

    >>> token_mask([(0, 0), (0, 5), (6, 12), (13, 17)], 6, 12)
    [0, 0, 1, 0]
    """
    return [int(s != e and s < end and start < e) for s, e in offsets]


def bio_tags(offsets, spans) -> list[str]:
    """Gold BIO tags from character spans ``(name, start, end)``: first token B, rest I, ``-`` for specials.

    Offsets as from :func:`visible_offsets`. Where spans overlap, the earlier (then longer) one wins.

    >>> bio_tags([(0, 0), (0, 5), (6, 12), (13, 17), (0, 0)], [("X", 6, 12)])
    ['-', 'O', 'B-X', 'O', '-']
    """
    tags = ["-" if s == e else "O" for s, e in offsets]
    for name, start, end in sorted(spans, key=lambda x: (x[1], -x[2])):
        first = True
        for i, m in enumerate(token_mask(offsets, start, end)):
            if m and tags[i] == "O":
                tags[i] = ("B-" if first else "I-") + name
                first = False
    return tags
