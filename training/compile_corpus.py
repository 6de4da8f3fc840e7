"""Compile the inline-markup corpus sources into the JSONL splits.

Markup: ``[span text|label,label]``. A trigger label is ``Type.status#N``; an argument label is
``role#N`` (``#N`` defaults to ``#1``). Spans nest; ``\\[``, ``\\]`` and ``\\|`` are literal characters.

    python training/compile_corpus.py            # write training/data/{train,dev,test,articles}.jsonl
    python training/compile_corpus.py --check training/data/src/uk_meeting.txt

Sentence files ``src/*.txt`` hold one item per line; files named ``test_*.txt`` form the test split and
``test_hard_*.txt`` the hard test split (confusable non-events and rare constructions); every other file is
split into train and dev (each 10th item by a stable hash goes to dev). Articles are one item per file:
``src/articles/*.txt`` are held-out pages for document-level evaluation, ``src/train_articles/*.txt``
whole pages for training (split into train and dev like sentences).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from eventx.data import check_item, counts  # noqa: E402
from eventx.fileio import write_text_atomic  # noqa: E402

ARTICLE_DIRS = ("articles", "train_articles")  # one item per file: held-out pages, training pages
LABEL = re.compile(r"^(?:(?P<type>[A-Z][A-Za-z]*)\.(?P<status>[a-z]+)|(?P<role>[a-z_]+))(?:#(?P<n>\d+))?$")


class MarkupError(ValueError):
    def __init__(self, msg: str, column: int | None = None):
        super().__init__(msg)
        self.column = column  # 0-based position in the marked-up source, when known


def parse(line: str) -> tuple[str, list[dict]]:
    """Turn one marked-up item into ``(text, events)``.

    >>> text, events = parse("[Japan|joiner] [joined|MechanismJoining.happened] [PURL|mechanism].")
    >>> text, events[0]["trigger"], events[0]["arguments"][1]
    ('Japan joined PURL.', {'start': 6, 'end': 12, 'text': 'joined'}, {'role': 'mechanism', 'start': 13, 'end': 17, 'text': 'PURL'})
    """
    out: list[str] = []
    pos = 0  # length of the plain text so far
    stack: list[int] = []
    spans: list[tuple[int, int, str]] = []
    i = 0
    while i < len(line):
        ch = line[i]
        if ch == "\\" and i + 1 < len(line) and line[i + 1] in "[]|\\":
            out.append(line[i + 1]); pos += 1; i += 2
            continue
        if ch == "[":
            stack.append(pos); i += 1
            continue
        if ch == "|" and stack:
            close = line.find("]", i)
            if close < 0:
                raise MarkupError(f"column {i + 1}: '|' with no closing ']'", i)
            labels = line[i + 1:close]
            start = stack.pop()
            spans.append((start, pos, labels))
            i = close + 1
            continue
        if ch in "]|":
            raise MarkupError(f"column {i + 1}: stray {ch!r} (escape it as '\\{ch}')", i)
        out.append(ch); pos += 1; i += 1
    if stack:
        raise MarkupError(f"{len(stack)} '[' never closed with '|label]'")
    text = "".join(out)
    triggers: dict[int, dict] = {}
    args: dict[int, list[dict]] = {}
    for start, end, labels in spans:
        piece = text[start:end]
        if not piece.strip():
            raise MarkupError(f"empty span labelled {labels!r}")
        if piece != piece.strip():
            raise MarkupError(f"span {piece!r} has whitespace at its edge")
        for label in labels.split(","):
            m = LABEL.match(label.strip())
            if not m:
                raise MarkupError(f"bad label {label!r} on span {piece!r} (want Type.status#N or role#N)")
            n = int(m["n"] or 1)
            span = {"start": start, "end": end, "text": piece}
            if m["type"]:
                if n in triggers:
                    raise MarkupError(f"two triggers for event #{n}: {triggers[n]['trigger']['text']!r} and {piece!r}")
                triggers[n] = {"type": m["type"], "status": m["status"], "trigger": span}
            else:
                args.setdefault(n, []).append({"role": m["role"], **span})
    for n in args:
        if n not in triggers:
            raise MarkupError(f"arguments for event #{n} ({', '.join(a['text'] for a in args[n])!r}) but no trigger")
    events = []
    for n in sorted(triggers, key=lambda k: triggers[k]["trigger"]["start"]):
        ev = triggers[n]
        ev["arguments"] = sorted(args.get(n, []), key=lambda a: (a["start"], a["role"]))
        events.append(ev)
    return text, events


def read_source(path: Path) -> tuple[list[dict], list[str]]:
    """Items and ``file:line: message`` errors of one source file."""
    items, errors = [], []
    raw = path.read_text(encoding="utf-8")
    lang = None
    m = re.search(r"^# lang: (\S+)", raw, re.M)
    if m:
        lang = m.group(1)
    else:
        errors.append(f"{path}:1: missing '# lang: xx' header")
    stem = path.stem
    m_id = re.search(r"^# id: (\S+)", raw, re.M)
    article = path.parent.name in ARTICLE_DIRS
    header_id = m_id.group(1) if m_id and article else None
    if article:
        lines = raw.split("\n")
        first = next((k for k, l in enumerate(lines) if not l.startswith("# ")), len(lines))
        body = "\n".join(lines[first:]).strip("\n")
        first += len(lines[first:]) - len("\n".join(lines[first:]).lstrip("\n").split("\n"))
        units = [(first + 1, body)]
    else:
        units = [(n, l.rstrip("\n")) for n, l in enumerate(raw.split("\n"), 1)
                 if l.strip() and not l.lstrip().startswith("#")]
    for n, line in units:
        try:
            text, events = parse(line)
        except MarkupError as e:
            line_no = n + line[:e.column].count("\n") if article and e.column is not None else n
            errors.append(f"{path}:{line_no}: {e}")
            continue
        item = {"id": header_id or f"{stem}-{n:04d}", "lang": lang, "text": text, "events": events}
        problems = check_item(item)
        if problems:
            errors += [f"{path}:{n}: {p}" for p in problems]
            continue
        items.append(item)
    return items, errors


def split_of(path: Path) -> str:
    """``test_hard_*.txt`` -> test_hard, ``test_*.txt`` -> test, ``articles/`` -> articles, else train (+dev)."""
    if path.parent.name == "articles":
        return "articles"
    if path.name.startswith("test_hard_"):
        return "test_hard"
    return "test" if path.name.startswith("test_") else "train"


def is_dev(item: dict) -> bool:
    return int(hashlib.sha1(item["text"].encode()).hexdigest(), 16) % 10 == 0


def write_jsonl(path: Path, items: list[dict]) -> None:
    write_text_atomic(path, "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--src", default=HERE / "data" / "src", type=Path)
    ap.add_argument("--out", default=HERE / "data", type=Path)
    ap.add_argument("--check", nargs="*", type=Path, help="only check these source files and print counts")
    args = ap.parse_args(argv)
    src = args.src
    files = args.check if args.check else (sorted(src.glob("*.txt")) + sorted((src / "articles").glob("*.txt"))
                                           + sorted((src / "train_articles").glob("*.txt")))
    splits: dict[str, list[dict]] = {"train": [], "dev": [], "test": [], "test_hard": [], "articles": []}
    errors, seen = [], {}
    for path in files:
        items, errs = read_source(path)
        errors += errs
        split = split_of(path)
        held_out = split in ("test", "test_hard", "articles")
        for item in items:
            if item["text"] in seen:
                first_id, first_held_out = seen[item["text"]]
                if first_held_out != held_out:
                    errors.append(f"{path}: item {item['id']} repeats the text of {first_id} across train and test")
                else:
                    print(f"note: {path}: {item['id']} repeats {first_id}; kept once", file=sys.stderr)
                continue
            seen[item["text"]] = (item["id"], held_out)
            splits[("dev" if is_dev(item) else "train") if split == "train" else split].append(item)
    for e in errors:
        print(e, file=sys.stderr)
    if args.check:
        print(json.dumps(counts([i for s in splits.values() for i in s]), ensure_ascii=False, indent=1))
        return 1 if errors else 0
    if errors:
        print(f"{len(errors)} error(s); nothing written", file=sys.stderr)
        return 1
    for name, items in splits.items():
        write_jsonl(args.out / f"{name}.jsonl", items)
        print(f"{name}: {len(items)} items")
    return 0


if __name__ == "__main__":
    sys.exit(main())
