"""Tables out: events as a pandas DataFrame, CSV or Parquet (``pip install 'eventx[pandas]'``).

One row per event, or one per argument with ``explode=True``. Event rows carry the document id, type,
status, scores, trigger and sentence (text and end-exclusive offsets), ``group`` (mentions of one event in a
document), ``story`` (when events were merged across documents) and two columns per role: ``arg_<role>``
(the argument texts, joined by `` | `` when there are several) and ``arg_<role>_value`` (their normalised
values). Argument rows flatten the value: ``value_kind`` and one ``value_<field>`` per field of its
``to_dict()``.

>>> from eventx.types import Event, Span, Argument
>>> ev = Event("MechanismJoining", "happened", 0.93, Span("joined", 6, 12),
...            (Argument("joiner", "Japan", 0, 5, 0.9), Argument("mechanism", "PURL", 13, 17, 0.8)),
...            Span("Japan joined PURL.", 0, 18), group=1)
>>> df = to_frame({"a.txt": [ev]})                                  # doctest: +SKIP
>>> df[["doc_id", "type", "trigger", "arg_joiner", "arg_mechanism"]].values.tolist()  # doctest: +SKIP
[['a.txt', 'MechanismJoining', 'joined', 'Japan', 'PURL']]
>>> [r["role"] for r in argument_rows("a.txt", 0, ev)]
['joiner', 'mechanism']
"""
from __future__ import annotations

import json
from pathlib import Path

PANDAS_EXTRA = "tables need pandas and pyarrow: pip install 'eventx[pandas]'"
EVENT_COLUMNS = ["doc_id", "event", "type", "status", "score", "status_score", "trigger", "trigger_start",
                 "trigger_end", "sentence", "sentence_start", "sentence_end", "group", "story"]
ARGUMENT_COLUMNS = EVENT_COLUMNS[:4] + ["trigger", "group", "story", "role", "text", "start", "end", "arg_score",
                                        "value", "value_kind"]


def _pandas():
    try:
        import pandas as pd
    except ImportError as e:
        raise ImportError(f"{PANDAS_EXTRA} ({e})") from None
    return pd


def _value_text(value) -> str | None:
    """One cell for a value: plain values as they are, typed values as compact JSON (``None`` fields dropped)."""
    if value is None:
        return None
    if not hasattr(value, "to_dict"):
        return str(value)
    return json.dumps({k: v for k, v in value.to_dict().items() if v is not None}, ensure_ascii=False,
                      sort_keys=True)


def _documents(results, ids=None) -> list[tuple]:
    """Normalise the accepted inputs to ``[(doc_id, events)]``."""
    from .types import Event

    if isinstance(results, dict):
        pairs = list(results.items())
    else:
        if hasattr(results, "events") and hasattr(results, "text"):  # one Document
            results = [results]
        results = list(results)
        if results and isinstance(results[0], Event):  # the events of one text
            results = [results]
        pairs = []
        for i, r in enumerate(results):
            default = getattr(r, "url", None) or i
            pairs.append((ids[i] if ids is not None else default, r))
    out = []
    for doc_id, r in pairs:
        events = r.events if hasattr(r, "events") else r
        out.append((doc_id, list(events)))
    return out


def _story_ids(stories) -> dict:
    """``{id(event): story id}`` from a mapping ``{event: id}`` or from objects with ``id`` and ``events``."""
    if not stories:
        return {}
    if isinstance(stories, dict):
        return {id(ev): sid for ev, sid in stories.items()}
    out = {}
    for s in stories:
        for ev in getattr(s, "events", ()):
            out[id(ev)] = getattr(s, "id", None)
    return out


def event_row(doc_id, index: int, ev, story=None, roles=()) -> dict:
    """The event-level row (see the module doc) of one event."""
    row = {"doc_id": doc_id, "event": index, "type": ev.type, "status": ev.status, "score": round(ev.score, 4),
           "status_score": round(ev.status_score, 4), "trigger": ev.trigger.text, "trigger_start": ev.trigger.start,
           "trigger_end": ev.trigger.end, "sentence": ev.sentence.text if ev.sentence else None,
           "sentence_start": ev.sentence.start if ev.sentence else None,
           "sentence_end": ev.sentence.end if ev.sentence else None, "group": ev.group,
           "story": story if story is not None else getattr(ev, "story", None)}
    for role in roles:
        args = ev.argument(role)
        row[f"arg_{role}"] = " | ".join(a.text for a in args) if args else None
        values = [_value_text(a.value) for a in args if a.value is not None]
        row[f"arg_{role}_value"] = " | ".join(values) if values else None
    return row


def argument_rows(doc_id, index: int, ev, story=None) -> list[dict]:
    """One row per argument of an event (an event without arguments gives one row with ``role`` empty)."""
    base = {"doc_id": doc_id, "event": index, "type": ev.type, "status": ev.status, "trigger": ev.trigger.text,
            "group": ev.group, "story": story if story is not None else getattr(ev, "story", None)}
    if not ev.arguments:
        return [dict(base, role=None, text=None, start=None, end=None, arg_score=None, value=None, value_kind=None)]
    rows = []
    for a in ev.arguments:
        row = dict(base, role=a.role, text=a.text, start=a.start, end=a.end, arg_score=round(a.score, 4),
                   value=_value_text(a.value), value_kind=None)
        if hasattr(a.value, "to_dict"):
            v = a.value.to_dict()
            kind = row["value_kind"] = v.pop("kind", None)
            # kind in the column name: the same field (``value``) is a number for amounts, a date for times
            for k, x in v.items():
                row[f"value_{kind}_{k}"] = "|".join(map(str, x)) if isinstance(x, (list, tuple)) else x
        rows.append(row)
    return rows


def to_frame(results, *, explode: bool = False, ids=None, stories=None):
    """A DataFrame of events: one row per event, or per argument with ``explode=True``.

    ``results``: what ``extract`` returns (the events of one text, or a list of such lists), a
    :class:`~eventx.web.Document` or a list of them, or a dict ``{doc_id: events}``. ``ids`` names the
    documents of a list (default: their url, else their position). ``stories``: merged stories (objects
    with ``id`` and ``events``) or a mapping ``{event: story_id}``, for the ``story`` column.
    """
    pd = _pandas()
    docs = _documents(results, ids)
    story = _story_ids(stories)
    if explode:
        rows = [r for doc_id, evs in docs for i, ev in enumerate(evs) for r in argument_rows(doc_id, i, ev, story.get(id(ev)))]
        cols = ARGUMENT_COLUMNS + sorted({k for r in rows for k in r} - set(ARGUMENT_COLUMNS))
        return pd.DataFrame(rows, columns=cols)
    roles = sorted({a.role for _, evs in docs for ev in evs for a in ev.arguments})
    rows = [event_row(doc_id, i, ev, story.get(id(ev)), roles) for doc_id, evs in docs for i, ev in enumerate(evs)]
    cols = EVENT_COLUMNS + [c for role in roles for c in (f"arg_{role}", f"arg_{role}_value")]
    return pd.DataFrame(rows, columns=cols)


def write_table(frame, path: str | Path, format: str | None = None) -> Path:
    """Write a frame as CSV or Parquet through pyarrow, atomically; ``format`` defaults to the file suffix."""
    from .fileio import write_with_atomic

    path = Path(path)
    fmt = format or path.suffix.lstrip(".").lower()
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"table format must be csv or parquet, got {fmt!r}")
    try:
        import pyarrow as pa
        import pyarrow.csv as pcsv
        import pyarrow.parquet as pq
    except ImportError as e:
        raise ImportError(f"{PANDAS_EXTRA} ({e})") from None
    table = pa.Table.from_pandas(frame, preserve_index=False)
    if fmt == "csv":
        return write_with_atomic(path, lambda tmp: pcsv.write_csv(table, str(tmp)))
    return write_with_atomic(path, lambda tmp: pq.write_table(table, str(tmp)))
