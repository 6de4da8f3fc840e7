"""extract(): offsets into the user's text, batching, windows, determinism and bad input."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import eventx
from eventx.extraction import EventExtractor, assign_groups
from eventx.types import Argument, Event, Span
from tiny import CORPUS, tiny_model


@pytest.fixture(scope="module")
def extractor():
    model, tok = tiny_model(max_length=24)  # small window: long sentences are split into several
    return EventExtractor(model, tok, "cpu")


def check_offsets(text, events):
    for ev in events:
        assert text[ev.trigger.start:ev.trigger.end] == ev.trigger.text
        assert ev.trigger.text == ev.trigger.text.strip() and ev.trigger.text
        assert text[ev.sentence.start:ev.sentence.end] == ev.sentence.text
        assert ev.sentence.start <= ev.trigger.start < ev.trigger.end <= ev.sentence.end
        for a in ev.arguments:
            assert text[a.start:a.end] == a.text and a.text == a.text.strip()
            assert not (a.start < ev.trigger.end and ev.trigger.start < a.end), "argument overlaps its trigger"


def test_random_model_finds_spans_with_exact_offsets(extractor):
    text = "\r\n".join(CORPUS)
    events = extractor.extract(text)
    assert events, "a random model tags plenty of spans; none means decoding dropped them"
    check_offsets(text, events)


noise = st.lists(st.sampled_from([" ", "\t", "\r\n", "\n", "\u00a0", "&nbsp;", "&amp;", "😀", "é", "\u200b",
                                  "—", "«", "»", "ї", "中", "e\u0301"]), max_size=12).map("".join)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(st.tuples(noise, st.sampled_from(CORPUS)), min_size=1, max_size=4), tail=noise)
def test_offsets_hold_with_whitespace_and_unicode_around_sentences(extractor, parts, tail):
    text = "".join(n + s for n, s in parts) + tail
    check_offsets(text, extractor.extract(text))


def decisions(events):
    return [(e.type, e.status, e.trigger, e.group, tuple((a.role, a.start, a.end) for a in e.arguments))
            for e in events]


@pytest.fixture(scope="module")
def confident():
    """A random model with sharpened heads: padding-level float noise cannot flip its decisions."""
    import torch
    model, tok = tiny_model(max_length=24, seed=3)
    with torch.no_grad():
        for head in (model.trigger_head, model.role_head, model.status_head):
            head.weight.mul_(40)
    return EventExtractor(model, tok, "cpu")


def test_batch_equals_one_by_one(confident):
    docs = [CORPUS[0], "", CORPUS[1] + " " + CORPUS[2], "   ", CORPUS[3] * 3]
    batched = confident.extract(docs, batch_size=3)
    single = [confident.extract(d) for d in docs]
    assert [decisions(x) for x in single] == [decisions(x) for x in batched]
    assert any(batched) and batched[1] == [] and batched[3] == []
    for a, b in zip(sum(single, []), sum(batched, [])):
        assert a.score == pytest.approx(b.score, abs=1e-4)


def test_deterministic(extractor):
    text = " ".join(CORPUS)
    assert extractor.extract(text) == extractor.extract(text)


def test_list_input_returns_one_list_per_text(extractor):
    out = extractor.extract(CORPUS[:3])
    assert isinstance(out, list) and len(out) == 3 and all(isinstance(x, list) for x in out)
    assert extractor(CORPUS[:3]) == out  # __call__ is extract


def test_long_sentence_is_windowed_without_losing_offsets(extractor):
    text = " ".join(CORPUS) .replace(".", ",") + "."  # one sentence far longer than the 24-token window
    windows = extractor._windows([text])
    assert len(windows) > 3
    events = extractor.extract(text)
    check_offsets(text, events)
    assert max(e.trigger.end for e in events) > len(text) // 2, "events after the first window are kept"
    assert len({(e.type, e.trigger.start, e.trigger.end) for e in events}) == len(events), "window overlaps deduplicated"


def test_results_do_not_depend_on_the_sentence_chunk(extractor, monkeypatch):
    # events are built a chunk of sentences at a time; chunk edges must change nothing (deduplication of
    # overlapping windows, text order, groups)
    import eventx.extraction as X

    docs = [" ".join(CORPUS) + "\n" + "\n".join(CORPUS * 3), "\n".join(reversed(CORPUS))]
    whole = [[e.to_dict() for e in evs] for evs in extractor.extract(docs, min_score=0.0)]
    monkeypatch.setattr(X, "SENTENCE_CHUNK", 3)
    chunked = [[e.to_dict() for e in evs] for evs in extractor.extract(docs, min_score=0.0)]
    assert chunked == whole and any(whole)


def test_equal_arguments_share_their_value_and_text(extractor):
    # a document naming the same actor a thousand times keeps one normalised value for it, not a thousand
    text = "\n".join(CORPUS * 4)
    args = [a for e in extractor.extract(text, min_score=0.0) for a in e.arguments]
    by_text: dict = {}
    for a in args:
        by_text.setdefault((a.text, a.role), []).append(a)
    repeated = [same for same in by_text.values() if len(same) > 1]
    assert repeated, "the corpus repeats: some argument must occur twice"
    for same in repeated:
        assert all(a.value is same[0].value for a in same[1:])


def test_one_megabyte_document_finishes_with_bounded_memory():
    import resource

    import torch
    model, tok = tiny_model(max_length=64)
    with torch.no_grad():  # a model that tags almost nothing: this test is about the document path
        model.trigger_head.bias[0] = 30.0
        model.trigger_head.bias[1] = 29.0  # B-Meeting a little below O
    ex = EventExtractor(model, tok, "cpu")
    text = ("Прем'єр зустрівся з колегою. " * 40 + "\n") * 900
    assert len(text) > 1_000_000
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    events = ex.extract(text, batch_size=64)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert all(e.trigger.end <= len(text) for e in events)
    assert grown_mb < 1500, f"peak memory grew by {grown_mb:.0f} MB"


@pytest.mark.parametrize("bad, exc, msg", [
    (42, TypeError, "int"),
    (None, TypeError, "NoneType"),
    (b"bytes", TypeError, "decode"),
    (["ok", 3], TypeError, r"texts\[1\]"),
])
def test_bad_input_types(extractor, bad, exc, msg):
    with pytest.raises(exc, match=msg):
        extractor.extract(bad)


@pytest.mark.parametrize("date", ["2026-13-01", "yesterday", 20260408])
def test_invalid_date(extractor, date):
    with pytest.raises(ValueError, match="date"):
        extractor.extract("text", date=date)


def test_empty_and_whitespace(extractor):
    assert extractor.extract("") == []
    assert extractor.extract(" \n\t\u00a0 ") == []
    assert eventx.extract("") == [] and eventx.extract("   \n") == []


def test_module_level_bad_input_needs_no_model():
    with pytest.raises(TypeError, match="bytes"):
        eventx.extract(b"abc")
    with pytest.raises(ValueError, match="date"):
        eventx.extract("", date="not a date")


def test_other_scripts_do_not_crash(extractor):
    for text in ["日本とウクライナは防衛協力に関する覚書に署名した。", "مرحبا بالعالم", "🙂" * 50]:
        check_offsets(text, extractor.extract(text))


def test_nothing_printed_to_stdout(extractor, capsys):
    extractor.extract(CORPUS)
    assert capsys.readouterr().out == ""


def test_time_values_use_the_date(extractor):
    # decoding is random here; check the normalisation path on hand-built events instead
    from eventx.normalize import normalize
    assert normalize("сьогодні", "time", date=dt.date(2026, 4, 8)).value == "2026-04-08"


def _ev(type_, sent, args):
    return Event(type_, "happened", 0.9, Span("x", sent, sent + 1),
                 tuple(Argument(r, t, 0, len(t), 0.9) for r, t in args), Span("s", sent, sent + 10))


def test_groups_join_restated_events_across_sentences():
    events = assign_groups([
        _ev("Agreement", 0, [("party", "Україна"), ("party", "Японія")]),
        _ev("Agreement", 20, [("party", "Японії")]),           # the body restates the headline
        _ev("Meeting", 40, [("participant", "Японії")]),        # another type: its own group
        _ev("Agreement", 60, [("party", "Франція")]),           # nothing shared
    ])
    assert [e.group for e in events] == [1, 1, 3, 4]


def test_to_dict_shape(extractor):
    ev = _ev("Meeting", 0, [("time", "today")])
    d = ev.to_dict()
    assert set(d) >= {"type", "status", "score", "trigger", "arguments", "sentence"}
    assert set(d["arguments"][0]) == {"role", "text", "start", "end", "score", "value"}
    assert set(d["trigger"]) == {"text", "start", "end"}
