"""Active learning: choose the documents whose labels would teach the model most.

Scores are the model's *calibrated* probabilities (see :mod:`eventx.calibration`), so ``min(p, 1 - p)``
is the chance that a decision is wrong, and a document's uncertainty is the expected number of wrong
decisions in it: each candidate trigger (kept or not), each argument and each status.

- ``uncertainty``: the ``n`` documents with the most expected errors.
- ``diversity``: among the ``4 n`` most uncertain, a greedy k-centre walk over the encoder's mean-pooled
  sentence embeddings, so the batch does not spend the labelling hour on ten rewordings of one case.

Candidates come from ``extract(min_score=0, argument_min_score=0)``: events and arguments the model
would drop are exactly the ones it is least sure of. A document with no candidate at all scores 0 (the
model sees nothing it doubts).

>>> expected_errors([])
0.0
>>> from eventx.types import Event, Span, Argument
>>> ev = Event("Meeting", "happened", 0.6, Span("met", 0, 3), (Argument("participant", "A", 4, 5, 0.9),),
...            status_score=0.8)
>>> round(expected_errors([ev]), 3)  # 0.4 (trigger) + 0.1 (argument) + 0.2 (status)
0.7
>>> pick_diverse([[1.0, 0.0], [0.99, 0.01], [0.0, 1.0]], [3.0, 2.9, 1.0], 2)
[0, 2]
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

STRATEGIES = ("uncertainty", "diversity", "random")


@dataclass(frozen=True)
class Choice:
    """One chosen document: its ``index`` in the input, ``uncertainty`` (expected wrong decisions) and rank."""

    index: int
    uncertainty: float
    rank: int


def expected_errors(events) -> float:
    """Expected number of wrong decisions among ``events`` (calibrated scores)."""
    total = 0.0
    for ev in events:
        total += min(ev.score, 1.0 - ev.score) + (1.0 - ev.status_score if ev.status_score else 0.0)
        total += sum(min(a.score, 1.0 - a.score) for a in ev.arguments)
    return float(total)


def pick_diverse(embeddings, scores, n: int) -> list[int]:
    """Greedy k-centre: start at the most uncertain, then repeatedly take the point farthest (cosine) from
    those taken, weighted by its uncertainty so that far-but-certain points do not win."""
    x = np.asarray(embeddings, dtype=np.float64)
    if len(x) == 0 or n <= 0:
        return []
    x = x / np.clip(np.linalg.norm(x, axis=1, keepdims=True), 1e-12, None)
    s = np.asarray(scores, dtype=np.float64)
    weight = 0.5 + 0.5 * (s / s.max() if s.max() > 0 else np.ones_like(s))
    chosen = [int(np.argmax(s))]
    dist = 1.0 - x @ x[chosen[0]]
    while len(chosen) < min(n, len(x)):
        gain = np.where(np.isin(np.arange(len(x)), chosen), -np.inf, dist * weight)
        j = int(np.argmax(gain))
        chosen.append(j)
        dist = np.minimum(dist, 1.0 - x @ x[j])
    return chosen


def embed(extractor, texts: list[str], batch_size: int = 32):
    """Mean-pooled encoder states of each text's first window (the model's own view of the text)."""
    import torch

    tok, model = extractor.tokenizer, extractor.model
    out = []
    with extractor._lock, torch.inference_mode():
        for b in range(0, len(texts), batch_size):
            enc = tok(texts[b:b + batch_size], truncation=True, max_length=model.max_length, padding=True,
                      return_tensors="pt").to(extractor.device)
            hidden = model.encoder(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"]).last_hidden_state
            m = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            out.append(((hidden * m).sum(1) / m.sum(1).clamp(min=1)).float().cpu().numpy())
    return np.concatenate(out) if out else np.zeros((0, 1))


def select(texts: list[str], n: int, strategy: str = "uncertainty", extractor=None, *, batch_size: int = 16,
           seed: int = 13, events=None) -> list[Choice]:
    """The ``n`` documents of ``texts`` to label next, most useful first.

    ``events`` (the result of ``extractor.extract(texts, min_score=0, argument_min_score=0)``) can be passed
    to reuse a run.
    ``strategy="random"`` is the baseline the learning curve compares with.
    """
    if strategy not in STRATEGIES:
        raise ValueError(f"strategy must be one of {', '.join(STRATEGIES)}, got {strategy!r}")
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"n must be a non-negative integer, got {n!r}")
    n = min(n, len(texts))
    if strategy == "random":
        order = np.random.default_rng(seed).permutation(len(texts))[:n]
        return [Choice(int(i), 0.0, r) for r, i in enumerate(order)]
    if extractor is None:
        from .extraction import default_extractor

        extractor = default_extractor()
    if events is None:
        events = extractor.extract(list(texts), batch_size=batch_size, min_score=0.0, argument_min_score=0.0)
    u = np.array([expected_errors(evs) for evs in events])
    # stable sort on -u: ties keep input order, so a selection is reproducible
    ranked = [int(i) for i in np.argsort(-u, kind="stable")]
    if strategy == "uncertainty":
        picked = ranked[:n]
    else:
        pool = ranked[:min(len(ranked), 4 * n)]
        emb = embed(extractor, [texts[i] for i in pool], batch_size=max(batch_size, 32))
        picked = [pool[j] for j in pick_diverse(emb, u[pool], n)]
    return [Choice(i, round(float(u[i]), 4), r) for r, i in enumerate(picked)]
