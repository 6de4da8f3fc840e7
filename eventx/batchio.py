"""Inputs and block files of :mod:`eventx.batch`: planning deterministic blocks, reading them, and the
lossless per-block records the final Parquet/JSONL output is assembled from.

A *block* is a fixed slice of the input: a range of lines of a JSONL file, a range of rows of a Parquet
file, or a run of files of a folder of text/HTML pages. The plan depends only on the inputs and the block
size, so a restarted run finds the same blocks and skips those already finished. Paths may be local or
anything ``pyarrow.fs`` opens (``s3://``, ``gs://``, ``hdfs://``...).

>>> b = Block(0, "jsonl", "docs.jsonl", 1, 1001, 0, 52_000)
>>> Block.from_json(b.to_json()) == b, b.size, b.id[:7]
(True, 1000, '000000-')
>>> record = {"type": "Meeting", "status": "planned", "score": 0.5, "status_score": 0.75,
...           "trigger": {"text": "meet", "start": 6, "end": 10}, "sentence": None, "group": 1,
...           "arguments": [{"role": "participant", "text": "Japan", "start": 0, "end": 5, "score": 0.9,
...                          "value": {"kind": "actor", "countries": ["JPN"], "organisation": None,
...                                    "role": None, "name": None}}]}
>>> ev = event_from_record(record)
>>> ev.arguments[0].value, event_record(ev) == record
(ActorValue(countries=('JPN',), organisation=None, role=None, name=None), True)
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field

from .types import ActorValue, AmountValue, Argument, Event, PlaceValue, Span, TimeValue

ARROW_EXTRA = "eventx batch needs pyarrow: pip install 'eventx[pandas]' (or 'eventx[ray]' for the Ray engine)"
JSONL_SUFFIXES = (".jsonl", ".ndjson")
PARQUET_SUFFIXES = (".parquet", ".pq")
PAGE_SUFFIXES = (".txt", ".text", ".html", ".htm")
_VALUES = {cls.kind: cls for cls in (ActorValue, AmountValue, PlaceValue, TimeValue)}


def _arrow():
    try:
        import pyarrow  # noqa: F401
        import pyarrow.fs  # noqa: F401
        import pyarrow.parquet  # noqa: F401
    except ImportError as e:
        raise ImportError(f"{ARROW_EXTRA} ({e})") from None
    return pyarrow


@dataclass(frozen=True)
class Block:
    """One slice of the input: ``kind`` jsonl (lines ``start``..``stop``-1, 1-based, at bytes
    ``offset``..``end``), parquet (rows ``start``..``stop``-1, 0-based) or pages (``files``)."""

    ordinal: int
    kind: str
    path: str
    start: int
    stop: int
    offset: int = 0
    end: int = 0
    files: tuple = ()
    root: str = ""  # pages: the folder the ids are relative to

    @property
    def id(self) -> str:
        key = json.dumps([self.kind, self.path, self.start, self.stop, self.offset, self.end, list(self.files)])
        return f"{self.ordinal:06d}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:10]}"

    @property
    def size(self) -> int:
        """Documents in the block (for JSONL, lines, blank ones included)."""
        return len(self.files) if self.kind == "pages" else self.stop - self.start

    def to_json(self) -> str:
        d = asdict(self)
        d["files"] = list(self.files)
        return json.dumps(d, ensure_ascii=False)

    @classmethod
    def from_json(cls, s: str) -> "Block":
        d = json.loads(s)
        d["files"] = tuple(d.get("files", ()))
        return cls(**d)


@dataclass(frozen=True)
class Doc:
    """A document read from a block: its id, text, ISO date (or ``None``) and where it came from."""

    id: str
    text: str
    date: str | None = None
    where: str = ""


@dataclass
class BlockResult:
    """What extracting one block gives: one record per document (``doc_id``, ``date``, ``events``), and the
    errors (``doc_id``, ``where``, ``error``)."""

    block: str
    docs: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    seconds: float = 0.0

    def roles(self) -> list[str]:
        return sorted({a["role"] for d in self.docs for ev in d["events"] for a in ev["arguments"]})


# ------------------------------------------------------------------------------------------ filesystems
def filesystem(path: str):
    """``(pyarrow filesystem, path inside it)`` for a local path or a URI such as ``s3://bucket/key``."""
    pa = _arrow()
    if "://" in str(path):
        try:
            return pa.fs.FileSystem.from_uri(str(path))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError, OSError) as e:
            raise ValueError(f"{path}: cannot open this location ({e})") from None
    import os

    return pa.fs.LocalFileSystem(), os.path.abspath(str(path))


def _suffix(name: str) -> str:
    name = name.lower()
    dot = name.rfind(".")
    return name[dot:] if dot > name.rfind("/") else ""


def plan_blocks(inputs, block_size: int) -> list[Block]:
    """The blocks of ``inputs`` (files or folders), in input order; a folder contributes its JSONL and Parquet
    files, and its text/HTML pages ``block_size`` at a time (hidden files and ``_``-files are skipped)."""
    pa = _arrow()
    blocks: list[Block] = []
    for given in inputs:
        fs, path = filesystem(given)
        info = fs.get_file_info(path)
        if info.type == pa.fs.FileType.NotFound:
            raise ValueError(f"{given}: no such file or directory")
        if info.type == pa.fs.FileType.Directory:
            found = fs.get_file_info(pa.fs.FileSelector(path, recursive=True))
            files = sorted(f.path for f in found if f.type == pa.fs.FileType.File
                           and not any(p.startswith((".", "_")) for p in f.path[len(path):].split("/") if p))
            pages = [f for f in files if _suffix(f) in PAGE_SUFFIXES]
            tables = [f for f in files if _suffix(f) in JSONL_SUFFIXES + PARQUET_SUFFIXES]
            if not pages and not tables:
                raise ValueError(f"{given}: no .jsonl, .parquet, .txt or .html files in this folder")
            for f in tables:
                _plan_file(blocks, fs, f, _display(given, path, f), block_size)
            for i in range(0, len(pages), block_size):
                blocks.append(Block(len(blocks), "pages", _uri(given, path), 0, 0,
                                    files=tuple(_uri(given, path, f) for f in pages[i:i + block_size]),
                                    root=_uri(given, path)))
        else:
            _plan_file(blocks, fs, path, str(given), block_size)
    return blocks


def _uri(given: str, root: str, f: str | None = None) -> str:
    """A path that :func:`filesystem` opens again (the scheme of ``given`` kept)."""
    f = root if f is None else f
    if "://" in str(given):
        scheme = str(given).split("://", 1)[0]
        return f"{scheme}://{f}"
    return f


def _display(given: str, root: str, f: str) -> str:
    return _uri(given, root, f)


def _plan_file(blocks: list, fs, path: str, given: str, block_size: int) -> None:
    suffix = _suffix(path)
    if suffix in JSONL_SUFFIXES:
        for start, stop, offset, end in _jsonl_cuts(fs, path, block_size):
            blocks.append(Block(len(blocks), "jsonl", given, start, stop, offset, end))
    elif suffix in PARQUET_SUFFIXES:
        import pyarrow.parquet as pq

        with fs.open_input_file(path) as f:
            try:
                rows = pq.ParquetFile(f).metadata.num_rows
            except Exception as e:  # pyarrow raises ArrowInvalid and OSError for a file that is not Parquet
                raise ValueError(f"{given}: not a Parquet file ({e})") from None
        for start in range(0, rows, block_size):
            blocks.append(Block(len(blocks), "parquet", given, start, min(rows, start + block_size)))
    elif suffix in PAGE_SUFFIXES:
        blocks.append(Block(len(blocks), "pages", given, 0, 0, files=(given,), root=""))
    else:
        raise ValueError(f"{given}: unknown input type (expected .jsonl, .parquet, .txt, .html or a folder)")


def _jsonl_cuts(fs, path: str, block_size: int) -> list[tuple]:
    """``(first line, stop line, first byte, end byte)`` of each block of ``block_size`` lines: one pass over
    the bytes counting newlines, so the readers can seek straight to their block."""
    cuts = [(1, 0)]
    line, pos, last = 1, 0, b"\n"  # the number and byte offset of the line being read; the last byte
    with fs.open_input_stream(path) as f:
        while True:
            chunk = f.read(1 << 24)
            if not chunk:
                break
            last = chunk[-1:]
            if line + chunk.count(b"\n") < cuts[-1][0] + block_size:  # no block boundary in this chunk
                line += chunk.count(b"\n")
                pos += len(chunk)
                continue
            i = chunk.find(b"\n")
            while i >= 0:
                line += 1
                if line == cuts[-1][0] + block_size:
                    cuts.append((line, pos + i + 1))
                i = chunk.find(b"\n", i + 1)
            pos += len(chunk)
    last_line = line if last != b"\n" else line - 1
    if len(cuts) > 1 and cuts[-1][1] >= pos:
        cuts.pop()  # the file ends exactly at a boundary: no empty block after it
    out = []
    for k, (ln, off) in enumerate(cuts):
        stop, end = cuts[k + 1] if k + 1 < len(cuts) else (max(last_line, ln - 1) + 1, pos)
        if end > off:
            out.append((ln, stop, off, end))
    return out


# ------------------------------------------------------------------------------------------------ reading
def _iso(value, where: str, field_name: str) -> str | None:
    """A document's date as ``YYYY-MM-DD`` (timestamps are cut to their day), or a clear error."""
    import datetime as dt

    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10]).isoformat()
        except ValueError:
            pass
    raise ValueError(f"{where}: field {field_name!r} is not a date YYYY-MM-DD: {value!r}"[:300])


def _doc(item: dict, where: str, default_id: str, fields: dict, date) -> Doc:
    text_field, id_field, date_field = fields["text"], fields["id"], fields["date"]
    if text_field not in item or item[text_field] is None:
        raise ValueError(f"{where}: no field {text_field!r}")
    text = item[text_field]
    if not isinstance(text, str):
        raise ValueError(f"{where}: field {text_field!r} must be a string, got {type(text).__name__}")
    doc_id = item.get(id_field)
    doc_id = default_id if doc_id is None else str(doc_id)
    own = _iso(item.get(date_field), where, date_field) if date_field else None
    return Doc(doc_id, text, own or date, where)


def read_block(block: Block, fields: dict, date: str | None = None):
    """The documents of ``block`` and the errors of the ones that cannot be read (``[Doc]``, ``[dict]``)."""
    if block.kind == "jsonl":
        return _read_jsonl(block, fields, date)
    if block.kind == "parquet":
        return _read_parquet(block, fields, date)
    return _read_pages(block, date)


def _error(doc_id, where: str, message: str) -> dict:
    from .chars import escape_control

    return {"doc_id": doc_id, "where": where, "error": escape_control(str(message).strip().split("\n")[0])}


def _read_jsonl(block: Block, fields: dict, date):
    fs, path = filesystem(block.path)
    with fs.open_input_file(path) as f:
        f.seek(block.offset)
        data = f.read(block.end - block.offset)
    docs, errors = [], []
    for n, raw in enumerate(data.split(b"\n"), block.start):
        if n >= block.stop or not raw.strip():
            continue
        where, item = f"{block.path}:{n}", None
        try:
            try:
                item = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError as e:
                raise ValueError(f"{where}: not UTF-8 text ({e.reason} at byte {block.offset + e.start})") from None
            except json.JSONDecodeError as e:
                raise ValueError(f"{where}: bad JSON: {e.msg} (column {e.colno})") from None
            except RecursionError:
                raise ValueError(f"{where}: JSON nested too deeply") from None
            if not isinstance(item, dict):
                raise ValueError(f"{where}: expected a JSON object, got {type(item).__name__}")
            docs.append(_doc(item, where, where, fields, date))
        except ValueError as e:
            item_id = item.get(fields["id"]) if isinstance(item, dict) else None
            errors.append(_error(None if item_id is None else str(item_id), where, e))
    return docs, errors


def _read_parquet(block: Block, fields: dict, date):
    import pyarrow.parquet as pq

    fs, path = filesystem(block.path)
    with fs.open_input_file(path) as f:
        pf = pq.ParquetFile(f)
        names = pf.schema_arrow.names
        if fields["text"] not in names:
            # the whole file is unusable: one error for the block, naming the columns it does have
            return [], [_error(None, block.path, f"{block.path}: no column {fields['text']!r} "
                                                 f"(columns: {', '.join(names[:20])})")]
        cols = [c for c in (fields["text"], fields["id"], fields["date"]) if c and c in names]
        # the row groups that overlap the block's rows
        first, groups, skip = 0, [], 0
        for g in range(pf.metadata.num_row_groups):
            n = pf.metadata.row_group(g).num_rows
            if first < block.stop and block.start < first + n:
                if not groups:
                    skip = block.start - first
                groups.append(g)
            first += n
        table = pf.read_row_groups(groups, columns=cols) if groups else None
    docs, errors = [], []
    if table is None:
        return docs, errors
    rows = table.slice(skip, block.stop - block.start).to_pylist()
    for r, item in enumerate(rows, block.start):
        where = f"{block.path}: row {r}"
        try:
            docs.append(_doc(item, where, f"{block.path}:{r}", fields, date))
        except ValueError as e:
            item_id = item.get(fields["id"])
            errors.append(_error(None if item_id is None else str(item_id), where, e))
    return docs, errors


def _read_pages(block: Block, date):
    from .chars import decode_utf8

    docs, errors = [], []
    for uri in block.files:
        fs, path = filesystem(uri)
        doc_id = uri[len(block.root):].lstrip("/") if block.root else uri
        try:
            with fs.open_input_stream(path) as f:
                text = decode_utf8(f.read(), uri)
            own = None
            from .web import looks_like_html

            if _suffix(uri) in (".html", ".htm") or looks_like_html(text):
                from .web import page_text

                page = page_text(text, date=date)  # the page's own date unless one was given
                text, own = page.text, page.date
            docs.append(Doc(doc_id, text, own or date, uri))
        except (ValueError, OSError) as e:
            errors.append(_error(doc_id, uri, e if isinstance(e, ValueError) else f"{uri}: {e}"))
    return docs, errors


# ------------------------------------------------------------------------------------------------ records
def event_record(ev: Event) -> dict:
    """``ev.to_dict()`` with unrounded scores and ``status_score``: lossless, so :func:`event_from_record`
    gives back an equal event."""
    d = ev.to_dict()
    d["score"] = ev.score
    d["status_score"] = ev.status_score
    for a, ad in zip(ev.arguments, d["arguments"]):
        ad["score"] = a.score
    return d


def _value(v):
    if not isinstance(v, dict):
        return v
    cls = _VALUES[v["kind"]]
    return cls(**{k: tuple(x) if isinstance(x, list) else x for k, x in v.items() if k != "kind"})


def event_from_record(d: dict) -> Event:
    sent = d.get("sentence")
    args = tuple(Argument(a["role"], a["text"], a["start"], a["end"], a["score"], _value(a.get("value")))
                 for a in d["arguments"])
    return Event(d["type"], d["status"], d["score"], Span(**d["trigger"]), args,
                 Span(**sent) if sent else None, d.get("group", 0), d.get("status_score", 0.0))
