"""Build the model distribution's wheel from a model directory (at test or CI time; never committed).

    python packaging/build_model_wheel.py --model models/eventx-e5-small --out dist/

The package template (packaging/eventx-model-e5-small) is copied to a temporary directory with the model
files under eventx_model_e5_small/model/, and pip builds the wheel there, so the checkout stays clean.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TEMPLATE = HERE / "eventx-model-e5-small"
# what eventx needs at run time; training records stay in the repository
MODEL_FILES = ("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json")


def build(model: Path, out: Path) -> Path:
    """Build the wheel into ``out`` and return its path."""
    sys.path.insert(0, str(ROOT))
    from eventx.hub import model_card

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="eventx-model-pkg-") as tmp:
        stage = Path(tmp) / "pkg"
        shutil.copytree(TEMPLATE, stage)
        target = stage / "eventx_model_e5_small" / "model"
        target.mkdir()
        for name in MODEL_FILES:
            shutil.copy2(model / name, target / name)
        if (model / "runtimes.json").is_file():  # measured quality per runtime, so runtime="auto" works installed
            shutil.copy2(model / "runtimes.json", target / "runtimes.json")
        card = (model / "README.md").read_text("utf-8") if (model / "README.md").is_file() else None
        (target / "README.md").write_text(model_card(card, name=model.name), "utf-8")
        (stage / "README.md").write_text(model_card(card, name=model.name), "utf-8")
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                        "-w", str(out), str(stage)], check=True)
    wheels = sorted(out.glob("eventx_model_e5_small-*.whl"), key=lambda p: p.stat().st_mtime)
    return wheels[-1]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=str(ROOT / "models" / "eventx-e5-small"))
    ap.add_argument("--out", default=str(ROOT / "dist"))
    a = ap.parse_args(argv)
    wheel = build(Path(a.model), Path(a.out))
    print(f"wrote {wheel} ({wheel.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
