"""Active learning: expected errors from calibrated scores, the strategies, and the command."""
from __future__ import annotations

import json

import pytest

from eventx.active import Choice, expected_errors, pick_diverse, select
from eventx.types import Argument, Event, Span


def _ev(score, status_score=1.0, args=()):
    return Event("Meeting", "happened", score, Span("met", 0, 3),
                 tuple(Argument("participant", "A", 4, 5, s) for s in args), status_score=status_score)


class FakeExtractor:
    """Returns fixed events per text, and records the thresholds it was asked for (both must be 0)."""

    def __init__(self, table):
        self.table, self.calls = table, []

    def extract(self, texts, batch_size=16, min_score=None, argument_min_score=None):
        self.calls.append((min_score, argument_min_score))
        return [self.table[t] for t in texts]


def test_expected_errors_counts_doubt_not_confidence():
    assert expected_errors([_ev(0.99, 0.99, [0.99])]) == pytest.approx(0.03)
    assert expected_errors([_ev(0.5, 0.5, [0.5])]) == pytest.approx(1.5)
    assert expected_errors([_ev(0.05)]) == pytest.approx(0.05)  # a sure "no" is not uncertain


def test_uncertainty_picks_the_least_sure_documents_first():
    table = {"sure": [_ev(0.99)], "unsure": [_ev(0.5, 0.6)], "empty": [], "mid": [_ev(0.8)]}
    fake = FakeExtractor(table)
    got = select(list(table), 2, "uncertainty", fake)
    assert [c.index for c in got] == [1, 3] and fake.calls == [(0.0, 0.0)]
    assert got[0] == Choice(1, 0.9, 0)


def test_diversity_spreads_the_batch():
    emb = [[1, 0], [0.999, 0.04], [0.998, 0.06], [0, 1]]
    assert pick_diverse(emb, [3.0, 2.9, 2.8, 1.0], 2) == [0, 3]


def test_random_and_bad_arguments():
    assert [c.index for c in select(["a", "b", "c"], 3, "random", seed=1)] != [] and len(select(["a"], 5, "random")) == 1
    with pytest.raises(ValueError, match="strategy"):
        select(["a"], 1, "loudest", FakeExtractor({"a": []}))
    with pytest.raises(ValueError, match="non-negative"):
        select(["a"], -1, "uncertainty", FakeExtractor({"a": []}))


def test_cli_select_with_a_tiny_model(tmp_path, capsys):
    from eventx.cli import main
    from tiny import CORPUS, tiny_model

    model, tok = tiny_model()
    model_dir = model.save_pretrained(tmp_path / "tiny", tokenizer=tok)
    pool = tmp_path / "pool.jsonl"
    pool.write_text("".join(json.dumps({"id": f"p{i}", "text": t}, ensure_ascii=False) + "\n"
                            for i, t in enumerate(CORPUS)), encoding="utf-8")
    for strategy in ("uncertainty", "diversity"):
        out = tmp_path / f"{strategy}.json"
        assert main(["select", str(pool), "--n", "3", "--strategy", strategy, "--out", str(out),
                     "--model", str(model_dir)]) == 0
        tasks = json.loads(out.read_text("utf-8"))
        assert len(tasks) == 3 and len({t["data"]["eventx_id"] for t in tasks}) == 3
        u = [t["data"]["uncertainty"] for t in tasks]
        if strategy == "uncertainty":
            assert u == sorted(u, reverse=True)
