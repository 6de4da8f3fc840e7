"""Calibrated confidence: raw model scores to probabilities that an output is right.

A raw trigger or argument score is the mean probability of a span's BIO tags; a raw status score is the
softmax of the status head. Neither is a probability of being right: the fine-tuned heads are
over-confident. A :class:`Calibration` is fitted on a dev set, saved in the model's ``config.json`` and
applied by :meth:`eventx.EventExtractor.extract`:

- trigger and argument scores: Platt scaling, ``sigmoid(a * logit(score) + b)``, fitted on whether each
  predicted span is right (monotone, so it re-ranks nothing);
- status: temperature scaling of the status probabilities (the argmax never changes);
- ``min_score``: the calibrated trigger score below which events are dropped, chosen on dev to maximise
  trigger classification F1; ``argument_min_score``: the same for arguments (argument classification F1).

Everything here is pure: arrays in, numbers out.

>>> cal = Calibration(trigger=Platt(0.5, -0.2))
>>> round(cal.trigger(0.99), 3)
0.891
>>> expected_calibration_error([0.9, 0.9, 0.2, 0.2], [1, 1, 0, 0])
0.15
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np

EPS = 1e-6


def _logit(p):
    p = np.clip(np.asarray(p, dtype=np.float64), EPS, 1 - EPS)
    return np.log(p) - np.log1p(-p)


@dataclass(frozen=True)
class Platt:
    """``score -> sigmoid(a * logit(score) + b)``; the identity is ``Platt(1, 0)``."""

    a: float = 1.0
    b: float = 0.0

    def __call__(self, score):
        z = self.a * _logit(score) + self.b
        out = 0.5 * (1 + np.tanh(0.5 * z))
        return float(out) if np.ndim(out) == 0 else out


@dataclass(frozen=True)
class Calibration:
    trigger: Platt = field(default_factory=Platt)
    argument: Platt = field(default_factory=Platt)
    status_temperature: float = 1.0
    min_score: float = 0.0
    argument_min_score: float = 0.0
    report: dict = field(default_factory=dict, compare=False)  # how it was fitted; ECE before and after

    def status(self, probs):
        """Temperature-scaled status probabilities (rows of ``probs`` sum to 1)."""
        return temper(probs, self.status_temperature)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict | None) -> "Calibration":
        """Read the ``calibration`` block of a config (missing: the identity, no threshold).

        >>> Calibration.from_dict({"trigger": {"a": 2, "b": 0}, "min_score": 0.3}).min_score
        0.3
        """
        if not d:
            return cls()
        if not isinstance(d, dict):
            raise ValueError(f"calibration must be a JSON object, got {type(d).__name__}")
        try:
            return cls(trigger=Platt(**d.get("trigger", {})), argument=Platt(**d.get("argument", {})),
                       status_temperature=float(d.get("status_temperature", 1.0)),
                       min_score=float(d.get("min_score", 0.0)),
                       argument_min_score=float(d.get("argument_min_score", 0.0)), report=dict(d.get("report", {})))
        except TypeError as e:
            raise ValueError(f"calibration: {e}") from None


def temper(probs, temperature: float):
    """Softmax of ``log(probs) / temperature`` along the last axis.

    >>> temper([[0.8, 0.2]], 2.0).round(3).tolist()
    [[0.667, 0.333]]
    """
    logp = np.log(np.clip(np.asarray(probs, dtype=np.float64), 1e-12, 1.0)) / temperature
    logp -= logp.max(-1, keepdims=True)
    e = np.exp(logp)
    return e / e.sum(-1, keepdims=True)


def expected_calibration_error(scores, correct, bins: int = 10) -> float:
    """ECE: the mean |accuracy - confidence| over equal-width score bins, weighted by bin size."""
    s = np.asarray(scores, dtype=np.float64)
    c = np.asarray(correct, dtype=np.float64)
    if not len(s):
        return 0.0
    idx = np.minimum((s * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        m = idx == b
        if m.any():
            total += m.sum() * abs(c[m].mean() - s[m].mean())
    return round(float(total / len(s)), 4)


def reliability(scores, correct, bins: int = 10) -> list[dict]:
    """Per score bin: its range, size, mean confidence and accuracy (the points of a reliability diagram)."""
    s = np.asarray(scores, dtype=np.float64)
    c = np.asarray(correct, dtype=np.float64)
    idx = np.minimum((s * bins).astype(int), bins - 1)
    out = []
    for b in range(bins):
        m = idx == b
        out.append({"low": b / bins, "high": (b + 1) / bins, "n": int(m.sum()),
                    "confidence": round(float(s[m].mean()), 4) if m.any() else None,
                    "accuracy": round(float(c[m].mean()), 4) if m.any() else None})
    return out


def fit_platt(scores, correct, iterations: int = 100) -> Platt:
    """Logistic regression of ``correct`` on ``logit(scores)`` (Newton's method, small L2 pull to identity).

    >>> rng = np.random.default_rng(0)
    >>> s = rng.uniform(0.5, 1.0, 2000); y = rng.uniform(size=2000) < (s - 0.4)   # over-confident scores
    >>> p = fit_platt(s, y); expected_calibration_error(p(s), y) < expected_calibration_error(s, y)
    True
    """
    x = _logit(scores)
    y = np.asarray(correct, dtype=np.float64)
    if len(x) < 2 or y.min() == y.max():
        return Platt()
    prior, lam = np.array([1.0, 0.0]), 1e-3 * len(x)
    X = np.stack([x, np.ones_like(x)], 1)

    def loss(w):
        z = X @ w
        return float(np.sum(np.logaddexp(0, z) - y * z) + 0.5 * lam * np.sum((w - prior) ** 2))

    w = prior.copy()
    current = loss(w)
    for _ in range(iterations):
        p = 0.5 * (1 + np.tanh(0.5 * (X @ w)))  # a sigmoid that cannot overflow
        grad = X.T @ (p - y) + lam * (w - prior)
        hess = (X * (p * (1 - p))[:, None]).T @ X + lam * np.eye(2)
        step = np.linalg.solve(hess, grad)
        t = 1.0
        while loss(w - t * step) > current and t > 1e-6:  # backtracking keeps Newton from overshooting
            t /= 2
        w, previous, current = w - t * step, current, loss(w - t * step)
        if previous - current < 1e-10:
            break
    return Platt(round(float(w[0]), 6), round(float(w[1]), 6))


def fit_temperature(probs, gold) -> float:
    """The temperature that minimises the negative log-likelihood of ``gold`` class indices.

    >>> probs = np.array([[0.99, 0.01]] * 6 + [[0.01, 0.99]] * 4)   # confident, 20% of them wrong
    >>> fit_temperature(probs, [0] * 5 + [1] + [1] * 3 + [0]) > 1
    True
    """
    probs = np.asarray(probs, dtype=np.float64)
    gold = np.asarray(gold, dtype=int)
    if not len(gold):
        return 1.0

    def nll(t):
        q = temper(probs, t)
        return -np.log(np.clip(q[np.arange(len(gold)), gold], 1e-12, 1)).mean()

    grid = np.exp(np.linspace(np.log(0.25), np.log(10.0), 121))
    t = grid[int(np.argmin([nll(g) for g in grid]))]
    for width in (0.05, 0.01):  # refine around the best grid point
        local = t * np.exp(np.linspace(-width * 4, width * 4, 17))
        t = local[int(np.argmin([nll(g) for g in local]))]
    return round(float(t), 4)


def choose_min_score(scores, correct, n_gold: int, grid=None) -> float:
    """The threshold on calibrated scores that maximises F1 (ties: the lowest threshold).

    >>> choose_min_score([0.9, 0.8, 0.3, 0.2], [1, 1, 0, 0], n_gold=2)
    0.35
    """
    s = np.asarray(scores, dtype=np.float64)
    c = np.asarray(correct, dtype=bool)
    grid = np.round(np.arange(0.0, 0.96, 0.05), 2) if grid is None else grid
    best, best_f = 0.0, -1.0
    for t in grid:
        keep = s >= t
        tp, n = int((c & keep).sum()), int(keep.sum())
        p = tp / n if n else 0.0
        r = tp / n_gold if n_gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        if f > best_f + 1e-9:
            best, best_f = float(t), f
    return best
