"""Score story merging on the merging test set, from the shipped model's extracted events.

    python training/eval_stories.py [--model models/eventx-e5-small] [--data training/data/stories/stories.jsonl]
                                    [--json training/stories_metrics.json]

Runs ``extract()`` in float32 on every document (with its publication date), merges all the results with
``eventx.merge``, aligns extracted mentions to the gold ones by trigger overlap and prints B-cubed and
pairwise precision/recall/F1 and the share of near-miss pairs merged wrongly (``eventx.storyeval``).
It also reports how many arguments carry a normalised value, so the figure can be compared before and
after normalisation (``eventx.normalize``) is wired into ``extract()``.
Targets: B-cubed F1 >= 0.90, near-miss mention pairs merged <= 5%.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default=str(HERE.parent / "models" / "eventx-e5-small"))
    ap.add_argument("--data", default=str(HERE / "data" / "stories" / "stories.jsonl"))
    ap.add_argument("--json", default=str(HERE / "stories_metrics.json"))
    ap.add_argument("--batch-size", type=int, default=16)
    a = ap.parse_args(argv)

    import eventx
    from eventx.fileio import write_text_atomic
    from eventx.storyeval import score_stories

    docs = [json.loads(line) for line in open(a.data, encoding="utf-8") if line.strip()]
    ex = eventx.EventExtractor.from_pretrained(a.model, device="cpu", dtype="float32")
    t = time.perf_counter()
    # one call per publication date: extract() anchors relative times ("on Monday") to the date
    results = [None] * len(docs)
    by_date: dict = {}
    for i, d in enumerate(docs):
        by_date.setdefault(d["date"], []).append(i)
    for date, idx in by_date.items():
        for i, evs in zip(idx, ex.extract([docs[i]["text"] for i in idx], date=date, batch_size=a.batch_size)):
            results[i] = evs
    t_extract = time.perf_counter() - t
    t = time.perf_counter()
    stories = eventx.merge(results, ids=[d["id"] for d in docs], dates=[d["date"] for d in docs])
    t_merge = time.perf_counter() - t
    m = score_stories(docs, results, stories)
    args = [arg for evs in results for ev in evs for arg in ev.arguments]
    m["values"] = {"arguments": len(args), "with_value": sum(arg.value is not None for arg in args),
                   "actor_roles_with_value": sum(arg.value is not None for arg in args if arg.role in
                                                 ("participant", "party", "donor", "recipient", "joiner", "mechanism"))}
    m["seconds"] = {"extract": round(t_extract, 2), "merge": round(t_merge, 3)}
    m["data"] = {"documents": len(docs), "file": str(a.data)}

    b, p, nm = m["bcubed"], m["pairwise"], m["near_miss"]
    print(f"{len(docs)} documents, {m['stories']['gold']} gold stories -> {m['stories']['predicted']} predicted; "
          f"mentions: {m['mentions']}")
    print(f"B-cubed   P {b['precision']:.3f}  R {b['recall']:.3f}  F1 {b['f1']:.3f}   (target F1 >= 0.90)")
    print(f"pairwise  P {p['precision']:.3f}  R {p['recall']:.3f}  F1 {p['f1']:.3f}")
    print(f"near-miss mention pairs merged {nm['mention_pairs_merged']}/{nm['mention_pairs']} "
          f"({nm['mention_pair_rate']:.1%}, target <= 5%); story pairs touched {nm['story_pairs_merged']}/{nm['story_pairs']}")
    print(f"gold stories split: {', '.join(m['errors']['split']) or 'none'}")
    print(f"predicted stories mixing gold ones: {m['errors']['mixed'] or 'none'}")
    print(f"arguments with a normalised value: {m['values']['with_value']}/{m['values']['arguments']}")
    if a.json:
        write_text_atomic(a.json, json.dumps(m, indent=1, ensure_ascii=False))
        print(f"wrote {a.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
