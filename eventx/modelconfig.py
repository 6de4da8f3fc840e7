"""A model directory's config and labels, read without torch (so ONNX runtimes never import it).

>>> read_model_config(Path("no/such/dir"))
Traceback (most recent call last):
...
eventx.errors.ModelError: no/such/dir: no such model directory
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .errors import ModelError
from .labels import LabelSet

FORMAT_VERSION = 1
MAX_DISTANCE = 32
MIN_LENGTH = 4  # tokens per window, <s> and </s> included; fewer leaves no room for text
CONFIG_NAME = "config.json"
WEIGHTS_NAME = "model.safetensors"
LABELS_KEY = "eventx_labels_sha256"  # safetensors metadata: which label lists the head rows belong to


def argument_heads(hidden: int) -> int:
    """Attention heads of the argument layer for an encoder of width ``hidden`` (64 dimensions each where
    the width allows, else 4); not stored in the config, so every builder of that layer asks here.

    >>> argument_heads(384), argument_heads(32)
    (6, 4)
    """
    return max(1, hidden // 64) if hidden % 64 == 0 else 4


def labels_digest(labels: LabelSet) -> str:
    """A hash of the label lists in head-row order, so reordered or foreign labels are detected.

    >>> ls = LabelSet.from_schema({"Meeting": ("participant",)}, ("happened", "planned"))
    >>> labels_digest(ls) == labels_digest(LabelSet.from_schema({"Meeting": ("participant",)}, ("planned", "happened")))
    False
    """
    lists = {"types": list(labels.types), "trigger_labels": labels.trigger_labels,
             "role_labels": labels.role_labels, "statuses": list(labels.statuses),
             "roles_by_type": {t: list(r) for t, r in labels.types.items()}}
    return hashlib.sha256(json.dumps(lists, sort_keys=True, ensure_ascii=True).encode()).hexdigest()


def read_json(path: Path, what: str = "a JSON object"):
    """Parse a JSON file, raising :class:`ModelError` with the file name on any problem."""
    if not path.is_file():
        raise ModelError(path, "missing")
    try:
        value = json.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as e:
        raise ModelError(path, f"not UTF-8 ({e.reason} at byte {e.start})") from None
    except json.JSONDecodeError as e:
        raise ModelError(path, f"invalid JSON ({e.msg} at line {e.lineno} column {e.colno})") from None
    except RecursionError:
        raise ModelError(path, "invalid JSON (nested too deeply)") from None
    except OSError as e:
        raise ModelError(path, f"cannot read ({e.strerror})") from None
    if not isinstance(value, dict):
        raise ModelError(path, f"expected {what}, got a JSON {type(value).__name__}")
    return value


def _labels_from_config(cfg: dict, cfg_file: Path) -> LabelSet:
    d = cfg.get("labels")
    ok = (isinstance(d, dict) and isinstance(d.get("types"), dict) and isinstance(d.get("statuses"), list)
          and all(isinstance(t, str) and isinstance(r, list) and all(isinstance(x, str) for x in r)
                  for t, r in d["types"].items())
          and all(isinstance(s, str) for s in d["statuses"]) and isinstance(d.get("roles", []), list)
          and all(isinstance(x, str) for x in d.get("roles", [])))
    if not ok or not d["types"] or not d["statuses"]:
        raise ModelError(cfg_file, "'labels' must be {'types': {type: [roles]}, 'statuses': [...]} (non-empty)")
    labels = LabelSet.from_dict(d)
    for key in ("trigger_labels", "role_labels"):
        if key in cfg and cfg[key] != getattr(labels, key):
            raise ModelError(cfg_file, f"'{key}' does not match 'labels' (the config was edited by hand?)")
    return labels


def read_model_config(path: Path) -> tuple[dict, LabelSet]:
    """The checked config of the eventx model directory ``path`` and its labels (:class:`ModelError` if bad)."""
    path = Path(path)
    if not path.is_dir():
        raise ModelError(path, "no such model directory")
    cfg_file = path / CONFIG_NAME
    if not cfg_file.is_file():
        raise ModelError(path, f"not an eventx model directory (no {CONFIG_NAME})")
    cfg = read_json(cfg_file, "a JSON object (the model config)")
    if cfg.get("architecture") != "eventx-tagger":
        raise ModelError(cfg_file, f"not an eventx model config (architecture={cfg.get('architecture')!r})")
    version = cfg.get("format_version", 0)
    if not isinstance(version, int) or isinstance(version, bool):
        raise ModelError(cfg_file, f"'format_version' must be an integer, got {version!r}")
    if version > FORMAT_VERSION:
        raise ModelError(cfg_file, f"format version {version} is newer than this eventx "
                                   f"({FORMAT_VERSION}); upgrade eventx")
    enc = cfg.get("encoder")
    if not isinstance(enc, dict) or not isinstance(enc.get("model_type"), str):
        raise ModelError(cfg_file, "'encoder' must be an object with a 'model_type'")
    max_length = cfg.get("max_length")
    positions = enc.get("max_position_embeddings")
    if not isinstance(max_length, int) or isinstance(max_length, bool) or max_length < MIN_LENGTH:
        raise ModelError(cfg_file, f"'max_length' must be an integer >= {MIN_LENGTH}, got {max_length!r}")
    if isinstance(positions, int) and max_length > positions:
        raise ModelError(cfg_file, f"'max_length' {max_length} exceeds the encoder's "
                                   f"max_position_embeddings {positions}")
    return cfg, _labels_from_config(cfg, cfg_file)
