"""Learning curve: does labelling what ``eventx select`` picks beat labelling at random?

Trains from the base encoder on 25 %, 50 % and 100 % of the train split, and on the 25 % plus another
25 % chosen from the rest either by ``select`` (with the 25 % model's calibrated scores) or at random.
Every run uses the same recipe and epochs; each model is calibrated on dev and scored on test. Results
are written to the JSON after every run, so a run cut short still leaves what it measured.

    python training/learning_curve.py --init build/e5-small-trimmed --epochs 2 --out runs/learning_curve

Runs go in this order so the comparison that matters comes first: 25 %, 25 %+select (as many items as
random), 25 %+select-sentences (as many sentences as random: the uncertainty strategy favours long items,
so this is the comparison at equal labelling cost), 25 %+random, 50 %, 100 %.
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from eventx.data import load  # noqa: E402
from eventx.fileio import write_text_atomic  # noqa: E402


def write_jsonl(path: Path, items: list[dict]) -> Path:
    return write_text_atomic(path, "".join(json.dumps(it, ensure_ascii=False) + "\n" for it in items))


def units(item: dict) -> int:
    """Sentences the trainer (and a labeller) sees in an item."""
    from eventx.training import sentence_units

    return len(sentence_units(item))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--train", default=str(ROOT / "training/data/train.jsonl"))
    ap.add_argument("--dev", default=str(ROOT / "training/data/dev.jsonl"))
    ap.add_argument("--test", default=str(ROOT / "training/data/test.jsonl"))
    ap.add_argument("--init", default=str(ROOT / "build/e5-small-trimmed"))
    ap.add_argument("--out", default=str(ROOT / "runs/learning_curve"))
    ap.add_argument("--json", default=str(ROOT / "training/learning_curve.json"))
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--strategy", default="uncertainty", choices=["uncertainty", "diversity"])
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--runs", default="25,25+select,25+select-sentences,25+random,50,100")
    a = ap.parse_args(argv)

    from eventx.evaluation import calibrate, evaluate_items
    from eventx.extraction import EventExtractor
    from eventx.active import select
    from eventx.training import TrainingArguments, train

    train_items = load(a.train, open_labels=True)
    dev, test = load(a.dev, open_labels=True), load(a.test, open_labels=True)
    order = list(range(len(train_items)))
    random.Random(a.seed).shuffle(order)
    quarter = len(order) // 4
    base, pool = order[:quarter], order[quarter:]
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    report = {"epochs": a.epochs, "strategy": a.strategy, "seed": a.seed, "init": a.init,
              "train_items": len(train_items), "test_items": len(test), "runs": {}}
    started = time.time()

    def run(name: str, idx: list[int]) -> EventExtractor:
        t0 = time.time()
        path = write_jsonl(out / f"{name}.jsonl", [train_items[i] for i in idx])
        model_dir = out / f"model-{name}"
        # the dev set calibrates each model (train() fits it), so every run is scored the same way
        result = train(TrainingArguments(train_file=str(path), dev_file=a.dev, output_dir=str(model_dir),
                                         init=a.init, epochs=a.epochs, learning_rate=1.5e-4, head_learning_rate=1e-3,
                                         warmup_ratio=0.06, seed=a.seed, progress=False))
        ex = EventExtractor.from_pretrained(model_dir, device="cpu", dtype="float32")
        m = evaluate_items(ex, test)
        report["runs"][name] = {
            "items": len(idx), "sentences": sum(units(train_items[i]) for i in idx), "steps": result["steps"], "best_epoch": result["best_epoch"],
            "seconds": round(time.time() - t0, 1),
            "test": {k: m[k]["f1"] for k in ("trigger_classification", "argument_classification")}
                    | {"status_accuracy": m["status_accuracy"]},
            "dev_history": [h.get("dev") for h in result["history"]]}
        report["elapsed_s"] = round(time.time() - started, 1)
        write_text_atomic(a.json, json.dumps(report, indent=1, ensure_ascii=False))
        print(name, json.dumps(report["runs"][name]), flush=True)
        return ex

    wanted = a.runs.split(",")
    base_model = run("25", base)
    rnd = random.Random(a.seed + 1).sample(pool, quarter)
    ranked: list[int] = []
    if any(w.startswith("25+select") for w in wanted):
        t0 = time.time()
        texts = [train_items[i]["text"] for i in pool]
        ranked = [pool[c.index] for c in select(texts, len(pool), a.strategy, base_model, batch_size=32)]
        report["selection_seconds"] = round(time.time() - t0, 1)
    if "25+select" in wanted:  # as many items as random
        run("25+select", base + ranked[:quarter])
    if "25+select-sentences" in wanted:
        # uncertainty favours long items, so also compare at equal labelling cost: as many sentences as random
        budget, picked, have = sum(units(train_items[i]) for i in rnd), [], 0
        for i in ranked:
            if have >= budget:
                break
            picked.append(i)
            have += units(train_items[i])
        report["sentence_budget"] = budget
        run("25+select-sentences", base + picked)
    if "25+random" in wanted:
        run("25+random", base + rnd)
    if "50" in wanted:
        run("50", order[:2 * quarter])
    if "100" in wanted:
        run("100", order)
    shutil.rmtree(out, ignore_errors=True)  # models and subsets are reproducible from the seed
    return 0


if __name__ == "__main__":
    sys.exit(main())
