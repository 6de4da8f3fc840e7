"""Derived tables kept on disk, so that a new process does not rebuild them.

Normalisation needs the lemma-indexed name lexicons (every table form through pymorphy3) and the GeoNames
name index; building them costs about 2 s, most of a one-article ``eventx extract``. They are built once and
stored in ``$EVENTX_CACHE/tables/`` (default ``~/.cache/eventx/tables/``): lexicons as JSON, the GeoNames
index as SQLite (looked up by name, never loaded whole). A file's name carries a hash of everything its
table is built from (eventx's data files, the source of the code that builds it, the versions of the
libraries it reads), so a changed input builds a new file. Files are written to a temporary name and
renamed. When the directory cannot be written, or a file cannot be read, the table is built in memory, as
without a cache; results are the same either way.

>>> fingerprint([b"table"], {"lib": "1.0"}) == fingerprint([b"table"], {"lib": "1.0"}) != fingerprint([b"table"], {"lib": "1.1"})
True
"""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import tempfile
from pathlib import Path
from typing import Callable, Iterable

FORMAT = 1  # bump when the layout of a cached file changes


def tables_dir() -> Path:
    from .encoder import cache_dir

    return cache_dir() / "tables"


def library_version(dist: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return "absent"


def fingerprint(files: Iterable[str | Path | bytes], versions: dict) -> str:
    """A short hash of some files' bytes (or raw bytes) and a dict of versions."""
    h = hashlib.sha256(f"format {FORMAT}\n".encode())
    for f in files:
        h.update(f if isinstance(f, bytes) else Path(f).read_bytes())
        h.update(b"\0")
    h.update(json.dumps(versions, sort_keys=True).encode())
    return h.hexdigest()[:16]


def _write_atomic(path: Path, write: Callable[[Path], None]) -> bool:
    """Write through ``write(tmp)`` then rename; ``False`` (nothing left behind) if the directory is not writable.

    Unlike :func:`eventx.fileio.write_with_atomic`, the temporary name is unique: processes started together
    (Ray workers) may build the same table at once, and each must rename a whole file of its own.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        os.close(fd)
    except OSError:
        return False
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o644)  # mkstemp's 0600 would hide a shared cache from other users
        os.replace(tmp, path)
        return True
    except (OSError, sqlite3.Error):
        return False
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def cached_json(name: str, key: str, build: Callable[[], object]):
    """``build()``'s JSON-able result, read from ``tables/{name}-{key}.json`` when present, else built and stored."""
    path = tables_dir() / f"{name}-{key}.json"
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        pass
    value = build()
    _write_atomic(path, lambda tmp: tmp.write_text(json.dumps(value, ensure_ascii=False), "utf-8"))
    return value


class KeyValueFile:
    """A read-only ``{str: JSON value}`` table in SQLite: ``get`` and ``in`` without loading it all.

    The connection is opened on first use and again after a fork (a connection must not cross one).
    """

    def __init__(self, path: Path):
        self.path = path
        self._conn = None
        self._pid = None

    def _db(self):
        if self._conn is None or self._pid != os.getpid():
            self._conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            self._pid = os.getpid()
        return self._conn

    def _row(self, sql: str, key: str):
        try:
            return self._db().execute(sql, (key,)).fetchone()
        except UnicodeEncodeError:  # a lone surrogate from hostile text: no stored key has one
            return None

    def get(self, key: str, default=None):
        row = self._row("SELECT v FROM kv WHERE k = ?", key)
        return json.loads(row[0]) if row else default

    def __contains__(self, key: str) -> bool:
        return self._row("SELECT 1 FROM kv WHERE k = ?", key) is not None


def cached_table(name: str, key: str, build: Callable[[], dict]):
    """A :class:`KeyValueFile` of ``build()`` (a ``{str: JSON value}`` dict), or the dict itself when it cannot
    be stored. Either answers ``.get(k, default)`` and ``k in table`` alike (lists come back as lists)."""
    path = tables_dir() / f"{name}-{key}.sqlite"
    if path.is_file():
        table = KeyValueFile(path)
        try:
            table.get("")
            return table
        except sqlite3.Error:
            pass  # damaged or foreign: rebuild
    value = build()

    def write(tmp: Path):
        with sqlite3.connect(tmp) as db:
            db.execute("CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT NOT NULL)")
            db.executemany("INSERT INTO kv VALUES (?, ?)",
                           ((k, json.dumps(v, ensure_ascii=False)) for k, v in value.items()))
        db.close()

    return KeyValueFile(path) if _write_atomic(path, write) else value
