"""Scaling benchmark: sentence splitting and grouping are linear; a 10 MB document's peak memory.

    python training/scaling.py                  # splitting and grouping, 10k -> 1M
    python training/scaling.py --doc-mb 10      # also: peak memory of extracting a 10 MB page dump

Splitting is timed on single lines of 10k to 1M characters (prose with sentence ends, and a
pathological line with a '.' every 5 characters and no real boundary); grouping on 10k to 1M
events. Linear means the time per character (per event) stays within 2x across sizes. The 10 MB
document is extracted in a fresh process by a tiny random model (tests/tiny.py) biased to tag about 26
events per 1,000 characters with 3 arguments each, so the figure is the pipeline's memory (segmentation,
windows, events and their values), not a large encoder's.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

SIZES = (10_000, 100_000, 1_000_000)
PROSE = "Міністр оборони зустрівся з колегою в Токіо 8 квітня. Japan joined the PURL initiative on Monday! "


def _best(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def splitting() -> list[dict]:
    from eventx.segment import split_sentences

    rows = []
    for name, unit in (("prose", PROSE), ("x. y (no boundary)", "x. y ")):
        for n in SIZES:
            text = (unit * (n // len(unit) + 1))[:n]
            s = _best(lambda: split_sentences(text), 3 if n < 1_000_000 else 2)
            rows.append({"input": name, "chars": n, "seconds": round(s, 4), "us_per_char": round(s / n * 1e6, 4)})
    return rows


def grouping() -> list[dict]:
    from eventx.extraction import assign_groups
    from eventx.types import Argument, Event, Span

    rows = []
    for n in SIZES:
        events = []
        for i in range(n):  # distinct events: the old pairwise loop compared each with all before it
            sent = Span("s", 20 * i, 20 * i + 19)
            events.append(Event("Meeting", "happened", 0.9, Span("met", 20 * i + 6, 20 * i + 9),
                                (Argument("participant", f"{i:07d}", 20 * i, 20 * i + 5, 0.9),
                                 Argument("place", f"p{i:07d}", 20 * i + 10, 20 * i + 15, 0.9)), sent))
        s = _best(lambda: assign_groups(events), 1)
        rows.append({"events": n, "seconds": round(s, 4), "us_per_event": round(s / n * 1e6, 3)})
        del events
    return rows


_DOC_CHILD = r"""
import sys, time
sys.path.insert(0, {root!r}); sys.path.insert(0, {tests!r})


def peak_mb():
    # VmHWM is this process's own peak: ru_maxrss would start from the parent's peak (Linux keeps it across
    # fork and exec), and the parent has just grouped a million events
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024


import torch
from tiny import tiny_model
from eventx.extraction import EventExtractor
model, tok = tiny_model(max_length=64)
with torch.no_grad():
    # mostly O: some 26 events per 1,000 characters (three times the densest real page seen) with about
    # 3 arguments each, so the figure includes the cost of a realistic output, not of a random model's
    model.trigger_head.bias[0] = 2.0
    model.role_head.bias[0] = 1.5
ex = EventExtractor(model, tok, "cpu", dtype="float32")
para = ("Прем'єр зустрівся з колегою в Токіо. Japan joined PURL on Monday. " * 20 + "\n")
giant = "Title line\n" + "word " * 40000 + "\n"  # a 200,000-character 'sentence' without punctuation
unit = para * 20 + giant
text = (unit * ({mb} * 1_000_000 // len(unit) + 1))[:{mb} * 1_000_000]
before = peak_mb()
t = time.time()
events = ex.extract(text, batch_size=64, min_score=0.0)
print(len(text), len(events), round(time.time() - t, 1), before, peak_mb())
"""


def document(mb: int) -> dict:
    code = _DOC_CHILD.format(root=str(HERE.parent), tests=str(HERE.parent / "tests"), mb=mb)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    chars, events, seconds, before, peak = (float(x) for x in out[-5:])
    return {"chars": int(chars), "events": int(events), "seconds": seconds, "rss_before_mb": int(before),
            "peak_rss_mb": int(peak)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--doc-mb", type=int, default=0, help="also extract a document of this many MB (0: skip)")
    ap.add_argument("--json", help="write the figures here")
    a = ap.parse_args(argv)
    result = {"splitting": splitting(), "grouping": grouping()}
    for r in result["splitting"]:
        print(f"split  {r['input']:<20} {r['chars']:>9,} chars  {r['seconds']:8.3f} s  {r['us_per_char']:.4f} us/char")
    for r in result["grouping"]:
        print(f"group  {r['events']:>9,} events  {r['seconds']:8.3f} s  {r['us_per_event']:.3f} us/event")
    for key, unit in (("splitting", "us_per_char"), ("grouping", "us_per_event")):
        groups: dict = {}
        for r in result[key]:
            groups.setdefault(r.get("input", ""), []).append(r[unit])
        for name, vals in groups.items():
            print(f"{key} {name}: max/min time per unit = {max(vals) / min(vals):.2f} (linear: <= 2)")
    if a.doc_mb:
        result["document"] = d = document(a.doc_mb)
        print(f"document {d['chars']:,} chars: {d['events']} events in {d['seconds']} s, "
              f"peak RSS {d['peak_rss_mb']} MB (before extract {d['rss_before_mb']} MB)")
    if a.json:
        Path(a.json).write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
