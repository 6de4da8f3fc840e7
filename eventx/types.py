"""Result types. All offsets are character indices into the text the user passed, end-exclusive,
so ``text[start:end] == span.text`` always holds.

>>> s = Span("NATO", 10, 14)
>>> s.to_dict()
{'text': 'NATO', 'start': 10, 'end': 14}
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Span:
    text: str
    start: int
    end: int

    def to_dict(self) -> dict:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Argument:
    role: str
    text: str
    start: int
    end: int
    score: float
    value: str | None = None  # normalised value: ISO-8601 for ``time``; None otherwise

    def to_dict(self) -> dict:
        return {"role": self.role, "text": self.text, "start": self.start, "end": self.end,
                "score": round(self.score, 4), "value": self.value}


@dataclass(frozen=True)
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
