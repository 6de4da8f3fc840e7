"""Scoring normalised values against gold (``training/data/values/normalization.jsonl``).

A row is right when the fields that matter for counting agree: an actor's countries (as a set) and
organisation; an amount's value, currency, unit and approximate flag; a place's country and city; a time's
value, start, end and granularity. Actor-code precision is the share of assigned codes (countries and
organisations) that the gold also has: a wrong code is worse than none.

>>> rows = [{"role": "participant", "text": "Польщі", "lang": "uk", "date": None, "status": None,
...          "gold": {"countries": ["POL"], "organisation": None}}]
>>> score_values(rows)["per_role"]["actor"]["accuracy"]
1.0
"""
from __future__ import annotations

import json
from pathlib import Path

from .normalize import ACTOR_ROLES, normalize

_KEYS = {"actor": ("organisation",), "amount": ("currency", "unit", "approximate"), "place": ("country", "city"),
         "time": ("value", "start", "end", "granularity")}


def _kind(role: str) -> str:
    return "actor" if role in ACTOR_ROLES else role


def _same(kind: str, pred: dict | None, gold: dict | None) -> bool:
    if kind == "actor":
        p = (sorted(pred["countries"]), pred["organisation"]) if pred else ([], None)
        g = (sorted(gold.get("countries", [])), gold.get("organisation")) if gold else ([], None)
        return p == g
    if pred is None or gold is None:
        return pred is None and gold is None
    if kind == "amount" and abs(pred["value"] - gold["value"]) > 1e-6 * max(1.0, abs(gold["value"])):
        return False
    return all(pred.get(k) == gold.get(k) for k in _KEYS[kind])


def load_rows(path) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text("utf-8").splitlines() if line.strip()]


def score_values(rows: list[dict]) -> dict:
    """Per-kind accuracy (also by language), actor-code precision and recall, and the wrong rows."""
    per, per_lang, errors = {}, {}, []
    assigned = correct_codes = gold_codes = 0
    for r in rows:
        kind = _kind(r["role"])
        value = normalize(r["text"], r["role"], lang=r.get("lang"), date=r.get("date"), status=r.get("status"))
        pred = value.to_dict() if value is not None else None
        ok = _same(kind, pred, r["gold"])
        for table, key in ((per, kind), (per_lang, f"{kind}/{r.get('lang')}")):
            n, k = table.get(key, (0, 0))
            table[key] = (n + 1, k + ok)
        if not ok:
            errors.append({"id": r.get("id"), "role": r["role"], "text": r["text"], "gold": r["gold"], "pred": pred})
        if kind == "actor":
            p = set(pred["countries"]) | ({pred["organisation"]} - {None}) if pred else set()
            g = set(r["gold"].get("countries", [])) | ({r["gold"].get("organisation")} - {None}) if r["gold"] else set()
            assigned, correct_codes, gold_codes = assigned + len(p), correct_codes + len(p & g), gold_codes + len(g)
    return {"items": len(rows),
            "per_role": {k: {"n": n, "accuracy": round(c / n, 4)} for k, (n, c) in sorted(per.items())},
            "per_language": {k: {"n": n, "accuracy": round(c / n, 4)} for k, (n, c) in sorted(per_lang.items())},
            "actor_code_precision": round(correct_codes / assigned, 4) if assigned else 1.0,
            "actor_code_recall": round(correct_codes / gold_codes, 4) if gold_codes else 1.0,
            "errors": errors}


def format_scores(s: dict) -> str:
    lines = [f"normalised values, {s['items']} mentions", f"{'kind':<8} {'n':>5} {'accuracy':>9}"]
    lines += [f"{k:<8} {v['n']:>5} {v['accuracy']:>9.3f}" for k, v in s["per_role"].items()]
    lines.append(f"actor codes: precision {s['actor_code_precision']:.3f}, recall {s['actor_code_recall']:.3f}")
    lines.append("by language: " + ", ".join(f"{k} {v['accuracy']:.3f}" for k, v in s["per_language"].items()))
    return "\n".join(lines)
