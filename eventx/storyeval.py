"""Scoring story merging: B-cubed and pairwise precision/recall/F1 over mentions, and near-miss merges.

Gold is the story id of each gold event mention (``training/data/stories/stories.jsonl``). Extracted mentions are
aligned to gold mentions of the same document by trigger overlap (one to one, largest overlap first,
same type preferred). A gold mention nothing was aligned to counts as a story of its own in the
prediction (so missed extractions cost recall); extracted mentions aligned to no gold mention are
counted in ``unaligned`` and left out of the scores.

>>> gold = {"a": "S1", "b": "S1", "c": "S2"}
>>> pred = {"a": 0, "b": 0, "c": 0}
>>> r = cluster_scores(gold, pred)
>>> round(r["bcubed"]["precision"], 3), r["bcubed"]["recall"], r["pairwise"]["precision"]
(0.556, 1.0, 0.3333333333333333)
"""
from __future__ import annotations

from collections import defaultdict
from itertools import combinations


def _prf(p: float, r: float) -> dict:
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def cluster_scores(gold: dict, pred: dict) -> dict:
    """B-cubed and pairwise scores of ``pred`` (mention -> predicted cluster) against ``gold`` (-> story)."""
    g_members, p_members = defaultdict(set), defaultdict(set)
    for m, s in gold.items():
        g_members[s].add(m)
        p_members[pred.get(m, ("alone", m))].add(m)
    pred_of = {m: pred.get(m, ("alone", m)) for m in gold}
    bp = br = 0.0
    for m in gold:
        g, p = g_members[gold[m]], p_members[pred_of[m]]
        inter = len(g & p)
        bp += inter / len(p)
        br += inter / len(g)
    n = max(len(gold), 1)
    tp = fp = fn = 0
    for a, b in combinations(sorted(gold), 2):
        same_g, same_p = gold[a] == gold[b], pred_of[a] == pred_of[b]
        tp += same_g and same_p
        fp += same_p and not same_g
        fn += same_g and not same_p
    return {"bcubed": _prf(bp / n, br / n),
            "pairwise": {**_prf(tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0),
                         "true_pairs": tp, "false_pairs": fp, "missed_pairs": fn}}


def near_miss_scores(gold: dict, pred: dict, near: set) -> dict:
    """How often mentions of two stories that must stay apart (``near``: pairs of story ids) were merged:
    as a share of mention pairs, and of story pairs with at least one merged mention pair."""
    by_story = defaultdict(list)
    for m, s in gold.items():
        by_story[s].append(m)
    pairs = merged = stories_merged = 0
    for s, t in sorted(near):
        hit = 0
        for a in by_story.get(s, ()):
            for b in by_story.get(t, ()):
                pairs += 1
                same = a in pred and b in pred and pred[a] == pred[b]
                merged += same
                hit |= same
        stories_merged += hit
    return {"story_pairs": len(near), "story_pairs_merged": stories_merged,
            "story_pair_rate": stories_merged / len(near) if near else 0.0,
            "mention_pairs": pairs, "mention_pairs_merged": merged,
            "mention_pair_rate": merged / pairs if pairs else 0.0}


def align(gold_events: list, events: list) -> dict:
    """Gold event index -> extracted event index, one to one, by trigger overlap (same type preferred)."""
    cands = []
    for gi, g in enumerate(gold_events):
        gs, ge = g["trigger"]["start"], g["trigger"]["end"]
        for ei, ev in enumerate(events):
            overlap = min(ge, ev.trigger.end) - max(gs, ev.trigger.start)
            if overlap > 0:
                cands.append((ev.type == g["type"], overlap, -gi, -ei))
    out, used = {}, set()
    for _, _, gi, ei in sorted(cands, reverse=True):
        if -gi not in out and -ei not in used:
            out[-gi] = -ei
            used.add(-ei)
    return out


def score_stories(docs: list[dict], results: list, stories: list) -> dict:
    """Scores of ``stories`` (``merge(results, ids=[doc ids])``) on the gold ``docs``."""
    story_of = {}
    for k, s in enumerate(stories):
        for m in s.mentions:
            story_of[(m.doc, m.index)] = k
    gold, pred, near = {}, {}, set()
    aligned = extracted = 0
    for doc, events in zip(docs, results):
        extracted += len(events)
        pairs = align(doc["events"], events)
        aligned += len(pairs)
        for gi, g in enumerate(doc["events"]):
            key = (doc["id"], gi)
            gold[key] = g["story"]
            if gi in pairs:
                pred[key] = story_of[(doc["id"], pairs[gi])]
            for other in g.get("near_miss", ()):
                near.add(tuple(sorted((g["story"], other))))
    out = cluster_scores(gold, pred)
    # where it went wrong: gold stories told in several predicted stories, and predicted stories mixing gold ones
    parts, mixed = defaultdict(set), defaultdict(set)
    for key, g in gold.items():
        p = pred.get(key, ("alone", key))
        parts[g].add(p if not isinstance(p, tuple) else -1)
        if not isinstance(p, tuple):
            mixed[p].add(g)
    out["errors"] = {"split": sorted(g for g, ps in parts.items() if len(ps) > 1),
                     "mixed": sorted(sorted(gs) for gs in mixed.values() if len(gs) > 1)}
    out["near_miss"] = near_miss_scores(gold, pred, near)
    out["mentions"] = {"gold": len(gold), "extracted": extracted, "aligned": aligned,
                       "missed": len(gold) - aligned, "unaligned": extracted - aligned}
    out["stories"] = {"gold": len(set(gold.values())), "predicted": len(stories)}
    return out
