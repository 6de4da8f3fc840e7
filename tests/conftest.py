"""Shared test setup: no network, the ``slow`` marker, small helpers."""
from __future__ import annotations

import os
import sys
from pathlib import Path

# Never touch the network: everything the tests load is local.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: needs the real base encoder (builds it, ~30 s); "
                                       "deselect with -m 'not slow'")
