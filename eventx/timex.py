"""Normalising ``time`` arguments to ISO-8601 (Ukrainian, Russian, English).

Returns a date (``2026-04-08``), a month (``2026-04``), a year (``2026``), an ISO week (``2026-W16``),
or ``None`` when the expression cannot be resolved (for example a relative one with no anchor date).

>>> import datetime as dt
>>> d = dt.date(2026, 4, 8)            # a Wednesday
>>> normalize_time("8 квітня", d), normalize_time("сьогодні", d), normalize_time("в пятницу", d)
('2026-04-08', '2026-04-08', '2026-04-10')
>>> normalize_time("8-9 квітня", d)
'2026-04-08/2026-04-09'
>>> normalize_time("in early May 2025", d), normalize_time("next week", d), normalize_time("у 2027 році")
('2025-05', '2026-W16', '2027')
"""
from __future__ import annotations

import datetime as dt
import re

_MONTHS = {
    1: ("січ", "янв", "jan"), 2: ("лют", "фев", "feb"), 3: ("берез", "март", "марта", "марте", "mar"),
    4: ("квіт", "апр", "apr"), 5: ("трав", "мая", "мае", "май", "may"), 6: ("черв", "июн", "jun"),
    7: ("лип", "июл", "jul"), 8: ("серп", "авг", "aug"), 9: ("верес", "сент", "sep"),
    10: ("жовт", "окт", "oct"), 11: ("листопад", "нояб", "nov"), 12: ("груд", "дек", "dec"),
}
_WEEKDAYS = {
    0: ("понеділ", "понедель", "monday"), 1: ("вівтор", "вторник", "tuesday"), 2: ("серед", "сред", "wednesday"),
    3: ("четвер", "thursday"), 4: ("п'ятниц", "пʼятниц", "п’ятниц", "пятниц", "friday"),
    5: ("субот", "суббот", "saturday"), 6: ("неділ", "воскресен", "sunday"),
}
_RELATIVE_DAYS = {
    0: ("сьогодні", "сегодня", "today", "тонight", "tonight", "нині", "ныне"),
    -1: ("вчора", "вчера", "yesterday", "учора"),
    1: ("завтра", "tomorrow"),
    -2: ("позавчора", "позавчера"),
    2: ("післязавтра", "послезавтра"),
}
_NEXT = ("наступн", "следующ", "next", "майбутн", "будущ", "coming")
_LAST = ("минул", "прошл", "last", "past", "попередн", "previous")
_THIS = ("цього", "цьому", "этой", "этом", "этого", "this", "поточн", "текущ", "нинішн")


def _month(word: str) -> int | None:
    w = word.lower()
    if w.startswith(_NEXT + _LAST + _THIS):
        return None
    for m, stems in _MONTHS.items():
        if any(w.startswith(s) for s in stems):
            return m
    return None


def _anchor_needed(anchor, fn):
    return fn(anchor) if anchor else None


def normalize_time(text: str, anchor: dt.date | None = None) -> str | None:
    """ISO-8601 value of a time expression, relative to ``anchor`` (the article date) when needed."""
    t = text.lower().replace("\u00a0", " ").strip()
    words = re.findall(r"[\w'ʼ’]+", t)
    # explicit numeric dates
    m = re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", t)
    if m:
        return _safe(int(m[1]), int(m[2]), int(m[3]))
    m = re.search(r"\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b", t)
    if m:
        return _safe(int(m[3]), int(m[2]), int(m[1]))
    year_m = re.search(r"\b(19\d\d|20\d\d)\b", t)
    year = int(year_m[1]) if year_m else None
    # day + month name ("8 квітня", "April 8", "8th of April")
    month_idx = next(((i, _month(w)) for i, w in enumerate(words) if _month(w) and not w.isdigit()), None)
    if month_idx:
        i, month = month_idx
        day = None
        for j in (i - 1, i - 2, i + 1):
            if 0 <= j < len(words):
                d = re.match(r"^(\d{1,2})(?:st|nd|rd|th|-?го|-?е)?$", words[j])
                if d and 1 <= int(d[1]) <= 31:
                    day = int(d[1])
                    break
        y = year or (anchor.year if anchor else None)
        if y is None:
            return None
        rng = re.search(r"(?<![\d.])(\d{1,2})\s*[-–—]\s*(\d{1,2})(?![\d.])", t)
        if rng:
            first, last = _safe(y, month, int(rng[1])), _safe(y, month, int(rng[2]))
            return f"{first}/{last}" if first and last else None
        return _safe(y, month, day) if day else f"{y:04d}-{month:02d}"
    for offset, forms in _RELATIVE_DAYS.items():
        if any(w in forms for w in words):
            return _anchor_needed(anchor, lambda a: (a + dt.timedelta(days=offset)).isoformat())
    for wd, stems in _WEEKDAYS.items():
        if any(w.startswith(s) for s in stems for w in words):
            if not anchor:
                return None
            delta = wd - anchor.weekday()
            if any(w.startswith(_NEXT) for w in words):
                delta += 7 if delta <= 0 else 0
            elif any(w.startswith(_LAST) for w in words):
                delta -= 7 if delta >= 0 else 0
            elif delta > 3:
                delta -= 7
            elif delta < -3:
                delta += 7
            return (anchor + dt.timedelta(days=delta)).isoformat()
    unit = next((u for w in words for u, stems in (("week", ("тижн", "тиждень", "недел", "week")),
                                                      ("month", ("місяц", "месяц", "month")),
                                                      ("year", ("рок", "році", "год", "году", "year")))
                 if any(w.startswith(s) for s in stems)), None)
    if unit and not year:
        shift = 1 if any(w.startswith(_NEXT) for w in words) else -1 if any(w.startswith(_LAST) for w in words) \
            else 0 if any(w.startswith(_THIS) for w in words) else None
        if shift is None or not anchor:
            return None
        if unit == "week":
            y, w, _ = (anchor + dt.timedelta(weeks=shift)).isocalendar()
            return f"{y:04d}-W{w:02d}"
        if unit == "month":
            mo = anchor.month - 1 + shift
            return f"{anchor.year + mo // 12:04d}-{mo % 12 + 1:02d}"
        return f"{anchor.year + shift:04d}"
    if year:
        return f"{year:04d}"
    return None


def _safe(y: int, m: int, d: int | None) -> str | None:
    try:
        return dt.date(y, m, d or 1).isoformat() if d else f"{y:04d}-{m:02d}"
    except ValueError:
        return None
