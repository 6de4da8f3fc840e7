"""Normalisation: one pure step from an argument's text and role to a typed value (or ``None``).

>>> normalize("міністр оборони Естонії Ханно Певкур", "participant").to_dict()["countries"]
['EST']
>>> normalize("470 млн доларів", "amount").currency, normalize("в Мадриді", "place").city
('USD', 'Madrid')
>>> normalize("8 квітня", "time", date="2026-04-08", status="happened").value
'2026-04-08'
>>> normalize("гуманітарна допомога", "aid") is None
True
"""
from __future__ import annotations

import datetime as dt

ACTOR_ROLES = ("participant", "party", "donor", "recipient", "joiner")


def _date(date) -> dt.date | None:
    if date is None or isinstance(date, dt.date) and not isinstance(date, dt.datetime):
        return date
    if isinstance(date, dt.datetime):
        return date.date()
    try:
        return dt.date.fromisoformat(str(date)[:10])
    except ValueError:
        raise ValueError(f"date must be YYYY-MM-DD, got {date!r}") from None


def normalize(argument_text: str, role: str, lang: str | None = None, date=None, status: str | None = None):
    """The value of one argument: ActorValue for actor roles (and a ``mechanism`` that is a known organisation),
    AmountValue, PlaceValue or TimeValue; ``None`` for other roles or when the text gives nothing reliable.

    ``date`` (the article's) anchors relative times; ``status`` ("happened", "planned", ...) decides whether a
    bare date lies before or after it.
    """
    text = (argument_text or "").strip()
    if not text:
        return None
    if role in ACTOR_ROLES:
        from .actors import normalize_actor

        return normalize_actor(text, lang)
    if role == "mechanism":
        from .actors import normalize_organisation

        return normalize_organisation(text, lang)
    if role == "amount":
        from .amounts import normalize_amount

        return normalize_amount(text, lang)
    if role == "place":
        from .places import normalize_place

        return normalize_place(text, lang)
    if role == "time":
        from .timex import resolve_time

        return resolve_time(text, _date(date), status)
    return None
