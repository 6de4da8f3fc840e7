"""Atomic writes: a file or directory appears complete or not at all (never half-written).

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> write_text_atomic(d / "a.json", "{}").read_text()
'{}'
>>> def fail(tmp): raise RuntimeError("disk full")
>>> write_dir_atomic(d / "model", fail)
Traceback (most recent call last):
...
RuntimeError: disk full
>>> sorted(p.name for p in d.iterdir())
['a.json']
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def write_dir_atomic(out: str | Path, write) -> Path:
    """Call ``write(tmp_dir)`` on a fresh directory beside ``out``, then move it to ``out`` (replacing it)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        write(tmp)
        os.chmod(tmp, 0o755)
        for f in tmp.iterdir():  # mkdtemp and some writers create owner-only files
            if f.is_file():
                os.chmod(f, 0o644)
        if out.exists():
            shutil.rmtree(out)
        os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def write_text_atomic(path: str | Path, content: str) -> Path:
    """Write ``content`` to a temporary file beside ``path``, then rename it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_text(content, encoding="utf-8")
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def write_with_atomic(path: str | Path, write) -> Path:
    """Call ``write(tmp_path)`` on a temporary file beside ``path``, then rename it (for binary writers such as
    Parquet that want a path rather than a string)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def replace_marked_blocks(path: str | Path, blocks: dict, source: str) -> Path:
    """Rewrite each block between ``<!-- name:start (source) -->`` and ``<!-- name:end -->`` of a text file
    with ``blocks[name]`` (a list of lines), atomically: how the training scripts keep the README's figures
    current. A block the file lacks is a ``ValueError`` naming it, and nothing is written.

    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "README.md"
    >>> _ = f.write_text("a\\n<!-- x:start (s.py) -->\\nold\\n<!-- x:end -->\\nb\\n")
    >>> replace_marked_blocks(f, {"x": ["new"]}, "s.py").read_text()
    'a\\n<!-- x:start (s.py) -->\\nnew\\n<!-- x:end -->\\nb\\n'
    """
    path = Path(path)
    text = path.read_text("utf-8")
    for name, lines in blocks.items():
        start, end = f"<!-- {name}:start ({source}) -->", f"<!-- {name}:end -->"
        if start not in text or end not in text:
            raise ValueError(f"{path}: no {start} ... {end} block to replace")
        head, rest = text.split(start, 1)
        text = head + start + "\n" + "\n".join(lines) + "\n" + end + rest.split(end, 1)[1]
    return write_text_atomic(path, text)
