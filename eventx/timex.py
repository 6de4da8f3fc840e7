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

from .types import TimeValue

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


# ---------------------------------------------------------------------------------------------- typed values
# Seasons are meteorological (spring = March-May); winter Y runs from December Y to February Y+1.
_SEASONS = {
    "SP": ({"весна", "весни", "весну", "весною", "навесні", "весной", "весны", "spring"}, 3),
    "SU": ({"літо", "літа", "літом", "влітку", "улітку", "лето", "летом", "summer"}, 6),
    "FA": ({"осінь", "осені", "осінню", "восени", "осень", "осенью", "осени", "autumn", "fall"}, 9),
    "WI": ({"зима", "зими", "зиму", "зимою", "взимку", "узимку", "зимой", "зимы", "winter"}, 12),
}
_ORDINALS = {1: ("перш", "перв", "first", "1", "i"), 2: ("друг", "втор", "second", "2", "ii"),
             3: ("трет", "third", "3", "iii"), 4: ("четверт", "fourth", "4", "iv")}
_PARTS = {  # part of a month or year: (first day of month, last day) or, for a year, (first month, last month)
    # (leading prepositions are already stripped: "на початку" arrives as "початку")
    "early": (("початку", "начале", "early", "the beginning of", "beginning of", "the start of", "start of"),
              (1, 10), (1, 4)),
    "mid": (("посередині", "середині", "середине", "mid-", "mid ", "the middle of", "middle of"), (11, 20), (5, 8)),
    "late": (("наприкінці", "кінці", "конце", "late", "the end of", "end of"), (21, 31), (9, 12)),
}
_BY = ("до кінця", "до конца", "к концу", "by the end of", "before the end of", "until the end of", "by end of")
_OPEN_END = ("до", "by", "until", "till", "before", "не пізніше", "не позднее", "не пізніше ніж", "no later than")
_OPEN_START = ("з", "із", "зі", "с", "со", "since", "from", "starting", "починаючи з", "начиная с", "після", "после",
               "after", "від")
_RANGE_SEP = re.compile(r"\s*[–—]\s*|(?<=\d)\s*-\s*(?=\d|[^\W\d_])|(?<=[^\W\d_])-(?=[^\W\d_]+\b)|\s+(?:по|до|to|until|till|through|and|і|и|та)\s+")
_RELATIVE_WORDS = _NEXT + _LAST + _THIS + tuple(f for fs in _RELATIVE_DAYS.values() for f in fs)


def _last_day(y: int, m: int) -> int:
    return (dt.date(y + m // 12, m % 12 + 1, 1) - dt.timedelta(days=1)).day


def _from_value(value: str | None) -> TimeValue | None:
    """A TimeValue for an ISO value string (day, day range, ISO week, month, year)."""
    if not value:
        return None
    if "/" in value:
        a, b = (_from_value(v) for v in value.split("/"))
        return TimeValue(value, a.start, b.end, a.granularity) if a and b else None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return TimeValue(value, value, value, "day")
    m = re.fullmatch(r"(\d{4})-W(\d{2})", value)
    if m:
        monday = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
        return TimeValue(value, monday.isoformat(), (monday + dt.timedelta(days=6)).isoformat(), "week")
    m = re.fullmatch(r"(\d{4})-(\d{2})", value)
    if m:
        y, mo = int(m[1]), int(m[2])
        return TimeValue(value, f"{value}-01", f"{value}-{_last_day(y, mo):02d}", "month")
    m = re.fullmatch(r"(\d{4})-Q(\d)", value)
    if m:
        y, q = int(m[1]), int(m[2])
        return TimeValue(value, f"{y}-{3 * q - 2:02d}-01", f"{y}-{3 * q:02d}-{_last_day(y, 3 * q):02d}", "quarter")
    m = re.fullmatch(r"(\d{4})-H(\d)", value)
    if m:
        y, h = int(m[1]), int(m[2])
        return TimeValue(value, f"{y}-{6 * h - 5:02d}-01", f"{y}-{6 * h:02d}-{_last_day(y, 6 * h):02d}", "half_year")
    m = re.fullmatch(r"(\d{4})-(SP|SU|FA|WI)", value)
    if m:
        y, first = int(m[1]), _SEASONS[m[2]][1]
        ey, em = (y + 1, 2) if first == 12 else (y, first + 2)
        return TimeValue(value, f"{y}-{first:02d}-01", f"{ey}-{em:02d}-{_last_day(ey, em):02d}", "season")
    if re.fullmatch(r"\d{4}", value):
        return TimeValue(value, f"{value}-01-01", f"{value}-12-31", "year")
    return None


def _words(t: str) -> list[str]:
    return re.findall(r"[\w'ʼ’]+", t.lower())


def _shift_for(words, anchor) -> int | None:
    if any(w.startswith(_NEXT) for w in words):
        return 1
    if any(w.startswith(_LAST) for w in words):
        return -1
    if any(w.startswith(_THIS) for w in words):
        return 0
    return None


def _season(t: str, words, anchor, status) -> TimeValue | None:
    code = next((c for c, (forms, _) in _SEASONS.items() if any(w in forms for w in words)), None)
    if not code:
        return None
    year_m = re.search(r"\b(19\d\d|20\d\d)\b", t)
    if year_m:
        return _from_value(f"{year_m[1]}-{code}")
    if not anchor:
        return None
    first = _SEASONS[code][1]
    # the season instance in progress at the anchor or, failing that, the one of the anchor's year
    base = anchor.year - 1 if code == "WI" and anchor.month <= 2 else anchor.year
    shift = _shift_for(words, anchor)
    tv = _from_value(f"{base}-{code}")
    if shift is None:
        shift = 0
        if status == "happened" and tv.start > anchor.isoformat():
            shift = -1
        elif status == "planned" and tv.end < anchor.isoformat():
            shift = 1
    else:
        if shift == 1 and tv.start <= anchor.isoformat():
            shift = 1
        elif shift == 1:
            shift = 0  # "next spring" said in winter is this year's spring
        elif shift == -1 and tv.end >= anchor.isoformat():
            shift = -1
        elif shift == -1:
            shift = 0  # "last autumn" said in spring
    del first
    return _from_value(f"{base + shift}-{code}")


def _quarter(t: str, words, anchor, status) -> TimeValue | None:
    kind = "Q" if any(w.startswith(("квартал", "quarter")) for w in words) or re.search(r"\bq[1-4]\b|\b[1-4]q\b", t) \
        else "H" if any(w.startswith(("півріч", "полугод", "піврок")) for w in words) or re.search(
            r"\bh[12]\b|\bhalf\b", t) else None
    if not kind:
        return None
    n = None
    m = re.search(r"\b[qh]([1-4])\b|\b([1-4])[qh]\b", t)
    if m:
        n = int(m[1] or m[2])
    else:
        n = next((k for k, stems in _ORDINALS.items() for w in words
                  if any((w.startswith(s) if len(s) > 3 else w == s) for s in stems)), None)
    year_m = re.search(r"\b(19\d\d|20\d\d)\b", t)
    if kind == "H" and n not in (1, 2):
        n = None
    shift = _shift_for(words, anchor)
    if n is None:
        if shift is None or not anchor:
            return None
        cur = (anchor.month - 1) // (3 if kind == "Q" else 6) + 1
        per = 4 if kind == "Q" else 2
        idx = anchor.year * per + cur - 1 + shift
        return _from_value(f"{idx // per}-{kind}{idx % per + 1}")
    if year_m:
        return _from_value(f"{year_m[1]}-{kind}{n}")
    if not anchor:
        return None
    y = anchor.year + (shift or 0)
    tv = _from_value(f"{y}-{kind}{n}")
    if shift is None and status == "happened" and tv.start > anchor.isoformat():
        tv = _from_value(f"{y - 1}-{kind}{n}")
    elif shift is None and status == "planned" and tv.end < anchor.isoformat():
        tv = _from_value(f"{y + 1}-{kind}{n}")
    return tv


def _bare(t: str, words) -> bool:
    """No year and no relative word: the anchor's year is only a guess that the status may correct."""
    return not re.search(r"\b(19\d\d|20\d\d)\b", t) and not any(w.startswith(_RELATIVE_WORDS) for w in words)


def _simple(t: str, anchor, status) -> TimeValue | None:
    """One expression without a range or open end."""
    words = _words(t)
    tv = _season(t, words, anchor, status) or _quarter(t, words, anchor, status)
    if tv:
        return tv
    # a part of a month or a year: resolve the rest, then narrow its start and end
    for part, (markers, days, months) in _PARTS.items():
        marker = next((mk for mk in markers if re.search(r"(?<!\w)" + re.escape(mk) + (r"" if mk.endswith(("-", " ")) else r"(?!\w)"), t)), None)
        if marker:
            rest = t.replace(marker, " ", 1).strip()
            rest = re.sub(r"^(of|the)\s+", "", rest)
            inner = _simple(rest, anchor, status) if rest else None
            if inner is None and re.search(r"\b(року|рік|год|года|году|year)\b", rest):
                inner = _simple("this year " + rest, anchor, status)
            if inner is None and re.search(r"\b(місяц|месяц|month)", rest):
                inner = _simple("this month " + rest, anchor, status)
            if inner is None:
                return None
            if inner.granularity == "month":
                y, m = int(inner.value[:4]), int(inner.value[5:7])
                return TimeValue(inner.value, f"{inner.value}-{days[0]:02d}",
                                 f"{inner.value}-{min(days[1], _last_day(y, m)):02d}", "month")
            if inner.granularity == "year":
                y = int(inner.value)
                return TimeValue(inner.value, f"{y}-{months[0]:02d}-01",
                                 f"{y}-{months[1]:02d}-{_last_day(y, months[1]):02d}", "year")
            return inner
    tv = _from_value(normalize_time(t, anchor))
    if tv is None or not anchor or not status or not _bare(t, words):
        return tv
    a = anchor.isoformat()
    has_month = any(_month(w) for w in words if not w.isdigit())
    if status == "happened" and tv.start > a:
        step = -1
    elif status == "planned" and tv.end < a:
        step = 1
    else:
        return tv
    if has_month:
        try:
            other = anchor.replace(year=anchor.year + step)
        except ValueError:  # 29 February
            other = anchor.replace(year=anchor.year + step, day=28)
        return _from_value(normalize_time(t, other))
    if tv.granularity == "day" and "/" not in tv.value:  # a weekday: the one a week earlier or later
        d = dt.date.fromisoformat(tv.value) + dt.timedelta(days=7 * step)
        return _from_value(d.isoformat())
    return tv


def _range(left: str, right: str, anchor) -> TimeValue | None:
    """Both ends of "30 березня – 2 квітня", "8-10 квітня", "March-May", "2025-2027"; the left end borrows
    the right's month and year when it lacks them."""
    r = _simple(right, anchor, None)
    if not r or not left or "/" in r.value:
        return None
    if re.fullmatch(r"\d{1,2}", left) and r.granularity == "day":
        lv = _from_value(_safe(int(r.value[:4]), int(r.value[5:7]), int(left)))
    elif r.granularity == "year" and re.fullmatch(r"\d{4}", left):
        lv = _from_value(left)
    else:
        year_m = re.search(r"\b(19\d\d|20\d\d)\b", right)
        ref = dt.date(int(r.value[:4]), 6, 15)
        lv = _simple(f"{left} {year_m[1]}" if year_m and not re.search(r"\d{4}", left) else left, ref, None)
        if lv and lv.start and r.start and lv.start > r.start:  # "December-February"
            lv = _simple(left, dt.date(ref.year - 1, 6, 15), None)
    if lv and lv.start and r.end and lv.start <= r.end and "/" not in lv.value:
        return TimeValue(f"{lv.value}/{r.value}", lv.start, r.end, lv.granularity)
    return None


def resolve_time(text: str, anchor: dt.date | None = None, status: str | None = None) -> TimeValue | None:
    """A typed time: value, inclusive start/end dates and granularity. With the event's ``status`` a bare date
    ("8 квітня", "у п'ятницю", "навесні") is put in the past for a ``happened`` event, in the future for a ``planned`` one.

    >>> d = dt.date(2026, 4, 8)
    >>> resolve_time("на початку квітня", d)
    TimeValue(value='2026-04', start='2026-04-01', end='2026-04-10', granularity='month')
    >>> resolve_time("30 березня – 2 квітня", d).value, resolve_time("до 10 апреля", d).value
    ('2026-03-30/2026-04-02', '../2026-04-10')
    >>> resolve_time("8 грудня", d, status="happened").value, resolve_time("весной", d, status="planned").value
    ('2025-12-08', '2026-SP')
    >>> resolve_time("by the end of the year", d)
    TimeValue(value='../2026', start=None, end='2026-12-31', granularity='year')
    """
    t = re.sub(r"\s+", " ", text.lower().replace("\u00a0", " ").replace("’", "'").replace("ʼ", "'")).strip()
    t = re.sub(r"^(?:in|on|at|during|в|у|во|на|протягом|в течение|впродовж)\s+(?=\S)", "", t)
    if not t or re.search(r"\b(weeks|months|years|тижнів|тижні|місяців|місяці|недель|месяцев|месяцы|років|лет)\b", t):
        return None  # "in the coming weeks": no one period
    # "до кінця року", "by the end of the year": open start, the end of that unit
    for by in _BY:
        if t.startswith(by):
            rest = t[len(by):].strip()
            rest = re.sub(r"^(of|the)\s+", "", rest)
            inner = _simple(rest, anchor, status) or (
                _simple("this " + rest, anchor, status) if re.fullmatch(r"(the )?(year|month|week|quarter)", rest)
                else _simple("цього " + rest, anchor, status) if re.search(r"^(року|місяця|тижня|кварталу)", rest)
                else _simple("этого " + rest, anchor, status) if re.search(r"^(года|месяца|недели|квартала)", rest)
                else None)
            return TimeValue("../" + inner.value, None, inner.end, inner.granularity) if inner else None
    # ranges: "30 березня – 2 квітня", "з 8 по 10 квітня", "from March to May", "2025-2027"
    body = re.sub(r"^(?:починаючи з|начиная с|з|із|зі|с|со|від|от|from|between|since|starting from|starting|після|после|after)\s+", "", t)
    starts = body != t
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", body):
        parts = _RANGE_SEP.split(body, maxsplit=1)
        sep_word = re.search(r"\s(до|and|і|и|та|to|until|till)\s", body)
        if len(parts) == 2 and (starts or not sep_word or sep_word[1] in ("to", "through")):
            left, right = (p.strip() for p in parts)
            tv = _range(left, right, anchor)
            if tv and anchor and status and _bare(body, _words(body)):
                step = -1 if status == "happened" and tv.start > anchor.isoformat() else \
                    1 if status == "planned" and tv.end < anchor.isoformat() else 0
                if step:
                    tv = _range(left, right, dt.date(anchor.year + step, anchor.month, min(anchor.day, 28)))
            if tv:
                return tv
        # "з 10 квітня", "since April": an open end
        if starts and not re.search(r"\s(по|до|to|until|till)\s", body):
            inner = _simple(body, anchor, status)
            return TimeValue(inner.value + "/..", inner.start, None, inner.granularity) if inner else None
    # "до 10 апреля", "by 2030", "until March": an open start
    for w in _OPEN_END:
        if t.startswith(w + " "):
            inner = _simple(t[len(w) + 1:], anchor, status)
            return TimeValue("../" + inner.value, None, inner.end, inner.granularity) if inner else None
    return _simple(t, anchor, status)
