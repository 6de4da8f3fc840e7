"""Regression tests for issue 16: bad input never loses data, shifts offsets, cuts characters or blows up."""
from __future__ import annotations

import json
import os
import time
import tracemalloc

import numpy as np
import pytest

from eventx import extraction as X
from eventx.chars import grapheme_bounds
from eventx.cli import main
from eventx.decoding import decode_spans
from eventx.extraction import EventExtractor, assign_groups
from eventx.outdir import CHECKPOINT_PREFIX, check_output_dir, checkpoint_dir
from eventx.segment import MAX_SENTENCE_CHARS, split_sentences
from eventx.training import TrainingArguments, train
from eventx.types import Argument, Event, Span
from tiny import CORPUS, tiny_model, write_jsonl


@pytest.fixture(scope="module")
def extractor():
    model, tok = tiny_model(max_length=24)
    return EventExtractor(model, tok, "cpu", dtype="float32")


@pytest.fixture(scope="module")
def shipped_tokenizer():
    from transformers import AutoTokenizer  # the shipped model's own tokenizer file; nothing is downloaded

    return AutoTokenizer.from_pretrained(str(X.DEFAULT_MODEL))


def spans(events):
    return [(e.type, e.trigger.start, e.trigger.end, tuple((a.role, a.start, a.end) for a in e.arguments))
            for e in events]


# ------------------------------------------------------------------ 1. train --out never deletes user files
def test_out_refuses_cwd_parents_inputs_and_foreign_directories(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    data = tmp_path / "my-data"
    data.mkdir()
    train_file = write_jsonl(data / "train.jsonl", [])
    for out, why in [(".", "current directory"), ("..", "current directory or one of its parents"),
                     ("my-data", "holds the input")]:
        with pytest.raises(ValueError, match=why):
            check_output_dir(out, [train_file])
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "todo.txt").write_text("mine")
    with pytest.raises(ValueError, match="not an eventx model directory"):
        check_output_dir("notes", [train_file])
    model, tok = tiny_model()
    model.save_pretrained(tmp_path / "model", tokenizer=tok)
    assert check_output_dir("model", [train_file]) == (tmp_path / "model").resolve()  # a model: replaceable
    (tmp_path / "model" / "my-notes.md").write_text("mine")
    with pytest.raises(ValueError, match="also holds my-notes.md"):
        check_output_dir("model", [train_file])
    assert (tmp_path / "notes" / "todo.txt").exists() and (tmp_path / "model" / "my-notes.md").exists()


def test_train_with_out_dot_deletes_nothing_and_exits_non_zero(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    f = write_jsonl(tmp_path / "train.jsonl", [{"id": "a", "text": "Japan met Ukraine.", "events": []}])
    (tmp_path / "keep.txt").write_text("user file")
    assert main(["train", "--train", str(f), "--out", "."]) == 1
    assert "current directory" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt", "train.jsonl"]


def test_checkpoints_live_beside_the_output_and_stale_ones_are_cleaned(tmp_path):
    stale = tmp_path / (CHECKPOINT_PREFIX + "old")
    stale.mkdir()
    os.utime(stale, (time.time() - 86400, time.time() - 86400))
    fresh = checkpoint_dir(tmp_path / "model")
    assert fresh.parent == tmp_path and fresh.name.startswith(CHECKPOINT_PREFIX)
    assert not stale.exists()


# ------------------------------------------------------------------ 2. lone surrogates
def test_lone_surrogates_are_handled_and_never_cost_other_documents(extractor):
    docs = list(CORPUS) + ["Japan \ud848 joined PURL.", "\udcff" + CORPUS[0], "\ud800"]
    batched = extractor.extract(docs)
    assert spans(batched[0]) == spans(extractor.extract(CORPUS[0]))
    for text, events in zip(docs, batched):
        for e in events:
            assert text[e.trigger.start:e.trigger.end] == e.trigger.text
            assert not any(0xD800 <= ord(c) <= 0xDFFF for c in e.trigger.text)


def test_cli_stdin_with_invalid_utf8_is_one_line(tmp_path, monkeypatch, capsys):
    import io
    import sys

    model, tok = tiny_model()
    path = model.save_pretrained(tmp_path / "m", tokenizer=tok)
    fake = io.TextIOWrapper(io.BytesIO(b"line one\nbad \xff byte\n"), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", fake)
    assert main(["extract", "-", "--model", str(path)]) == 2
    err = capsys.readouterr().err
    assert err == "eventx: error: <stdin>:2: not UTF-8 text (invalid start byte at byte 13)\n"


# ------------------------------------------------------------------ 3. numeric arguments
@pytest.mark.parametrize("value", [0, -1, 1.5, "16", True])
def test_batch_size_must_be_a_positive_integer(extractor, value):
    with pytest.raises(ValueError, match="batch_size must be an integer >= 1"):
        extractor.extract(CORPUS[0], batch_size=value)


def test_cli_batch_size_minus_one_exits_non_zero(tmp_path, capsys):
    model, tok = tiny_model()
    path = model.save_pretrained(tmp_path / "m", tokenizer=tok)
    (tmp_path / "a.txt").write_text(CORPUS[0], encoding="utf-8")
    assert main(["extract", str(tmp_path / "a.txt"), "--model", str(path), "--batch-size", "-1"]) == 2
    assert "batch_size must be an integer >= 1, got -1" in capsys.readouterr().err


@pytest.mark.parametrize("max_length", [0, 2, 3])
def test_max_length_too_small_is_refused_not_a_hang(max_length, tmp_path):
    model, tok = tiny_model()
    model.max_length = max_length
    with pytest.raises(ValueError, match="max_length must be an integer >= 4"):
        EventExtractor(model, tok, "cpu")
    with pytest.raises(ValueError, match="--max-length must be an integer >= 4"):
        train(TrainingArguments(train_file="x.jsonl", output_dir=str(tmp_path / "o"), max_length=max_length))


# ------------------------------------------------------------------ 4. characters the tokenizer drops
LEADING = ([chr(c) for c in range(1, 32) if chr(c) not in "\t\n\r"] + [chr(c) for c in range(0x7f, 0xa0)]
           + ["\ufeff", "\u200b", "\u200c", "\u200d", "\u2060", "\u00ad", "\u202e", "\u2066", "\ud848", "\ue000"])


def token_positions(ex, text):
    """Each token with its character span in ``text``, as the extractor's windows record them."""
    ws = ex._windows([text])
    return [(i, s + w.base, e + w.base) for w in ws for i, (s, e) in zip(w.ids, w.offsets)]


@pytest.mark.parametrize("lead", LEADING, ids=[f"U+{ord(c):04X}" for c in LEADING])
def test_dropped_leading_characters_do_not_shift_token_offsets(shipped_tokenizer, lead):
    model, _ = tiny_model()
    ex = EventExtractor(model, shipped_tokenizer, "cpu")  # windows only: the tiny encoder never runs
    text = "Japan joined PURL on Monday."
    clean = token_positions(ex, text)
    dirty = token_positions(ex, lead + text)
    # the same tokens, each at its own characters one position later: the joiner is still 'Japan'
    assert dirty == [(i, s + 1, e + 1) for i, s, e in clean]
    norm = shipped_tokenizer.backend_tokenizer.normalizer
    for i, s, e in dirty:
        piece = shipped_tokenizer.convert_ids_to_tokens(i).replace("\u2581", "")
        assert norm.normalize_str((lead + text)[s:e]).strip() == piece


def test_control_character_inside_a_sentence_keeps_later_offsets(shipped_tokenizer):
    model, _ = tiny_model()
    ex = EventExtractor(model, shipped_tokenizer, "cpu")
    text = "Japan\x1b[1m joined \x01PURL."
    for i, s, e in token_positions(ex, text):
        piece = shipped_tokenizer.convert_ids_to_tokens(i).replace("\u2581", "")
        assert shipped_tokenizer.backend_tokenizer.normalizer.normalize_str(text[s:e]).strip() == piece


# ------------------------------------------------------------------ 5. grapheme clusters
@pytest.mark.parametrize("text, cut, whole", [
    ("Japan\u0301 joined", (0, 5), "Japan\u0301"),
    ("the 👨\u200d👩\u200d👧 family", (4, 5), "👨\u200d👩\u200d👧"),
    ("a 👍🏽 sign", (2, 3), "👍🏽"),
    ("press 1\ufe0f\u20e3 now", (6, 7), "1\ufe0f\u20e3"),
    ("flag 🇺🇦 up", (5, 6), "🇺🇦"),
])
def test_spans_never_cut_grapheme_clusters(text, cut, whole):
    probs = np.array([[0.0, 1.0, 0.0]])
    [(_, s, e, _)] = decode_spans(probs, [cut], ["O", "B-X", "I-X"], text)
    assert text[s:e] == whole
    assert s in grapheme_bounds(text) and e in grapheme_bounds(text)


# ------------------------------------------------------------------ 7. results do not depend on the batch
def test_float32_labels_and_spans_do_not_depend_on_the_other_documents(extractor):
    docs = [CORPUS[i % 5] * (1 + i % 3) + " " + CORPUS[(i * 2) % 5] for i in range(40)]
    alone = [spans(extractor.extract(d)) for d in docs[:8]]
    rng = np.random.default_rng(0)
    for batch_size in (3, 16):
        order = rng.permutation(len(docs))
        out = extractor.extract([docs[i] for i in order], batch_size=batch_size)
        got = {int(i): spans(evs) for i, evs in zip(order, out)}
        assert [got[i] for i in range(8)] == alone


def test_bfloat16_labels_and_spans_agree_on_a_shuffled_batch():
    """In bfloat16 scores may move by about 1e-2 with the batch (padding changes the rounding); labels and
    spans of a confident model stay the same (README, Reliability)."""
    import torch

    model, tok = tiny_model(max_length=24, seed=3)
    with torch.no_grad():
        for head in (model.trigger_head, model.role_head, model.status_head):
            head.weight.mul_(40)
    ex = EventExtractor(model, tok, "cpu", dtype="bfloat16")
    docs = [CORPUS[i % 5] + " " + CORPUS[(i * 3) % 5] * (1 + i % 2) for i in range(20)]
    alone = [spans(ex.extract(d)) for d in docs[:6]]
    order = np.random.default_rng(1).permutation(len(docs))
    got = {int(i): spans(evs) for i, evs in zip(order, ex.extract([docs[i] for i in order], batch_size=7))}
    assert [got[i] for i in range(6)] == alone


# ------------------------------------------------------------------ 8. over-merging (issue 12 replaces grouping)
def _event(sent_start, actor, place, trig):
    sent = Span("s", sent_start, sent_start + 40)
    return Event("Meeting", "happened", 0.9, Span("met", trig, trig + 3),
                 (Argument("participant", actor, sent_start, sent_start + len(actor), 0.9),
                  Argument("participant", "Ukraine", trig + 4, trig + 11, 0.9),
                  Argument("place", place, trig + 15, trig + 15 + len(place), 0.9)), sent)


def test_different_meetings_sharing_one_actor_are_not_merged():
    a = _event(0, "Japan", "Tokyo", 6)
    b = _event(50, "Germany", "Berlin", 58)
    assert assign_groups([a, b])[0].group != assign_groups([a, b])[1].group


# ------------------------------------------------------------------ 9-11. cost
def test_sentence_splitting_copies_nothing_per_candidate():
    """Peak extra memory stays near the size of the line: the old code sliced the rest of the line at
    every '.', which made splitting quadratic (and allocated a line-sized copy each time)."""
    line = "x. y " * 4_000  # 20,000 characters, 4,000 candidate ends, none a real boundary (lowercase next)
    tracemalloc.start()
    pieces = split_sentences(line)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert "".join(line[s:e] + " " for s, e in pieces).split() == line.split()
    assert peak < 0.5 * len(line), f"peak {peak} bytes for a {len(line)}-character line"


def test_pathological_sentence_is_capped_and_sentences_are_shared(extractor):
    text = "Title line\n" + " ".join(CORPUS * 60).replace(".", "")  # ~18,000 characters, no sentence end
    events = extractor.extract(text, batch_size=64)
    assert events, "a random model tags spans in it"
    assert all(len(e.sentence.text) <= MAX_SENTENCE_CHARS for e in events)
    by_span = {}
    for e in events:
        assert by_span.setdefault((e.sentence.start, e.sentence.end), e.sentence) is e.sentence
    assert len(by_span) < len(events), "events of one sentence hold the same Span object"
