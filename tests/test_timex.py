"""eventx.timex: normalising time expressions to ISO-8601."""
from __future__ import annotations

import datetime as dt

import pytest

from eventx import timex as T
from eventx.timex import normalize_time

WED = dt.date(2026, 4, 8)  # a Wednesday


@pytest.mark.parametrize("text,expected", [
    # ISO dates anywhere in the text
    ("2026-04-08", "2026-04-08"),
    ("on 2025-12-31 at noon", "2025-12-31"),
    ("2026-02-30", None),                       # invalid date
    # dd.mm.yyyy and dd/mm/yyyy
    ("08.04.2026", "2026-04-08"),
    ("8.4.2026", "2026-04-08"),
    ("8/4/2026", "2026-04-08"),
    ("від 31.12.2025 року", "2025-12-31"),
    ("31.02.2026", None),
    # day + month name with an explicit year
    ("8 квітня 2025 року", "2025-04-08"),
    ("8 апреля 2025 года", "2025-04-08"),
    ("April 8, 2025", "2025-04-08"),
    ("8th of April 2025", "2025-04-08"),
    ("on 1st May 2024", "2024-05-01"),
    # month only, with a year
    ("in early May 2025", "2025-05"),
    ("у березні 2024 року", "2024-03"),
    ("в декабре 2023 года", "2023-12"),
    ("September 2026", "2026-09"),
    # day range before the month name
    ("8-9 квітня 2025", "2025-04-08/2025-04-09"),
    ("30–31 марта 2026", "2026-03-30/2026-03-31"),
    ("30-32 March 2026", None),                 # an impossible end day
    # year only
    ("у 2027 році", "2027"),
    ("в 2025 году", "2025"),
    ("in 2030", "2030"),
    ("2026", "2026"),
    # unresolvable
    ("", None),
    ("at the summit", None),
    ("soon", None),
    ("найближчим часом", None),
])
def test_absolute_expressions_need_no_anchor(text, expected):
    assert normalize_time(text) == expected
    assert normalize_time(text, WED) == expected


@pytest.mark.parametrize("text,expected", [
    # day + month name: the year comes from the anchor
    ("8 квітня", "2026-04-08"),
    ("8 апреля", "2026-04-08"),
    ("1-го мая", "2026-05-01"),
    ("25 березня", "2026-03-25"),
    ("April 8", "2026-04-08"),
    ("on the 8th of April", "2026-04-08"),
    ("Dec 24", "2026-12-24"),
    ("31 квітня", None),                       # 31 April does not exist
    # month only
    ("у березні", "2026-03"),
    ("в мае", "2026-05"),
    ("in June", "2026-06"),
    ("наприкінці листопада", "2026-11"),
    # ranges
    ("8-9 квітня", "2026-04-08/2026-04-09"),
    ("8 - 10 апреля", "2026-04-08/2026-04-10"),
    # relative days
    ("сьогодні", "2026-04-08"),
    ("сегодня", "2026-04-08"),
    ("today", "2026-04-08"),
    ("tonight", "2026-04-08"),
    ("вчора", "2026-04-07"),
    ("учора", "2026-04-07"),
    ("yesterday", "2026-04-07"),
    ("завтра", "2026-04-09"),
    ("tomorrow", "2026-04-09"),
    ("позавчора", "2026-04-06"),
    ("позавчера", "2026-04-06"),
    ("післязавтра", "2026-04-10"),
    ("послезавтра", "2026-04-10"),
    # weekdays: the nearest one (within three days), or next/last explicitly
    ("в середу", "2026-04-08"),
    ("у четвер", "2026-04-09"),
    ("в пятницу", "2026-04-10"),
    ("у п'ятницю", "2026-04-10"),
    ("у пʼятницю", "2026-04-10"),
    ("on Saturday", "2026-04-11"),
    ("on Sunday", "2026-04-05"),               # +4 days is further than -3
    ("в понедельник", "2026-04-06"),
    ("у вівторок", "2026-04-07"),
    ("next Monday", "2026-04-13"),
    ("наступного понеділка", "2026-04-13"),
    ("next Wednesday", "2026-04-15"),
    ("next Friday", "2026-04-10"),
    ("last Friday", "2026-04-03"),
    ("last Wednesday", "2026-04-01"),
    ("в прошлый вторник", "2026-04-07"),
    ("минулої неділі", "2026-04-05"),
    # next / last / this week, month, year
    ("next week", "2026-W16"),
    ("наступного тижня", "2026-W16"),
    ("на следующей неделе", "2026-W16"),
    ("last week", "2026-W14"),
    ("минулого тижня", "2026-W14"),
    ("this week", "2026-W15"),
    ("next month", "2026-05"),
    ("в прошлом месяце", "2026-03"),
    ("цього місяця", "2026-04"),
    ("next year", "2027"),
    ("минулого року", "2025"),
    ("в следующем году", "2027"),
    ("this year", "2026"),
    ("в этом году", "2026"),
    # a unit with no next/last/this cannot be resolved
    ("within a week", None),
    ("for a month", None),
])
def test_relative_expressions_with_anchor(text, expected):
    assert normalize_time(text, WED) == expected


@pytest.mark.parametrize("text", [
    "8 квітня", "April 8", "у березні", "8-9 квітня", "сьогодні", "yesterday", "завтра", "в пятницу",
    "next Monday", "next week", "минулого року", "this month",
])
def test_relative_expressions_without_anchor_are_none(text):
    assert normalize_time(text) is None


@pytest.mark.parametrize("anchor,text,expected", [
    (dt.date(2026, 1, 15), "last month", "2025-12"),
    (dt.date(2026, 12, 15), "next month", "2027-01"),
    (dt.date(2026, 12, 30), "next week", "2027-W01"),      # ISO year of the week
    (dt.date(2027, 1, 2), "this week", "2026-W53"),
    (dt.date(2026, 4, 5), "next Monday", "2026-04-06"),    # anchor on a Sunday
    (dt.date(2026, 4, 6), "last Monday", "2026-03-30"),
    (dt.date(2026, 4, 6), "next Monday", "2026-04-13"),
    (dt.date(2025, 12, 31), "завтра", "2026-01-01"),
    (dt.date(2024, 3, 1), "вчора", "2024-02-29"),
])
def test_calendar_edges(anchor, text, expected):
    assert normalize_time(text, anchor) == expected


def test_case_and_nbsp_are_ignored():
    assert normalize_time("8\u00a0КВІТНЯ", WED) == "2026-04-08"
    assert normalize_time("  NEXT WEEK  ", WED) == "2026-W16"


def test_explicit_year_wins_over_anchor():
    assert normalize_time("8 квітня 2024", WED) == "2024-04-08"
    assert normalize_time("у 2024 році", WED) == "2024"


@pytest.mark.parametrize("text,expected", [("майбутнього тижня", "2026-W16"), ("майбутнього року", "2027")])
def test_ukrainian_maibutnii_means_next(text, expected):
    assert normalize_time(text, WED) == expected


def test_english_month_first_day_range():
    assert normalize_time("April 8-9, 2026") == "2026-04-08/2026-04-09"


def test_module_doctests():
    import doctest

    assert doctest.testmod(T).failed == 0
