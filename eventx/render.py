"""HTML visualisation of extracted events: triggers shaded, arguments underlined, one colour per type.

The text is split at every span boundary, so overlapping and nested spans are fine: each segment
lists every trigger/argument covering it (``data-m`` ids such as ``e1-t``, ``e2-a0``; details in
``title``). Events are numbered E1, E2, ...; an argument's label names every event and role it
fills, so shared arguments show as e.g. ``E1 participant · E2 party``. All text is escaped.

>>> from eventx.types import Argument, Event, Span
>>> ev = Event("Meeting", "happened", 0.9, Span("met", 5, 8), (Argument("participant", "Kyiv", 0, 4, 0.8),))
>>> out = render("Kyiv met <b>", [ev])
>>> "&lt;b&gt;" in out, "<b>" in out, 'data-m="e1-t"' in out
(True, False, True)
"""
from __future__ import annotations

import hashlib
from html import escape

__all__ = ["render", "render_page", "type_color"]

_HUES = {"Meeting": 212, "Agreement": 140, "AidPackage": 28, "MechanismJoining": 285}

_CSS = """
.eventx{font:16px/1.5 system-ui,"DejaVu Sans",sans-serif;color:#1d1d1f}
.eventx .ex-legend{display:flex;flex-wrap:wrap;gap:6px 14px;align-items:center;font-size:13px;
 margin:0 0 10px;padding:6px 10px;background:#f6f7f9;border:1px solid #e3e5e8;border-radius:6px}
.eventx .ex-sw{display:inline-block;width:12px;height:12px;border-radius:3px;margin-right:5px;vertical-align:-1px}
.eventx .ex-hint{color:#6b7280}
.eventx .ex-text{white-space:pre-wrap;line-height:2.6;font-size:17px}
.eventx .ex-seg{border-radius:3px;padding:1px 0}
.eventx .ex-trg{font-weight:600}
.eventx .ex-neg{text-decoration:line-through}
.eventx .ex-badge,.eventx .ex-role{font-size:11px;font-weight:600;line-height:1;white-space:nowrap;
 user-select:none;margin:0 3px 0 1px}
.eventx .ex-badge{color:#fff;padding:2px 5px;border-radius:8px}
.eventx .ex-role{color:#4b5563}
.eventx .ex-seg.ex-shared{outline:1px dashed #9ca3af;outline-offset:1px}
.eventx .ex-events{font-size:13px;color:#374151;margin:10px 0 0;padding-left:0;list-style:none}
.eventx .ex-events li{margin:2px 0}
"""


def _hue(etype: str) -> int:
    if etype in _HUES:
        return _HUES[etype]
    return int(hashlib.md5(etype.encode("utf-8")).hexdigest()[:8], 16) % 360


def type_color(etype: str, alpha: float | None = None) -> str:
    """CSS colour of an event type; unknown types get a stable colour derived from the name.

    >>> type_color("Meeting"), type_color("Meeting", 0.2)
    ('hsl(212,62%,40%)', 'hsla(212,80%,52%,0.2)')
    >>> type_color("Strike") == type_color("Strike")
    True
    """
    h = _hue(etype)
    return f"hsl({h},62%,40%)" if alpha is None else f"hsla({h},80%,52%,{alpha:g})"


class _Mark:
    __slots__ = ("start", "end", "mid", "n", "event", "role", "score", "value")

    def __init__(self, start, end, mid, n, event, role=None, score=0.0, value=None):
        self.start, self.end, self.mid, self.n, self.event = start, end, mid, n, event
        self.role, self.score, self.value = role, score, value

    def title(self, text: str) -> str:
        ev = self.event
        if self.role is None:
            st = f" ({ev.status_score:.2f})" if ev.status_score else ""
            return f"E{self.n} {ev.type} trigger «{text}»: status {ev.status}{st}, score {ev.score:.2f}"
        val = f" = {self.value}" if self.value else ""
        return f"E{self.n} {ev.type} · {self.role} «{text}»{val}, score {self.score:.2f}"


def _marks(text: str, events) -> list[_Mark]:
    out, n_chars = [], len(text)
    for n, ev in enumerate(events, 1):
        items = [(ev.trigger.start, ev.trigger.end, f"e{n}-t", None, ev.score, None)]
        items += [(a.start, a.end, f"e{n}-a{k}", a.role, a.score, a.value) for k, a in enumerate(ev.arguments)]
        for start, end, mid, role, score, value in items:
            start, end = max(0, start), min(n_chars, end)
            if start < end:
                out.append(_Mark(start, end, mid, n, ev, role, score, value))
    return out


def _segment(seg: str, cov: list[_Mark], text: str) -> str:
    trg = [m for m in cov if m.role is None]
    args = [m for m in cov if m.role is not None]
    cls = ["ex-seg"] + (["ex-trg"] if trg else []) + (["ex-arg"] if args else [])
    if any(m.event.status == "negated" for m in trg):
        cls.append("ex-neg")
    if len({m.n for m in args}) > 1:
        cls.append("ex-shared")
    style = [f"background:{type_color(trg[0].event.type, 0.22) if trg else type_color(args[0].event.type, 0.07)}"]
    if args:
        style.append("box-shadow:" + ",".join(f"inset 0 -{2 * i + 2}px 0 {type_color(m.event.type)}"
                                              for i, m in enumerate(args)))
        style.append(f"padding-bottom:{2 * len(args)}px")
    title = "\n".join(m.title(text[m.start:m.end]) for m in cov)
    return (f'<span class="{" ".join(cls)}" data-m="{" ".join(m.mid for m in cov)}" '
            f'style="{";".join(style)}" title="{escape(title)}">{escape(seg)}</span>')


def _labels(ending: list[_Mark], text: str) -> str:
    out = []
    for start in sorted({m.start for m in ending}, reverse=True):  # inner spans close first
        group = [m for m in ending if m.start == start]
        args = [m for m in group if m.role is not None]
        if args:
            shared = " ex-shared" if len({m.n for m in args}) > 1 else ""
            parts = " · ".join(f'<span style="color:{type_color(m.event.type)}">E{m.n} {escape(m.role)}</span>'
                               for m in args)
            title = escape("\n".join(m.title(text[m.start:m.end]) for m in args))
            out.append(f'<sub class="ex-role{shared}" title="{title}">{parts}</sub>')
        for m in (m for m in group if m.role is None):
            ev = m.event
            out.append(f'<sup class="ex-badge" style="background:{type_color(ev.type)}" '
                       f'title="{escape(m.title(text[m.start:m.end]))}">'
                       f'E{m.n} {escape(ev.type)} · {escape(ev.status)} {ev.score:.2f}</sup>')
    return "".join(out)


def _summary(text: str, events) -> str:
    rows = []
    for n, ev in enumerate(events, 1):
        args = ", ".join(f"{escape(a.role)} «{escape(text[a.start:a.end])}»" for a in ev.arguments)
        rows.append(f'<li><b style="color:{type_color(ev.type)}">E{n} {escape(ev.type)}</b> '
                    f'«{escape(text[ev.trigger.start:ev.trigger.end])}» · {escape(ev.status)} {ev.score:.2f}'
                    f'{" — " + args if args else ""}</li>')
    return f'<ol class="ex-events">{"".join(rows)}</ol>'


def render(text: str, events) -> str:
    """Self-contained HTML fragment (inline ``<style>``, no scripts) highlighting ``events`` in ``text``.

    >>> render("a <i>", [])  # doctest: +ELLIPSIS
    '<div class="eventx"><style>...</style><div class="ex-text">a &lt;i&gt;</div></div>'
    """
    events = list(events)
    marks = _marks(text, events)
    bounds = sorted({0, len(text)} | {m.start for m in marks} | {m.end for m in marks})
    parts = []
    for a, b in zip(bounds, bounds[1:]):
        cov = [m for m in marks if m.start <= a and m.end >= b]
        parts.append(_segment(text[a:b], cov, text) if cov else escape(text[a:b]))
        parts.append(_labels([m for m in marks if m.end == b], text))
    body = f'<div class="ex-text">{"".join(parts)}</div>'
    if not events:
        return f'<div class="eventx"><style>{_CSS}</style>{body}</div>'
    types = list(dict.fromkeys(ev.type for ev in events))
    legend = "".join(f'<span><span class="ex-sw" style="background:{type_color(t)}"></span>{escape(t)}</span>'
                     for t in types)
    legend += '<span class="ex-hint">shaded = trigger · underlined = argument · hover for details</span>'
    return (f'<div class="eventx"><style>{_CSS}</style><div class="ex-legend">{legend}</div>'
            f'{body}{_summary(text, events)}</div>')


def render_page(text: str, events, title: str = "eventx") -> str:
    """A full HTML5 document around :func:`render`.

    >>> render_page("Hi", [], title="<x>").startswith("<!DOCTYPE html>")
    True
    """
    return ('<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<title>{escape(title)}</title>\n'
            '<style>body{margin:16px 20px;background:#fff;max-width:960px}</style>\n</head>\n<body>\n'
            f'{render(text, events)}\n</body>\n</html>\n')
