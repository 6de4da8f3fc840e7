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


def _is_boundary(line: str, end_pos: int, match: re.Match) -> bool:
    punct = match.group()
    rest = line[end_pos:]
    if match.group()[0] in "。！？":
        # 「…。」と述べた: a closing quote after 。 continues the sentence
        return not rest or rest[0] not in "」』）)\"”’»"
    if not rest or not rest[0].isspace():
        return False
    nxt = rest.lstrip()
    if not nxt:
        return False
    if punct[0] in "!?…" or len(punct.rstrip("\"'»”’)]")) > 1:
        return nxt[0].isupper() or nxt[0] in "\"«“„'(–—-" or nxt[0].isdigit()
    # a single '.': look at the word before it
    before = line[:match.start()]
    word = re.search(r"([\w.]+)$", before)
    w = word.group(1).lower() if word else ""
    if w in ABBREVIATIONS or (len(w) == 1 and w.isalpha()):
        return False
    if re.fullmatch(r"(?:\w\.)+\w", w):  # U.S, e.g
        return False
    if w.isdigit() and nxt[0].isdigit():
        return False
    return nxt[0].isupper() or nxt[0] in "\"«“„'(–—-" or nxt[0].isdigit()


def split_sentences(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence in ``text``, end-exclusive, without surrounding whitespace."""
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
        piece = text[s:e]
        ls = len(piece) - len(piece.lstrip())
        rs = len(piece) - len(piece.rstrip())
        if s + ls < e - rs:
            result.append((s + ls, e - rs))
    return result
