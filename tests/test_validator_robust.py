"""The validator never crashes on malformed data, and training refuses what would crash it."""
from __future__ import annotations

import json

import pytest

from eventx.cli import main
from eventx.data import DataError, Schema, check_item, validate_files
from eventx.training import TrainingArguments, train


def item(**ev):
    base = {"type": "Meeting", "status": "happened", "trigger": {"start": 6, "end": 9},
            "arguments": [{"role": "participant", "start": 0, "end": 5}]}
    return {"id": "a", "lang": "en", "text": "Japan met Ukraine.", "events": [{**base, **ev}]}


@pytest.mark.parametrize("ev, message", [
    ({"type": ["Meeting"]}, "events[0].type: expected a string, got list"),
    ({"type": {"a": 1}}, "events[0].type: expected a string, got dict"),
    ({"status": ["happened"]}, "events[0].status: unknown status"),
    ({"status": {"x": 1}}, "events[0].status: unknown status"),
    ({"arguments": [{"role": ["participant"], "start": 0, "end": 5}]}, "arguments[0].role: expected a string, got list"),
    ({"arguments": [{"role": "participant", "start": 0, "end": 5, "text": ["Japan"]}]}, "text must be a string"),
    ({"trigger": [6, 9]}, "events[0].trigger: expected an object"),
    ({"trigger": {"start": 6.0, "end": 9}}, "start and end must be integers"),
    ({"arguments": {"role": "participant"}}, "arguments: expected a list"),
])
def test_wrong_json_types_are_reported_not_raised(ev, message):
    errors = check_item(item(**ev))
    assert any(message in e for e in errors), errors


def test_open_labels_with_unhashable_type_is_an_error():
    assert any("expected a string" in e for e in check_item(item(type=["Meeting"]), open_labels=True))


def test_deep_nesting_bad_utf8_and_surrogates_are_errors_with_line_numbers(tmp_path):
    good = json.dumps(item())
    deep = '{"id": "d", "text": "x", "events": ' + "[" * 100000 + "]" * 100000 + "}"
    surrogate = json.dumps(item()).replace("Japan met", "Japa\\ud848 met")
    p = tmp_path / "d.jsonl"
    p.write_bytes(b"\n".join([good.encode(), deep.encode(), b'{"id": "\xc3\x28"}', surrogate.encode(), b""]))
    items, errors = validate_files([p])
    assert len(items) == 1
    assert errors[0] == f"{p}:2: bad JSON: nested too deeply"
    byte = len(good) + 1 + len(deep) + 1 + 8  # \xc3 is the 9th byte of line 3; offsets count from the file start
    assert errors[1] == f"{p}:3: not UTF-8 text (invalid continuation byte at byte {byte}, column 9)"
    assert errors[2] == f"{p}:4: field 'text': lone surrogate \\ud848 at character 4"


@pytest.mark.parametrize("schema", ['[]', '{"types": ["Meeting"], "statuses": []}', '{"types": {"M": "role"}}',
                                    '{"types": {}, "statuses": [1]}'])
def test_schema_files_of_the_wrong_shape_are_one_line_errors(tmp_path, capsys, schema):
    s = tmp_path / "schema.json"
    s.write_text(schema)
    assert main(["validate", "tests/data/good.jsonl", "--schema", str(s)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"eventx: error: {s}: not a schema file") and "Traceback" not in err
    with pytest.raises(ValueError):
        Schema.from_dict(json.loads(schema))


def test_validator_messages_escape_terminal_sequences(tmp_path, capsys):
    p = tmp_path / "x\x1b]0;pwned\x07.jsonl"
    p.write_text('{"id": "\x1b[31m"}\n')
    assert main(["validate", str(p)]) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err and "\\x1b]0;pwned\\x07" in err


def test_empty_training_file_is_a_data_error_not_an_index_error(tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n")
    with pytest.raises(DataError, match="no items to train on"):
        train(TrainingArguments(train_file=str(empty), output_dir=str(tmp_path / "out"), progress=False))
    assert main(["train", "--train", str(empty), "--out", str(tmp_path / "out")]) == 1
