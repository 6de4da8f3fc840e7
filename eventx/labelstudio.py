"""Label Studio both ways: a labelling config, tasks with the model's pre-annotations, and import of an export.

In Label Studio an event is a ``trigger`` span labelled with its type, a per-region ``status`` choice on
that span, and a relation from the trigger to each ``argument`` span (labelled with its role). An argument
shared by two events is one region with two relations. Offsets are code points, end-exclusive, as in
eventx and in current Label Studio; an export whose offsets count UTF-16 units (older versions, text with
emoji) is recognised from the region's ``text`` and converted.

Only JSON is involved, so no Label Studio server or SDK is needed for any of this. With the
``labelstudio`` extra (``label-studio-sdk``), :func:`check_tasks` also has Label Studio's own
``LabelInterface`` validate the config and every region of the tasks, as the server would on import.

>>> from eventx.types import Event, Span, Argument
>>> text = "Japan joined PURL."
>>> ev = Event("MechanismJoining", "happened", 0.93, Span("joined", 6, 12),
...            (Argument("joiner", "Japan", 0, 5, 0.9), Argument("mechanism", "PURL", 13, 17, 0.8)),
...            Span(text, 0, 18), status_score=0.97)
>>> task = to_task(text, [ev], task_id=1, item_id="a")
>>> [r["type"] for r in task["predictions"][0]["result"]]
['labels', 'choices', 'labels', 'relation', 'labels', 'relation']
>>> item = task_to_item(dict(task, annotations=[{"result": task["predictions"][0]["result"]}]))
>>> [(e["type"], e["status"], [a["role"] for a in e["arguments"]]) for e in item["events"]]
[('MechanismJoining', 'happened', ['joiner', 'mechanism'])]
"""
from __future__ import annotations

import json
from html import escape
from pathlib import Path

from .data import ONTOLOGY, STATUSES, Schema, check_item

TRIGGER, ARGUMENT, STATUS, TEXT = "trigger", "argument", "status", "text"
_COLOURS = ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#46f0f0", "#f032e6", "#bcf60c",
            "#fabebe", "#008080", "#e6beff", "#9a6324", "#fffac8", "#800000", "#aaffc3"]


class LabelStudioError(ValueError):
    """Problems in a Label Studio export; ``errors`` lists each as ``task <id>, region <id>: message``."""

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        super().__init__(f"{len(errors)} error(s) in the Label Studio export:\n" + "\n".join(errors[:50]))


def config(schema: Schema | None = None) -> str:
    """The labelling config (XML) for the types, roles and statuses of ``schema``.

    >>> print(config().splitlines()[1])
      <Labels name="trigger" toName="text" showInline="true">
    """
    schema = schema or Schema()
    roles = sorted({r for rs in schema.types.values() for r in rs})
    lines = ["<View>", f'  <Labels name="{TRIGGER}" toName="{TEXT}" showInline="true">']
    lines += [f'    <Label value="{escape(t)}" background="{_COLOURS[i % len(_COLOURS)]}"/>'
              for i, t in enumerate(schema.types)]
    lines += ["  </Labels>", f'  <Labels name="{ARGUMENT}" toName="{TEXT}" showInline="true">']
    lines += [f'    <Label value="{escape(r)}" background="{_COLOURS[(i + 5) % len(_COLOURS)]}" '
              f'selected="false"/>' for i, r in enumerate(roles)]
    lines += ["  </Labels>", f'  <Text name="{TEXT}" value="$text" granularity="word"/>',
              '  <Relations>', '    <Relation value="argument"/>', '  </Relations>',
              f'  <Choices name="{STATUS}" toName="{TEXT}" perRegion="true" required="true" '
              f'whenTagName="{TRIGGER}" choice="single-radio" showInline="true">']
    lines += [f'    <Choice value="{escape(s)}"/>' for s in schema.statuses]
    lines += ["  </Choices>", "</View>"]
    return "\n".join(lines) + "\n"


def _region(rid: str, control: str, text: str, start: int, end: int, label: str, score=None) -> dict:
    r = {"id": rid, "from_name": control, "to_name": TEXT, "type": "labels",
         "value": {"start": start, "end": end, "text": text[start:end], "labels": [label]}}
    if score is not None:
        r["score"] = round(float(score), 4)
    return r


def to_task(text: str, events, *, task_id=None, item_id=None, lang=None, model_version: str = "eventx",
            data: dict | None = None) -> dict:
    """One Label Studio task: ``data.text`` and the events as a prediction (with their calibrated scores).

    Events may be :class:`~eventx.types.Event` objects or eventx JSONL event dicts (gold data, no scores).
    """
    result, arg_ids = [], {}
    scores = []
    for i, ev in enumerate(events):
        d = ev if isinstance(ev, dict) else None
        etype = d["type"] if d else ev.type
        status = d["status"] if d else ev.status
        ts, te = (d["trigger"]["start"], d["trigger"]["end"]) if d else (ev.trigger.start, ev.trigger.end)
        score = None if d else ev.score
        tid = f"e{i}"
        result.append(_region(tid, TRIGGER, text, ts, te, etype, score))
        st = {"id": tid, "from_name": STATUS, "to_name": TEXT, "type": "choices",
              "value": {"start": ts, "end": te, "text": text[ts:te], "choices": [status]}}
        if not d:
            st["score"] = round(float(ev.status_score), 4)
            scores.append(ev.score)
        result.append(st)
        args = d.get("arguments", []) if d else ev.arguments
        for a in args:
            role, s, e = (a["role"], a["start"], a["end"]) if d else (a.role, a.start, a.end)
            key = (role, s, e)
            if key not in arg_ids:  # one region per (role, span), shared by every event it belongs to
                arg_ids[key] = f"a{len(arg_ids)}"
                result.append(_region(arg_ids[key], ARGUMENT, text, s, e, role, None if d else a.score))
            result.append({"type": "relation", "from_id": tid, "to_id": arg_ids[key], "direction": "right",
                           "labels": ["argument"]})
    task = {"data": {"text": text, **({"eventx_id": item_id} if item_id is not None else {}),
                     **({"lang": lang} if lang else {}), **(data or {})},
            "predictions": [{"model_version": model_version, "result": result,
                             "score": round(float(min(scores)), 4) if scores else 1.0}]}
    if task_id is not None:
        task["id"] = task_id
    return task


def _code_points(text: str, start, end, claimed):
    """Offsets as code points: as given when they match the region's text, else read as UTF-16 units."""
    if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool) or isinstance(end, bool):
        return None
    if claimed is None or text[start:end] == claimed:
        return start, end
    units = text.encode("utf-16-le")
    try:
        s = len(units[:2 * start].decode("utf-16-le"))
        e = len(units[:2 * end].decode("utf-16-le"))
    except UnicodeDecodeError:  # an offset inside a surrogate pair: not UTF-16 offsets either
        return start, end
    return (s, e) if text[s:e] == claimed else (start, end)


def _pick_result(task: dict, use_predictions: bool):
    anns = [a for a in task.get("annotations") or [] if not a.get("was_cancelled")]
    if anns:  # the most recent submitted annotation wins
        return sorted(anns, key=lambda a: (str(a.get("updated_at") or a.get("created_at") or ""), a.get("id") or 0))[-1]["result"], "annotation"
    if use_predictions and task.get("predictions"):
        return task["predictions"][0]["result"], "prediction"
    return None, None


def task_to_item(task: dict, *, use_predictions: bool = False, schema: Schema | None = None,
                 open_labels: bool = False) -> dict | None:
    """An eventx JSONL item from one exported task (``None`` if it has nothing to import).

    Raises :class:`LabelStudioError` with the task id and region id of every problem.
    """
    tid = task.get("id", "?")
    data = task.get("data") or {}
    text = data.get(TEXT)
    if not isinstance(text, str):
        raise LabelStudioError([f"task {tid}: data.text missing or not a string"])
    result, _ = _pick_result(task, use_predictions)
    if result is None:
        return None
    errors, spans, status, relations = [], {}, {}, []
    for r in result:
        rid, kind = r.get("id"), r.get("type")
        where = f"task {tid}, region {rid}"
        if kind == "relation":
            relations.append(r)
            continue
        v = r.get("value") or {}
        if kind == "labels" and r.get("from_name") in (TRIGGER, ARGUMENT):
            labels = v.get("labels") or []
            if len(labels) != 1:
                errors.append(f"{where}: expected exactly one label, got {labels}")
                continue
            off = _code_points(text, v.get("start"), v.get("end"), v.get("text"))
            if off is None:
                errors.append(f"{where}: start and end must be integers, got {v.get('start')!r}, {v.get('end')!r}")
                continue
            spans[rid] = (r["from_name"], labels[0], *off)
        elif kind == "choices" and r.get("from_name") == STATUS:
            choices = v.get("choices") or []
            if len(choices) != 1:
                errors.append(f"{where}: expected exactly one status, got {choices}")
            else:
                status[rid] = choices[0]
        # other controls (a comment box, a document-level rating) are not eventx's business
    links: dict = {}
    for r in relations:
        a, b = r.get("from_id"), r.get("to_id")
        where = f"task {tid}, relation {a} -> {b}"
        if a not in spans or b not in spans:
            missing = a if a not in spans else b
            errors.append(f"{where}: region {missing} does not exist or is not a trigger or argument span")
            continue
        kinds = (spans[a][0], spans[b][0])
        if kinds == (ARGUMENT, TRIGGER):  # drawn the other way round: the trigger end decides
            a, b = b, a
        elif kinds != (TRIGGER, ARGUMENT):
            errors.append(f"{where}: a relation must join a trigger and an argument, got {kinds[0]} and {kinds[1]}")
            continue
        links.setdefault(a, []).append(b)
    linked = {b for bs in links.values() for b in bs}
    for rid, (kind, label, s, e) in spans.items():
        if kind == ARGUMENT and rid not in linked:
            errors.append(f"task {tid}, region {rid}: argument {label} {text[s:e]!r} is not linked to any trigger "
                          f"(draw a relation from its trigger)")
        if kind == TRIGGER and rid not in status:
            errors.append(f"task {tid}, region {rid}: trigger {label} {text[s:e]!r} has no status")
    events, region_of = [], []
    triggers = sorted((rid for rid, sp in spans.items() if sp[0] == TRIGGER), key=lambda r: spans[r][2:])
    for rid in triggers:
        _, etype, s, e = spans[rid]
        args, arg_regions = [], []
        for b in sorted(links.get(rid, []), key=lambda b: (spans[b][2], spans[b][1])):
            _, role, a_s, a_e = spans[b]
            args.append({"role": role, "start": a_s, "end": a_e, "text": text[a_s:a_e]})
            arg_regions.append(b)
        events.append({"type": etype, "status": status.get(rid), "trigger": {"start": s, "end": e, "text": text[s:e]},
                       "arguments": args})
        region_of.append((rid, arg_regions))
    item = {"id": str(data.get("eventx_id", f"ls-{tid}")), "text": text, "events": events}
    if data.get("lang"):
        item["lang"] = data["lang"]
    if not errors:  # the validator's own checks, pointed at the region that caused each
        for msg in check_item(item, schema, open_labels):
            errors.append(f"task {tid}, region {_region_for(msg, region_of)}: {msg}")
    if errors:
        raise LabelStudioError(errors)
    return item


def _region_for(msg: str, region_of) -> str:
    import re

    m = re.match(r"events\[(\d+)\](?:\.arguments\[(\d+)\])?", msg)
    if not m:
        return "?"
    rid, args = region_of[int(m.group(1))]
    return args[int(m.group(2))] if m.group(2) is not None else rid


def import_export(tasks, *, use_predictions: bool = False, schema: Schema | None = None,
                  open_labels: bool = False) -> list[dict]:
    """eventx items from a Label Studio JSON export (a list of tasks); every problem of every task is reported."""
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list):
        raise LabelStudioError([f"expected a JSON list of tasks, got {type(tasks).__name__}"])
    items, errors = [], []
    for t in tasks:
        try:
            item = task_to_item(t, use_predictions=use_predictions, schema=schema, open_labels=open_labels)
        except LabelStudioError as e:
            errors += e.errors
            continue
        if item is not None:
            items.append(item)
    if errors:
        raise LabelStudioError(errors)
    return items


def events_from_item(item: dict):
    """eventx JSONL events as :class:`~eventx.types.Event` objects (scores 1), to compare with predictions."""
    from .types import Argument, Event, Span

    text = item["text"]
    out = []
    for ev in item["events"]:
        t = ev["trigger"]
        args = tuple(Argument(a["role"], text[a["start"]:a["end"]], a["start"], a["end"], 1.0)
                     for a in ev.get("arguments", []))
        out.append(Event(ev["type"], ev["status"], 1.0, Span(text[t["start"]:t["end"]], t["start"], t["end"]), args))
    return out


def check_tasks(tasks: list[dict], label_config: str | None = None) -> list[str]:
    """Problems Label Studio itself finds in ``tasks`` under ``label_config`` (default: :func:`config`).

    Each problem reads ``task <n>, prediction|annotation <m>: message``; an empty list means the server
    would accept every region. Needs ``pip install 'eventx[labelstudio]'``.
    """
    try:
        from label_studio_sdk.label_interface import LabelInterface
    except ImportError:
        raise ImportError("checking tasks with Label Studio's own validator needs the SDK: "
                          "pip install 'eventx[labelstudio]'") from None
    interface = LabelInterface(label_config if label_config is not None else config())
    problems = []
    for n, task in enumerate(tasks):
        tid = task.get("id", n)
        for kind in ("predictions", "annotations"):
            for m, result in enumerate(task.get(kind) or []):
                # the SDK checks one prediction or annotation at a time and returns its messages
                for msg in interface.validate_prediction(result, return_errors=True) or []:
                    problems.append(f"task {tid}, {kind[:-1]} {m}: {msg}")
    return problems


def write_tasks(path, tasks: list[dict]) -> Path:
    from .fileio import write_text_atomic

    return write_text_atomic(path, json.dumps(tasks, ensure_ascii=False, indent=1) + "\n")


__all__ = ["config", "to_task", "task_to_item", "import_export", "events_from_item", "write_tasks",
           "LabelStudioError", "ONTOLOGY", "STATUSES"]
