"""Speed, memory and quality of eventx's runtimes on this machine, with the encoder ceiling and a naive baseline.

    python training/benchmark.py [--model models/eventx-e5-small] [--json training/benchmark.json] [--record]

Every runtime available here (torch-float32, torch-bfloat16 where the CPU has native bfloat16, onnx-float32
and onnx-int8 with the ``onnx`` extra) is measured in a process of its own: load time, ``extract()``
throughput over the test split, peak resident memory of that batched run, and trigger / argument
classification F1 on the test split, the hard test split and the held-out articles, against
torch-float32 (bound: 0.01). ``--record`` writes those F1 figures to the model's ``runtimes.json``, which
``runtime="auto"`` reads. ``--student DIR`` measures a smaller model of the same labels (a distilled
encoder, ``training/configs/eventx-e5-small-6l.json``) in every runtime too, as ``student:<runtime>``, its F1
held against the model's torch-float32. Then, in new processes: the cold start of ``eventx extract`` on the sample
article (wall time and peak memory; default runtime) and the time of ``import eventx``.

Then, in this process, for the headline runtime (``--runtime``, default auto):
- model load time (imports excluded) and peak resident memory;
- ``extract()`` throughput over the test split (items are sentences or short passages), batched, in its
  headline runtime and in torch-float32;
- the bare encoder forward pass over the same texts at its best batch size, in the same runtime: the
  ceiling for this model, runtime and machine (eventx must reach >= 60% of it);
- the straightforward baseline a user would write: ``transformers.pipeline("feature-extraction")`` one
  text at a time, with the same weights and heads (eventx must be >= 3x faster);
- latency (p50, p95) of ``extract()`` on one article of about 2,000 characters.
Targets: load <= 5 s, peak memory <= 1.5 GB; the issue-15 targets are printed beside their figures.

``--readme README.md`` rewrites the README's speed tables (between ``<!-- speed:start ... -->`` and
``<!-- speed:end -->``, and the ``headline`` block) from this run; ``--from-json FILE --readme README.md``
does it from a saved run without measuring anything.

    python training/benchmark.py --batch [--batch-docs 5000] [--json training/benchmark.json]

measures only ``eventx batch`` instead: documents per second for ``--engine local`` and for ``--engine ray``
with 1 and 2 actors (same machine, same generated documents, float32; the outputs are checked to be
identical), and the overhead of Ray per document; the figures go under the "batch" key of ``--json``,
whose other keys are kept.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import numpy as np  # noqa: E402


def machine() -> dict:
    import torch

    cpu = "unknown"
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "torch_threads": torch.get_num_threads(),
            "python": platform.python_version(), "torch": torch.__version__, "platform": platform.platform()}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn, repeat: int = 1) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def load_texts(path) -> list[str]:
    return [json.loads(l)["text"] for l in open(path, encoding="utf-8")]


def worker(a) -> dict:
    """One runtime, in this (fresh) process: load, throughput, peak memory, then quality per split."""
    from eventx import EventExtractor
    from eventx.data import load
    from eventx.evaluation import evaluate_items
    from eventx.runtime import QUALITY_KEYS, QUALITY_SPLITS

    texts = load_texts(a.data)
    t0 = time.perf_counter()
    ex = EventExtractor.from_pretrained(a.model, device="cpu", runtime=a.worker)
    load_s = time.perf_counter() - t0
    ex.extract(texts[:8])  # warm-up
    rate = len(texts) / timed(lambda: ex.extract(texts, batch_size=a.batch_size), repeat=2)
    out = {"runtime": ex.runtime, "load_seconds": round(load_s, 2), "sentences_per_second": round(rate, 1),
           "peak_rss_mb": round(peak_rss_mb(), 1), "torch_imported": "torch" in sys.modules}
    data = Path(a.data).parent
    out["quality"] = {}
    for split in QUALITY_SPLITS:
        m = evaluate_items(ex, load(data / f"{split}.jsonl"), batch_size=a.batch_size)
        out["quality"][split] = {k: m[k] for k in QUALITY_KEYS}
    return out


def run_child(cmd: list[str], env=None) -> tuple[float, float, str]:
    """Wall time, peak resident memory (MB) and stdout of a new process."""
    import tempfile

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, stderr=err, env=env)
        # wait4 gives this child's own peak (RUSAGE_CHILDREN would be the maximum over every child so far)
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0), err.seek(0)
        if p.returncode:
            raise SystemExit(f"{' '.join(cmd)} failed:\n{err.read().decode(errors='replace')[-2000:]}")
        return wall, usage.ru_maxrss / 1024, out.read().decode()


def measure_runtimes(a, model: str | None = None) -> dict:
    from eventx.runtime import RUNTIMES, native_bfloat16, onnx_available

    model = model or a.model

    wanted = a.runtimes.split(",") if a.runtimes else [
        r for r in RUNTIMES if (r != "torch-bfloat16" or native_bfloat16()) and (not r.startswith("onnx") or onnx_available())]
    results = {}
    for rt in wanted:
        cmd = [sys.executable, __file__, "--worker", rt, "--model", model, "--data", a.data,
               "--batch-size", str(a.batch_size)]
        if rt.startswith("onnx"):  # build (or find) the cached graph first: its one-off cost is not a load time
            subprocess.run([sys.executable, "-m", "eventx.cli", "export", model, "--runtime", rt], check=True,
                           capture_output=True)
        _, _, out = run_child(cmd)
        results[rt] = json.loads(out.strip().splitlines()[-1])
        print(f"measured {model} {rt}: {results[rt]['sentences_per_second']} sentences/s, "
              f"{results[rt]['peak_rss_mb']:.0f} MB", file=sys.stderr)
    return results


def cold_start(a, repeat: int = 3, model: str | None = None) -> dict:
    model = model or a.model
    sample = HERE.parent / "eventx" / "samples" / "article_uk.txt"
    runs = [run_child([sys.executable, "-m", "eventx.cli", "extract", str(sample), "--model", model])[:2]
            for _ in range(repeat)]
    from eventx.runtime import choose_runtime
    from eventx.segment import count_sentences

    chosen = choose_runtime(model, "cpu", count_sentences([sample.read_text("utf-8")]))
    return {"cold_start_runtime": chosen, "cold_start_seconds": round(min(w for w, _ in runs), 2),
            "cold_start_peak_rss_mb": round(max(r for _, r in runs), 1)}


def import_seconds(repeat: int = 5) -> float:
    """Best time of ``import eventx`` in a new process (the same for every model)."""
    code = "import time; t = time.perf_counter(); import eventx; print(time.perf_counter() - t)"
    return round(min(float(run_child([sys.executable, "-c", code])[2]) for _ in range(repeat)), 3)


def quality_drops(runtimes: dict) -> dict:
    ref = runtimes.get("torch-float32", {}).get("quality")
    out = {}
    for rt, r in runtimes.items():
        if ref is None:
            continue
        out[rt] = round(max(ref[s][k]["f1"] - r["quality"][s][k]["f1"] for s in ref for k in ref[s]), 4)
    return out


def issue_figures(runtimes: dict, cold: dict, bound: float) -> tuple[dict, dict]:
    drops = quality_drops(runtimes)
    ok = {rt for rt, d in drops.items() if d <= bound}
    rate = {rt: r["sentences_per_second"] for rt, r in runtimes.items()}
    f32 = [rt for rt in ok if not rt.endswith("torch-bfloat16")]
    best32 = max(f32, key=rate.get) if f32 else None
    best = max(ok, key=rate.get) if ok else None
    ref = rate.get("torch-float32", 0.0)
    fig = {
        "torch_float32_sentences_per_second": ref,
        "float32_only_runtime": best32,
        "float32_only_sentences_per_second": rate.get(best32, 0.0),
        "float32_only_speedup": round(rate.get(best32, 0.0) / ref, 2) if ref else None,
        "best_runtime": best,
        "best_runtime_sentences_per_second": rate.get(best, 0.0),
        "best_runtime_batched_peak_rss_mb": runtimes[best]["peak_rss_mb"] if best else None,
        **cold,
        "max_f1_drop_by_runtime": drops,
    }
    targets = {"float32_only_speedup": (">=", 1.8), "float32_only_sentences_per_second": (">=", 150),
               "best_runtime_sentences_per_second": (">=", 250), "cold_start_seconds": ("<=", 3.0),
               "import_seconds": ("<", 0.2), "cold_start_peak_rss_mb": ("<=", 500),
               "best_runtime_batched_peak_rss_mb": ("<=", 800)}
    met = {k: fig[k] is not None and (fig[k] >= v if op == ">=" else fig[k] < v if op == "<" else fig[k] <= v)
           for k, (op, v) in targets.items()}
    for rt, d in drops.items():
        met[f"quality_{rt}"] = d <= bound
    return fig, {"targets": {k: f"{op} {v}" for k, (op, v) in targets.items()}, "met": met}


def print_runtimes(runtimes: dict, fig: dict, checks: dict) -> None:
    from eventx.runtime import QUALITY_SPLITS

    print("runtime          sent/s  load s  peak MB  " + "  ".join(f"{s:>16}" for s in QUALITY_SPLITS)
          + "  (trigger / argument classification F1)")
    for rt, r in runtimes.items():
        q = r["quality"]
        print(f"{rt:<15} {r['sentences_per_second']:>7} {r['load_seconds']:>7} {r['peak_rss_mb']:>8.0f}  " + "  ".join(
            f"{q[s]['trigger_classification']['f1']:.3f} / {q[s]['argument_classification']['f1']:.3f}".rjust(16)
            for s in QUALITY_SPLITS))
    for k, v in fig.items():
        target = checks["targets"].get(k)
        mark = "" if target is None else f"   target {target}: {'yes' if checks['met'][k] else 'NO'}"
        print(f"{k:<36} {v}{mark}")
    for k, v in checks["met"].items():
        if k.startswith("quality_"):
            print(f"{k:<36} F1 within 0.01 of torch-float32 on every split: {'yes' if v else 'NO'}")


def _label(rt: str) -> str:
    return f"student, `{rt[8:]}`" if rt.startswith("student:") else f"`{rt}`" + (" (reference)" if rt == "torch-float32" else "")


def _f1s(q: dict, split: str) -> str:
    return f"{q[split]['trigger_classification']['f1']:.3f} / {q[split]['argument_classification']['f1']:.3f}"


def speed_tables(result: dict) -> dict[str, list[str]]:
    """The README's speed blocks (markdown lines) from one run's ``result``: every runtime side by side,
    the issue-15 measures against their targets, and the headline figures of the default runtime."""
    from eventx.runtime import QUALITY_SPLITS

    runtimes, fig, met = result["runtimes"], result["issue15"], result["issue15_targets"]["met"]
    lines = ["| runtime | sentences/s | load s | peak MB (batched run) | "
             + " | ".join({"test": "test F1 trig. / arg.", "test_hard": "hard test", "articles": "articles"}.get(s, s)
                          for s in QUALITY_SPLITS) + " |",
             "|---|---|---|---|" + "---|" * len(QUALITY_SPLITS)]
    for rt, r in runtimes.items():
        lines.append(f"| {_label(rt)} | {r['sentences_per_second']:.1f} | {r['load_seconds']:.2f} | "
                     f"{r['peak_rss_mb']:.0f} | " + " | ".join(_f1s(r["quality"], s) for s in QUALITY_SPLITS) + " |")
    ok = lambda *keys: "met" if all(met.get(k) for k in keys) else "**not met**"  # noqa: E731
    drops = fig["max_f1_drop_by_runtime"]
    shipped = {rt: d for rt, d in drops.items() if not rt.startswith("student:")}
    worst = max(shipped, key=shipped.get) if shipped else None
    rows = [
        ("float32-only throughput (fastest runtime without bfloat16 within the quality bound: "
         f"`{fig['float32_only_runtime']}`)",
         f"{fig['float32_only_sentences_per_second']} sentences/s, {fig['float32_only_speedup']}x `torch-float32`",
         "≥ 150/s and ≥ 1.8x: " + ok("float32_only_sentences_per_second", "float32_only_speedup")),
        (f"best runtime within the bound (`{fig['best_runtime']}`)",
         f"{fig['best_runtime_sentences_per_second']} sentences/s", "≥ 250: " + ok("best_runtime_sentences_per_second")),
        (f"largest F1 drop of a runtime against float32 (`{worst}`)", f"{shipped.get(worst, 0):.3f}",
         "≤ 0.01: " + ok(*(f"quality_{rt}" for rt in shipped))),
    ]
    students = sorted(rt for rt in runtimes if rt.startswith("student:"))
    if students:
        ref = runtimes["torch-float32"]["sentences_per_second"]
        st = runtimes.get("student:torch-float32", runtimes[students[0]])
        rows.append(("the student in float32: speed-up / largest F1 drop of its runtimes",
                     f"{st['sentences_per_second'] / ref:.2f}x / {max(drops[rt] for rt in students):.3f}",
                     "≥ 1.8x, ≤ 0.01: " + ("met" if all(met.get(f"quality_{rt}") for rt in students) else
                                           "**quality not met** (not shipped)")))
    rows += [
        (f"cold start, `eventx extract eventx/samples/article_uk.txt` in a new process (`auto` chose "
         f"`{fig['cold_start_runtime']}`)", f"{fig['cold_start_seconds']} s, {fig['cold_start_peak_rss_mb']:.0f} MB peak",
         "≤ 3 s, ≤ 500 MB: " + ok("cold_start_seconds", "cold_start_peak_rss_mb")),
        ("`import eventx`", f"{fig['import_seconds']} s", "< 0.2 s: " + ok("import_seconds")),
        ("peak memory of the batched run, best runtime", f"{fig['best_runtime_batched_peak_rss_mb']:.0f} MB",
         "≤ 800 MB: " + ok("best_runtime_batched_peak_rss_mb")),
    ]
    issue = ["| issue-15 measure | value | target |", "|---|---|---|"] + [f"| {a} | {b} | {c} |" for a, b, c in rows]
    t = result["targets_met"]
    yes = lambda k, txt: f"{txt}: " + ("met" if t[k] else "**not met**")  # noqa: E731
    headline = [
        "| measure | value | target |", "|---|---|---|",
        f"| `extract()` throughput, test split, batched | {result['extract_sentences_per_second']} texts/s | |",
        f"| bare encoder at its best batch size, same runtime (ceiling) | {result['encoder_ceiling_sentences_per_second']} texts/s | |",
        f"| `extract()` / ceiling | {100 * result['extract_vs_ceiling']:.0f}% | {yes('extract_vs_ceiling', '≥ 60%')} |",
        f"| one-at-a-time `transformers.pipeline` baseline (float32) | {result['pipeline_baseline_sentences_per_second']} texts/s | |",
        f"| speed-up over the baseline | {result['speedup_vs_pipeline']}x | {yes('speedup_vs_pipeline', '≥ 3x')} |",
        f"| `extract()` in float32 / float32 encoder ceiling | {result['extract_float32_sentences_per_second']} / "
        f"{result['encoder_float32_ceiling_sentences_per_second']} texts/s | |",
        f"| latency for one {result['article_chars']}-character article, p50 / p95 | "
        f"{result['article_latency_p50_ms']:.0f} / {result['article_latency_p95_ms']:.0f} ms | |",
        f"| model load time | {result['load_seconds']:.2f} s | {yes('load_seconds', '≤ 5 s')} |",
        f"| peak resident memory (whole benchmark process) | {result['peak_rss_mb']:.0f} MB | {yes('peak_rss_mb', '≤ 1.5 GB')} |",
    ]
    return {"speed": lines + ["", "(Load times include importing torch for the torch runtimes.)", ""] + issue,
            "headline": headline}


def write_readme(path: Path, blocks: dict[str, list[str]]) -> None:
    """Replace each ``<!-- name:start (training/benchmark.py) -->`` ... ``<!-- name:end -->`` block."""
    from eventx.fileio import replace_marked_blocks

    try:
        replace_marked_blocks(path, blocks, "training/benchmark.py")
    except ValueError as e:
        raise SystemExit(str(e)) from None


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default=str(HERE.parent / "models" / "eventx-e5-small"))
    ap.add_argument("--data", default=str(HERE / "data" / "test.jsonl"))
    ap.add_argument("--articles", default=str(HERE / "data" / "articles.jsonl"))
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--baseline-items", type=int, default=200, help="texts for the slow pipeline baseline")
    ap.add_argument("--json", help="also write the results here")
    ap.add_argument("--runtime", default="auto", help="runtime of the headline figures (as in EventExtractor)")
    ap.add_argument("--runtimes", help="comma-separated runtimes to compare (default: all available here)")
    ap.add_argument("--record", action="store_true", help="write each runtime's F1 to the model's runtimes.json")
    ap.add_argument("--student", help="also measure this smaller model (same labels, e.g. a distilled encoder) in "
                                      "every runtime, as 'student:<runtime>', against the model's torch-float32")
    ap.add_argument("--readme", type=Path, help="rewrite the speed tables of this README from the run")
    ap.add_argument("--from-json", type=Path, help="with --readme: take the figures from this saved run, measure nothing")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--batch", action="store_true", help="measure eventx batch (local and Ray engines) only")
    ap.add_argument("--batch-docs", type=int, default=5000, help="with --batch: generated documents")
    ap.add_argument("--block-size", type=int, default=250, help="with --batch: documents per block")
    a = ap.parse_args(argv)
    if a.worker:
        print(json.dumps(worker(a)))
        return 0
    if a.batch:
        return batch_benchmark(a)
    if a.from_json:
        if not a.readme:
            ap.error("--from-json needs --readme")
        write_readme(a.readme, speed_tables(json.loads(a.from_json.read_text("utf-8"))))
        print(f"wrote the speed tables of {a.readme} from {a.from_json}")
        return 0

    from eventx.runtime import QUALITY_BOUND, record_quality

    runtimes = measure_runtimes(a)
    if a.record:
        for rt, r in runtimes.items():
            record_quality(a.model, rt, r["quality"])
    cold = cold_start(a) | {"import_seconds": import_seconds()}
    if a.student:
        student = measure_runtimes(a, a.student)
        if a.record:  # "auto" for the student compares its runtimes with its own torch-float32
            for rt, r in student.items():
                record_quality(a.student, rt, r["quality"])
        runtimes.update({f"student:{rt}": r for rt, r in student.items()})
        cold.update({f"student_{k}": v for k, v in cold_start(a, model=a.student).items()})
    fig, checks = issue_figures(runtimes, cold, QUALITY_BOUND)

    import torch
    from transformers import pipeline

    from eventx import EventExtractor
    from eventx.decoding import decode_spans, softmax, visible_offsets

    texts = [json.loads(l)["text"] for l in open(a.data, encoding="utf-8")]
    articles = [json.loads(l)["text"] for l in open(a.articles, encoding="utf-8")]
    article = min(articles, key=lambda t: abs(len(t) - 2000))

    t0 = time.perf_counter()
    ex = EventExtractor.from_pretrained(a.model, device="cpu", runtime=a.runtime)
    load_s = time.perf_counter() - t0
    ex32 = EventExtractor.from_pretrained(a.model, device="cpu", runtime="torch-float32")
    ex.extract(texts[:8]), ex32.extract(texts[:8])  # warm-up

    extract_rate = len(texts) / timed(lambda: ex.extract(texts, batch_size=a.batch_size), repeat=2)
    extract32_rate = len(texts) / timed(lambda: ex32.extract(texts, batch_size=a.batch_size), repeat=2)

    # ceiling: the encoder alone (same runtime as extract), same texts and tokenizer, length-sorted batches
    tok = ex.tokenizer
    ids = tok(texts, truncation=True, max_length=ex.max_length)["input_ids"]
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))

    def encoder_pass(bs: int, backend=ex.backend) -> None:
        # the backend's encoder + trigger head (a 384x9 matrix: nothing beside the encoder)
        with torch.inference_mode():
            for b in range(0, len(order), bs):
                rows = [ids[i] for i in order[b:b + bs]]
                width = max(map(len, rows))
                x = np.full((len(rows), width), tok.pad_token_id, dtype=np.int64)
                m = np.zeros_like(x)
                for r, row in enumerate(rows):
                    x[r, :len(row)] = row
                    m[r, :len(row)] = 1
                backend.encode(x, m)

    ceilings = {bs: len(texts) / timed(lambda: encoder_pass(bs), repeat=2) for bs in (8, 16, 32, 64)}
    best_bs = max(ceilings, key=ceilings.get)
    ceiling32 = max(len(texts) / timed(lambda: encoder_pass(bs, ex32.backend), repeat=2) for bs in (16, 64))

    # baseline: what a user would write: a feature-extraction pipeline over the same weights, loaded as
    # usual (float32), one text at a time, then the same heads and decoding
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(a.model)  # the user's tokenizer (eventx's own is a lighter view of it)
    pipe = pipeline("feature-extraction", model=ex32.model.encoder, tokenizer=tok, device=-1)
    model, labels = ex32.model, ex32.labels

    def naive(text: str) -> None:
        hidden = torch.tensor(np.asarray(pipe(text, truncation=True, max_length=model.max_length), dtype=np.float32)[0]).unsqueeze(0)
        enc_ = tok(text, truncation=True, max_length=model.max_length, return_offsets_mapping=True)
        offsets = visible_offsets(enc_["offset_mapping"], text)
        with torch.inference_mode():
            probs = softmax(model.trigger_head(hidden).numpy()[0])
            mask = torch.ones(hidden.shape[:2], dtype=torch.long)
            for name, s, e, _ in decode_spans(probs, offsets, labels.trigger_labels, text):
                tm = torch.tensor([[int(ts != te and ts < e and s < te) for ts, te in offsets]])
                model.argument_logits(hidden, mask, torch.tensor([0]), tm,
                                      torch.tensor([list(labels.types).index(name)]))

    sample = texts[:a.baseline_items]
    naive(sample[0])
    baseline_s = timed(lambda: [naive(t) for t in sample])
    baseline_rate = len(sample) / baseline_s

    lat = []
    for _ in range(20):
        t = time.perf_counter()
        ex.extract(article)
        lat.append(time.perf_counter() - t)
    result = {
        "machine": machine(),
        "model": a.model,
        "student": a.student,
        "texts": len(texts),
        "load_seconds": round(load_s, 2),
        "runtime": ex.runtime,
        "extract_sentences_per_second": round(extract_rate, 1),
        "extract_float32_sentences_per_second": round(extract32_rate, 1),
        "encoder_float32_ceiling_sentences_per_second": round(ceiling32, 1),
        "encoder_ceiling_sentences_per_second": round(ceilings[best_bs], 1),
        "encoder_ceiling_batch_size": best_bs,
        "encoder_ceiling_by_batch_size": {str(k): round(v, 1) for k, v in ceilings.items()},
        "extract_vs_ceiling": round(extract_rate / ceilings[best_bs], 3),
        "pipeline_baseline_sentences_per_second": round(baseline_rate, 1),
        "speedup_vs_pipeline": round(extract_rate / baseline_rate, 2),
        "article_chars": len(article),
        "article_latency_p50_ms": round(1000 * statistics.median(lat), 1),
        "article_latency_p95_ms": round(1000 * float(np.percentile(lat, 95)), 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "issue15": fig,
        "issue15_targets": checks,
        "runtimes": runtimes,
    }
    targets = {"extract_vs_ceiling": (">=", 0.6), "speedup_vs_pipeline": (">=", 3.0),
               "load_seconds": ("<=", 5.0), "peak_rss_mb": ("<=", 1536)}
    result["targets_met"] = {k: (result[k] >= v if op == ">=" else result[k] <= v) for k, (op, v) in targets.items()}
    print_runtimes(runtimes, fig, checks)
    print()
    rows = [(k, v) for k, v in result.items() if not isinstance(v, dict)]
    width = max(len(k) for k, _ in rows)
    print("\n".join(f"{k:<{width}}  {v}" for k, v in rows))
    print("targets met: " + ", ".join(f"{k} {'yes' if ok else 'NO'}" for k, ok in result["targets_met"].items()))
    print(json.dumps(result))
    if a.json:
        from eventx.fileio import write_text_atomic

        path = Path(a.json)
        old = json.loads(path.read_text("utf-8")) if path.exists() else {}
        if "batch" in old:  # measured by --batch, separately
            result["batch"] = old["batch"]
        write_text_atomic(path, json.dumps(result, indent=1))
    if a.readme:
        write_readme(a.readme, speed_tables(result))
    return 0


def batch_benchmark(a) -> int:
    """Documents per second of ``eventx.batch.run`` with each engine, on the same generated documents."""
    import tempfile

    import pyarrow.parquet as pq
    import ray

    from eventx.batch import run
    from make_batch_docs import generate, write

    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="eventx-batch-") as tmp:
        tmp = Path(tmp)
        docs = generate(a.batch_docs)
        src = write(docs, tmp / "docs.jsonl")
        common = dict(model=a.model, block_size=a.block_size, device="cpu", dtype="float32")
        timings, outputs = {}, {}

        def measure(name, **kw):
            out = tmp / f"{name}.parquet"
            t = time.perf_counter()
            s = run([src], out, **common, **kw)
            timings[name] = time.perf_counter() - t
            outputs[name] = pq.read_table(out)
            print(f"{name}: {s.documents} documents, {s.events} events in {timings[name]:.1f} s "
                  f"({s.documents / timings[name]:.1f} docs/s)", flush=True)

        measure("local")  # torch's default threads: all cores
        t = time.perf_counter()
        ray.init(num_cpus=cores, include_dashboard=False, log_to_driver=False)
        ray_init = time.perf_counter() - t
        try:
            measure("ray_1_actor", engine="ray", actors=1, cpus_per_actor=cores)  # one actor, all cores
            measure("ray_2_actors", engine="ray", actors=2, cpus_per_actor=max(1, cores // 2))
        finally:
            ray.shutdown()
    n = len(docs)
    same = all(outputs[k].equals(outputs["local"]) for k in outputs)
    result = {
        "machine": machine(),
        "model": a.model,
        "documents": n,
        "characters": sum(len(d["text"]) for d in docs),
        "events": outputs["local"].num_rows,
        "block_size": a.block_size,
        "dtype": "float32",
        "seconds": {k: round(v, 2) for k, v in timings.items()},
        "local_docs_per_second": round(n / timings["local"], 1),
        "ray_1_actor_docs_per_second": round(n / timings["ray_1_actor"], 1),
        "ray_2_actors_docs_per_second": round(n / timings["ray_2_actors"], 1),
        # what Ray adds to each document: actor start-up and model load, scheduling, moving blocks and
        # results through the object store (the one-off Ray start itself is ray_init_seconds)
        "ray_overhead_ms_per_document": round(1000 * (timings["ray_1_actor"] - timings["local"]) / n, 2),
        "ray_init_seconds": round(ray_init, 2),
        "outputs_identical": same,
    }
    print(json.dumps(result, indent=1))
    if a.json:
        from eventx.fileio import write_text_atomic

        path = Path(a.json)
        full = json.loads(path.read_text("utf-8")) if path.exists() else {}
        full["batch"] = result
        write_text_atomic(path, json.dumps(full, indent=1))
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
