"""eventx.data: the JSONL validator, loading, schemas and counts."""
from __future__ import annotations

import copy
import json
import re

import pytest

from eventx import data as D
from eventx.data import DataError, Schema, check_item, counts, load, validate_files

from conftest import DATA

BAD = DATA / "bad.jsonl"
GOOD = DATA / "good.jsonl"

# line number in tests/data/bad.jsonl -> the messages expected for that line (regular expressions)
BAD_LINES = {
    2: [r"bad JSON: Expecting value at column 55"],
    3: [r"field 'text': expected str, got NoneType"],
    4: [r"events\[0\]\.type: unknown event type 'Strike' \(known: Meeting, Agreement, AidPackage, MechanismJoining\)"],
    5: [r"events\[0\]\.arguments\[0\]\.role: role 'donor' is not allowed for MechanismJoining "
        r"\(allowed: joiner, mechanism, time\)"],
    6: [r"events\[0\]\.status: unknown status 'maybe' \(known: happened, planned, possible, negated\)"],
    7: [r"events\[0\]\.arguments\[0\]: offsets 13-40 outside the text \(length 18\)"],
    8: [r"events\[0\]\.trigger: offsets 12-6 outside the text \(length 18\) or reversed"],
    9: [r"events\[0\]\.arguments\[0\]: empty span at 3"],
    10: [r"events\[0\]\.trigger: text 'joins' does not match text\[6:12\] = 'joined'"],
    11: [r"events\[0\]\.arguments\[0\]: whitespace at the edge of span ' PURL'"],
    12: [r"events\[0\]\.arguments\[0\]: argument 'Japan joined' overlaps the trigger 'joined' of its own event"],
    13: [r"duplicate id 'ok-1' \(first at .*bad\.jsonl:1\)"],
    15: [r"events\[0\]\.arguments\[1\]: duplicate argument joiner 'Japan'"],
    16: [r"expected a JSON object, got list"],
    17: [r"events\[0\]\.trigger: start and end must be integers, got start='6' end=12"],
    18: [r"events\[0\]\.trigger: start and end must be integers, got start=True end=12"],
    19: [r"events\[0\]\.trigger: expected an object with start and end, got NoneType"],
    20: [r"field 'events': expected list, got str"],
    21: [r"events\[0\]\.type: missing"],
    22: [r"events\[0\]\.arguments\[0\]\.role: missing"],
    23: [r"events\[0\]\.status: unknown status 'maybe'",
         r"events\[0\]\.arguments\[0\]\.role: role 'donor' is not allowed for MechanismJoining",
         r"events\[0\]\.arguments\[1\]: offsets 13-99 outside the text"],
    24: [r"events\[0\]\.arguments\[0\]: offsets -1-5 outside the text"],
    26: [r"field 'id': expected str, got int"],
    27: [r"field 'lang': expected str"],
    28: [r"events\[0\]: expected an object"],
    29: [r"events\[0\]\.arguments: expected a list"],
}
VALID_LINES = {1, 25}  # line 14 is blank


def _item(**over):
    item = {"id": "a", "lang": "en", "text": "Japan joined PURL.", "events": [
        {"type": "MechanismJoining", "status": "happened", "trigger": {"start": 6, "end": 12, "text": "joined"},
         "arguments": [{"role": "joiner", "start": 0, "end": 5, "text": "Japan"},
                       {"role": "mechanism", "start": 13, "end": 17, "text": "PURL"}]}]}
    item.update(over)
    return item


def _errors_by_line(errors, path):
    out = {}
    for e in errors:
        m = re.match(re.escape(str(path)) + r":(\d+): (.*)$", e)
        assert m, f"error without file:line prefix: {e!r}"
        out.setdefault(int(m[1]), []).append(m[2])
    return out


# ---------------------------------------------------------------- every error kind, with file and line

@pytest.fixture(scope="module")
def bad_result():
    return validate_files([BAD])


@pytest.mark.parametrize("line", sorted(BAD_LINES))
def test_each_error_kind_is_reported_with_file_and_line(bad_result, line):
    _, errors = bad_result
    by_line = _errors_by_line(errors, BAD)
    assert line in by_line, f"no error reported for {BAD}:{line}"
    got = by_line[line]
    assert len(got) == len(BAD_LINES[line]), got
    for pattern, message in zip(BAD_LINES[line], got):
        assert re.search(pattern, message), (pattern, message)


def test_all_errors_are_reported_not_only_the_first(bad_result):
    items, errors = bad_result
    by_line = _errors_by_line(errors, BAD)
    assert set(by_line) == set(BAD_LINES)  # every bad line, and nothing for the valid or blank ones
    assert len(errors) == sum(len(v) for v in BAD_LINES.values())
    # errors come in file order
    assert [int(e.split(":")[1]) for e in errors] == sorted(int(e.split(":")[1]) for e in errors)
    assert not VALID_LINES & set(by_line)
    assert 14 not in by_line
    assert {it["id"] for it in items} == {"ok-1", "ok-2"}


def test_load_raises_data_error_listing_every_problem():
    with pytest.raises(DataError) as info:
        load(BAD)
    err = info.value
    assert isinstance(err, ValueError)
    assert len(err.errors) == sum(len(v) for v in BAD_LINES.values())
    msg = str(err)
    assert msg.startswith(f"{len(err.errors)} error(s) in labelled data:")
    for e in err.errors:
        assert e in msg
    assert f"{BAD}:2: bad JSON" in msg and f"{BAD}:29: " in msg


def test_load_accepts_a_single_path_or_a_list_and_returns_items():
    items = load(GOOD)
    assert [it["id"] for it in items] == ["en-1", "uk-1", "ru-1", "en-2", "en-3"]
    assert load([str(GOOD)]) == items
    for it in items:
        assert check_item(it) == []
        for ev in it["events"]:
            for span in [ev["trigger"], *ev["arguments"]]:
                assert it["text"][span["start"]:span["end"]] == span["text"]


def test_errors_in_several_files_and_ids_unique_per_file(tmp_path):
    other = tmp_path / "other.jsonl"
    bad = json.dumps(_item(id="x", events=[{"type": "Meeting", "status": "done", "trigger": {"start": 0, "end": 5},
                                             "arguments": []}]))
    other.write_text(json.dumps(_item(id="en-1")) + "\n\n" + bad + "\n", encoding="utf-8")
    missing = tmp_path / "missing.jsonl"
    items, errors = validate_files([GOOD, other, missing])
    # ids are unique within a file; the same id in another file (a dev split, say) is fine
    assert errors == [
        f"{other}:3: events[0].status: unknown status 'done' (known: happened, planned, possible, negated)",
        f"{missing}: no such file",
    ]
    assert len(items) == 6


def test_non_utf8_file_is_an_error_not_a_crash(tmp_path):
    p = tmp_path / "latin1.jsonl"
    p.write_bytes(json.dumps(_item()).encode() + b"\n" + '{"id": "é"}'.encode("latin-1") + b"\n")
    items, errors = validate_files([p])
    first = len(json.dumps(_item()).encode()) + 1
    # the line, and the byte counted from the start of the file (the 'é' is the 9th byte of line 2)
    assert errors == [f"{p}:2: not UTF-8 text (invalid continuation byte at byte {first + 8}, column 9)"]
    assert len(items) == 1, "the other lines are still read"
    with pytest.raises(DataError):
        load(p)


def test_data_error_message_is_capped_at_50_lines():
    err = DataError([f"f:{i}: e{i}" for i in range(1, 61)])
    assert len(err.errors) == 60
    msg = str(err)
    assert msg.startswith("60 error(s)")
    assert "f:50: e50" in msg and "f:51: e51" not in msg
    assert msg.endswith("... and 10 more")


# ---------------------------------------------------------------- check_item details

def test_valid_item_has_no_errors_and_text_field_is_optional():
    assert check_item(_item()) == []
    item = _item()
    for span in [item["events"][0]["trigger"], *item["events"][0]["arguments"]]:
        del span["text"]
    assert check_item(item) == []
    assert check_item(_item(events=[])) == []
    no_lang = _item()
    del no_lang["lang"]
    assert check_item(no_lang) == []


def test_item_field_errors_stop_before_event_checks():
    errs = check_item({"id": "a", "events": [{"type": "Nope"}]})
    assert errs == ["field 'text': expected str, got NoneType"]
    assert check_item("text") == ["expected a JSON object, got str"]


def test_all_errors_of_all_events_in_one_item():
    item = _item()
    item["events"].append({"type": "Meeting", "status": "rumoured", "trigger": {"start": 0, "end": 99},
                           "arguments": [{"role": "party", "start": 13, "end": 17}]})
    errs = check_item(item)
    assert errs == [
        "events[1].status: unknown status 'rumoured' (known: happened, planned, possible, negated)",
        "events[1].trigger: offsets 0-99 outside the text (length 18) or reversed",
        "events[1].arguments[0].role: role 'party' is not allowed for Meeting "
        "(allowed: participant, place, time, topic)",
    ]


@pytest.mark.parametrize("start,end,expected", [
    (5, 13, "whitespace at the edge of span ' joined '"),
    (6, 13, "whitespace at the edge of span 'joined '"),
    (5, 12, "whitespace at the edge of span ' joined'"),
    (6, 6, "empty span at 6"),
    (12, 6, "offsets 12-6 outside the text (length 18) or reversed"),
    (6, 19, "offsets 6-19 outside the text (length 18) or reversed"),
    (-2, 3, "offsets -2-3 outside the text (length 18) or reversed"),
])
def test_trigger_span_errors(start, end, expected):
    item = _item()
    item["events"][0]["trigger"] = {"start": start, "end": end}
    item["events"][0]["arguments"] = []
    assert check_item(item) == [f"events[0].trigger: {expected}"]


def test_span_up_to_the_end_of_the_text_is_valid():
    item = _item()
    item["events"][0]["arguments"] = [{"role": "mechanism", "start": 13, "end": 18}]  # 'PURL.'
    assert check_item(item) == []


def test_overlap_is_only_an_error_within_one_event():
    item = _item()
    # an argument of event 0 that is the trigger of event 1 is fine
    item["events"].append({"type": "Meeting", "status": "planned", "trigger": {"start": 0, "end": 5},
                           "arguments": [{"role": "participant", "start": 13, "end": 17}]})
    assert check_item(item) == []
    # touching spans do not overlap: trigger 'join' [6, 10), argument 'ed PURL' [10, 17)
    touching = _item()
    touching["events"][0]["trigger"] = {"start": 6, "end": 10}
    touching["events"][0]["arguments"] = [{"role": "mechanism", "start": 10, "end": 17}]
    assert check_item(touching) == []
    # partial overlap does
    item["events"][0]["arguments"] = [{"role": "mechanism", "start": 11, "end": 17}]
    errs = check_item(item)
    assert errs == ["events[0].arguments[0]: argument 'd PURL' overlaps the trigger 'joined' of its own event"]


def test_same_span_with_two_roles_is_not_a_duplicate():
    item = _item()
    item["events"][0]["arguments"] = [{"role": "joiner", "start": 0, "end": 5},
                                      {"role": "mechanism", "start": 0, "end": 5}]
    assert check_item(item) == []


def test_open_labels_allows_new_types_and_roles_but_still_checks_the_rest():
    item = _item(events=[
        {"type": "Strike", "status": "happened", "trigger": {"start": 6, "end": 12},
         "arguments": [{"role": "target", "start": 13, "end": 17}]},
        {"type": "MechanismJoining", "status": "happened", "trigger": {"start": 6, "end": 12},
         "arguments": [{"role": "sponsor", "start": 0, "end": 5}]},
    ])
    closed = check_item(item)
    assert len(closed) == 2
    assert "unknown event type 'Strike'" in closed[0]
    assert "role 'sponsor' is not allowed for MechanismJoining" in closed[1]
    assert check_item(item, open_labels=True) == []
    # open labels do not excuse bad statuses or spans
    item["events"][0]["status"] = "maybe"
    item["events"][0]["arguments"][0]["end"] = 30
    errs = check_item(item, open_labels=True)
    assert len(errs) == 2 and "unknown status 'maybe'" in errs[0] and "outside the text" in errs[1]


def test_open_labels_through_load(tmp_path):
    p = tmp_path / "new.jsonl"
    item = _item(events=[{"type": "Strike", "status": "happened", "trigger": {"start": 6, "end": 12},
                          "arguments": [{"role": "target", "start": 13, "end": 17}]}])
    p.write_text(json.dumps(item) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match="unknown event type 'Strike'"):
        load(p)
    assert load(p, open_labels=True) == [item]


def test_custom_schema_restricts_types_and_statuses():
    schema = Schema({"Meeting": ("participant",)}, ("happened",))
    item = _item()
    errs = check_item(item, schema)
    assert errs == ["events[0].type: unknown event type 'MechanismJoining' (known: Meeting)"]
    item["events"][0]["status"] = "planned"
    assert "unknown status 'planned' (known: happened)" in check_item(item, schema)[1]


# ---------------------------------------------------------------- schema

def test_schema_defaults_and_round_trip():
    s = Schema()
    assert s.types == D.ONTOLOGY and s.statuses == D.STATUSES
    assert Schema.from_dict(json.loads(json.dumps(s.to_dict()))) == s


def test_schema_from_items_extends_base_keeping_order():
    items = [_item(events=[
        {"type": "Strike", "status": "happened", "trigger": {"start": 6, "end": 12},
         "arguments": [{"role": "target", "start": 13, "end": 17}, {"role": "target", "start": 0, "end": 5}]},
        {"type": "Meeting", "status": "happened", "trigger": {"start": 6, "end": 12},
         "arguments": [{"role": "participant", "start": 0, "end": 5}, {"role": "format", "start": 13, "end": 17}]},
    ])]
    s = Schema.from_items(items)
    assert list(s.types) == ["Meeting", "Agreement", "AidPackage", "MechanismJoining", "Strike"]
    assert s.types["Meeting"] == ("participant", "place", "time", "topic", "format")
    assert s.types["Strike"] == ("target",)
    assert s.statuses == D.STATUSES
    base = Schema({"Meeting": ("participant",)}, ("happened", "rumoured"))
    s2 = Schema.from_items(items, base=base)
    assert s2.types == {"Meeting": ("participant", "format"), "Strike": ("target",)}
    assert s2.statuses == ("happened", "rumoured")


# ---------------------------------------------------------------- counts

def test_counts_on_good_file():
    c = counts(load(GOOD))
    assert c == {
        "items": 5, "events": 5, "items_without_events": 1, "items_with_2plus_events": 1,
        "lang": {"en": 3, "ru": 1, "uk": 1},
        "type": {"Agreement": 1, "Meeting": 2, "MechanismJoining": 2},
        "status": {"happened": 4, "planned": 1},
        "role": {"Agreement.party": 2, "Agreement.place": 1, "Agreement.subject": 1,
                 "Meeting.participant": 4, "Meeting.place": 2,
                 "MechanismJoining.joiner": 2, "MechanismJoining.mechanism": 2, "MechanismJoining.time": 1},
    }
    assert list(c["role"]) == sorted(c["role"])


def test_counts_of_nothing_and_missing_lang():
    assert counts([]) == {"items": 0, "events": 0, "items_without_events": 0, "items_with_2plus_events": 0,
                          "lang": {}, "type": {}, "status": {}, "role": {}}
    it = copy.deepcopy(_item())
    del it["lang"]
    assert counts([it])["lang"] == {"?": 1}


def test_module_doctests():
    import doctest

    assert doctest.testmod(D).failed == 0
