"""eventx: events from multilingual news (Ukrainian, Russian, English).

>>> import eventx
>>> eventx.extract("")
[]

Heavy modules (torch, transformers) load on first use, so ``eventx.data`` and the validator stay light.
"""
from .types import Argument, Event, Span

__version__ = "0.1.0"
__all__ = ["extract", "EventExtractor", "Event", "Argument", "Span", "render", "__version__",
           "extract_html", "Document", "to_frame", "select"]
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
