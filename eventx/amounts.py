"""Amounts: money (ISO 4217 currency) or a count of things, from uk/ru/en text.

>>> normalize_amount("470 млн доларів")
AmountValue(value=470000000.0, currency='USD', unit=None, approximate=False)
>>> normalize_amount("понад 200 мільйонів євро").approximate, normalize_amount("$1,5 млрд").value
(True, 1500000000.0)
>>> normalize_amount("40 vehicles")
AmountValue(value=40.0, currency=None, unit='vehicles', approximate=False)
>>> normalize_amount("кілька мільйонів доларів") is None   # no number: malformed for our purpose
True
"""
from __future__ import annotations

import re
from functools import lru_cache

from .lexicon import Entry, Lexicon, match, read_tsv
from .morph import clean, parses, tokens
from .types import AmountValue

_SCALES = [  # (stems, factor); stems are matched at the start of a lower-case word
    (("тис", "тыс", "тисяч", "тысяч", "thousand", "k"), 1e3),
    (("млн", "мільйон", "миллион", "million", "mln", "mn", "m"), 1e6),
    (("млрд", "мільярд", "миллиард", "billion", "bn", "b"), 1e9),
    (("трлн", "трильйон", "триллион", "trillion", "tn"), 1e12),
]
_HALF = ("пів", "пол", "half")  # "півмільярда", "полмиллиона", "half a billion"
_ONE_AND_HALF = ("півтор", "полтор")
_APPROX = {"понад", "більше", "більш", "майже", "близько", "приблизно", "орієнтовно", "до", "щонайменше",
           "свыше", "более", "почти", "около", "примерно", "порядка", "около", "до", "не менее",
           "over", "more", "about", "around", "almost", "nearly", "roughly", "approximately", "some", "up",
           "least", "~", "≈", "під", "under", "менше", "менее", "less"}
_WORD_NUMBERS = {
    "один": 1, "одна": 1, "одну": 1, "два": 2, "дві": 2, "две": 2, "три": 3, "чотири": 4, "четыре": 4,
    "п'ять": 5, "пять": 5, "шість": 6, "шесть": 6, "сім": 7, "семь": 7, "вісім": 8, "восемь": 8,
    "дев'ять": 9, "девять": 9, "десять": 10, "двадцять": 20, "двадцать": 20, "тридцять": 30, "тридцать": 30,
    "сорок": 40, "п'ятдесят": 50, "пятьдесят": 50, "сто": 100,
    "one": 1, "a": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100,
    "dozen": 12,
}
# a number: digits with optional thousands groups (space, comma, point) and a decimal part
_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:([ ,.])\d{3})+|\d+)(?:([.,])(\d+))?(?![\d])")
_STOP_UNIT = {"of", "for", "to", "with", "and", "from", "worth", "для", "на", "з", "із", "до", "та", "і", "й",
              "и", "для", "в", "у", "по"}


@lru_cache(maxsize=1)
def _currencies() -> Lexicon:
    lex = Lexicon()
    for code, forms in read_tsv("currencies.tsv"):
        for f in forms.split("|"):
            if f.strip():
                lex.add(f.strip(), Entry("currency", org=code))
    return lex


def _number(m: re.Match, has_scale: bool) -> float:
    whole, sep, dsep, frac = m.group(1), m.group(2), m.group(3), m.group(4)
    if sep and not dsep and has_scale and len(whole.split(sep)) == 2 and sep in ",.":
        return float(whole.replace(sep, "."))  # "1,500 млрд": a decimal comma before a scale word
    value = float(whole.replace(sep, "")) if sep else float(whole)
    if dsep:
        value += float("0." + frac)
    return value


def _scale(word: str) -> float | None:
    w = word.lower().rstrip(".")
    for stems, factor in _SCALES:
        for s in stems:
            if (len(s) <= 3 and w == s) or (len(s) > 3 and w.startswith(s)):
                return factor
    return None


def _half_scale(word: str) -> float | None:
    w = word.lower()
    for pre, mult in ((_ONE_AND_HALF, 1.5), (_HALF, 0.5)):
        for p in pre:
            if w.startswith(p) and len(w) > len(p) + 2:
                f = _scale(w[len(p):].lstrip("-"))
                if f:
                    return mult * f
    return None


def _unit(toks, lang) -> str | None:
    """The counted thing: the first noun after the number (its lemma in uk/ru, as written in English)."""
    words = [t for t in toks if t.text[:1].isalpha()]
    run = []
    for t in words:
        if t.low in _STOP_UNIT:
            break
        run.append(t)
    for t in run:
        ps = parses(t.text, lang)
        if ps and "NOUN" in str(ps[0].tag):
            return ps[0].normal_form
    latin = [t for t in run if not parses(t.text, lang)]
    return latin[-1].low if latin and len(latin) == len(run) else (run[-1].low if run else None)


def normalize_amount(text: str, lang: str | None = None) -> AmountValue | None:
    """Money or a quantity, or ``None`` when no number can be read."""
    t = clean(text)
    t = re.sub(r"(?<=\d)\s+(?=\d{3}\b)", " ", t)
    # glue "EUR800", "$1.5bn", "1,5млрд" apart so that words and numbers are separate tokens
    t = re.sub(r"(?<=[A-Za-z$€£¥₴₽])(?=\d)|(?<=\d)(?=[^\W\d_])", " ", t)
    words = [w.lower() for w in re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?|[~≈$€£¥₴₽]", t)]
    approximate = any(w in _APPROX for w in words)
    toks = tokens(t)
    cur = [m.entry.org for m in match(toks, _currencies())]
    currency = cur[0] if cur else None
    scale_words = [w for w in words if _scale(w)]
    nums = list(_NUMBER.finditer(t))
    if len(nums) > 1 and not re.search(r"\d\s*[-–—]\s*\d", t):
        return None  # "1,2,3 млн" or two figures: not one amount
    if nums:
        m = nums[0]
        after = t[m.end():]
        first_after = re.findall(r"[^\W\d_]+", after)[:1]
        scale = _scale(first_after[0]) if first_after and _scale(first_after[0]) else None
        value = _number(m, bool(scale)) * (scale or 1)
        rest = [tok for tok in tokens(after) if not _scale(tok.text) and tok.text[:1].isalpha()]
    else:
        half = next((_half_scale(w) for w in words if _half_scale(w)), None)
        for i, w in enumerate(words[:-1]):  # "півтора мільярда", "пів мільйона", "half a billion"
            nxt = words[i + 2] if w == "half" and words[i + 1] == "a" and i + 2 < len(words) else words[i + 1]
            mult = 1.5 if w.startswith(_ONE_AND_HALF) else 0.5 if w in ("пів", "пол", "half") else None
            if mult and _scale(nxt):
                half = mult * _scale(nxt)
        word_num = next((_WORD_NUMBERS[w] for w in words if w in _WORD_NUMBERS and w != "a"), None)
        if half:
            value = half
        elif word_num is not None:
            scale = next((_scale(w) for w in words if _scale(w)), None)
            value = word_num * (scale or 1)
        elif scale_words and (re.search(r"\b(a|one|один|одна)\s", t.lower()) or words[:1] and words[0] in (
                "мільйон", "мільярд", "миллион", "миллиард", "тисячу", "тысячу", "трильйон", "триллион")):
            value = _scale(scale_words[0])  # "мільйон доларів": the singular scale word is one of it
        else:
            return None
        idx = max(i for i, tok in enumerate(toks) if tok.low in _WORD_NUMBERS or _half_scale(tok.text) or _scale(tok.text)) \
            if any(tok.low in _WORD_NUMBERS or _half_scale(tok.text) or _scale(tok.text) for tok in toks) else 0
        rest = [tok for tok in toks[idx + 1:] if tok.text[:1].isalpha()]
    if value <= 0:
        return None
    unit = None
    if currency is None:
        unit = _unit([tok for tok in rest if tok.low not in _APPROX], lang)
        if unit is None:
            return None  # a bare number: nothing says what it counts
    return AmountValue(value=float(value), currency=currency, unit=unit, approximate=approximate)
