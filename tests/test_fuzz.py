"""Property test over every hostile input class of training/fuzz.py (tiny random model, float32)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventx.chars import cluster_edges, grapheme_bounds
from eventx.extraction import EventExtractor
from eventx.segment import split_sentences
from tiny import CORPUS, tiny_model

_spec = importlib.util.spec_from_file_location("fuzz", Path(__file__).resolve().parent.parent / "training" / "fuzz.py")
fuzz = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fuzz)


@pytest.fixture(scope="module")
def extractor():
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # tiny matrices: threads only add overhead (and contention with other jobs)
    model, tok = tiny_model(max_length=24)  # small windows: long inputs are windowed too
    yield EventExtractor(model, tok, "cpu", dtype="float32")
    torch.set_num_threads(threads)  # the rest of the session keeps its threads


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cls=st.sampled_from(fuzz.CLASSES), rnd=st.randoms(use_true_random=False), other=st.sampled_from(CORPUS))
def test_hostile_inputs_keep_offsets_graphemes_and_batch_independence(extractor, cls, rnd, other):
    text, clean, shift = fuzz.make_input(rnd, cls, CORPUS)
    alone = extractor.extract(text)
    assert fuzz.span_problems(text, alone) == (0, 0)
    if clean is not None:  # invisible characters in front: the clean text's spans, shifted
        assert fuzz.decisions(alone) == fuzz.shifted(extractor.extract(clean), shift)
    together = extractor.extract([other * 2, text, other], batch_size=2)[1]
    assert fuzz.decisions(together) == fuzz.decisions(alone)


# The case the property test found (issue 16): a sentence started inside a grapheme cluster. Stripping
# an invisible character or a space from the start of a sentence left the mark that the cluster
# continued with ("\udbe4\u0329" is one cluster, "\u0329" alone is not): decoding then measured clusters
# in the sentence, where the mark starts one, and a span began in the middle of a cluster of the text.
ORPHAN_MARKS = ["\udbe4\u0329Japan joined PURL.",            # the minimal input: lone surrogate + mark
                " \u0301Japan joined PURL.",                  # a space + mark
                "\ue000\u0301Japan joined PURL.",             # private use + mark
                "Japan joined.\n\ufffe\u032aUkraine met Japan."]


@pytest.mark.parametrize("text", ORPHAN_MARKS)
def test_sentences_start_and_end_on_grapheme_boundaries_of_the_text(text):
    bounds = set(grapheme_bounds(text))
    pieces = split_sentences(text)
    assert pieces and all(s in bounds and e in bounds for s, e in pieces)
    assert all(not text[s].isspace() for s, _ in pieces)


def test_a_capped_piece_never_starts_with_the_mark_of_a_space():
    text = "a" * 30 + " \u0301" + "b" * 30  # the only space to cut at is extended by a combining mark
    pieces = split_sentences(text, max_chars=40)
    assert pieces == [(0, 30), (32, 62)]


def test_cluster_edges_agree_with_the_whole_text():
    text = "🇺🇦🇯🇵 a\u0301 \u0301b 👨\u200d👩\u200d👧 \ud848\u0329!"
    bounds = grapheme_bounds(text)
    for i in range(len(text)):
        k = max(j for j, b in enumerate(bounds) if b <= i)
        assert cluster_edges(text, i) == (bounds[k], bounds[k + 1])


@pytest.mark.parametrize("text", ORPHAN_MARKS)
def test_a_span_over_a_whole_sentence_starts_on_a_cluster_boundary(text):
    """A model that tags every token as one trigger: the span starts where its sentence starts."""
    import torch

    model, tok = tiny_model(max_length=64)
    ex = EventExtractor(model, tok, "cpu", dtype="float32")
    with torch.no_grad():
        model.trigger_head.bias[ex._trigger_labels.index("I-Meeting")] = 50.0
    events = ex.extract(text)
    assert events
    assert fuzz.span_problems(text, events) == (0, 0)
    assert all(not text[e.trigger.start].isspace() and not "\u0300" <= text[e.trigger.start] <= "\u036f"
               for e in events)


def test_score_change_is_the_largest_score_difference_between_agreeing_results():
    from eventx.types import Argument, Event, Span

    def ev(score, arg_score):
        return Event("Meeting", "happened", score, Span("met", 0, 3), (Argument("place", "Kyiv", 4, 8, arg_score),))

    assert fuzz.score_change([ev(0.5, 0.7)], [ev(0.5, 0.7)]) == 0.0
    assert fuzz.score_change([ev(0.5, 0.7)], [ev(0.52, 0.64)]) == pytest.approx(0.06)
