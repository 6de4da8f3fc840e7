"""Train an eventx model from a JSON config (the one that built the shipped model is in configs/).

    python training/train.py --config training/configs/eventx-e5-small.json
    python training/train.py --config training/configs/eventx-e5-small.json --epochs 2 --output_dir runs/try
    accelerate launch training/train.py --config ...        # several GPUs

Every option of :class:`eventx.training.TrainingArguments` can be given in the config or as a flag (flags
win). The resolved arguments are saved next to the model as ``training_args.json``, the per-epoch dev
metrics as ``training_metrics.json``.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from eventx.data import DataError  # noqa: E402
from eventx.training import TrainingArguments, arguments_from_dict, train  # noqa: E402


def parse(argv=None) -> TrainingArguments:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", type=Path, help="JSON file with TrainingArguments fields")
    for f in dataclasses.fields(TrainingArguments):
        kind = {"int": int, "float": float}.get(str(f.type), str)
        if str(f.type) == "bool":
            ap.add_argument(f"--{f.name}", action=argparse.BooleanOptionalAction, default=None,
                            help=f.metadata.get("help"))
        else:
            ap.add_argument(f"--{f.name}", type=kind, default=None, help=f.metadata.get("help"))
    a = ap.parse_args(argv)
    cfg = json.loads(a.config.read_text("utf-8")) if a.config else {}
    cfg.update({k: v for k, v in vars(a).items() if k != "config" and v is not None})
    try:
        return arguments_from_dict(cfg)
    except (TypeError, ValueError) as e:
        ap.error(str(e))


def main(argv=None) -> int:
    args = parse(argv)
    try:
        result = train(args)
    except DataError as e:
        print(e, file=sys.stderr)
        return 1
    print(json.dumps({k: v for k, v in result.items() if k != "history"}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
