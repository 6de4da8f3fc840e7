"""eventx: events from multilingual news (Ukrainian, Russian, English).

>>> import eventx
>>> eventx.extract("")
[]

A model directory that is missing, corrupt or does not match its weights raises :class:`ModelError`
(a ``ValueError``) with one line naming the file.

Heavy modules (torch, transformers) load on first use, so ``eventx.data`` and the validator stay light.
"""
from .errors import ModelError
from .normalize import normalize
from .types import ActorValue, AmountValue, Argument, Event, PlaceValue, Span, TimeValue

# eventx.merge is the function, not its module of the same name: the module is pure Python and light, so it
# is imported here once, and then the name is rebound (a lazy import would rebind it back to the module).
from . import merge as _merge_module  # noqa: E402,F401  (registers eventx.merge in sys.modules first)
from .merge import Story, merge  # noqa: E402

__version__ = "0.1.0"
__all__ = ["extract", "EventExtractor", "Event", "Argument", "Span", "render", "normalize", "merge", "Story",
           "ActorValue", "AmountValue", "PlaceValue", "TimeValue", "ModelError", "extract_html", "Document",
           "to_frame", "select", "__version__"]
_LAZY = {"extract_html": "web", "Document": "web", "to_frame": "tables", "select": "active"}


def __getattr__(name):
    if name in ("extract", "EventExtractor"):
        from . import extraction

        return getattr(extraction, name)
    if name in _LAZY:  # optional features: their heavy imports happen inside, on first use
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    if name == "render":
        from .render import render

        return render
    raise AttributeError(f"module 'eventx' has no attribute {name!r}")
