"""The command line: every subcommand on tiny models and fixture files."""
from __future__ import annotations

import io
import json

import pytest

from eventx.cli import main
from tiny import CORPUS, tiny_model


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    model, tok = tiny_model()
    return model.save_pretrained(tmp_path_factory.mktemp("m") / "tiny", tokenizer=tok)


@pytest.fixture
def article(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("\n".join(CORPUS), encoding="utf-8")
    return p


def test_validate_counts_good_files(capsys):
    assert main(["validate", "tests/data/good.jsonl"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("items 5") and "type:" in out and "status:" in out and "lang:" in out


def test_validate_reports_every_error_with_file_and_line(capsys):
    assert main(["validate", "tests/data/bad.jsonl"]) == 1
    err = capsys.readouterr().err.splitlines()
    located = [e for e in err if e.startswith("tests/data/bad.jsonl:")]
    assert len({e.split(":")[1] for e in located}) >= 20, "errors on many different lines are all reported"


def test_extract_formats(model_dir, article, capsys):
    assert main(["extract", str(article), "--model", str(model_dir), "--format", "jsonl", "--date", "2026-04-08"]) == 0
    lines = capsys.readouterr().out.splitlines()
    text = article.read_text(encoding="utf-8")
    for line in lines:
        d = json.loads(line)
        assert text[d["trigger"]["start"]:d["trigger"]["end"]] == d["trigger"]["text"]
    assert main(["extract", str(article), "--model", str(model_dir), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["file"] == str(article)
    assert main(["extract", str(article), "--model", str(model_dir)]) == 0
    assert "event(s)" in capsys.readouterr().out


def test_extract_html_page_escapes_text(model_dir, tmp_path, capsys):
    p = tmp_path / "x.txt"
    p.write_text("<script>alert(1)</script> " + CORPUS[0], encoding="utf-8")
    assert main(["extract", str(p), "--model", str(model_dir), "--format", "html"]) == 0
    page = capsys.readouterr().out
    assert page.lstrip().lower().startswith("<!doctype html") and "<script>alert" not in page


def test_extract_reads_stdin(model_dir, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO(CORPUS[2]))
    assert main(["extract", "--model", str(model_dir), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["file"] == "<stdin>"


def test_extract_bad_inputs(model_dir, tmp_path, capsys):
    assert main(["extract", str(tmp_path / "missing.txt"), "--model", str(model_dir)]) == 2
    assert "missing.txt" in capsys.readouterr().err
    latin1 = tmp_path / "l1.txt"
    latin1.write_bytes("caf\xe9".encode("latin-1"))
    assert main(["extract", str(latin1), "--model", str(model_dir)]) == 2
    assert "not UTF-8" in capsys.readouterr().err
    p = tmp_path / "ok.txt"
    p.write_text("x", encoding="utf-8")
    assert main(["extract", str(p), "--model", str(model_dir), "--date", "2026-02-30"]) == 2
    assert "date" in capsys.readouterr().err


def test_evaluate_writes_json_with_required_keys(model_dir, tmp_path, capsys):
    out = tmp_path / "m.json"
    assert main(["evaluate", "--model", str(model_dir), "--data", "tests/data/good.jsonl", "--json", str(out),
                 "--baseline", "tests/data/good.jsonl"]) == 0
    m = json.loads(out.read_text())["metrics"]
    for key in ("trigger_identification", "trigger_classification", "argument_identification",
                "argument_classification"):
        assert set(m[key]) >= {"precision", "recall", "f1"}
    assert {"status_accuracy", "per_type", "per_language", "seqeval"} <= set(m)
    assert "lexicon baseline" in capsys.readouterr().out


def test_evaluate_refuses_invalid_data(model_dir, capsys):
    assert main(["evaluate", "--model", str(model_dir), "--data", "tests/data/bad.jsonl"]) == 1
    assert "tests/data/bad.jsonl:" in capsys.readouterr().err


def test_base_encoder_bad_source_leaves_nothing(tmp_path, capsys):
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"NOPE" + b"\0" * 100)
    out = tmp_path / "enc"
    assert main(["base-encoder", "--out", str(out), "--source", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "bad.bin" in err and "magic" in err
    assert not out.exists() and not list(tmp_path.glob(".enc*"))


def test_train_help_lists_the_knobs(capsys):
    with pytest.raises(SystemExit):
        main(["train", "--help"])
    out = capsys.readouterr().out
    for flag in ("--train", "--dev", "--out", "--init", "--epochs", "--lr", "--batch-size", "--max-length", "--seed",
                 "--mix"):
        assert flag in out


def test_a_closed_pipe_ends_the_command_quietly(tmp_path):
    """`eventx validate ... | head` with the reader gone before the first line: no traceback, exit 141."""
    import subprocess
    import sys

    data = tmp_path / "items.jsonl"
    data.write_text(json.dumps({"id": "a", "lang": "en", "text": "Japan joined PURL.", "events": []}) + "\n",
                    encoding="utf-8")
    p = subprocess.Popen([sys.executable, "-m", "eventx.cli", "validate", str(data)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    p.stdout.close()  # the reader leaves before the command writes anything
    err = p.stderr.read().decode()
    assert p.wait(timeout=120) == 141
    assert "Traceback" not in err and "BrokenPipe" not in err, err
