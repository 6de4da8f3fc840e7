"""Batch extraction: the local engine always, the Ray engine when Ray is installed (``eventx[ray]``).

Both engines must give exactly what ``EventExtractor.extract()`` gives in float32, record bad documents in
the errors output without stopping, resume after a crash, and never show a half-written output file.
"""
from __future__ import annotations

import importlib.util
import json
import os
import random
import sys
from pathlib import Path

import pytest

pa = pytest.importorskip("pyarrow")
pd = pytest.importorskip("pandas")
import pyarrow.parquet as pq  # noqa: E402

from eventx.batch import errors_path, merge_blocks  # noqa: E402
from eventx.batch import run as batch_run  # noqa: E402
from eventx.batchio import Block, event_record, plan_blocks  # noqa: E402
from eventx.cli import main  # noqa: E402
from eventx.extraction import EventExtractor  # noqa: E402
from eventx.tables import EVENT_COLUMNS, to_frame  # noqa: E402
from eventx.types import ActorValue, Argument, Event, Span, TimeValue  # noqa: E402
from tiny import CORPUS, tiny_model  # noqa: E402

HAVE_RAY = importlib.util.find_spec("ray") is not None
needs_ray = pytest.mark.skipif(not HAVE_RAY, reason="Ray is not installed (pip install 'eventx[ray]')")
N_DOCS = 300
# the tiny random model finds some 50 "events" per document at its default threshold; keeping the best
# few percent keeps the tests fast (normalising and grouping cost per event) and changes nothing else
MIN_SCORE = 0.4


def run(*args, **kw):
    return batch_run(*args, **{"min_score": MIN_SCORE, **kw})
DATES = ["2026-04-06", "2026-04-08", None]


# ---------------------------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def model_dir(tmp_path_factory) -> str:
    model, tok = tiny_model(max_length=32)  # short windows: long documents take several
    return str(EventExtractor(model, tok, "cpu").save_pretrained(tmp_path_factory.mktemp("m") / "tiny"))


@pytest.fixture(scope="module")
def extractor(model_dir):
    return EventExtractor.from_pretrained(model_dir, device="cpu", dtype="float32")


def generated_docs(n: int = N_DOCS, seed: int = 0) -> list[dict]:
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        text = " ".join(rng.choice(CORPUS) for _ in range(rng.randint(0, 5)))
        doc = {"id": f"d{i}", "text": text}
        if (date := rng.choice(DATES)) is not None:
            doc["date"] = date
        docs.append(doc)
    return docs


@pytest.fixture(scope="module")
def docs() -> list[dict]:
    return generated_docs()


@pytest.fixture(scope="module")
def docs_file(tmp_path_factory, docs) -> Path:
    path = tmp_path_factory.mktemp("in") / "docs.jsonl"
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    return path


def expected(extractor, docs) -> list:
    """What extract() gives on the same documents (per date, as eventx batches them)."""
    out = [None] * len(docs)
    for date in dict.fromkeys(d.get("date") for d in docs):  # every date present, in order
        idx = [i for i, d in enumerate(docs) if d.get("date") == date]
        found = extractor.extract([docs[i]["text"] for i in idx], date=date, min_score=MIN_SCORE)
        for i, evs in zip(idx, found):
            out[i] = evs
    return out


@pytest.fixture(scope="module")
def reference(extractor, docs):
    return expected(extractor, docs)


def records(frame) -> list[dict]:
    """Rows with missing values as None, so frames from pandas and from Parquet compare equal."""
    return [{k: (None if v is None or (isinstance(v, float) and v != v) else v) for k, v in r.items()}
            for r in frame.astype(object).to_dict("records")]


def parquet_records(path: Path) -> list[dict]:
    return pq.read_table(path).to_pylist()


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") or p.name.endswith(".parts"))


# ------------------------------------------------------------------------------------------ local engine
def test_local_parquet_is_to_frame_of_extract(tmp_path, model_dir, docs, docs_file, reference):
    out = tmp_path / "events.parquet"
    s = run([docs_file], out, model=model_dir, block_size=64, device="cpu")
    assert (s.documents, s.errors, s.blocks, s.blocks_skipped) == (N_DOCS, 0, 5, 0)
    want = to_frame(reference, ids=[d["id"] for d in docs])
    assert s.events == len(want) > 20
    table = pq.read_table(out)
    assert table.column_names == list(want.columns) and table.column_names[:len(EVENT_COLUMNS)] == EVENT_COLUMNS
    assert table.to_pylist() == records(want)
    assert errors_path(out).read_text("utf-8") == ""
    assert leftovers(tmp_path) == []  # no temporary files, parts removed


def test_jsonl_output_is_the_events_to_dict(tmp_path, model_dir, docs, docs_file, reference):
    out = tmp_path / "events.jsonl"
    run(docs_file, out, model=model_dir, block_size=100, device="cpu")
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    want = [{"doc_id": d["id"], "date": d.get("date"), "event": i, **ev.to_dict(),
             "status_score": round(ev.status_score, 4), "story": None}
            for d, evs in zip(docs, reference) for i, ev in enumerate(evs)]
    assert rows == want


def test_parquet_input_with_other_fields_and_a_folder_of_pages(tmp_path, model_dir, extractor, docs):
    dated = [dict(d, date=d.get("date") or "2026-04-08") for d in docs[:40]]  # the default date fills in
    rows = [{"key": d["id"], "body": d["text"], "published": d.get("date")} for d in docs[:40]]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "in.parquet", row_group_size=7)
    pages = tmp_path / "pages"
    (pages / "sub").mkdir(parents=True)
    for i, d in enumerate(docs[:5]):
        (pages / ("sub" if i % 2 else "") / f"p{i}.txt").write_text(d["text"], encoding="utf-8")
    (pages / ".hidden.txt").write_text("skipped", encoding="utf-8")
    out = tmp_path / "o.parquet"
    s = run([tmp_path / "in.parquet", pages], out, model=model_dir, text_field="body", id_field="key",
            date_field="published", block_size=16, device="cpu", date="2026-04-08")
    assert s.documents == 45 and s.errors == 0
    page_ids = sorted(str(p.relative_to(pages)) for p in pages.rglob("p*.txt"))
    texts = {str(p.relative_to(pages)): p.read_text("utf-8") for p in pages.rglob("p*.txt")}
    want = expected(extractor, dated) + extractor.extract([texts[i] for i in page_ids], date="2026-04-08",
                                                                 min_score=MIN_SCORE)
    frame = to_frame(want, ids=[d["id"] for d in docs[:40]] + page_ids)
    got = parquet_records(out)
    assert [r["doc_id"] for r in got] == list(frame.doc_id) and got == records(frame)


def test_block_plan_is_deterministic_and_covers_every_line(tmp_path):
    lines = [json.dumps({"text": f"t{i}"}) for i in range(25)]
    f = tmp_path / "a.jsonl"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    blocks = plan_blocks([f], 10)
    assert [(b.start, b.stop) for b in blocks] == [(1, 11), (11, 21), (21, 26)]
    assert [b.id for b in blocks] == [b.id for b in plan_blocks([f], 10)]
    data = f.read_bytes()
    assert b"".join(data[b.offset:b.end] for b in blocks) == data
    f.write_text("\n".join(lines[:20]), encoding="utf-8")  # no final newline, ends on a block boundary
    assert [(b.start, b.stop) for b in plan_blocks([f], 10)] == [(1, 11), (11, 21)]
    with pytest.raises(ValueError, match="no such file"):
        plan_blocks([tmp_path / "missing.jsonl"], 10)
    (tmp_path / "x.csv").write_text("a,b\n")
    with pytest.raises(ValueError, match=r"x\.csv: unknown input type"):
        plan_blocks([tmp_path / "x.csv"], 10)


def bad_input(tmp_path: Path) -> Path:
    lines = [json.dumps({"id": "ok1", "text": CORPUS[0]}), "{not json", json.dumps({"id": "n", "text": 5}),
             json.dumps({"id": "nodate", "text": CORPUS[1], "date": "yesterday"}), json.dumps({"id": "x"}),
             "", json.dumps({"id": "boom", "text": "BOOM " + CORPUS[2]}), json.dumps({"id": "ok2", "text": CORPUS[3]}),
             "[1, 2]"]
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


class Exploding(EventExtractor):
    """Raises on any call that includes a text starting with BOOM (as a model bug on one odd document would)."""

    def extract(self, texts, **kw):
        if any(t.startswith("BOOM") for t in ([texts] if isinstance(texts, str) else texts)):
            raise RuntimeError("the model broke on this one")
        return super().extract(texts, **kw)


def exploding(model_dir: str) -> EventExtractor:
    base = EventExtractor.from_pretrained(model_dir, device="cpu", dtype="float32")
    return Exploding(base.model, base.tokenizer, "cpu")


def check_errors(out: Path, path: Path, extractor) -> None:
    errors = {e["where"]: e for e in map(json.loads, errors_path(out).read_text("utf-8").splitlines())}
    assert sorted(errors) == [f"{path}:{n}" for n in (2, 3, 4, 5, 7, 9)]
    assert errors[f"{path}:2"]["error"].startswith(f"{path}:2: bad JSON")
    assert errors[f"{path}:3"] == {"doc_id": "n", "where": f"{path}:3",
                                   "error": f"{path}:3: field 'text' must be a string, got int"}
    assert "field 'date' is not a date" in errors[f"{path}:4"]["error"]
    assert errors[f"{path}:5"]["error"] == f"{path}:5: no field 'text'"
    assert errors[f"{path}:7"]["doc_id"] == "boom" and "RuntimeError: the model broke" in errors[f"{path}:7"]["error"]
    assert "expected a JSON object" in errors[f"{path}:9"]["error"]
    got = [r for r in parquet_records(out)]
    want = records(to_frame(extractor.extract([CORPUS[0], CORPUS[3]], min_score=MIN_SCORE), ids=["ok1", "ok2"]))
    assert got == want  # the good documents around the bad ones are all there, unchanged


def test_errors_are_recorded_and_the_run_goes_on(tmp_path, model_dir, extractor):
    from functools import partial

    path = bad_input(tmp_path)
    out = tmp_path / "events.parquet"
    s = run(path, out, model=partial(exploding, model_dir), block_size=4)
    assert (s.documents, s.errors) == (2, 6)
    check_errors(out, path, extractor)


class Crash(Exception):
    pass


def crash_after(n: int, seen: list):
    def on_block(done):
        seen.append(done.block)
        if len(seen) >= n:
            raise Crash

    return on_block


def test_restart_after_a_crash_skips_finished_blocks(tmp_path, model_dir, docs, docs_file, reference):
    out = tmp_path / "events.parquet"
    seen: list = []
    with pytest.raises(Crash):
        run(docs_file, out, model=model_dir, block_size=50, on_block=crash_after(2, seen), device="cpu")
    assert not out.exists() and len(list((tmp_path / "events.parquet.parts" / "done").iterdir())) == 2
    # a half-written part of the block that was running is left over: it must be ignored and redone
    (tmp_path / "events.parquet.parts" / "blocks" / f".{seen[-1]}.jsonl.tmp").write_text('{"doc_id": "tru')
    again: list = []
    s = run(docs_file, out, model=model_dir, block_size=50, on_block=lambda d: again.append(d.block), device="cpu")
    assert (s.blocks, s.blocks_skipped, len(again)) == (6, 2, 4) and not set(again) & set(seen)
    assert parquet_records(out) == records(to_frame(reference, ids=[d["id"] for d in docs]))
    with pytest.raises(ValueError, match="exists; pass overwrite"):
        run(docs_file, out, model=model_dir, block_size=50)


def test_a_run_with_other_settings_does_not_resume(tmp_path, model_dir, docs_file):
    out = tmp_path / "events.parquet"
    with pytest.raises(Crash):
        run(docs_file, out, model=model_dir, block_size=100, on_block=crash_after(1, []))
    with pytest.raises(ValueError, match=r"other settings \(block_size, plan differ\)"):
        run(docs_file, out, model=model_dir, block_size=50)


def test_a_model_refitted_between_runs_does_not_resume(tmp_path, model_dir, docs_file):
    """Same path, new calibration (as `eventx calibrate` writes it): the old parts are not mixed in."""
    import shutil

    model = tmp_path / "model"
    shutil.copytree(model_dir, model)
    out = tmp_path / "events.parquet"
    with pytest.raises(Crash):
        run(docs_file, out, model=str(model), block_size=100, on_block=crash_after(1, []))
    config = json.loads((model / "config.json").read_text("utf-8"))
    config["calibration"] = {"min_score": 0.3, "argument_min_score": 0.5}
    (model / "config.json").write_text(json.dumps(config), encoding="utf-8")
    with pytest.raises(ValueError, match=r"other settings \(model_config differ\)"):
        run(docs_file, out, model=str(model), block_size=100)


def test_output_is_atomic(tmp_path, model_dir, docs_file, monkeypatch):
    out = tmp_path / "events.parquet"
    real = pq.ParquetWriter.write_table
    calls = []

    def failing(self, table, *a, **kw):
        calls.append(1)
        if len(calls) == 2:
            raise OSError("disk full")
        return real(self, table, *a, **kw)

    monkeypatch.setattr(pq.ParquetWriter, "write_table", failing)
    with pytest.raises(OSError, match="disk full"):
        run(docs_file, out, model=model_dir, block_size=100,
            on_block=lambda d: pytest.fail("output visible during the run") if out.exists() else None)
    assert not out.exists() and leftovers(tmp_path) == ["events.parquet.parts"]  # no half-written file
    monkeypatch.setattr(pq.ParquetWriter, "write_table", real)
    s = run(docs_file, out, model=model_dir, block_size=100)
    assert s.blocks_skipped == s.blocks == 3 and pq.read_table(out).num_rows == s.events


def test_merge_fills_the_story_column_as_eventx_merge(tmp_path, model_dir, extractor, docs, docs_file):
    import eventx

    out = tmp_path / "events.parquet"
    # every document dated and one bucket of 10,000 days: exactly the stories of eventx.merge over all of them
    s = run(docs_file, out, model=model_dir, block_size=64, merge=True, merge_days=10_000, date="2026-04-07")
    dated = [dict(d, date=d.get("date") or "2026-04-07") for d in docs]
    reference = expected(extractor, dated)
    have = [i for i, evs in enumerate(reference) if evs]
    stories = eventx.merge([reference[i] for i in have], ids=have, dates=[dated[i]["date"] for i in have])
    want = {(docs[m.doc]["id"], m.index): k for k, st in enumerate(stories, 1) for m in st.mentions}
    got = {(r["doc_id"], r["event"]): r["story"] for r in parquet_records(out)}
    assert s.stories == len(stories) and got == want


def _meeting(a: str, b: str, status: str, when: str | None = None) -> Event:
    args = [Argument("participant", a, 0, 1, .9, ActorValue(countries=(a,))),
            Argument("participant", b, 0, 1, .9, ActorValue(countries=(b,)))]
    if when:
        args.append(Argument("time", when, 0, 1, .9, TimeValue(when, when, when, "day")))
    return Event("Meeting", status, .9, Span("met", 0, 3), tuple(args), Span("x", 0, 1), 1, .8)


def test_blocked_merge_continues_stories_across_buckets(tmp_path):
    work = tmp_path / "w"
    (work / "blocks").mkdir(parents=True)
    docs = [("plan", "2026-04-10", _meeting("JPN", "UKR", "planned", "2026-04-16")),
            ("met", "2026-04-16", _meeting("UKR", "JPN", "happened", "2026-04-16")),  # next bucket, same story
            ("other", "2026-04-16", _meeting("DEU", "UKR", "happened", "2026-04-16")),
            ("later", "2026-06-20", _meeting("UKR", "JPN", "happened", "2026-06-20"))]  # far away: a new story
    block = Block(0, "jsonl", "x", 1, 5)
    (work / "blocks" / f"{block.id}.jsonl").write_text("".join(
        json.dumps({"doc_id": i, "date": d, "events": [event_record(ev)]}) + "\n" for i, d, ev in docs))
    assert merge_blocks(work, [block], merge_days=4) == 3
    assigned = [json.loads(line) for line in (work / "merge" / "assign" / f"{block.id}.jsonl").read_text().splitlines()]
    story = {d["doc"]: d["stories"][0] for d in assigned}
    assert story[0] == story[1] and len({story[0], story[2], story[3]}) == 3


def test_cli_batch(tmp_path, model_dir, docs_file, capsys):
    out = tmp_path / "e.jsonl"
    assert main(["batch", "--input", str(docs_file), "--output", str(out), "--model", model_dir,
                 "--block-size", "150", "--device", "cpu", "--min-score", str(MIN_SCORE)]) == 0
    assert f"{N_DOCS} document(s)" in capsys.readouterr().out and out.exists()
    assert main(["batch", "--input", str(tmp_path / "nope.jsonl"), "--output", str(tmp_path / "f.parquet")]) == 2
    assert "nope.jsonl: no such file or directory" in capsys.readouterr().err
    assert main(["batch", "--input", str(docs_file), "--output", str(tmp_path / "f.csv")]) == 2
    assert "output format must be parquet or jsonl" in capsys.readouterr().err


def test_ray_engine_without_ray_names_the_extra(tmp_path, docs_file, monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray now fails, as when it is not installed
    with pytest.raises(ImportError, match=r"eventx\[ray\]"):
        run(docs_file, tmp_path / "o.parquet", engine="ray")
    assert not (tmp_path / "o.parquet.parts").exists()


# -------------------------------------------------------------------------------------------- Ray engine
@pytest.fixture(scope="module")
def ray_local():
    """One local Ray for the whole module (starting it takes seconds): 2 CPUs, no dashboard."""
    ray = pytest.importorskip("ray")
    here = str(Path(__file__).resolve().parent)
    # the workers import eventx and this module (the exploding extractor) as the driver does
    os.environ["PYTHONPATH"] = os.pathsep.join([str(Path(here).parent), here, os.environ.get("PYTHONPATH", "")])
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield ray
    ray.shutdown()


@needs_ray
def test_ray_gives_the_local_results(tmp_path, ray_local, model_dir, docs, docs_file, reference):
    out = tmp_path / "events.parquet"
    s = run(docs_file, out, engine="ray", actors=2, model=model_dir, block_size=64, device="cpu",
            on_block=lambda d: pytest.fail("output visible during the run") if out.exists() else None)
    assert (s.documents, s.errors, s.blocks, s.engine) == (N_DOCS, 0, 5, "ray")
    assert parquet_records(out) == records(to_frame(reference, ids=[d["id"] for d in docs]))
    assert leftovers(tmp_path) == []  # atomic: no temporary or part files left
    assert ray_local.is_initialized()  # a Ray it did not start is left running


@needs_ray
def test_ray_records_errors(tmp_path, ray_local, model_dir, extractor):
    from functools import partial

    path = bad_input(tmp_path)
    out = tmp_path / "events.parquet"
    s = run(path, out, engine="ray", actors=2, model=partial(exploding, model_dir), block_size=3)
    assert (s.documents, s.errors) == (2, 6)
    check_errors(out, path, extractor)


@needs_ray
def test_ray_restart_after_a_crash(tmp_path, ray_local, model_dir, docs, docs_file, reference):
    out = tmp_path / "events.parquet"
    seen: list = []
    with pytest.raises(Crash):
        run(docs_file, out, engine="ray", actors=1, model=model_dir, block_size=60, device="cpu",
            on_block=crash_after(2, seen))
    assert not out.exists()
    again: list = []
    s = run(docs_file, out, engine="ray", actors=2, model=model_dir, block_size=60, device="cpu",
            on_block=lambda d: again.append(d.block))
    assert s.blocks == 5 and s.blocks_skipped == 2 and len(again) == 3 and not set(again) & set(seen)
    assert parquet_records(out) == records(to_frame(reference, ids=[d["id"] for d in docs]))


# ------------------------------------------------------------------------------------------ ONNX workers
@pytest.fixture(scope="module")
def onnx_reference(model_dir, docs):
    pytest.importorskip("onnxruntime")
    pytest.importorskip("onnx")
    onnx_ex = EventExtractor.from_pretrained(model_dir, runtime="onnx-float32")  # builds the cached graph once
    return expected(onnx_ex, docs)


def triggers(rows) -> set:
    return {(r["doc_id"], r["type"], r["trigger_start"], r["trigger_end"]) for r in rows}


def test_local_engine_on_an_onnx_runtime(tmp_path, model_dir, docs, docs_file, onnx_reference):
    out = tmp_path / "events.parquet"
    s = run(docs_file, out, model=model_dir, block_size=100, runtime="onnx-float32")
    assert (s.documents, s.errors) == (N_DOCS, 0)
    want = records(to_frame(onnx_reference, ids=[d["id"] for d in docs]))
    assert parquet_records(out) == want
    # int8 quantises activations per batch, so a document's scores depend a little on its batch (as in
    # bfloat16): the events must still be nearly all the same
    s8 = run(docs_file, tmp_path / "int8.parquet", model=model_dir, block_size=100, runtime="onnx-int8")
    got, ref = triggers(parquet_records(tmp_path / "int8.parquet")), triggers(want)
    assert s8.documents == N_DOCS and len(got & ref) >= 0.9 * max(len(got), len(ref))
    with pytest.raises(ValueError, match="runtime must be one of"):
        run(docs_file, tmp_path / "x.parquet", model=model_dir, runtime="int8")


@needs_ray
def test_ray_actors_on_an_onnx_runtime(tmp_path, ray_local, model_dir, docs, docs_file, onnx_reference):
    out = tmp_path / "events.parquet"
    s = run(docs_file, out, engine="ray", actors=2, model=model_dir, block_size=64, runtime="onnx-float32")
    assert (s.documents, s.errors, s.engine) == (N_DOCS, 0, "ray")
    assert parquet_records(out) == records(to_frame(onnx_reference, ids=[d["id"] for d in docs]))
