"""Batch extraction: millions of documents from JSONL, Parquet or folders of pages, on one machine or on Ray.

``run(inputs, output)`` cuts the inputs into fixed blocks (:mod:`eventx.batchio`), extracts each block with
a model loaded once per worker, and writes one row per event, with the columns of
:func:`eventx.tables.to_frame`, to a Parquet or JSONL file. Two engines give the same output:

- ``engine="local"``: this process, block after block (no Ray needed);
- ``engine="ray"``: a Ray Data pipeline, ``from_items(blocks)`` -> ``map_batches`` over a pool of
  ``actors`` (``ActorPoolStrategy``; CPU or GPU actors), each loading the model once. Each actor reads
  its own blocks from the input paths, so the data does not pass through the driver; only the (small)
  results come back.

The run is resumable and loses nothing: each finished block is saved in ``<output>.parts/`` (its records,
its errors, then a ``done/<block>.json`` marker, each written atomically), so a restarted run skips the
finished blocks. A document that cannot be read or whose extraction raises goes to
``<output stem>.errors.jsonl`` with its id, where it came from and the message; the run goes on. The final
output is written to a temporary file and renamed, then the parts are removed.

>>> import tempfile, pathlib, json
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "in.jsonl").write_text(json.dumps({"id": "a", "text": "Japan joined PURL."}) + "\\n")
>>> summary = run([d / "in.jsonl"], d / "events.parquet")          # doctest: +SKIP
>>> summary.documents, summary.output.name                          # doctest: +SKIP
(1, 'events.parquet')
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
import shutil
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from .batchio import Block, BlockResult, event_from_record, event_record, plan_blocks, read_block
from .fileio import write_text_atomic, write_with_atomic

RAY_EXTRA = "the Ray engine needs Ray Data: pip install 'eventx[ray]'"
FORMATS = ("parquet", "jsonl")


@dataclass(frozen=True)
class BlockDone:
    """One finished block, as passed to ``run(on_block=...)``."""

    block: str
    documents: int
    events: int
    errors: int
    seconds: float


@dataclass(frozen=True)
class BatchSummary:
    output: Path
    errors_output: Path
    documents: int
    events: int
    errors: int
    blocks: int
    blocks_skipped: int  # finished by an earlier, interrupted run
    stories: int | None
    seconds: float
    engine: str


def _ray():
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError as e:
        raise ImportError(f"{RAY_EXTRA} ({e})") from None
    return ray


# ------------------------------------------------------------------------------------------- one block
def _load_extractor(model, device: str, how: dict, threads: int | None = None):
    """``how``: ``{"dtype": ..., "runtime": ...}`` as given to :func:`run`."""
    runtime = how.get("runtime")
    onnx = bool(runtime) and runtime.startswith("onnx")
    if threads and not onnx:  # an ONNX session takes its thread count itself; torch is never imported then
        import torch

        torch.set_num_threads(max(1, int(threads)))
    if hasattr(model, "extract"):  # an extractor already (EventExtractor or anything with its extract())
        return model
    if callable(model):  # a factory, called once per worker (lets a cluster build its model its own way)
        return model()
    from .extraction import EventExtractor

    # no runtime: the torch runtime of the given dtype (an explicit dtype with runtime "auto" means that)
    return EventExtractor.from_pretrained(model, device="cpu" if onnx else device,
                                          dtype=None if runtime else how["dtype"], runtime=runtime or "auto",
                                          threads=max(1, int(threads)) if threads and onnx else None)


def extract_block(extractor, block: Block, fields: dict, date=None, *, batch_size: int = 16,
                  min_score=None, sentences_per_call: int = 1024) -> BlockResult:
    """Read and extract one block. Documents are fed to the model grouped by date, in calls of about
    ``sentences_per_call`` sentences; a call that raises is split until the failing document is alone,
    and that document is recorded as an error (the float32 results of the others do not depend on it)."""
    from .batchio import _error
    from .segment import split_sentences

    t0 = time.perf_counter()
    docs, errors = read_block(block, fields, date)
    found: list = [None] * len(docs)

    def call(idx: list[int], when) -> None:
        try:
            out = extractor.extract([docs[i].text for i in idx], date=when, batch_size=batch_size,
                                    min_score=min_score)
        except Exception as e:  # noqa: BLE001  (one document must never stop the run)
            if len(idx) == 1:
                d = docs[idx[0]]
                errors.append(_error(d.id, d.where, f"{d.where}: extraction failed: {type(e).__name__}: {e}"))
                return
            call(idx[:len(idx) // 2], when)
            call(idx[len(idx) // 2:], when)
            return
        for i, evs in zip(idx, out):
            found[i] = evs

    by_date: dict = defaultdict(list)
    for i, d in enumerate(docs):
        by_date[d.date].append(i)
    for when, idx in by_date.items():
        chunk, sentences = [], 0
        for i in idx:
            chunk.append(i)
            sentences += len(split_sentences(docs[i].text))
            if sentences >= sentences_per_call:
                call(chunk, when)
                chunk, sentences = [], 0
        if chunk:
            call(chunk, when)
    records = [{"doc_id": d.id, "date": d.date, "events": [event_record(ev) for ev in evs]}
               for d, evs in zip(docs, found) if evs is not None]
    return BlockResult(block.id, records, errors, time.perf_counter() - t0)


class _BlockActor:
    """A Ray actor: loads the model once, then extracts the blocks it is given (one per call)."""

    def __init__(self, model, device, how, threads, options):
        self.extractor = _load_extractor(model, device, how, threads)
        self.options = options

    def __call__(self, batch):
        import numpy as np

        out = []
        for spec in batch["block"]:
            o = self.options
            r = extract_block(self.extractor, Block.from_json(str(spec)), o["fields"], o["date"],
                              batch_size=o["batch_size"], min_score=o["min_score"],
                              sentences_per_call=o["sentences_per_call"])
            out.append(json.dumps({"block": r.block, "docs": r.docs, "errors": r.errors, "seconds": r.seconds},
                                  ensure_ascii=False))
        return {"result": np.array(out, dtype=object)}


# ---------------------------------------------------------------------------------------------- engines
def _local_results(pending, model, device, how, options):
    if not pending:
        return
    extractor = _load_extractor(model, device, how)
    for b in pending:
        yield extract_block(extractor, b, options["fields"], options["date"], batch_size=options["batch_size"],
                            min_score=options["min_score"], sentences_per_call=options["sentences_per_call"])


def _ray_results(pending, model, device, how, options, address, actors, cpus_per_actor, gpus_per_actor):
    if not pending:
        return
    ray = _ray()
    started = False
    if not ray.is_initialized():
        ray.init(address=address, ignore_reinit_error=True, log_to_driver=False)
        started = True
    try:
        ctx = ray.data.DataContext.get_current()
        ctx.enable_progress_bars = False  # eventx shows its own, in documents
        ds = ray.data.from_items([{"block": b.to_json()} for b in pending], override_num_blocks=len(pending))
        kw = {"num_gpus": gpus_per_actor} if gpus_per_actor else {}
        if gpus_per_actor and device == "auto":
            device = "cuda"
        ds = ds.map_batches(_BlockActor, batch_size=1, batch_format="numpy",
                            compute=ray.data.ActorPoolStrategy(size=actors), num_cpus=cpus_per_actor,
                            fn_constructor_args=(model, device, how, cpus_per_actor, options), **kw)
        for row in ds.iter_rows():
            r = json.loads(row["result"])
            yield BlockResult(r["block"], r["docs"], r["errors"], r["seconds"])
    finally:
        if started:
            ray.shutdown()


# ------------------------------------------------------------------------------------------------ run
def _format(output: Path, format: str | None) -> str:
    fmt = (format or output.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise ValueError(f"{output}: output format must be parquet or jsonl (from --format or the file suffix), "
                         f"got {fmt or 'no suffix'!r}")
    return fmt


def _model_name(model) -> str:
    if model is None or isinstance(model, (str, Path)):
        return str(model or "eventx-e5-small")
    return f"{type(model).__module__}.{getattr(model, '__qualname__', type(model).__qualname__)}"


def _model_config_digest(model) -> str | None:
    """A hash of the model's ``config.json`` (labels, calibration, default thresholds): a model refitted
    with ``eventx calibrate`` between two runs keeps its name but not its results, so it does not resume
    the other's parts. ``None`` for a model object or a model that cannot be found (loading reports that)."""
    if model is not None and not isinstance(model, (str, Path)):
        return None
    from .hub import resolve_model

    try:
        return hashlib.sha1((resolve_model(model) / "config.json").read_bytes()).hexdigest()
    except (OSError, ValueError):
        return None


def errors_path(output: str | Path) -> Path:
    """Where the errors of a run writing ``output`` go: ``events.parquet`` -> ``events.errors.jsonl``."""
    output = Path(output)
    return output.with_name(output.stem + ".errors.jsonl")


def run(inputs, output, *, engine: str = "local", model=None, address: str | None = None, actors: int = 1,
        cpus_per_actor: float = 1, gpus_per_actor: float = 0, text_field: str = "text", id_field: str = "id",
        date_field: str | None = "date", date=None, batch_size: int = 16, block_size: int = 1000,
        sentences_per_call: int = 1024, min_score: float | None = None, device: str = "auto",
        dtype: str = "float32", runtime: str | None = None, format: str | None = None, merge: bool = False, merge_days: int = 14,
        overwrite: bool = False, progress: bool = False, on_block=None) -> BatchSummary:
    """Extract the events of every document of ``inputs`` into ``output`` (``.parquet`` or ``.jsonl``).

    ``inputs``: JSONL or Parquet files, folders (of those, or of .txt/.html pages), local or ``s3://...``.
    ``engine``: ``"local"`` or ``"ray"`` (``address``: ``None`` starts Ray here, ``"auto"`` or
    ``"ray://host:10001"`` joins a cluster; ``actors`` workers, each with ``cpus_per_actor`` CPUs and
    ``gpus_per_actor`` GPUs). ``model``: a model directory or name, or a function returning an
    ``EventExtractor`` (called once per worker). ``dtype`` is float32 by default, so every node of a
    mixed cluster gives the same results. ``runtime`` (see :mod:`eventx.runtime`), when given, replaces
    ``dtype``: for example ``"onnx-int8"`` runs each worker on ONNX Runtime without torch. ``merge``: fill the ``story`` column across the whole output
    (see :func:`merge_blocks`). ``on_block(BlockDone)`` is called after each block is saved.
    """
    from .extraction import check_positive_int

    t0 = time.perf_counter()
    if engine not in ("local", "ray"):
        raise ValueError(f"engine must be 'local' or 'ray', got {engine!r}")
    for name, v in (("batch_size", batch_size), ("block_size", block_size), ("actors", actors),
                    ("sentences_per_call", sentences_per_call), ("merge_days", merge_days)):
        check_positive_int(v, name)
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    inputs = [str(i) for i in inputs]
    output = Path(output)
    fmt = _format(output, format)
    if date is not None:
        from .extraction import _parse_date

        date = _parse_date(date).isoformat()
    if runtime is not None:
        from .runtime import check_runtime

        check_runtime(runtime)
    how = {"dtype": dtype, "runtime": runtime}
    if engine == "ray":
        _ray()  # the missing extra is reported before any work
    work = output.with_name(output.name + ".parts")
    if output.exists() and not overwrite and not work.exists():
        raise ValueError(f"{output} exists; pass overwrite=True (--overwrite) to replace it")
    fields = {"text": text_field, "id": id_field, "date": date_field}
    blocks = plan_blocks(inputs, block_size)
    settings = {"inputs": inputs, "block_size": block_size, "fields": fields, "date": date,
                "model": _model_name(model), "model_config": _model_config_digest(model), "min_score": min_score,
                "dtype": dtype if runtime is None else runtime,
                "plan": hashlib.sha1(" ".join(b.id for b in blocks).encode()).hexdigest()}
    _check_settings(work, settings)
    done = _done(work)
    pending = [b for b in blocks if b.id not in done]
    options = {"fields": fields, "date": date, "batch_size": batch_size, "min_score": min_score,
               "sentences_per_call": sentences_per_call}
    if engine == "local":
        results = _local_results(pending, model, device, how, options)
    else:
        results = _ray_results(pending, model, device, how, options, address, actors, cpus_per_actor,
                               gpus_per_actor)
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=sum(b.size for b in blocks), initial=sum(b.size for b in blocks if b.id in done),
                   unit="doc", desc=f"eventx batch ({engine})")
    sizes = {b.id: b.size for b in blocks}
    try:
        for r in results:
            info = _save_block(work, r)
            done[r.block] = info
            if bar:
                bar.update(sizes[r.block])
            if on_block:
                on_block(BlockDone(r.block, info["documents"], info["events"], info["errors"], r.seconds))
    finally:
        if bar:
            bar.close()
        if hasattr(results, "close"):
            results.close()  # stops the Ray pipeline (and a Ray started here) when the loop was interrupted
    missing = [b.id for b in blocks if b.id not in done]
    if missing:  # the engine stopped early without an error: never assemble an incomplete output
        raise RuntimeError(f"{len(missing)} block(s) did not finish (first: {missing[0]}); rerun to resume")
    stories = merge_blocks(work, blocks, merge_days) if merge else None
    roles = sorted({r for b in blocks for r in done[b.id]["roles"]})
    errors_out = errors_path(output)
    _assemble(work, blocks, output, fmt, roles, stories is not None)
    _write_errors(work, blocks, errors_out)
    summary = BatchSummary(output, errors_out, sum(done[b.id]["documents"] for b in blocks),
                           sum(done[b.id]["events"] for b in blocks), sum(done[b.id]["errors"] for b in blocks),
                           len(blocks), len(blocks) - len(pending), stories, time.perf_counter() - t0, engine)
    shutil.rmtree(work, ignore_errors=True)
    return summary


# ------------------------------------------------------------------------------------------- parts dir
def _check_settings(work: Path, settings: dict) -> None:
    """A parts directory is only resumed by a run that would produce the same blocks and results."""
    path = work / "run.json"
    if path.exists():
        try:
            old = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            old = None
        if old != settings:
            diff = sorted(k for k in settings if not isinstance(old, dict) or old.get(k) != settings[k])
            raise ValueError(f"{work} holds an interrupted run with other settings ({', '.join(diff)} differ); "
                             "rerun with the same options to resume it, or delete it to start again")
        return
    (work / "done").mkdir(parents=True, exist_ok=True)
    (work / "blocks").mkdir(exist_ok=True)
    write_text_atomic(path, json.dumps(settings, indent=1, ensure_ascii=False))


def _done(work: Path) -> dict:
    out = {}
    for p in (work / "done").glob("*.json"):
        try:
            out[p.stem] = json.loads(p.read_text("utf-8"))
        except ValueError:
            continue  # never half-written (atomic), but a damaged marker only means the block runs again
    return out


def _save_block(work: Path, r: BlockResult) -> dict:
    """Records, errors, then the marker: a block counts as finished only when all three are complete."""
    blocks = work / "blocks"
    write_text_atomic(blocks / f"{r.block}.jsonl", "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in r.docs))
    write_text_atomic(blocks / f"{r.block}.errors.jsonl",
                      "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in r.errors))
    info = {"block": r.block, "documents": len(r.docs), "events": sum(len(d["events"]) for d in r.docs),
            "errors": len(r.errors), "roles": r.roles(), "seconds": round(r.seconds, 3)}
    write_text_atomic(work / "done" / f"{r.block}.json", json.dumps(info))
    return info


def _records(work: Path, block_id: str):
    with open(work / "blocks" / f"{block_id}.jsonl", encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)


# ---------------------------------------------------------------------------------------------- merging
def _bucket(date: str | None, undated: int, merge_days: int, per_bucket: int) -> tuple:
    if date is None:
        return (0, undated // per_bucket)
    return (1, _dt.date.fromisoformat(date).toordinal() // merge_days)


def merge_blocks(work: Path, blocks: list[Block], merge_days: int = 14, per_bucket: int = 100_000) -> int:
    """Stories across all finished blocks, in bounded memory; returns the number of stories.

    Documents are bucketed by publication date (``merge_days`` days per bucket; undated documents
    ``per_bucket`` at a time) and :func:`eventx.merge` runs on each bucket together with the bucket before
    it. A mention that joins a story of the previous bucket takes that story's id, so a story continues
    across buckets; mentions more than two buckets apart are never compared. When everything falls into
    one bucket, the stories are exactly those of ``eventx.merge`` over all the documents.
    """
    from .merge import merge

    mdir = work / "merge"
    shutil.rmtree(mdir, ignore_errors=True)
    (mdir / "assign").mkdir(parents=True)
    handles: dict = {}
    undated = 0
    try:
        for b in blocks:
            for n, rec in enumerate(_records(work, b.id)):
                if not rec["events"]:
                    continue
                key = _bucket(rec["date"], undated, merge_days, per_bucket)
                undated += rec["date"] is None
                if key not in handles:
                    handles[key] = open(mdir / f"bucket-{key[0]}-{key[1]}.jsonl", "w", encoding="utf-8")
                handles[key].write(json.dumps({"block": b.id, "doc": n, **rec}, ensure_ascii=False) + "\n")
    finally:
        for h in handles.values():
            h.close()
    next_id, prev, prev_key = 1, [], None
    for key in sorted(handles):
        with open(mdir / f"bucket-{key[0]}-{key[1]}.jsonl", encoding="utf-8") as f:
            cur = [json.loads(line) for line in f]
        for d in cur:
            d["objects"] = [event_from_record(e) for e in d["events"]]
            d["stories"] = [0] * len(d["events"])
        carry = prev if prev_key is not None and prev_key[0] == key[0] and key[1] == prev_key[1] + 1 else []
        docs = carry + cur
        for s in merge([d["objects"] for d in docs], dates=[d["date"] for d in docs]):
            old = [carry[m.doc]["stories"][m.index] for m in s.mentions if m.doc < len(carry)]
            sid = min(old) if old else next_id
            next_id += not old
            for m in s.mentions:
                if m.doc >= len(carry):
                    cur[m.doc - len(carry)]["stories"][m.index] = sid
        by_block: dict = defaultdict(list)
        for d in cur:
            by_block[d["block"]].append(json.dumps({"doc": d["doc"], "stories": d["stories"]}))
        for bid, lines in by_block.items():
            with open(mdir / "assign" / f"{bid}.jsonl", "a", encoding="utf-8") as f:
                f.write("\n".join(lines) + "\n")
        for d in cur:
            del d["events"]  # the records; the events themselves are merged again with the next bucket
        prev, prev_key = cur, key
    return next_id - 1


def _assignments(work: Path, block_id: str) -> dict:
    path = work / "merge" / "assign" / f"{block_id}.jsonl"
    if not path.exists():
        return {}
    out = {}
    for line in path.read_text("utf-8").splitlines():
        d = json.loads(line)
        out[d["doc"]] = d["stories"]
    return out


# --------------------------------------------------------------------------------------------- outputs
def arrow_schema(roles):
    """The Parquet schema of the event rows (the columns of ``to_frame``, with fixed types)."""
    import pyarrow as pa

    from .tables import EVENT_COLUMNS

    ints = {"event", "trigger_start", "trigger_end", "sentence_start", "sentence_end", "group", "story"}
    floats = {"score", "status_score"}
    cols = [pa.field(c, pa.int64() if c in ints else pa.float64() if c in floats else pa.string())
            for c in EVENT_COLUMNS]
    cols += [pa.field(f"arg_{r}{s}", pa.string()) for r in roles for s in ("", "_value")]
    return pa.schema(cols)


def _rows(work: Path, b: Block, stories: bool):
    """``(doc record, event index, Event, story id)`` of every event of a block, in input order."""
    assigned = _assignments(work, b.id) if stories else {}
    for n, rec in enumerate(_records(work, b.id)):
        ids = assigned.get(n)
        for i, e in enumerate(rec["events"]):
            yield rec, i, event_from_record(e), ids[i] if ids else None


def _assemble(work: Path, blocks: list[Block], output: Path, fmt: str, roles: list, stories: bool) -> None:
    from .tables import event_row

    if fmt == "jsonl":
        def write(tmp: Path) -> None:
            with open(tmp, "w", encoding="utf-8") as f:
                for b in blocks:
                    for rec, i, ev, story in _rows(work, b, stories):
                        line = {"doc_id": rec["doc_id"], "date": rec["date"], "event": i, **ev.to_dict(),
                                "status_score": round(ev.status_score, 4), "story": story}
                        f.write(json.dumps(line, ensure_ascii=False) + "\n")

        write_with_atomic(output, write)
        return
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = arrow_schema(roles)

    def write_parquet(tmp: Path) -> None:
        with pq.ParquetWriter(str(tmp), schema) as w:
            for b in blocks:  # one row group per block: memory stays bounded by the block size
                rows = [event_row(rec["doc_id"], i, ev, story, roles) for rec, i, ev, story in _rows(work, b, stories)]
                if rows:
                    w.write_table(pa.Table.from_pylist(rows, schema=schema))

    write_with_atomic(output, write_parquet)


def _write_errors(work: Path, blocks: list[Block], path: Path) -> None:
    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8") as f:
            for b in blocks:
                f.write((work / "blocks" / f"{b.id}.errors.jsonl").read_text("utf-8"))

    write_with_atomic(path, write)


def print_summary(s: BatchSummary, file=None) -> None:
    file = sys.stdout if file is None else file  # looked up per call, so redirected output is respected
    skipped = f", {s.blocks_skipped} finished before" if s.blocks_skipped else ""
    stories = f", {s.stories} stories" if s.stories is not None else ""
    print(f"{s.documents} document(s), {s.events} event(s){stories} -> {s.output}; {s.errors} error(s) -> "
          f"{s.errors_output}; {s.blocks} block(s){skipped}; {s.seconds:.1f} s ({s.engine})", file=file)
