"""Property test over every hostile input class of training/fuzz.py (tiny random model, float32)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventx.extraction import EventExtractor
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


@pytest.mark.xfail(reason="issue 16 (open): after joining the branches, a rare 'random'-class input still puts one "
                          "span edge inside a grapheme cluster; found by this test, not yet fixed", strict=False)
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
