"""Corrupt, missing or mismatched model directories: one ModelError, one line naming the file."""
from __future__ import annotations

import json
import shutil

import pytest

from eventx import ModelError
from eventx.cli import main
from eventx.extraction import EventExtractor
from tiny import tiny_model


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    model, tok = tiny_model()
    return model.save_pretrained(tmp_path_factory.mktemp("m") / "tiny", tokenizer=tok)


def edit_config(path, change):
    cfg = json.loads((path / "config.json").read_text())
    cfg = change(cfg)
    (path / "config.json").write_text(json.dumps(cfg))


def swap_types(cfg):
    types = list(cfg["labels"]["types"].items())
    cfg["labels"]["types"] = dict([types[1], types[0]] + types[2:])
    cfg["trigger_labels"] = ["O"] + [f"{p}-{t}" for t, _ in [types[1], types[0]] + types[2:] for p in "BI"]
    return cfg


def swap_statuses(cfg):
    cfg["labels"]["statuses"] = cfg["labels"]["statuses"][::-1]
    return cfg


CASES = {
    # name: (how to break a copy of the model, file named in the message, what the message says)
    "missing weights": (lambda p: (p / "model.safetensors").unlink(), "model.safetensors", "missing"),
    "empty weights": (lambda p: (p / "model.safetensors").write_bytes(b""), "model.safetensors", "corrupt"),
    "truncated weights": (lambda p: (p / "model.safetensors").write_bytes((p / "model.safetensors").read_bytes()[:5000]),
                          "model.safetensors", "corrupt"),
    "missing tokenizer": (lambda p: (p / "tokenizer.json").unlink(), "tokenizer.json", "missing"),
    "tokenizer not JSON": (lambda p: (p / "tokenizer.json").write_text("{oops"), "tokenizer.json", "invalid JSON"),
    "tokenizer wrong shape": (lambda p: (p / "tokenizer.json").write_text('{"model": 3}'), "tokenizer.json",
                              "cannot load the tokenizer"),
    "config not JSON": (lambda p: (p / "config.json").write_text("{"), "config.json", "invalid JSON"),
    "config bad UTF-8": (lambda p: (p / "config.json").write_bytes(b'{"a": "\xff"}'), "config.json", "not UTF-8"),
    "config is a list": (lambda p: (p / "config.json").write_text("[]"), "config.json", "got a JSON list"),
    "config without encoder": (lambda p: edit_config(p, lambda c: {k: v for k, v in c.items() if k != "encoder"}),
                               "config.json", "'encoder'"),
    "string format_version": (lambda p: edit_config(p, lambda c: {**c, "format_version": "1"}), "config.json",
                              "format_version"),
    "labels not an object": (lambda p: edit_config(p, lambda c: {**c, "labels": ["Meeting"]}), "config.json", "'labels'"),
    "reordered types": (lambda p: edit_config(p, swap_types), "model.safetensors", "do not match"),
    "reordered statuses": (lambda p: edit_config(p, swap_statuses), "model.safetensors", "do not match"),
    "max_length 2": (lambda p: edit_config(p, lambda c: {**c, "max_length": 2}), "config.json", "max_length"),
    "max_length past positions": (lambda p: edit_config(p, lambda c: {**c, "max_length": 4096}), "config.json",
                                  "max_position_embeddings"),
    "bad encoder values": (lambda p: edit_config(p, lambda c: {**c, "encoder": {**c["encoder"], "hidden_size": -4}}),
                           "config.json", "encoder"),
    "missing directory": (lambda p: shutil.rmtree(p), "", "no such model directory"),
    "config missing": (lambda p: (p / "config.json").unlink(), "", "no config.json"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_corrupt_model_is_one_model_error_naming_the_file(saved, tmp_path, case, capsys):
    path = shutil.copytree(saved, tmp_path / "m")
    breaker, fname, what = CASES[case]
    breaker(path)
    with pytest.raises(ModelError) as info:
        EventExtractor.from_pretrained(path, device="cpu")
    msg = str(info.value)
    assert "\n" not in msg and what in msg
    assert msg.startswith(str(path / fname) if fname else str(path))
    # the CLI prints exactly that line, no traceback, and fails
    (tmp_path / "in.txt").write_text("Japan joined PURL.", encoding="utf-8")
    assert main(["extract", str(tmp_path / "in.txt"), "--model", str(path)]) != 0
    err = capsys.readouterr().err
    assert err.strip() == f"eventx: error: {msg}" and "Traceback" not in err


def test_models_saved_before_the_labels_hash_still_load(saved, tmp_path):
    """Older models carry no labels hash in their metadata: they load, with that check skipped."""
    from safetensors.torch import load_file, save_file

    path = shutil.copytree(saved, tmp_path / "m")
    sd = load_file(str(path / "model.safetensors"))
    save_file(sd, str(path / "model.safetensors"), metadata={"format": "pt"})
    assert EventExtractor.from_pretrained(path, device="cpu").labels.types


def test_file_names_with_terminal_escapes_are_escaped_in_messages(tmp_path):
    path = tmp_path / "evil\x1b[2J\rname"
    with pytest.raises(ModelError) as info:
        EventExtractor.from_pretrained(path, device="cpu")
    assert "\x1b" not in str(info.value) and "\r" not in str(info.value)
    assert "evil\\x1b[2J\\x0dname" in str(info.value)
