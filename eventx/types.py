"""Result types. All offsets are character indices into the text the user passed, end-exclusive,
so ``text[start:end] == span.text`` always holds.

>>> s = Span("NATO", 10, 14)
>>> s.to_dict()
{'text': 'NATO', 'start': 10, 'end': 14}
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields


@dataclass(frozen=True, slots=True)
class _Value:
    """Base of the normalised values an :class:`Argument` may carry (see :mod:`eventx.normalize`).

    ``to_dict()`` always has the same keys for one kind (absent facts are ``None``), plus ``kind``."""

    kind = "value"

    def to_dict(self) -> dict:
        out = {"kind": self.kind}
        for f in fields(self):
            v = getattr(self, f.name)
            out[f.name] = list(v) if isinstance(v, tuple) else v
        return out

    def __str__(self) -> str:  # the compact form the CLI table and the HTML titles show
        return " · ".join(str(p) for p in self._parts() if p not in (None, "", ()))

    def _parts(self):
        return [getattr(self, f.name) for f in fields(self)]


@dataclass(frozen=True, slots=True)
class ActorValue(_Value):
    """Who acts: ``countries`` (ISO 3166-1 alpha-3; several for a group such as "країни Балтії"),
    or an ``organisation`` id from eventx's table (``NATO``, ``EU``, ...), plus the person's office
    ``role`` and ``name`` where the text gives them.

    >>> ActorValue(countries=("EST",), role="defence_minister", name="Ханно Певкур").to_dict()
    {'kind': 'actor', 'countries': ['EST'], 'organisation': None, 'role': 'defence_minister', 'name': 'Ханно Певкур'}
    """

    kind = "actor"
    countries: tuple = ()
    organisation: str | None = None
    role: str | None = None
    name: str | None = None

    @property
    def country(self) -> str | None:
        """The one country, when there is exactly one."""
        return self.countries[0] if len(self.countries) == 1 else None

    def _parts(self):
        return ["+".join(self.countries), self.organisation, self.role, self.name]


@dataclass(frozen=True, slots=True)
class AmountValue(_Value):
    """Money (``currency``, ISO 4217) or a count of things (``unit``); ``approximate`` for "понад", "about".

    >>> str(AmountValue(470e6, "USD")), str(AmountValue(40, unit="vehicles", approximate=True))
    ('470M USD', '~40 vehicles')
    """

    kind = "amount"
    value: float = 0.0
    currency: str | None = None
    unit: str | None = None
    approximate: bool = False

    def _parts(self):
        v = self.value
        for factor, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
            if abs(v) >= factor and (v / factor) * 100 == int((v / factor) * 100):
                num = f"{v / factor:g}{suffix}"
                break
        else:
            num = f"{v:g}"
        return [("~" if self.approximate else "") + num + " " + (self.currency or self.unit or "")]


@dataclass(frozen=True, slots=True)
class PlaceValue(_Value):
    """A known place: ``country`` (ISO alpha-3), ``city`` (English name), GeoNames id and coordinates."""

    kind = "place"
    country: str | None = None
    city: str | None = None
    geonames_id: int | None = None
    lat: float | None = None
    lon: float | None = None

    def _parts(self):
        return [self.city, self.country]


@dataclass(frozen=True, slots=True)
class TimeValue(_Value):
    """A resolved time: ``value`` ISO-8601 at its ``granularity`` (day, week, month, quarter, season,
    year), and the inclusive ISO dates ``start``/``end`` it covers (an open end is ``None``)."""

    kind = "time"
    value: str | None = None
    start: str | None = None
    end: str | None = None
    granularity: str | None = None

    def _parts(self):
        return [self.value]


@dataclass(frozen=True, slots=True)
class Span:
    text: str
    start: int
    end: int

    def to_dict(self) -> dict:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class Argument:
    role: str
    text: str
    start: int
    end: int
    score: float
    value: object = None  # normalised value (ActorValue, AmountValue, PlaceValue, TimeValue) or None

    def to_dict(self) -> dict:
        value = self.value.to_dict() if isinstance(self.value, _Value) else self.value
        return {"role": self.role, "text": self.text, "start": self.start, "end": self.end,
                "score": round(self.score, 4), "value": value}


@dataclass(frozen=True, slots=True)
class Event:
    """One event mention. ``group`` is shared by mentions of the same event within a document
    (for example a headline and the body restating it)."""

    type: str
    status: str
    score: float
    trigger: Span
    arguments: tuple = ()
    sentence: Span | None = None
    group: int = 0
    status_score: float = field(default=0.0, compare=False)

    def to_dict(self) -> dict:
        return {"type": self.type, "status": self.status, "score": round(self.score, 4),
                "trigger": self.trigger.to_dict(), "arguments": [a.to_dict() for a in self.arguments],
                "sentence": self.sentence.to_dict() if self.sentence else None, "group": self.group}

    def argument(self, role: str) -> list[Argument]:
        """The arguments with this role."""
        return [a for a in self.arguments if a.role == role]
