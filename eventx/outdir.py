"""Where training may write: an output directory is replaced only when nothing of the user's is lost.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> check_output_dir(d / "new-model", inputs=[]) == (d / "new-model").resolve()
True
>>> (d / "notes.txt").write_text("mine")
4
>>> check_output_dir(d, inputs=[])  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
ValueError: ... exists and is not an eventx model directory (it holds notes.txt); choose a new or empty directory
"""
from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

from .chars import escape_control

# files a saved model directory may hold; anything else is the user's and must not be deleted
MODEL_FILES = {"config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
               "special_tokens_map.json", "training_args.json", "training_metrics.json", "README.md",
               "evaluation.json", "sentencepiece.bpe.model", "added_tokens.json", "chat_template.jinja"}
CHECKPOINT_PREFIX = ".eventx-best-"


def _is_model_dir(path: Path) -> bool:
    try:
        return json.loads((path / "config.json").read_text("utf-8")).get("architecture") == "eventx-tagger"
    except (OSError, ValueError, AttributeError):
        return False


def check_output_dir(out, inputs) -> Path:
    """``out`` resolved, if training may replace it; else ``ValueError`` saying why.

    Allowed: a missing or empty directory, or an eventx model directory holding only model files.
    Never the current directory, one of its parents, or a directory holding one of ``inputs``.
    """
    out = Path(out).resolve()
    shown = escape_control(str(out))
    cwd = Path.cwd().resolve()
    if out == cwd or out in cwd.parents:
        raise ValueError(f"--out {shown} is the current directory or one of its parents; "
                         "choose a new directory for the model")
    for inp in inputs:
        if inp is None:
            continue
        p = Path(inp).resolve()
        if p == out or out in p.parents:
            raise ValueError(f"--out {shown} holds the input {escape_control(str(inp))}; "
                             "choose another directory for the model")
    if out.exists() and not out.is_dir():
        raise ValueError(f"--out {shown} is a file, not a directory")
    if out.is_dir():
        entries = sorted(p.name for p in out.iterdir())
        if entries and not _is_model_dir(out):
            raise ValueError(f"{shown} exists and is not an eventx model directory (it holds "
                             f"{escape_control(', '.join(entries[:5]))}); choose a new or empty directory")
        extra = [n for n in entries if n not in MODEL_FILES]
        if extra:
            raise ValueError(f"{shown} is an eventx model directory but also holds "
                             f"{escape_control(', '.join(extra[:5]))}; move those away first (they would be "
                             "deleted when the new model replaces it)")
    return out


def checkpoint_dir(out: Path, stale_after_s: float = 6 * 3600) -> Path:
    """A fresh directory for the best checkpoint, beside ``out`` (not in the system temporary folder).

    Checkpoints a killed run left there are removed once they are older than ``stale_after_s``.
    """
    import tempfile

    out.parent.mkdir(parents=True, exist_ok=True)
    now = time.time()
    for old in out.parent.glob(CHECKPOINT_PREFIX + "*"):
        try:
            if old.is_dir() and now - old.stat().st_mtime > stale_after_s:
                shutil.rmtree(old, ignore_errors=True)
        except OSError:
            pass
    path = Path(tempfile.mkdtemp(prefix=CHECKPOINT_PREFIX, dir=out.parent))
    os.utime(path)
    return path
