"""Comparison keys for merging: what an argument or a mention is, reduced to what can be compared.

Pure helpers for :mod:`eventx.merge`. An argument's key comes from its normalised value (country codes,
organisation ids, cities, amounts, ISO times) when it has one, and otherwise from a *fallback*: the
lower-cased, transliterated five-letter stems of its content words. Fallback stems are reliable within
one script ("Японії" / "Японии" -> ``iapon``) but say nothing across scripts ("Japan" / "Японія"),
so two fallback keys in different scripts that share no stem compare as *unknown*, not as a conflict.

>>> stems("міністр закордонних справ України Андрій Сибіга")
('ukrai', 'andri', 'sibig')
>>> stems("Министр иностранных дел Украины Андрей Сибига")
('ukrai', 'andre', 'sibig')
>>> interval("2026-W16"), interval("2026-04-08/2026-04-09")
((739719, 739725), (739714, 739715))
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from .types import ActorValue, AmountValue, PlaceValue, TimeValue

MATCH, UNKNOWN, CONFLICT = 1, 0, -1

# One transliteration for Ukrainian and Russian, so that the two spellings of a name give one stem.
_TRANSLIT = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "є": "e", "ё": "e", "э": "e",
    "ж": "zh", "з": "z", "и": "i", "і": "i", "ї": "i", "ы": "i", "й": "i", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "sch", "ь": "", "ъ": "", "ю": "iu", "я": "ia", "'": "", "’": "", "ʼ": "",
})
_WORD = re.compile(r"[^\W\d_][\w'’ʼ]*")
STEM = 5
# Office titles, generic nouns and function words: they say nothing about *which* actor is meant.
_STOP_WORDS = """
the and his her their its of for with from new minister ministers ministry foreign defence defense affairs
secretary president prime chancellor counterpart counterparts head chief colleague government state sides
parties party delegation delegations country countries leader leaders deputy general national security
adviser envoy ambassador officials official team partners partner allies side both two
країна країни країною страна страны cabinet
міністр міністра міністром міністерство закордонних справ оборони президент президента прем'єр прем’єр
голова голови колега колегою колегами сторони сторін делегація делегації уряд уряду країни країн канцлер
очільник очільника глава державний секретар посол радник заступник генеральний партнери партнерів обидві
министр министра министром министерство иностранных дел обороны премьер главой коллега коллегой коллегами
стороны сторон делегация делегации правительство страны стран госсекретарь советник заместитель
генеральный партнеры партнеров обе мзс мид глави главы голові
"""
_STOP = frozenset(w.translate(_TRANSLIT)[:STEM] for w in _STOP_WORDS.split())


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch)).translate(_TRANSLIT)


def stems(text: str) -> tuple:
    """Five-letter stems of the content words, transliterated: the fallback key of an argument."""
    out = []
    for w in _WORD.findall(text):
        s = _fold(w).replace("'", "")[:STEM]
        if len(s) >= 3 and s not in _STOP and s not in out:
            out.append(s)
    return tuple(out)


def script(text: str) -> str:
    """``"cyr"`` or ``"lat"``: which alphabet the text's letters are in (fallback keys compare within one)."""
    return "cyr" if re.search(r"[\u0400-\u04ff]", text) else "lat"


@dataclass(frozen=True, slots=True)
class Key:
    """A comparable argument: ``tokens`` (codes when ``exact``, else fallback stems), the person's office
    ``role`` (two holders of different offices of one country are different actors), and ``script``."""

    tokens: frozenset
    exact: bool
    role: str | None = None
    script: str = ""


def actor_key(arg) -> Key | None:
    """The key of an actor-like argument (participant, party, donor, recipient, joiner, mechanism)."""
    v = arg.value
    if isinstance(v, ActorValue):
        toks = {"c:" + c for c in v.countries} | ({"o:" + v.organisation} if v.organisation else set())
        if toks:
            return Key(frozenset(toks), True, v.role)
    toks = stems(arg.text)
    return Key(frozenset(toks), False, None, script(arg.text)) if toks else None


def compare(a: Key, b: Key) -> int:
    """MATCH, UNKNOWN or CONFLICT."""
    if a.tokens & b.tokens:
        return CONFLICT if a.role and b.role and a.role != b.role else MATCH
    if a.exact and b.exact:
        return CONFLICT
    if not a.exact and not b.exact and a.script == b.script:
        return CONFLICT  # same alphabet, no shared stem: different names
    return UNKNOWN  # a value against a fallback, or two alphabets: cannot tell


def covered(small: list, big: list) -> tuple[bool, int]:
    """Whether every key of ``small`` matches or may match one of ``big``, and how many surely match."""
    sure = 0
    for a in small:
        best = max((compare(a, b) for b in big), default=CONFLICT)
        if best == CONFLICT:
            return False, 0
        sure += best == MATCH
    return True, sure


def place_key(arg) -> Key | None:
    v = arg.value
    if isinstance(v, PlaceValue) and (v.city or v.country):
        # the role slot carries the country, so "Tokyo, JPN" and "JPN" match but Tokyo and Osaka do not
        return Key(frozenset({"city:" + v.city} if v.city else {"country:" + v.country}), True, v.country)
    toks = stems(arg.text)
    return Key(frozenset(toks), False, None, script(arg.text)) if toks else None


def compare_place(a: Key, b: Key) -> int:
    if a.exact and b.exact:
        if a.tokens & b.tokens:
            return MATCH
        either_country = any(t.startswith("country:") for t in a.tokens | b.tokens)
        return MATCH if either_country and a.role == b.role else CONFLICT
    return compare(a, b)


_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_SCALE = [(re.compile(p, re.I), m) for p, m in ((r"\b(?:млрд|billion|bn)\b|\d\s*bn\b", 1e9),
                                                 (r"\b(?:млн|million|mln|m)\b|\d\s*m\b", 1e6),
                                                 (r"\b(?:тис|тыс|thousand)", 1e3))]


def amount_key(arg) -> float | None:
    """An amount as one number (money or count), from its value or from the digits in its text."""
    v = arg.value
    if isinstance(v, AmountValue):
        return float(v.value)
    m = _NUMBER.search(arg.text)
    if not m:
        return None
    x = float(m.group().replace(",", "."))
    for pat, mult in _SCALE:
        if pat.search(arg.text):
            return x * mult
    return x


def amounts_conflict(a: set, b: set) -> bool:
    """Two packages of clearly different size are two packages (5% tolerance for rounding)."""
    if not a or not b:
        return False
    return not any(abs(x - y) <= 0.05 * max(abs(x), abs(y)) for x in a for y in b)


# ------------------------------------------------------------------------------------------------ time
def _day(s: str) -> int:
    return dt.date.fromisoformat(s).toordinal()


def interval(value) -> tuple | None:
    """Inclusive ``(first day, last day)`` ordinals a time value covers, or ``None`` if unknown."""
    if isinstance(value, TimeValue):
        if value.start:
            lo = _day(value.start)
            return (lo, _day(value.end) if value.end else lo + 3650)
        value = value.value
    if not isinstance(value, str) or not value:
        return None
    try:
        if "/" in value:
            a, b = (interval(p) for p in value.split("/", 1))
            return (a[0], b[1]) if a and b else None
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return (_day(value), _day(value))
        if m := re.fullmatch(r"(\d{4})-W(\d{2})", value):
            lo = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1).toordinal()
            return (lo, lo + 6)
        if m := re.fullmatch(r"(\d{4})-(\d{2})", value):
            y, mo = int(m[1]), int(m[2])
            nxt = dt.date(y + mo // 12, mo % 12 + 1, 1)
            return (dt.date(y, mo, 1).toordinal(), nxt.toordinal() - 1)
        if re.fullmatch(r"\d{4}", value):
            return (dt.date(int(value), 1, 1).toordinal(), dt.date(int(value), 12, 31).toordinal())
    except ValueError:
        return None
    return None


# Without a stated time, when can the event have taken place, given the article's date and the status?
# Reports of what happened come within days; plans and denials reach further ahead.
_WINDOW = {"happened": (-10, 0), "planned": (0, 90), "possible": (0, 180), "negated": (-30, 90)}


def window(status: str, date: int | None) -> tuple | None:
    if date is None:
        return None
    lo, hi = _WINDOW.get(status, (-30, 90))
    return (date + lo, date + hi)


def time_value(value) -> TimeValue | None:
    """A :class:`TimeValue` for a time argument's value (``extract()`` gives ISO strings today)."""
    if isinstance(value, TimeValue) or value is None:
        return value
    span = interval(value)
    if not span:
        return None
    gran = ("day" if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else "week" if "W" in value else
            "month" if re.fullmatch(r"\d{4}-\d{2}", value) else "year" if len(value) == 4 else "range")
    lo, hi = (dt.date.fromordinal(x).isoformat() for x in span)
    return TimeValue(value=value, start=lo, end=hi, granularity=gran)


def parse_date(date) -> int | None:
    if date is None:
        return None
    if isinstance(date, dt.datetime):
        date = date.date()
    if isinstance(date, dt.date):
        return date.toordinal()
    try:
        return dt.date.fromisoformat(str(date).strip()[:10]).toordinal()
    except ValueError:
        raise ValueError(f"dates must be datetime.date or ISO strings YYYY-MM-DD, got {date!r}") from None
