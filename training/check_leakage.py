"""Prove the test splits are held out: no item of the test or hard test split shares an 8-word sequence
with any train/dev item (sentences and training articles alike) or line of the unlabelled text.

    python training/check_leakage.py          # exit 1 and list the shared sequences if any
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def shingles(text: str, n: int = 8) -> set[tuple[str, ...]]:
    """Lower-cased word n-grams.

    >>> len(shingles("one two three four five six seven eight nine"))
    2
    """
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--train", nargs="+", type=Path, default=[HERE / "data" / "train.jsonl", HERE / "data" / "dev.jsonl",
                                                                 HERE / "data" / "unlabelled.txt"],
                    help="JSONL items, or plain text (the unlabelled file that a teacher labels)")
    ap.add_argument("--test", nargs="+", type=Path, default=[HERE / "data" / "test.jsonl",
                                                                HERE / "data" / "test_hard.jsonl"])
    ap.add_argument("-n", type=int, default=8)
    a = ap.parse_args(argv)
    seen: dict = {}
    for path in a.train:
        if path.suffix != ".jsonl":
            for k, line in enumerate(path.read_text("utf-8").splitlines(), 1):
                for sh in shingles(line, a.n):
                    seen.setdefault(sh, f"{path.name}:{k}")
            continue
        for line in path.open(encoding="utf-8"):
            item = json.loads(line)
            for sh in shingles(item["text"], a.n):
                seen.setdefault(sh, item["id"])
    leaks, n_test = [], 0
    for path in a.test:
        for line in path.open(encoding="utf-8"):
            item = json.loads(line)
            n_test += 1
            for sh in shingles(item["text"], a.n):
                if sh in seen:
                    leaks.append((item["id"], seen[sh], " ".join(sh)))
    for test_id, train_id, words in leaks:
        print(f"{test_id} shares with {train_id}: {words}")
    print(f"checked {n_test} test items against {len(seen)} train {a.n}-grams: {len(leaks)} shared")
    return 1 if leaks else 0


if __name__ == "__main__":
    sys.exit(main())
