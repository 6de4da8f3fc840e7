"""Generate N news-like documents as JSONL, for trying and timing ``eventx batch``.

    python training/make_batch_docs.py --n 5000 --out build/batch/docs.jsonl
    eventx batch --input build/batch/docs.jsonl --output build/batch/local.parquet
    eventx batch --input build/batch/docs.jsonl --output build/batch/ray.parquet --engine ray --actors 2

Each document strings together 1 to 8 texts of the test split (uk/ru/en sentences and short passages,
so it holds events), has an id, a language (of its first text) and a publication date spread over 60
days; about one in ten is one of the held-out web articles, to mix in long documents. Deterministic for
a given ``--seed``.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def generate(n: int, seed: int = 0, data: Path = HERE / "data" / "test.jsonl",
             articles: Path = HERE / "data" / "articles.jsonl") -> list[dict]:
    """``n`` documents ``{"id", "lang", "date", "text"}``."""
    items = [json.loads(line) for line in open(data, encoding="utf-8") if line.strip()]
    pages = [json.loads(line) for line in open(articles, encoding="utf-8") if line.strip()]
    rng = random.Random(seed)
    start = dt.date(2026, 3, 1)
    docs = []
    for i in range(n):
        if pages and rng.random() < 0.1:
            picked = [rng.choice(pages)]
        else:
            picked = [rng.choice(items) for _ in range(rng.randint(1, 8))]
        docs.append({"id": f"gen-{i:07d}", "lang": picked[0].get("lang"),
                     "date": (start + dt.timedelta(days=rng.randrange(60))).isoformat(),
                     "text": "\n\n".join(p["text"] for p in picked)})
    return docs


def write(docs: list[dict], out: Path) -> Path:
    sys.path.insert(0, str(HERE.parent))
    from eventx.fileio import write_text_atomic

    return write_text_atomic(out, "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=5000)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args(argv)
    docs = generate(a.n, a.seed)
    write(docs, Path(a.out))
    print(f"wrote {len(docs)} documents ({sum(len(d['text']) for d in docs):,} characters) to {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
