"""Tokens and lemmas for normalisation: Ukrainian and Russian through pymorphy3, English by light rules.

>>> [t.text for t in tokens("у бельгійському Монсі")]
['у', 'бельгійському', 'Монсі']
>>> sorted(lemmas("Польщі", "uk"))
['польща', 'польщі']
>>> guess_lang("Естонії"), guess_lang("Эстонии"), guess_lang("Estonia's")
('uk', 'ru', 'en')
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# apostrophes vary between sources; one form keeps the lexicon keys simple
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'", "‘": "'"})
_TOKEN = re.compile(r"[^\W\d_]+(?:['\-][^\W\d_]+)*|\d+(?:[.,]\d+)*|[^\w\s]", re.UNICODE)


@dataclass(frozen=True)
class Token:
    text: str
    start: int

    @property
    def low(self) -> str:
        return self.text.lower()

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()


def clean(text: str) -> str:
    """Unify apostrophes and spaces (non-breaking, thin) so that rules see one form."""
    return re.sub(r"[\u00a0\u2009\u202f\u2007]", " ", text.translate(_APOSTROPHES))


def tokens(text: str) -> list[Token]:
    """Words, numbers and punctuation marks, in order."""
    return [Token(m.group(), m.start()) for m in _TOKEN.finditer(clean(text))]


def guess_lang(text: str) -> str | None:
    """``uk``/``ru`` from letters only one of them has, ``en`` for Latin text, else ``None`` (Cyrillic, unclear)."""
    low = text.lower()
    if re.search(r"[іїєґ']", low) and re.search(r"[а-я]", low):
        return "uk"
    if re.search(r"[ыэъё]", low):
        return "ru"
    if re.search(r"[а-я]", low):
        return None
    return "en" if re.search(r"[a-z]", low) else None


@lru_cache(maxsize=2)
def _analyzer(lang: str):
    try:
        import pymorphy3
    except ImportError as e:  # a core dependency, but say what is missing if someone trimmed it
        raise ImportError("eventx normalisation needs pymorphy3 with pymorphy3-dicts-uk and pymorphy3-dicts-ru: "
                          "pip install pymorphy3 pymorphy3-dicts-uk pymorphy3-dicts-ru") from e
    return pymorphy3.MorphAnalyzer(lang=lang)


@lru_cache(maxsize=65536)
def lemmas(word: str, lang: str | None = None) -> frozenset:
    """Every lemma a word may have (all parses), plus its lower-case form; English: possessive and plural stripped."""
    low = clean(word).lower()
    out = {low}
    if not re.search(r"[а-яіїєґё]", low):
        if low.endswith("'s"):
            out.add(low[:-2])
        elif low.endswith("s'"):
            out.add(low[:-1])
        elif low.endswith("s") and len(low) > 3:  # plurals: "dollars", "Americans"
            out.add(low[:-1])
        return frozenset(out)
    langs = ("uk", "ru") if lang not in ("uk", "ru") else (lang,)
    known = False
    for lg in langs:
        for p in _analyzer(lg).parse(low)[:4]:
            out.add(p.normal_form.replace("ё", "е"))
            known = known or p.is_known
    if not known and len(low) > 4:  # foreign names the dictionaries lack ("Джидді"): undo the usual case endings
        for end, repl in _ENDINGS:
            if low.endswith(end):
                out.add(low[:-len(end)] + repl)
    return frozenset(out)


_ENDINGS = [("ії", "ія"), ("ії", "ія"), ("ією", "ія"), ("ою", "а"), ("ею", "я"), ("ой", "а"), ("ей", "я"), ("ом", ""),
            ("ем", ""), ("і", "а"), ("і", ""), ("ї", "я"), ("е", "а"), ("е", ""), ("и", "а"), ("ы", "а"), ("у", ""),
            ("а", ""), ("ю", "я"), ("у", "а")]


@lru_cache(maxsize=65536)
def parses(word: str, lang: str | None = None) -> tuple:
    """pymorphy3 parses (uk or ru) of a Cyrillic word; ``()`` for other words."""
    low = clean(word).lower()
    if not re.search(r"[а-яіїєґё]", low):
        return ()
    lg = lang if lang in ("uk", "ru") else guess_lang(low)
    if lg in ("uk", "ru"):
        return tuple(_analyzer(lg).parse(low)[:4])
    # letters both languages share: take the language that knows the word
    uk, ru = _analyzer("uk").parse(low)[:4], _analyzer("ru").parse(low)[:4]
    return tuple(ru if ru[0].is_known and not uk[0].is_known else uk)


def key_lemma(word: str, lang: str | None = None) -> str:
    """One canonical lemma (the first parse's) for building lexicon keys."""
    p = parses(word, lang)
    return p[0].normal_form.replace("ё", "е") if p else clean(word).lower()
