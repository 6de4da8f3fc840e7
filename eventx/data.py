"""The JSONL interchange format: reading, validating and counting labelled items.

One item per line::

    {"id": "uk-0001", "lang": "uk", "text": "...",
     "events": [{"type": "Meeting", "status": "happened",
                 "trigger": {"start": 0, "end": 9, "text": "..."},
                 "arguments": [{"role": "participant", "start": 11, "end": 20, "text": "..."}]}]}

Offsets are character indices into ``text``, end-exclusive (Python slicing).

>>> item = {"id": "a", "lang": "en", "text": "Japan joined PURL.", "events": [
...   {"type": "MechanismJoining", "status": "happened", "trigger": {"start": 6, "end": 12},
...    "arguments": [{"role": "joiner", "start": 0, "end": 5}, {"role": "mechanism", "start": 13, "end": 17}]}]}
>>> check_item(item)
[]
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

STATUSES = ("happened", "planned", "possible", "negated")

ONTOLOGY: dict[str, tuple[str, ...]] = {
    "Meeting": ("participant", "place", "time", "topic"),
    "Agreement": ("party", "subject", "place", "time"),
    "AidPackage": ("donor", "recipient", "aid", "amount", "time"),
    "MechanismJoining": ("joiner", "mechanism", "time"),
}


class DataError(ValueError):
    """Invalid labelled data; ``errors`` lists every problem as ``file:line: message``."""

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        shown = "\n".join(self.errors[:50])
        more = f"\n... and {len(self.errors) - 50} more" if len(self.errors) > 50 else ""
        super().__init__(f"{len(self.errors)} error(s) in labelled data:\n{shown}{more}")


@dataclass(frozen=True)
class Schema:
    """Event types, the roles each may take, and the statuses."""

    types: dict = field(default_factory=lambda: dict(ONTOLOGY))
    statuses: tuple = STATUSES

    @classmethod
    def from_items(cls, items: Iterable[dict], base: "Schema | None" = None) -> "Schema":
        """The base schema extended with every type and role seen in ``items``."""
        types = {t: list(r) for t, r in (base or cls()).types.items()}
        for item in items:
            for ev in item.get("events", []):
                roles = types.setdefault(ev["type"], [])
                for arg in ev.get("arguments", []):
                    if arg["role"] not in roles:
                        roles.append(arg["role"])
        return cls({t: tuple(r) for t, r in types.items()}, (base or cls()).statuses)

    def to_dict(self) -> dict:
        return {"types": {t: list(r) for t, r in self.types.items()}, "statuses": list(self.statuses)}

    @classmethod
    def from_dict(cls, d: dict) -> "Schema":
        """A schema from ``{"types": {type: [roles]}, "statuses": [...]}``; ``ValueError`` for any other shape."""
        ok = (isinstance(d, dict) and isinstance(d.get("types"), dict) and isinstance(d.get("statuses"), list)
              and all(isinstance(r, list) and all(isinstance(x, str) for x in r) for r in d["types"].values())
              and all(isinstance(x, str) for x in d["statuses"]))
        if not ok:
            raise ValueError('expected {"types": {"Type": ["role", ...]}, "statuses": ["happened", ...]}')
        return cls({t: tuple(r) for t, r in d["types"].items()}, tuple(d["statuses"]))


_SURROGATE = re.compile("[\ud800-\udfff]")


def _surrogate_error(value: str, what: str) -> list[str]:
    """A lone surrogate (from an escaped ``\\ud848`` in the JSON) cannot be encoded or tokenised."""
    m = _SURROGATE.search(value)
    return [f"{what}: lone surrogate \\u{ord(m.group()):04x} at character {m.start()}"] if m else []


def _check_span(text: str, span, what: str) -> list[str]:
    if not isinstance(span, dict):
        return [f"{what}: expected an object with start and end, got {type(span).__name__}"]
    start, end = span.get("start"), span.get("end")
    if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool) or isinstance(end, bool):
        return [f"{what}: start and end must be integers, got start={start!r} end={end!r}"]
    if not 0 <= start < end <= len(text):
        if start == end:
            return [f"{what}: empty span at {start}"]
        return [f"{what}: offsets {start}-{end} outside the text (length {len(text)}) or reversed"]
    piece = text[start:end]
    errors = []
    if "text" in span and not isinstance(span["text"], str):
        errors.append(f"{what}: text must be a string, got {type(span['text']).__name__}")
    elif "text" in span and span["text"] != piece:
        errors.append(f"{what}: text {span['text']!r} does not match text[{start}:{end}] = {piece!r}")
    if piece[0].isspace() or piece[-1].isspace():
        errors.append(f"{what}: whitespace at the edge of span {piece!r}")
    return errors


def check_item(item, schema: Schema | None = None, open_labels: bool = False) -> list[str]:
    """Every problem with one item, as messages (empty when valid).

    With ``open_labels`` unknown types and roles are allowed (they extend the label set).
    """
    schema = schema or Schema()
    if not isinstance(item, dict):
        return [f"expected a JSON object, got {type(item).__name__}"]
    errors = []
    for key, kind in (("id", str), ("text", str), ("events", list)):
        if not isinstance(item.get(key), kind):
            errors.append(f"field {key!r}: expected {kind.__name__}, got {type(item.get(key)).__name__}")
    if "lang" in item and not isinstance(item["lang"], str):
        errors.append("field 'lang': expected str")
    if errors:
        return errors
    text = item["text"]
    errors += _surrogate_error(text, "field 'text'")
    for i, ev in enumerate(item["events"]):
        where = f"events[{i}]"
        if not isinstance(ev, dict):
            errors.append(f"{where}: expected an object")
            continue
        etype = ev.get("type")
        known = isinstance(etype, str) and etype in schema.types  # a list or object here is unhashable
        if not isinstance(etype, str) or not etype:
            errors.append(f"{where}.type: missing" if etype in (None, "") else
                          f"{where}.type: expected a string, got {type(etype).__name__}")
        elif not known and not open_labels:
            errors.append(f"{where}.type: unknown event type {etype!r} (known: {', '.join(schema.types)})")
        if not isinstance(ev.get("status"), str) or ev.get("status") not in schema.statuses:
            errors.append(f"{where}.status: unknown status {ev.get('status')!r} (known: {', '.join(schema.statuses)})")
        terr = _check_span(text, ev.get("trigger"), f"{where}.trigger")
        errors += terr
        args = ev.get("arguments", [])
        if not isinstance(args, list):
            errors.append(f"{where}.arguments: expected a list")
            continue
        seen = set()
        for j, arg in enumerate(args):
            awhere = f"{where}.arguments[{j}]"
            if not isinstance(arg, dict):
                errors.append(f"{awhere}: expected an object")
                continue
            role = arg.get("role")
            if not isinstance(role, str) or not role:
                errors.append(f"{awhere}.role: missing" if role in (None, "") else
                              f"{awhere}.role: expected a string, got {type(role).__name__}")
            elif known and role not in schema.types[etype] and not open_labels:
                errors.append(f"{awhere}.role: role {role!r} is not allowed for {etype} "
                              f"(allowed: {', '.join(schema.types[etype])})")
            aerr = _check_span(text, arg, awhere)
            errors += aerr
            if aerr or terr or not isinstance(role, str):
                continue
            t, a = ev["trigger"], arg
            if a["start"] < t["end"] and t["start"] < a["end"]:
                errors.append(f"{awhere}: argument {text[a['start']:a['end']]!r} overlaps the trigger "
                              f"{text[t['start']:t['end']]!r} of its own event")
            key = (role, a["start"], a["end"])
            if key in seen:
                errors.append(f"{awhere}: duplicate argument {role} {text[a['start']:a['end']]!r}")
            seen.add(key)
    return errors


def read_jsonl(path: str | Path) -> Iterator[tuple[int, object, str | None]]:
    """Yield ``(line_number, item_or_None, error_or_None)`` for each non-blank line.

    A line that is not UTF-8 or not JSON (including JSON nested too deeply to parse) is an error for that
    line only; the byte offset of a bad UTF-8 byte counts from the start of the file.
    """
    offset = 0
    with open(path, "rb") as f:
        for n, raw in enumerate(f, 1):
            start, offset = offset, offset + len(raw)
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                yield n, None, f"not UTF-8 text ({e.reason} at byte {start + e.start}, column {e.start + 1})"
                continue
            if not line.strip():
                continue
            try:
                yield n, json.loads(line), None
            except json.JSONDecodeError as e:
                yield n, None, f"bad JSON: {e.msg} at column {e.colno}"
            except RecursionError:
                yield n, None, "bad JSON: nested too deeply"


def validate_files(paths: Iterable[str | Path], schema: Schema | None = None,
                   open_labels: bool = False) -> tuple[list[dict], list[str]]:
    """Read and check files; return ``(items, errors)`` with errors as ``file:line: message``."""
    items, errors = [], []
    for path in paths:
        path, ids = Path(path), {}  # ids are unique within a file
        if not path.is_file():
            errors.append(f"{path}: no such file")
            continue
        for n, item, jerr in read_jsonl(path):
            if jerr:
                errors.append(f"{path}:{n}: {jerr}")
                continue
            problems = check_item(item, schema, open_labels)
            errors += [f"{path}:{n}: {p}" for p in problems]
            if not problems:
                if item["id"] in ids:
                    errors.append(f"{path}:{n}: duplicate id {item['id']!r} (first at {ids[item['id']]})")
                ids.setdefault(item["id"], f"{path}:{n}")
                items.append(item)
    return items, errors


def load(paths, schema: Schema | None = None, open_labels: bool = False) -> list[dict]:
    """Read and validate files; raise :class:`DataError` listing every problem."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    items, errors = validate_files(paths, schema, open_labels)
    if errors:
        raise DataError(errors)
    return items


def counts(items: list[dict]) -> dict:
    """Counts of items, events per type and status, languages and roles."""
    c = {"items": len(items), "events": 0, "items_without_events": 0, "items_with_2plus_events": 0,
         "lang": Counter(), "type": Counter(), "status": Counter(), "role": Counter()}
    for item in items:
        evs = item["events"]
        c["lang"][item.get("lang", "?")] += 1
        c["events"] += len(evs)
        c["items_without_events"] += not evs
        c["items_with_2plus_events"] += len(evs) >= 2
        for ev in evs:
            c["type"][ev["type"]] += 1
            c["status"][ev["status"]] += 1
            for a in ev["arguments"]:
                c["role"][f"{ev['type']}.{a['role']}"] += 1
    return {k: dict(sorted(v.items())) if isinstance(v, Counter) else v for k, v in c.items()}
