"""Model names: a local directory, an installed model package, or a Hugging Face Hub repo id.

``EventExtractor.from_pretrained(name_or_path)`` resolves its argument here, in this order:

1. an existing directory (``models/eventx-e5-small``, ``./my-model``);
2. the name of an installed model: a distribution that declares an ``eventx.models`` entry point, for
   example ``pip install eventx-model-e5-small`` gives ``"eventx-e5-small"``;
3. a Hub repo id (``owner/name``) through ``huggingface_hub``: from its local cache first, then from the
   network when there is one. Offline, the error says what to install instead.

``None`` means the default model: the checkout's ``models/eventx-e5-small`` in a development install,
else the installed ``eventx-e5-small`` package.

>>> resolve_model("no-such-model")
Traceback (most recent call last):
...
eventx.hub.ModelNotFoundError: no-such-model: no such model directory; it is not a directory, an installed eventx model (installed: none) or a Hub repo id (owner/name). Install the shipped model with: pip install eventx-model-e5-small
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from .chars import escape_control
from .errors import ModelError

ENTRY_POINT_GROUP = "eventx.models"
DEFAULT_NAME = "eventx-e5-small"
DEFAULT_PACKAGE = "eventx-model-e5-small"
CHECKOUT_MODEL = Path(__file__).resolve().parent.parent / "models" / DEFAULT_NAME
_REPO_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")
INSTALL_HINT = f"Install the shipped model with: pip install {DEFAULT_PACKAGE}"

# the metadata header the Hub reads from a model card (README.md)
CARD_HEADER = """---
library_name: eventx
language: [uk, ru, en]
license: mit
pipeline_tag: token-classification
tags: [event-extraction, eventx]
base_model: intfloat/multilingual-e5-small
---
"""


class ModelNotFoundError(ModelError):
    """No model under that name or path; the message says what was tried and what to install.

    A :class:`eventx.ModelError` (so one ``except`` catches every unusable model), with a one-line message."""

    def __init__(self, message: str):
        ValueError.__init__(self, escape_control(str(message)))
        self.path, self.problem = None, str(message)


def installed_models() -> dict[str, Path]:
    """Installed model packages by name: ``{"eventx-e5-small": Path(...)}``.

    Each ``eventx.models`` entry point names a function that returns the package's model directory.
    """
    from importlib.metadata import entry_points

    found = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            found[ep.name] = Path(ep.load()())
        except Exception:  # a broken model package must not hide the others
            continue
    return found


def _is_model_dir(path: Path) -> bool:
    return (path / "config.json").is_file()


def _offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes", "on")


def _from_hub(repo_id: str) -> Path:
    try:
        from huggingface_hub import snapshot_download
    except ImportError:
        raise ModelNotFoundError(f"{repo_id!r} looks like a Hub repo id, but huggingface_hub is not installed "
                                 f"(pip install huggingface_hub). {INSTALL_HINT}") from None
    try:  # the local cache first: no network needed for a model downloaded before
        return Path(snapshot_download(repo_id, local_files_only=True))
    except Exception:
        pass
    if _offline():
        raise ModelNotFoundError(f"{repo_id!r} is not in the local Hugging Face cache and HF_HUB_OFFLINE is set, "
                                 f"so it cannot be downloaded. {INSTALL_HINT}, or pass a model directory.")
    try:
        return Path(snapshot_download(repo_id))
    except Exception as e:
        raise ModelNotFoundError(f"{repo_id!r}: could not download from the Hugging Face Hub "
                                 f"({type(e).__name__}: {e}). Offline? {INSTALL_HINT}, or pass a model "
                                 f"directory.") from None


def resolve_model(name_or_path=None) -> Path:
    """The directory of a model given by path, installed name or Hub repo id (see the module doc)."""
    if name_or_path is None or str(name_or_path) == DEFAULT_NAME:
        if _is_model_dir(CHECKOUT_MODEL):
            return CHECKOUT_MODEL
        models = installed_models()
        if DEFAULT_NAME in models:
            return models[DEFAULT_NAME]
        raise ModelNotFoundError(f"the default model {DEFAULT_NAME!r} is not installed. {INSTALL_HINT}")
    path = Path(name_or_path).expanduser()
    if path.is_dir():
        if not _is_model_dir(path):
            raise ModelNotFoundError(f"{path}: not an eventx model directory (no config.json)")
        return path
    name = str(name_or_path)
    models = installed_models()
    if name in models:
        return models[name]
    if _REPO_ID.match(name) and not path.parent.exists():
        return _from_hub(name)
    listed = ", ".join(sorted(models)) or "none"
    raise ModelNotFoundError(f"{name}: no such model directory; it is not a directory, an installed eventx model "
                             f"(installed: {listed}) or a Hub repo id (owner/name). {INSTALL_HINT}")


def model_card(body: str | None = None, name: str = "eventx model") -> str:
    """A model card (README.md) with the Hub's metadata header; an existing header is kept as is.

    >>> model_card("# x\\n").splitlines()[:2]
    ['---', 'library_name: eventx']
    >>> model_card(model_card("# x\\n")).count("library_name")
    1
    """
    body = body if body is not None else (
        f"# {name}\n\nAn eventx event-extraction model (`pip install eventx`).\n\n"
        "```python\nfrom eventx import EventExtractor\nex = EventExtractor.from_pretrained(\"DIR_OR_REPO_ID\")\n"
        "ex.extract(\"Japan joined the PURL initiative on Monday.\")\n```\n")
    return body if body.startswith("---\n") else CARD_HEADER + "\n" + body
