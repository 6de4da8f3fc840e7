"""How merging scales: seconds for 1k ... 100k synthetic event mentions, across documents and in one document.

    python training/merge_benchmark.py [--sizes 1000,10000,100000] [--json training/merge_benchmark.json]

Mentions are hand-shaped like extract() output with normalised values: four types, 60 countries (every
meeting involves Ukraine, the worst case for blocking on a shared actor), one to four reports per event
over a year of dates. Also groups one document of the same events (``assign_groups``' path, no dates).
Times are CPU seconds of this process (``time.process_time``), so a busy machine inflates them less.
Target (issue 12 / 16.10): time per mention constant within 2x from 1k to 100k; 100k merge in seconds.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from eventx.merge import group_events, merge  # noqa: E402
from eventx.types import ActorValue, AmountValue, Argument, Event, Span, TimeValue  # noqa: E402


def synthetic(n: int, seed: int = 0):
    rng = random.Random(seed)
    countries = [f"C{i:02d}" for i in range(60)]
    start = dt.date(2026, 1, 1).toordinal()
    docs, dates = [], []

    def arg(role, value, text="x"):
        return Argument(role, text, 0, 1, 0.9, value)

    while len(docs) < n:
        typ = rng.choice(["Meeting", "Agreement", "AidPackage", "MechanismJoining"])
        x = rng.choice(countries)
        day = start + rng.randrange(365)
        when = dt.date.fromordinal(day).isoformat()
        if typ == "Meeting":
            args = [arg("participant", ActorValue(countries=("UKR",))), arg("participant", ActorValue(countries=(x,)))]
        elif typ == "Agreement":
            args = [arg("party", ActorValue(countries=(x,))), arg("party", ActorValue(countries=(rng.choice(countries),)))]
        elif typ == "AidPackage":
            args = [arg("donor", ActorValue(countries=(x,))), arg("recipient", ActorValue(countries=("UKR",))),
                    arg("amount", AmountValue(value=float(rng.randrange(10, 900)) * 1e6, currency="EUR"))]
        else:
            args = [arg("joiner", ActorValue(countries=(x,))),
                    arg("mechanism", ActorValue(organisation=rng.choice(["PURL", "DRONES", "DEMINING", "RAMSTEIN"])))]
        for k in range(rng.randint(1, 4)):
            extra = [arg("time", TimeValue(value=when, start=when, end=when, granularity="day"))] if k % 2 == 0 else []
            ev = Event(typ, "happened", 0.9, Span("x", 0, 1), tuple(args[: 1 + (k % 3 != 1)] + args[1:] + extra))
            docs.append([ev])
            dates.append(dt.date.fromordinal(day + rng.randint(0, 1)).isoformat())
    return docs[:n], dates[:n]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--json", help="also write the results here")
    a = ap.parse_args(argv)
    # count candidate comparisons: a machine-independent measure of the blocking (CPU seconds vary)
    mod = sys.modules["eventx.merge"]
    fits = {"n": 0}
    real_fit = mod._fit

    def counting_fit(*args, **kw):
        fits["n"] += 1
        return real_fit(*args, **kw)

    mod._fit = counting_fit
    rows = []
    for n in (int(x) for x in a.sizes.split(",")):
        docs, dates = synthetic(n)
        fits["n"] = 0
        t = time.process_time()
        stories = merge(docs, dates=dates)
        cross = time.process_time() - t
        cross_fits = fits["n"] / n
        one_doc = [d[0] for d in docs]
        fits["n"] = 0
        t = time.process_time()
        groups = group_events(one_doc)
        within = time.process_time() - t
        within_fits = fits["n"] / n
        rows.append({"mentions": n, "merge_s": round(cross, 3), "merge_us_per_mention": round(cross / n * 1e6, 1),
                     "stories": len(stories), "group_one_document_s": round(within, 3),
                     "group_us_per_event": round(within / n * 1e6, 1), "groups": len(set(groups)),
                     "comparisons_per_mention": round(cross_fits, 1), "comparisons_per_event_one_document": round(within_fits, 1)})
        print(f"{n:>7} mentions: merge {cross:7.2f} s ({cross / n * 1e6:6.1f} us each, {len(stories)} stories); "
              f"one document {within:7.2f} s ({within / n * 1e6:6.1f} us each); "
              f"comparisons per mention {cross_fits:.1f} / {within_fits:.1f}")
    if a.json:
        Path(a.json).write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
