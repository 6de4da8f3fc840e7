"""Sentence segmentation with character offsets into the original text.

Lines are always boundaries (headlines, datelines, list items, page clutter); inside a line a sentence
ends at ``.``, ``!``, ``?`` or ``…`` (optionally followed by closing quotes or brackets) when the next
word starts a new sentence. Abbreviations, initials and numbers do not end sentences. Scripts without
spaces (CJK) end sentences at ``。！？``.

>>> text = "КИЇВ, 8 квітня. Міністр зустрівся з колегою.\\nЧитайте також: Ген. Накатані прибув до Києва"
>>> [text[s:e] for s, e in split_sentences(text)]
['КИЇВ, 8 квітня.', 'Міністр зустрівся з колегою.', 'Читайте також: Ген. Накатані прибув до Києва']
"""
from __future__ import annotations

import re

from .chars import _hidden, cluster_edges

ABBREVIATIONS = {
    # en
    "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "maj", "capt", "sgt", "adm", "gov", "sen", "rep",
    "st", "no", "vs", "etc", "inc", "ltd", "co", "corp", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "e.g", "i.e", "approx", "est", "dept", "min",
    # uk / ru
    "м", "г", "р", "рр", "гг", "ст", "вул", "ул", "пл", "обл", "тис", "тыс", "млн", "млрд", "грн", "руб",
    "дол", "долл", "коп", "т", "д", "п", "пп", "див", "см", "ген", "проф", "акад", "ім", "им", "напр",
    "др", "тел", "с", "о", "просп", "пров", "пер", "наб", "кв", "зам", "заст", "нач", "ред", "англ",
}

_END = re.compile(r"[.!?…]+[\"'»”’)\]]*|[。！？]+")
_LINE = re.compile(r"[^\r\n]+")
_SPACE = re.compile(r"\s*")
_WORD_CHARS = 40  # how far back the word before a '.' is read (abbreviations and initials are short)
MAX_SENTENCE_CHARS = 2000  # longer "sentences" (page dumps without punctuation) are cut at whitespace


def _word_before(line: str, pos: int) -> str:
    """The run of word characters and dots ending at ``pos`` (at most ``_WORD_CHARS`` of it)."""
    i = pos
    while i > 0 and pos - i < _WORD_CHARS and (line[i - 1].isalnum() or line[i - 1] in "._"):
        i -= 1
    return line[i:pos]


def _is_boundary(line: str, end_pos: int, match: re.Match) -> bool:
    # Works on positions, never on slices of the rest of the line: a slice per match made splitting
    # quadratic in the line length.
    punct = match.group()
    if punct[0] in "。！？":
        # 「…。」と述べた: a closing quote after 。 continues the sentence
        return end_pos >= len(line) or line[end_pos] not in "」』）)\"”’»"
    if end_pos >= len(line) or not line[end_pos].isspace():
        return False
    k = _SPACE.match(line, end_pos).end()
    if k >= len(line):
        return False
    nxt = line[k]
    if punct[0] in "!?…" or len(punct.rstrip("\"'»”’)]")) > 1:
        return nxt.isupper() or nxt in "\"«“„'(–—-" or nxt.isdigit()
    # a single '.': look at the word before it
    w = _word_before(line, match.start()).lower()
    if w in ABBREVIATIONS or (len(w) == 1 and w.isalpha()):
        return False
    if re.fullmatch(r"(?:\w\.)+\w", w):  # U.S, e.g
        return False
    if w.isdigit() and nxt.isdigit():
        return False
    return nxt.isupper() or nxt in "\"«“„'(–—-" or nxt.isdigit()


def _cap(text: str, s: int, e: int, limit: int):
    """Cut ``[s, e)`` into pieces of at most ``limit`` characters, at the last whitespace before the limit."""
    while e - s > limit:
        cut = s + limit
        space = text.rfind(" ", s + limit // 2, cut)
        if space < 0:
            space = max(text.rfind(c, s + limit // 2, cut) for c in "\t\u00a0\u3000")
        if space > s:
            cut = space
        else:  # no whitespace at all: cut on a grapheme-cluster edge at or before the limit
            first = cluster_edges(text, cut)[0]
            if first > s:
                cut = first
        yield s, cut
        s = cut
    yield s, e


def split_sentences(text: str, max_chars: int = MAX_SENTENCE_CHARS) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence in ``text``, end-exclusive, without surrounding whitespace
    or invisible characters.

    Linear in the length of the text. A sentence longer than ``max_chars`` is cut into pieces (at
    whitespace where there is some), which bounds what one pathological "sentence" costs.

    >>> pieces = split_sentences("word " * 1000, max_chars=1000)
    >>> len(pieces), max(e - s for s, e in pieces) <= 1000
    (6, True)
    """
    out = []
    for line in _LINE.finditer(text):
        s0, body = line.start(), line.group()
        start = 0
        for m in _END.finditer(body):
            if _is_boundary(body, m.end(), m):
                out.append((s0 + start, s0 + m.end()))
                start = m.end()
        out.append((s0 + start, s0 + len(body)))
    result = []
    for s, e in out:
        s, e = _strip(text, s, e)
        if s >= e:
            continue
        for a, b in _cap(text, s, e, max_chars):
            a, b = _strip(text, a, b)
            if a < b:
                result.append((a, b))
    return result


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    """``[s, e)`` without whitespace or invisible characters (controls, BOM, zero-width) at either end:
    a sentence then reads the same to the model whatever junk precedes it. Both ends fall on grapheme
    cluster boundaries of the whole text, so the clusters decoding sees in a sentence are the text's."""
    while True:
        while s < e and (text[s].isspace() or _hidden(text[s])):
            s += 1
        if s >= e:
            return s, e
        first, nxt = cluster_edges(text, s)
        if first == s:
            break
        # s is inside a cluster that starts with whitespace or an invisible character (" \u0301",
        # "\ud848\u0329"): that cluster is no part of a span, so the sentence starts after it
        s = nxt
    while e > s and (text[e - 1].isspace() or _hidden(text[e - 1])):
        e -= 1
    if s < e < len(text):
        # a stripped zero-width joiner or mark may still extend the last visible cluster ("Ǔ\u200c"):
        # the sentence keeps the whole cluster, so no span edge inside it can cut it
        first, nxt = cluster_edges(text, e)
        if first != e:
            e = nxt
    return s, e


def count_sentences(texts, stop_after: int | None = None) -> int:
    """How many sentences ``texts`` hold; once the count passes ``stop_after``, the rest is not split.

    >>> count_sentences(["One. Two.", "Three."]), count_sentences(["One. Two.", "Three."], stop_after=1)
    (3, 2)
    """
    n = 0
    for text in texts:
        n += len(split_sentences(text))
        if stop_after is not None and n > stop_after:
            break
    return n
