"""Fuzz eventx with hostile text and count what goes wrong, by input class.

    python training/fuzz.py --model tiny --n 10000            # tiny random model from tests/tiny.py
    python training/fuzz.py --model models/eventx-e5-small --n 10000 --dtype float32

Every input is checked for: crashes; offset violations (``text[start:end] != span.text``, a span edge on
whitespace or an invisible character, a trigger outside its sentence, and, for inputs that are a clean
text behind invisible characters, spans that are not the clean text's spans shifted by the prefix);
grapheme violations (a span edge inside a grapheme cluster); batch dependence (the same document gives
other labels or spans, or another ``to_dict()``, when extracted with other documents in another order and
batch size). ``max_score_change`` is the largest score difference between passes whose decisions agree:
the measured bound on batch dependence in lower precision (bfloat16). The input generators are shared
with the hypothesis test in tests/test_fuzz.py.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from eventx.chars import _hidden, grapheme_bounds  # noqa: E402

HIDDEN = ([chr(c) for c in range(1, 32) if chr(c) not in "\t\n\r"] + [chr(c) for c in range(0x7f, 0xa0)]
          + list("\ufeff\u200b\u200c\u200d\u2060\u00ad\u202e\u2066\u2069\ue000\U000e0001"))
SURROGATES = ["\ud800", "\ud848", "\udbff", "\udc00", "\udcff", "\udfff"]
CLUSTERS = ["e\u0301", "\u0301", "a\u0308\u0323", "👨\u200d👩\u200d👧\u200d👦", "👍🏽", "🏳\ufe0f\u200d🌈", "1\ufe0f\u20e3",
            "#\u20e3", "🇺🇦", "🇯🇵", "\u0915\u094d\u0937", "각", "\u1100\u1161\u11a8", "й", "и\u0306", "ї", "\r\n"]
SPACES = [" ", "  ", "\t", "\r\n", "\n", "\u00a0", "\u2028", "\u2029", "\u3000", "\u2009", "\u202f", "\u1680", "\x0b", "\x0c"]
MARKUP = ["&nbsp;", "&amp;", "<b>", "</p>", "\x1b[1m", "\x1b[0m", "\x1b]0;title\x07", "<script>", "«", "»", "—", "…"]
CLASSES = ("plain", "control", "shifted", "surrogate", "grapheme", "whitespace", "markup", "random", "long", "empty")

FALLBACK = ["Japan joined the PURL initiative on Monday.", "Україна і Польща підписали меморандум про співпрацю.",
            "Эстония присоединится к инициативе PURL в марте, сообщил министр.",
            "Germany allocated a new aid package of 40 vehicles to Ukraine on Friday.",
            "Міністр оборони України зустрівся з японським колегою в Токіо."]


def load_sentences(path: Path = HERE / "data" / "test.jsonl") -> list[str]:
    try:
        return [json.loads(line)["text"] for line in path.read_text("utf-8").splitlines() if line.strip()] or FALLBACK
    except OSError:
        return FALLBACK


def _insert(rng: random.Random, text: str, pieces: list[str], k: int) -> str:
    chars = list(text)
    for _ in range(k):
        chars.insert(rng.randrange(len(chars) + 1), rng.choice(pieces))
    return "".join(chars)


def make_input(rng: random.Random, cls: str, sentences: list[str]) -> tuple[str, str | None, int]:
    """``(text, clean, shift)``: for the ``shifted`` class ``text == prefix + clean`` with ``shift = len(prefix)``."""
    base = " ".join(rng.choice(sentences) for _ in range(1 if rng.random() < 0.8 else 2))
    if cls == "plain":
        return base, None, 0
    if cls == "control":
        return _insert(rng, base, HIDDEN, rng.randint(1, 6)), None, 0
    if cls == "shifted":
        prefix = "".join(rng.choice(HIDDEN) for _ in range(rng.randint(1, 3)))
        return prefix + base, base, len(prefix)
    if cls == "surrogate":
        return _insert(rng, base, SURROGATES, rng.randint(1, 4)), None, 0
    if cls == "grapheme":
        # clusters glued to words, so a word-level span meets them at its edges
        return _insert(rng, base, CLUSTERS, rng.randint(1, 8)), None, 0
    if cls == "whitespace":
        return rng.choice(SPACES) + _insert(rng, base, SPACES, rng.randint(1, 8)) + rng.choice(SPACES), None, 0
    if cls == "markup":
        return _insert(rng, base, MARKUP, rng.randint(1, 6)), None, 0
    if cls == "random":
        blocks = [(0x20, 0x7f), (0x80, 0x250), (0x400, 0x4ff), (0x300, 0x36f), (0x2000, 0x206f), (0x4e00, 0x4e80),
                  (0x1f300, 0x1f6ff), (0xd800, 0xdfff), (0xe000, 0xe0ff), (0xfff0, 0xffff)]
        out = []
        for _ in range(rng.randint(1, 120)):
            lo, hi = rng.choice(blocks)
            out.append(chr(rng.randrange(lo, hi)))
        return _insert(rng, base, out, min(len(out), 20)) if rng.random() < 0.5 else "".join(out), None, 0
    if cls == "long":
        words = " ".join(rng.choice(sentences) for _ in range(rng.randint(4, 10))).replace(".", " ")
        return (words if rng.random() < 0.7 else words.replace(" ", "")), None, 0
    if cls == "empty":
        return "".join(rng.choice(SPACES + HIDDEN[:4]) for _ in range(rng.randint(0, 5))), None, 0
    raise ValueError(f"unknown input class {cls!r}")


def span_problems(text: str, events) -> tuple[int, int]:
    """``(offset violations, grapheme violations)`` in the events of one text."""
    off = graph = 0
    b = grapheme_bounds(text)
    bounds = set(b)
    nxt = dict(zip(b, b[1:]))
    prv = dict(zip(b[1:], b))
    for ev in events:
        for sp in [ev.trigger, *ev.arguments]:
            s, e = sp.start, sp.end
            bad = not (0 <= s < e <= len(text)) or text[s:e] != sp.text
            # an edge may not be whitespace, nor a cluster of invisible characters only (an invisible
            # character that starts a cluster with a visible mark belongs to the span)
            first, last = text[s:nxt.get(s, s + 1)], text[prv.get(e, e - 1):e]
            bad = bad or text[s].isspace() or text[e - 1].isspace()
            bad = bad or all(_hidden(c) for c in first) or all(_hidden(c) for c in last)
            bad = bad or not (ev.sentence.start <= s and e <= ev.sentence.end)
            off += bad
            graph += s not in bounds or e not in bounds
        if text[ev.sentence.start:ev.sentence.end] != ev.sentence.text:
            off += 1
    return off, graph


def decisions(events) -> list:
    return [(e.type, e.status, e.trigger.start, e.trigger.end, e.group,
             tuple((a.role, a.start, a.end) for a in e.arguments)) for e in events]


def shifted(events, k: int) -> list:
    return [(t, st, s + k, e + k, g, tuple((r, a + k, b + k) for r, a, b in args))
            for t, st, s, e, g, args in decisions(events)]


def run(extractor, n: int, seed: int = 0, sentences: list[str] | None = None, batch_sizes=(16, 5)) -> dict:
    """Generate ``n`` inputs (round robin over the classes), extract, and count problems by class."""
    rng = random.Random(seed)
    sentences = sentences or load_sentences()
    inputs = [(CLASSES[i % len(CLASSES)], *make_input(rng, CLASSES[i % len(CLASSES)], sentences)) for i in range(n)]
    texts = [t for _, t, _, _ in inputs]
    extra = sorted({c for _, _, c, _ in inputs if c is not None})
    extra_at = {c: len(texts) + i for i, c in enumerate(extra)}
    all_texts = texts + extra
    counts = defaultdict(Counter)
    worst: dict = defaultdict(float)
    examples: list = []  # offset violations of the shifted class, for diagnosis (in --json only)
    passes = []
    for p, bs in enumerate(batch_sizes):
        order = list(range(len(all_texts)))
        random.Random(seed + 1 + p).shuffle(order)
        out = [None] * len(all_texts)
        try:
            res = extractor.extract([all_texts[i] for i in order], batch_size=bs)
            for i, evs in zip(order, res):
                out[i] = evs
        except Exception:  # find the documents that crash, one at a time
            for i in order:
                try:
                    out[i] = extractor.extract([all_texts[i]], batch_size=bs)[0]
                except Exception as e:
                    out[i] = e
        passes.append(out)
    for i, (cls, text, clean, k) in enumerate(inputs):
        c = counts[cls]
        c["inputs"] += 1
        first = passes[0][i]
        if any(isinstance(p[i], Exception) for p in passes):
            c["crashes"] += 1
            continue
        c["spans"] += sum(1 + len(e.arguments) for e in first)
        off, graph = span_problems(text, first)
        if clean is not None:
            # the prefix must only shift the spans: a difference is an offset error unless some pass of the
            # clean text and some pass of this one agree exactly (then the offsets are right and the
            # difference is the rounding of lower precision in another batch, as in batch dependence)
            if shifted(passes[0][extra_at[clean]], k) != decisions(first):
                if any(shifted(p[extra_at[clean]], k) == decisions(q[i]) for p in passes for q in passes):
                    c["shifted_rounding"] += 1
                else:
                    off += 1
                    examples.append({"class": cls, "input": i, "clean": decisions(passes[0][extra_at[clean]]),
                                     "shift": k, "got": decisions(first),
                                     "scores": [(e.score, [a.score for a in e.arguments]) for e in first]})
        c["offset_violations"] += off
        c["grapheme_violations"] += graph
        c["batch_dependent_labels_spans"] += any(decisions(p[i]) != decisions(first) for p in passes[1:])
        c["batch_dependent_to_dict"] += any([e.to_dict() for e in p[i]] != [e.to_dict() for e in first]
                                            for p in passes[1:])
        for p in passes[1:]:  # how far scores move with the batch when the decisions agree (the bound)
            if decisions(p[i]) == decisions(first):
                worst[cls] = max(worst[cls], score_change(first, p[i]))
    total = Counter()
    for c in counts.values():
        total.update(c)
    by_class = {k: dict(counts[k], max_score_change=worst[k]) for k in CLASSES if k in counts}
    return {"by_class": by_class, "total": dict(total, max_score_change=max(worst.values(), default=0.0)),
            "shifted_violations": examples}


def score_change(a, b) -> float:
    """The largest difference between the scores of two results with the same decisions."""
    out = 0.0
    for x, y in zip(a, b):
        out = max(out, abs(x.score - y.score), abs(x.status_score - y.status_score),
                  *(abs(u.score - v.score) for u, v in zip(x.arguments, y.arguments)))
    return out


def _table(result: dict) -> str:
    cols = ["inputs", "spans", "crashes", "offset_violations", "shifted_rounding", "grapheme_violations",
            "batch_dependent_labels_spans", "batch_dependent_to_dict", "max_score_change"]
    fmt = lambda v: f"{v:.2g}" if isinstance(v, float) else str(v)  # noqa: E731
    rows = [["class"] + cols] + [[k] + [fmt(v.get(c, 0)) for c in cols] for k, v in result["by_class"].items()]
    rows.append(["total"] + [fmt(result["total"].get(c, 0)) for c in cols])
    w = [max(len(r[i]) for r in rows) for i in range(len(cols) + 1)]
    return "\n".join("  ".join(x.rjust(w[i]) if i else x.ljust(w[i]) for i, x in enumerate(r)) for r in rows)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", default="tiny", help="'tiny' (random, from tests/tiny.py) or a model directory")
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--dtype", default="float32", choices=["auto", "float32", "bfloat16"])
    ap.add_argument("--json", help="also write the counts here")
    a = ap.parse_args(argv)
    from eventx.extraction import EventExtractor

    if a.model == "tiny":
        sys.path.insert(0, str(HERE.parent / "tests"))
        from tiny import tiny_model

        model, tok = tiny_model(max_length=24)  # small windows: long inputs are windowed too
        extractor = EventExtractor(model, tok, "cpu", dtype=a.dtype)
    else:
        extractor = EventExtractor.from_pretrained(a.model, device="cpu", dtype=a.dtype)
    t0 = time.time()
    result = run(extractor, a.n, a.seed)
    result.update(model=a.model, dtype=a.dtype, n=a.n, seed=a.seed, seconds=round(time.time() - t0, 1))
    print(f"eventx fuzz: model {a.model}, dtype {a.dtype}, {a.n} inputs, seed {a.seed}, {result['seconds']} s")
    print(_table(result))
    if a.json:
        Path(a.json).write_text(json.dumps(result, indent=1), encoding="utf-8")
    bad = result["total"]
    return int(any(bad.get(k, 0) for k in ("crashes", "offset_violations", "grapheme_violations")))


if __name__ == "__main__":
    sys.exit(main())
