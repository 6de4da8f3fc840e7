"""Scoring predicted events against labelled items (exact character spans, pipeline setting).

Definitions (as in the ACE event-extraction literature, e.g. Li et al. 2013; Wadden et al. 2019):

- trigger identification: a predicted trigger is correct when its span matches a gold trigger's span;
- trigger classification: ... and its event type matches too;
- argument identification: a predicted argument is correct when its span matches a gold argument of a
  gold event whose trigger span and type the predicted event also matches (no gold triggers are given:
  a missed trigger loses all its arguments);
- argument classification: ... and its role matches too;
- status accuracy: the share of correctly classified triggers whose status is right.

Precision, recall and F1 are micro-averaged over all items.

>>> gold = [{"id": "1", "lang": "en", "text": "Japan joined PURL.", "events": [{"type": "MechanismJoining",
...   "status": "happened", "trigger": {"start": 6, "end": 12},
...   "arguments": [{"role": "joiner", "start": 0, "end": 5}]}]}]
>>> score(gold, [[as_prediction(gold[0]["events"][0])]])["argument_classification"]["f1"]
1.0
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict

from .types import Event

KEYS = ("trigger_identification", "trigger_classification", "argument_identification", "argument_classification")


def as_prediction(ev) -> dict:
    """A gold event dict or an :class:`Event` as a plain prediction dict."""
    if isinstance(ev, Event):
        return {"type": ev.type, "status": ev.status, "start": ev.trigger.start, "end": ev.trigger.end,
                "arguments": [(a.role, a.start, a.end) for a in ev.arguments]}
    if "trigger" in ev:
        return {"type": ev["type"], "status": ev["status"], "start": ev["trigger"]["start"],
                "end": ev["trigger"]["end"], "arguments": [(a["role"], a["start"], a["end"]) for a in ev["arguments"]]}
    return ev


def prf(tp: int, n_pred: int, n_gold: int) -> dict:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "tp": tp, "predicted": n_pred, "gold": n_gold}


def _tuples(i: int, events: list[dict]) -> dict:
    out = {k: set() for k in KEYS}
    for ev in events:
        t = (i, ev["start"], ev["end"])
        out["trigger_identification"].add(t)
        out["trigger_classification"].add(t + (ev["type"],))
        for role, s, e in ev["arguments"]:
            out["argument_identification"].add(t + (ev["type"], s, e))
            out["argument_classification"].add(t + (ev["type"], s, e, role))
    return out


def _words(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r"\w+|[^\w\s]", text)]


def _word_tags(words, spans) -> list[str]:
    tags = ["O"] * len(words)
    for name, s, e in sorted(spans, key=lambda x: (x[1], -x[2])):
        first = True
        for k, (ws, we) in enumerate(words):
            if ws < e and s < we and tags[k] == "O":
                tags[k] = ("B-" if first else "I-") + name
                first = False
    return tags


def score(items: list[dict], predictions: list[list]) -> dict:
    """All metrics for predictions (one list of events per item) against gold items."""
    if len(items) != len(predictions):
        raise ValueError(f"{len(items)} items but {len(predictions)} prediction lists")
    counts = {k: [0, 0, 0] for k in KEYS}
    per_type = defaultdict(lambda: {k: [0, 0, 0] for k in KEYS})
    per_lang = defaultdict(lambda: {k: [0, 0, 0] for k in KEYS} | {"status": [0, 0]})
    status_ok = status_n = 0
    confusion: Counter = Counter()
    status_confusion: Counter = Counter()
    seq = {"triggers": ([], []), "arguments": ([], [])}
    for i, (item, preds) in enumerate(zip(items, predictions)):
        gold = [as_prediction(e) for e in item["events"]]
        pred = [as_prediction(e) for e in preds]
        g, p = _tuples(i, gold), _tuples(i, pred)
        lang = item.get("lang", "?")
        for k in KEYS:
            tp = len(g[k] & p[k])
            for bucket in (counts[k], per_lang[lang][k]):
                bucket[0] += tp; bucket[1] += len(p[k]); bucket[2] += len(g[k])
            for typ in {t[3] for t in g[k] | p[k] if len(t) > 3} if k != "trigger_identification" else ():
                gk = {t for t in g[k] if t[3] == typ}
                pk = {t for t in p[k] if t[3] == typ}
                b = per_type[typ][k]
                b[0] += len(gk & pk); b[1] += len(pk); b[2] += len(gk)
        gmap = {(e["start"], e["end"]): e for e in gold}
        pmap = {(e["start"], e["end"]): e for e in pred}
        for span, ge in gmap.items():
            pe = pmap.get(span)
            confusion[(ge["type"], pe["type"] if pe else "None")] += 1
            if pe and pe["type"] == ge["type"]:
                status_n += 1
                status_ok += pe["status"] == ge["status"]
                per_lang[lang]["status"][0] += pe["status"] == ge["status"]
                per_lang[lang]["status"][1] += 1
                status_confusion[(ge["status"], pe["status"])] += 1
        for span, pe in pmap.items():
            if span not in gmap:
                confusion[("None", pe["type"])] += 1
        words = _words(item["text"])
        seq["triggers"][0].append(_word_tags(words, [(e["type"], e["start"], e["end"]) for e in gold]))
        seq["triggers"][1].append(_word_tags(words, [(e["type"], e["start"], e["end"]) for e in pred]))
        pkeys = {(e["start"], e["end"], e["type"]): e for e in pred}
        gkeys = {(e["start"], e["end"], e["type"]): e for e in gold}
        for key in sorted(set(pkeys) | set(gkeys)):
            seq["arguments"][0].append(_word_tags(words, gkeys[key]["arguments"] if key in gkeys else []))
            seq["arguments"][1].append(_word_tags(words, pkeys[key]["arguments"] if key in pkeys else []))
    result = {k: prf(*counts[k]) for k in KEYS}
    result["status_accuracy"] = round(status_ok / status_n, 4) if status_n else 0.0
    result["status_evaluated"] = status_n
    result["per_type"] = {t: {k: prf(*v[k]) for k in KEYS[1::2]} for t, v in sorted(per_type.items())}
    result["per_language"] = {
        lang: {**{k: prf(*v[k]) for k in KEYS}, "status_accuracy": round(v["status"][0] / v["status"][1], 4)
               if v["status"][1] else 0.0} for lang, v in sorted(per_lang.items())}
    result["type_confusion"] = [{"gold": g, "predicted": p, "count": n} for (g, p), n in sorted(confusion.items())]
    result["status_confusion"] = [{"gold": g, "predicted": p, "count": n}
                                  for (g, p), n in sorted(status_confusion.items())]
    result["seqeval"] = {name: _seqeval(gold, pred) for name, (gold, pred) in seq.items()}
    result["items"] = len(items)
    return result


def _seqeval(gold: list, pred: list) -> dict:
    from seqeval.metrics import classification_report

    if not any(t != "O" for seq in gold + pred for t in seq):
        return {}
    report = classification_report(gold, pred, output_dict=True, zero_division=0)
    return {k: {m: round(float(x), 4) for m, x in v.items()} for k, v in report.items()}


def evaluate_items(extractor, items: list[dict], batch_size: int = 32, min_score: float | None = None) -> dict:
    """Run any extractor (anything with ``extract(list_of_texts)``) on items and score it.

    ``min_score`` is passed on when given; by default the extractor's own threshold applies."""
    kw = {} if min_score is None else {"min_score": min_score}
    preds = extractor.extract([it["text"] for it in items], batch_size=batch_size, **kw)
    return score(items, preds)


class LexiconBaseline:
    """Trigger words collected from training data, matched as whole words; no arguments.

    >>> lex = LexiconBaseline.from_items([{"text": "Japan joined PURL.", "events": [{"type": "MechanismJoining",
    ...     "status": "happened", "trigger": {"start": 6, "end": 12}, "arguments": []}]}])
    >>> [e.trigger.text for e in lex.extract("Estonia joined too.")]
    ['joined']
    """

    def __init__(self, lexicon: dict):
        self.lexicon = lexicon  # lowercased trigger text -> (type, status)
        words = sorted(lexicon, key=len, reverse=True)
        self.pattern = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, words)) + r")(?!\w)", re.I) if words else None

    @classmethod
    def from_items(cls, items: list[dict], min_precision: float = 0.5) -> "LexiconBaseline":
        seen: dict = defaultdict(Counter)
        statuses: dict = defaultdict(Counter)
        for it in items:
            for ev in it["events"]:
                t = it["text"][ev["trigger"]["start"]:ev["trigger"]["end"]].lower()
                seen[t][ev["type"]] += 1
                statuses[t][ev["status"]] += 1
        # how often each candidate occurs at all, annotated or not, to drop words that are rarely triggers
        total = Counter()
        if seen:
            pat = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, sorted(seen, key=len, reverse=True))) + r")(?!\w)", re.I)
            for it in items:
                total.update(m.group(1).lower() for m in pat.finditer(it["text"]))
        lexicon = {}
        for t, c in seen.items():
            typ, n = c.most_common(1)[0]
            if n / max(total[t], 1) >= min_precision:
                lexicon[t] = (typ, statuses[t].most_common(1)[0][0])
        return cls(lexicon)

    def extract(self, texts, batch_size: int = 0, **_):
        from .segment import split_sentences
        from .types import Span

        single = isinstance(texts, str)
        out = []
        for text in [texts] if single else texts:
            events = []
            for s, e in split_sentences(text):
                for m in self.pattern.finditer(text, s, e) if self.pattern else ():
                    typ, status = self.lexicon[m.group(1).lower()]
                    events.append(Event(typ, status, 1.0, Span(m.group(1), m.start(1), m.end(1)), (),
                                        Span(text[s:e], s, e)))
            out.append(events)
        return out[0] if single else out


def format_table(metrics: dict, title: str = "") -> str:
    """A readable plain-text table of the main metrics."""
    lines = [title] if title else []
    lines.append(f"{'metric':<28}{'P':>8}{'R':>8}{'F1':>8}{'gold':>7}")
    for k in KEYS:
        m = metrics[k]
        lines.append(f"{k:<28}{m['precision']:>8.3f}{m['recall']:>8.3f}{m['f1']:>8.3f}{m['gold']:>7}")
    lines.append(f"{'status_accuracy':<28}{metrics['status_accuracy']:>24.3f}{metrics['status_evaluated']:>7}")
    lines.append(f"{'F1 by type / language':<28}{'trigger':>16}{'argument':>10}")
    for name, v in list(metrics["per_type"].items()) + list(metrics["per_language"].items()):
        lines.append(f"  {name:<26}{v['trigger_classification']['f1']:>16.3f}"
                     f"{v['argument_classification']['f1']:>10.3f}")
    return "\n".join(lines)


def calibration_samples(extractor, items: list[dict], batch_size: int = 32) -> dict:
    """Raw (uncalibrated) scores of every predicted trigger, argument and status on labelled items, with
    whether each is right: the data a :class:`~eventx.calibration.Calibration` is fitted and measured on.

    A trigger is right when its span and type match a gold event; an argument when, under such a trigger,
    its span and role match that event's; a status (only for right triggers) when it equals the gold one.
    """
    import numpy as np

    raw = extractor.raw_scores([it["text"] for it in items], batch_size=batch_size)
    statuses = list(extractor.labels.statuses)
    out = {"trigger": ([], []), "argument": ([], []), "status": ([], []), "gold_triggers": 0, "gold_arguments": 0}
    for item, events in zip(items, raw):
        gold = {(e["trigger"]["start"], e["trigger"]["end"], e["type"]): e for e in item["events"]}
        out["gold_triggers"] += len(gold)
        out["gold_arguments"] += sum(len({(a["role"], a["start"], a["end"]) for a in e["arguments"]})
                                     for e in gold.values())
        for ev in events:
            g = gold.get((*ev["trigger"], ev["type"]))
            out["trigger"][0].append(ev["score"]); out["trigger"][1].append(g is not None)
            gargs = {(a["role"], a["start"], a["end"]) for a in g["arguments"]} if g else set()
            for role, s, e, sc in ev["arguments"]:
                out["argument"][0].append(sc); out["argument"][1].append((role, s, e) in gargs)
            if g is not None and g["status"] in statuses:
                out["status"][0].append(ev["status_probs"]); out["status"][1].append(statuses.index(g["status"]))
    for k in ("trigger", "argument"):
        out[k] = (np.asarray(out[k][0], dtype=float), np.asarray(out[k][1], dtype=bool))
    out["status"] = (np.asarray(out["status"][0], dtype=float).reshape(-1, len(statuses)),
                     np.asarray(out["status"][1], dtype=int))
    return out


def calibration_metrics(samples: dict, calibration) -> dict:
    """ECE and reliability bins of trigger, argument and status scores, before and after ``calibration``."""
    from .calibration import Calibration, expected_calibration_error, reliability

    res = {}
    for name, cal in (("before", Calibration()), ("after", calibration)):
        ts, tc = samples["trigger"]
        as_, ac = samples["argument"]
        sp, sg = samples["status"]
        q = cal.status(sp) if len(sp) else sp
        st_conf = q.max(-1) if len(q) else q
        st_ok = q.argmax(-1) == sg if len(q) else q
        pairs = {"trigger": (cal.trigger(ts) if len(ts) else ts, tc),
                 "argument": (cal.argument(as_) if len(as_) else as_, ac), "status": (st_conf, st_ok)}
        res[name] = {k: {"ece": expected_calibration_error(s, c), "n": int(len(s)),
                         "reliability": reliability(s, c)} for k, (s, c) in pairs.items()}
    return res


def calibrate(extractor, items: list[dict], batch_size: int = 32):
    """Fit a :class:`~eventx.calibration.Calibration` (and the default ``min_score`` and
    ``argument_min_score``) on labelled items."""
    from .calibration import Calibration, choose_min_score, fit_platt, fit_temperature

    samples = calibration_samples(extractor, items, batch_size)
    trig = fit_platt(*samples["trigger"])
    cal = Calibration(trigger=trig, argument=fit_platt(*samples["argument"]),
                      status_temperature=fit_temperature(*samples["status"]))
    ts, tc = samples["trigger"]
    min_score = choose_min_score(trig(ts) if len(ts) else ts, tc, samples["gold_triggers"])
    # arguments of every predicted trigger, against every gold argument: a threshold that trades a few
    # right arguments for more wrong ones dropped
    as_, ac = samples["argument"]
    arg_min = choose_min_score(cal.argument(as_) if len(as_) else as_, ac, samples["gold_arguments"])
    m = calibration_metrics(samples, cal)
    report = {"items": len(items), **{f"ece_{w}": {k: v["ece"] for k, v in m[w].items()} for w in ("before", "after")}}
    return Calibration(cal.trigger, cal.argument, cal.status_temperature, min_score, arg_min, report)
