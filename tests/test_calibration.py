"""Calibration: pure fitting on hand-made scores, saving with the model, and its use in extract()."""
from __future__ import annotations

import json

import numpy as np
import pytest

from eventx.calibration import (Calibration, Platt, choose_min_score, expected_calibration_error, fit_platt,
                                fit_temperature, reliability, temper)
from eventx.evaluation import calibrate, calibration_metrics, calibration_samples
from eventx.extraction import EventExtractor
from eventx.modeling import EventModel
from tiny import CORPUS, tiny_model


def overconfident(n=4000, seed=0):
    """Scores near 1 whose real accuracy is only about 70%: the shape seen on real pages."""
    rng = np.random.default_rng(seed)
    s = rng.uniform(0.85, 1.0, n)
    y = rng.uniform(size=n) < 0.7 * (s - 0.85) / 0.15 + 0.35
    return s, y


def test_ece_of_perfect_and_wrong_scores():
    assert expected_calibration_error([1.0, 1.0, 0.0], [1, 1, 0]) == 0.0
    assert expected_calibration_error([1.0, 1.0], [0, 0]) == 1.0
    assert expected_calibration_error([], []) == 0.0


def test_reliability_bins_count_every_score_once():
    bins = reliability([0.05, 0.95, 0.95, 1.0], [0, 1, 0, 1])
    assert sum(b["n"] for b in bins) == 4
    assert bins[-1] == {"low": 0.9, "high": 1.0, "n": 3, "confidence": 0.9667, "accuracy": 0.6667}
    assert bins[0]["accuracy"] == 0.0 and bins[5]["n"] == 0 and bins[5]["accuracy"] is None


def test_platt_fit_lowers_ece_and_keeps_the_order():
    s, y = overconfident()
    p = fit_platt(s, y)
    assert expected_calibration_error(p(s), y) < 0.03 < expected_calibration_error(s, y)
    order = np.argsort(s)
    assert np.all(np.diff(p(s)[order]) >= 0)


def test_platt_fit_without_both_outcomes_is_the_identity():
    assert fit_platt([0.9, 0.8], [1, 1]) == Platt()
    assert fit_platt([], []) == Platt()


def test_temperature_softens_overconfident_and_keeps_argmax():
    rng = np.random.default_rng(1)
    gold = rng.integers(0, 3, 600)
    pred = np.where(rng.uniform(size=600) < 0.8, gold, (gold + 1) % 3)  # 80% right
    probs = np.full((600, 3), 0.005)
    probs[np.arange(600), pred] = 0.99
    t = fit_temperature(probs, gold)
    assert t > 1.5
    q = temper(probs, t)
    assert np.array_equal(q.argmax(-1), probs.argmax(-1))
    assert abs(q.max(-1).mean() - 0.8) < 0.05
    assert np.allclose(q.sum(-1), 1)


def test_min_score_maximises_f1_and_prefers_the_lowest_tie():
    assert choose_min_score([0.9, 0.8, 0.3, 0.2], [1, 1, 0, 0], n_gold=2) == 0.35
    assert choose_min_score([0.9, 0.8], [1, 1], n_gold=3) == 0.0
    assert choose_min_score([], [], n_gold=0) == 0.0


def test_calibration_dict_round_trip_and_bad_blocks():
    cal = Calibration(Platt(0.5, -1.0), Platt(0.7, 0.1), 1.3, 0.4, 0.35, {"items": 3})
    again = Calibration.from_dict(json.loads(json.dumps(cal.to_dict())))
    assert again == cal and again.report == {"items": 3}
    assert Calibration.from_dict(None) == Calibration()
    with pytest.raises(ValueError, match="calibration"):
        Calibration.from_dict({"trigger": {"slope": 2}})
    with pytest.raises(ValueError, match="JSON object"):
        Calibration.from_dict([1, 2])


@pytest.fixture(scope="module")
def extractor():
    model, tok = tiny_model(max_length=32, seed=5)
    return EventExtractor(model, tok, "cpu")


def gold_items(extractor):
    """Items whose gold events are half of what the random model predicts: a known 50% precision."""
    items = []
    for i, text in enumerate(CORPUS):
        raw = extractor.raw_scores([text])[0]
        events = [{"type": ev["type"], "status": "happened",
                   "trigger": {"start": ev["trigger"][0], "end": ev["trigger"][1]}, "arguments": []}
                  for k, ev in enumerate(raw) if k % 2 == 0]
        items.append({"id": str(i), "lang": "en", "text": text, "events": events})
    return items


def test_samples_mark_exactly_the_gold_triggers_right(extractor):
    items = gold_items(extractor)
    s = calibration_samples(extractor, items)
    assert s["gold_triggers"] == sum(len(it["events"]) for it in items)
    assert s["gold_arguments"] == sum(len(e["arguments"]) for it in items for e in it["events"])
    assert s["trigger"][1].sum() == s["gold_triggers"]  # every gold trigger was predicted
    assert len(s["trigger"][0]) > s["gold_triggers"]
    assert s["status"][0].shape == (s["gold_triggers"], 4)
    assert not s["argument"][1].any()  # gold events here have no arguments


def test_calibrate_fits_saves_loads_and_filters(extractor, tmp_path):
    items = gold_items(extractor)
    cal = calibrate(extractor, items)
    assert cal.report["items"] == len(items)
    m = calibration_metrics(calibration_samples(extractor, items), cal)
    assert m["after"]["trigger"]["ece"] <= m["before"]["trigger"]["ece"]
    # saved with the model and read back exactly
    extractor.model.calibration = cal
    try:
        extractor.model.save_pretrained(tmp_path / "m")
        loaded = EventModel.from_pretrained(tmp_path / "m")
        assert loaded.calibration == cal and loaded.calibration.report == cal.report
    finally:
        extractor.model.calibration = Calibration()


def test_extract_applies_calibration_and_min_score(extractor):
    text = " ".join(CORPUS)
    plain = extractor.extract(text, min_score=0)
    assert plain
    raw = extractor.raw_scores([text])[0]
    assert [e.score for e in plain] == pytest.approx([r["score"] for r in raw])
    extractor.model.calibration = Calibration(trigger=Platt(1.0, -2.0), min_score=0.5)
    try:
        scored = extractor.extract(text, min_score=0)
        assert [e.score for e in scored] == pytest.approx([Platt(1.0, -2.0)(r["score"]) for r in raw])
        default = extractor.extract(text)  # the model's own min_score
        assert [e.trigger for e in default] == [e.trigger for e in scored if e.score >= 0.5]
        assert extractor.extract(text, min_score=1.0) == []
    finally:
        extractor.model.calibration = Calibration()


def test_extract_drops_arguments_under_the_argument_threshold(extractor):
    text = " ".join(CORPUS)
    plain = extractor.extract(text, min_score=0)
    scores = sorted(a.score for e in plain for a in e.arguments)
    assert len(scores) > 2, "the tiny model tags arguments in this text"
    cut = scores[len(scores) // 2]
    extractor.model.calibration = Calibration(argument_min_score=cut)
    try:
        kept = extractor.extract(text, min_score=0)
        assert [e.trigger for e in kept] == [e.trigger for e in plain]  # events stay, only arguments go
        assert [[a for a in e.arguments if a.score >= cut] for e in plain] == [list(e.arguments) for e in kept]
        assert sum(len(e.arguments) for e in kept) < len(scores)
        assert extractor.extract(text, min_score=0, argument_min_score=0) == plain  # the caller's threshold wins
        with pytest.raises(ValueError, match="argument_min_score must be a number from 0 to 1"):
            extractor.extract(text, argument_min_score=2)
    finally:
        extractor.model.calibration = Calibration()


def test_argument_threshold_is_chosen_against_every_gold_argument():
    # 3 of 4 predicted arguments right, 6 gold: dropping the wrong low one raises F1 (0.6 -> 0.667)
    assert choose_min_score([0.9, 0.8, 0.7, 0.2], [1, 1, 1, 0], n_gold=6) == 0.25
    assert Calibration.from_dict({"argument_min_score": 0.45}).argument_min_score == 0.45
    assert Calibration.from_dict({"min_score": 0.3}).argument_min_score == 0.0  # older configs: keep all


@pytest.mark.parametrize("bad", [-0.1, 1.5, "0.5", True, float("nan")])
def test_min_score_is_validated(extractor, bad):
    with pytest.raises(ValueError, match="min_score must be a number from 0 to 1"):
        extractor.extract("Japan joined PURL.", min_score=bad)


def test_module_doctests():
    import doctest

    import eventx.calibration

    assert doctest.testmod(eventx.calibration).failed == 0
