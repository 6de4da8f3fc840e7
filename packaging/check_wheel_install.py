"""Build both wheels, install them into a fresh virtual environment outside the checkout, and run
``eventx extract`` there on the bundled sample, offline. Run by .ci/run; exits non-zero on any failure.

    python packaging/check_wheel_install.py [--keep DIR]

This proves what an editable checkout cannot: that the library wheel carries its package data, and that
the model distribution is found by name through its entry point, with no path into the repository.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from build_model_wheel import build as build_model_wheel  # noqa: E402


def run(cmd, **kw):
    print("+", " ".join(map(str, cmd)), flush=True)
    return subprocess.run([str(c) for c in cmd], check=True, **kw)


def build_library_wheel(out: Path) -> Path:
    """``pip wheel`` on a copy of the sources, so no build/ or egg-info appears in the checkout."""
    with tempfile.TemporaryDirectory(prefix="eventx-src-") as tmp:
        src = Path(tmp) / "eventx-src"
        src.mkdir()
        for name in ("pyproject.toml", "README.md"):
            shutil.copy2(ROOT / name, src / name)
        shutil.copytree(ROOT / "eventx", src / "eventx", ignore=shutil.ignore_patterns("__pycache__"))
        run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", out, src])
    return next(out.glob("eventx-*.whl"))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--keep", help="work here and keep it (default: a temporary directory, removed)")
    ap.add_argument("--torch", default=os.environ.get("EVENTX_TORCH", "torch==2.13.0"),
                    help="torch requirement installed first, so pip takes the machine's CPU build")
    a = ap.parse_args(argv)
    work = Path(a.keep) if a.keep else Path(tempfile.mkdtemp(prefix="eventx-wheel-check-"))
    t0 = time.time()
    try:
        dist = work / "dist"
        dist.mkdir(parents=True, exist_ok=True)
        lib = build_library_wheel(dist)
        model = build_model_wheel(ROOT / "models" / "eventx-e5-small", dist)
        sizes = {p.name: round(p.stat().st_size / 1e6, 2) for p in (lib, model)}
        print(f"wheels: {sizes}", flush=True)
        venv = work / "venv"
        run([sys.executable, "-m", "venv", venv])
        py = venv / "bin" / "python"
        run([py, "-m", "pip", "install", "-q", a.torch])
        # by file: the name 'eventx' on the public index belongs to an unrelated project
        run([py, "-m", "pip", "install", "-q", lib, model])
        cwd = work / "elsewhere"
        cwd.mkdir(exist_ok=True)
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
        env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", PYTHONNOUSERSITE="1")
        where = subprocess.run([py, "-c", "import eventx, eventx.hub as h, os; print(eventx.__file__); "
                                "print(h.resolve_model()); "
                                "print(os.path.join(os.path.dirname(eventx.__file__), 'samples', 'article_uk.txt'))"],
                               cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout.split("\n")
        pkg, model_dir, sample = where[0], where[1], where[2]
        for p in (pkg, model_dir):
            if not p.startswith(str(venv)):
                raise SystemExit(f"not from the fresh environment: {p}")
        out = subprocess.run([venv / "bin" / "eventx", "extract", sample, "--date", "2026-04-08", "--format", "json"],
                             cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout
        events = json.loads(out)["events"]
        if not events:
            raise SystemExit("eventx extract found no event in the sample")
        text = Path(sample).read_text("utf-8")
        for ev in events:
            assert text[ev["trigger"]["start"]:ev["trigger"]["end"]] == ev["trigger"]["text"]
        print(f"wheel install check passed: {len(events)} events from {sample} with the model at {model_dir} "
              f"({time.time() - t0:.0f} s)", flush=True)
        return 0
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
