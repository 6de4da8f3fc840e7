"""Label Studio: config, tasks with pre-annotations, import with precise errors, and the round trip."""
from __future__ import annotations

import copy
import json
import xml.etree.ElementTree as ET

import pytest

from eventx import labelstudio as ls
from eventx.cli import main
from eventx.types import Argument, Event, Span

TEXT = "Японія та 🇺🇦 Україна підписали угоду, а Японія приєдналася до PURL."


def _span(sub, nth=0):
    s = -1
    for _ in range(nth + 1):
        s = TEXT.index(sub, s + 1)
    return s, s + len(sub)


def _events():
    j0, j1 = _span("Японія"), _span("Японія", 1)
    sign, join = _span("підписали"), _span("приєдналася")
    ua, deal, purl = _span("Україна"), _span("угоду"), _span("PURL")
    a = lambda role, se, sc: Argument(role, TEXT[se[0]:se[1]], se[0], se[1], sc)  # noqa: E731
    return [Event("Agreement", "happened", 0.91, Span("підписали", *sign), (a("party", j0, 0.88), a("party", ua, 0.7),
                                                                              a("subject", deal, 0.6)),
                  status_score=0.9),
            Event("MechanismJoining", "planned", 0.55, Span("приєдналася", *join),
                  (a("joiner", j1, 0.8), a("mechanism", purl, 0.75)), status_score=0.6)]


def _as_tuples(events):
    return [(e.type, e.status, e.trigger.start, e.trigger.end, [(x.role, x.start, x.end, x.text) for x in e.arguments])
            for e in events]


def _annotated(task):
    """What Label Studio exports after an annotator submits the pre-annotation unchanged."""
    t = copy.deepcopy(task)
    t["annotations"] = [{"id": 7, "was_cancelled": False, "result": copy.deepcopy(t["predictions"][0]["result"])}]
    return t


def test_config_is_xml_with_every_type_role_and_status():
    root = ET.fromstring(ls.config())
    labels = {c.get("name"): [x.get("value") for x in c] for c in root.iter("Labels")}
    assert labels["trigger"] == list(ls.ONTOLOGY)
    assert {"participant", "donor", "amount", "joiner", "mechanism", "party", "time"} <= set(labels["argument"])
    choices = next(root.iter("Choices"))
    assert choices.get("perRegion") == "true" and [c.get("value") for c in choices] == list(ls.STATUSES)
    assert next(root.iter("Relations")) is not None


def test_task_carries_scores_and_shares_no_region_twice():
    task = ls.to_task(TEXT, _events(), task_id=3, item_id="doc-3", lang="uk")
    res = task["predictions"][0]["result"]
    trig = [r for r in res if r.get("from_name") == "trigger"]
    assert [r["score"] for r in trig] == [0.91, 0.55]
    assert [r["score"] for r in res if r["type"] == "choices"] == [0.9, 0.6]
    regions = [r["id"] for r in res if r["type"] == "labels"]
    assert len(regions) == len(set(regions)) == 7
    assert task["predictions"][0]["score"] == 0.55  # the task is as sure as its least sure event
    for r in res:
        if r["type"] == "labels":
            v = r["value"]
            assert TEXT[v["start"]:v["end"]] == v["text"]
    assert task["data"] == {"text": TEXT, "eventx_id": "doc-3", "lang": "uk"}


def test_round_trip_reproduces_events_exactly():
    events = _events()
    export = [_annotated(ls.to_task(TEXT, events, task_id=1, item_id="d1", lang="uk"))]
    items = ls.import_export(json.loads(json.dumps(export)))
    assert len(items) == 1 and items[0]["id"] == "d1" and items[0]["lang"] == "uk"
    assert _as_tuples(ls.events_from_item(items[0])) == _as_tuples(events)
    # and the unannotated task, with --predictions
    items = ls.import_export([ls.to_task(TEXT, events, task_id=1)], use_predictions=True)
    assert _as_tuples(ls.events_from_item(items[0])) == _as_tuples(events)


def test_gold_items_round_trip_too():
    item = {"id": "g", "lang": "uk", "text": TEXT, "events": [
        {"type": "Agreement", "status": "happened", "trigger": {"start": _span("підписали")[0], "end": _span("підписали")[1]},
         "arguments": [{"role": "party", "start": 0, "end": 6}]}]}
    back = ls.task_to_item(_annotated(ls.to_task(TEXT, item["events"], task_id=2, item_id="g", lang="uk")))
    assert back["events"][0]["arguments"] == [{"role": "party", "start": 0, "end": 6, "text": "Японія"}]


def test_label_studios_own_validator_accepts_our_tasks_and_names_a_bad_region():
    pytest.importorskip("label_studio_sdk")
    task = _annotated(ls.to_task(TEXT, _events(), task_id=5))
    assert ls.check_tasks([task]) == []
    bad = copy.deepcopy(task)
    bad["annotations"][0]["result"][0]["value"]["labels"] = ["Picnic"]
    problems = ls.check_tasks([bad])
    assert len(problems) == 1 and problems[0].startswith("task 5, annotation 0: Region 0") and "Picnic" in problems[0]


def test_unannotated_tasks_are_skipped_unless_asked():
    assert ls.import_export([ls.to_task(TEXT, _events(), task_id=1)]) == []


def test_utf16_offsets_from_older_label_studio_are_converted():
    task = _annotated(ls.to_task(TEXT, _events(), task_id=1))
    flag = TEXT.index("🇺🇦")
    for r in task["annotations"][0]["result"]:
        v = r.get("value")
        if v and v["start"] > flag:  # each flag letter is two UTF-16 units
            v["start"] += 2
            v["end"] += 2
    assert _as_tuples(ls.events_from_item(ls.task_to_item(task))) == _as_tuples(_events())


def test_errors_name_the_task_and_the_region():
    task = _annotated(ls.to_task(TEXT, _events(), task_id=42))
    res = task["annotations"][0]["result"]
    arg = next(r for r in res if r.get("from_name") == "argument" and r["value"]["text"] == "PURL")
    arg["value"]["start"] -= 1  # " PURL": whitespace at the edge
    arg["value"]["text"] = TEXT[arg["value"]["start"]:arg["value"]["end"]]
    res.remove(next(r for r in res if r["type"] == "choices" and r["id"] == "e0"))  # no status for e0
    res.append({"type": "relation", "from_id": "e1", "to_id": "zz"})
    res.append({"id": "lonely", "from_name": "argument", "to_name": "text", "type": "labels",
                "value": {"start": 0, "end": 6, "text": "Японія", "labels": ["place"]}})
    with pytest.raises(ls.LabelStudioError) as e:
        ls.task_to_item(task)
    errs = e.value.errors
    assert "task 42, region e0: trigger Agreement 'підписали' has no status" in errs
    assert any(m.startswith("task 42, relation e1 -> zz: region zz does not exist") for m in errs)
    assert any(m.startswith("task 42, region lonely: argument place 'Японія' is not linked") for m in errs)
    # the validator's message comes once the structure is right, pointed at the region
    task2 = _annotated(ls.to_task(TEXT, _events(), task_id=43))
    arg2 = next(r for r in task2["annotations"][0]["result"] if r.get("from_name") == "argument" and r["value"]["text"] == "PURL")
    arg2["value"]["start"] -= 1
    arg2["value"]["text"] = TEXT[arg2["value"]["start"]:arg2["value"]["end"]]
    with pytest.raises(ls.LabelStudioError) as e:
        ls.import_export([task2])
    assert e.value.errors == [f"task 43, region {arg2['id']}: events[1].arguments[1]: whitespace at the edge of span ' PURL'"]


def test_cli_config_export_import(tmp_path, capsys):
    from tiny import CORPUS, tiny_model

    assert main(["labelstudio", "config"]) == 0
    ET.fromstring(capsys.readouterr().out)
    model, tok = tiny_model()
    model_dir = model.save_pretrained(tmp_path / "tiny", tokenizer=tok)
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"x{i}", "lang": "en", "text": t}, ensure_ascii=False) + "\n"
                           for i, t in enumerate(CORPUS)), encoding="utf-8")
    out = tmp_path / "tasks.json"
    assert main(["labelstudio", "export", str(src), "--out", str(out), "--model", str(model_dir), "--min-score", "0"]) == 0
    tasks = json.loads(out.read_text("utf-8"))
    assert [t["data"]["eventx_id"] for t in tasks] == [f"x{i}" for i in range(len(CORPUS))]
    for i, t in enumerate(tasks):
        t["id"] = i + 1
        t["annotations"] = [{"result": t["predictions"][0]["result"]}]
    exp = tmp_path / "export.json"
    exp.write_text(json.dumps(tasks), encoding="utf-8")
    data = tmp_path / "data.jsonl"
    capsys.readouterr()
    # a random tiny model may predict spans the validator rejects; the report must then be precise
    code = main(["labelstudio", "import", str(exp), "--out", str(data), "--open-labels"])
    if code == 0:
        assert len(data.read_text("utf-8").splitlines()) == len(CORPUS)
        assert main(["validate", str(data), "--open-labels"]) == 0
    else:
        err = capsys.readouterr().err
        assert all(line.startswith(f"{exp}: task ") for line in err.splitlines()[:-1]) and not data.exists()
