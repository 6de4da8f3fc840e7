"""Web pages in: the article's main text, title and date from raw HTML, then its events.

The main text comes from ``trafilatura`` (menus, share buttons, related lists, comments and footers are
dropped, so they are never scored). The title is put first, on a line of its own, because headlines state
events too; every offset is an index into ``Document.text``, end-exclusive, as everywhere in eventx.
The publication date comes from the page's metadata (JSON-LD ``datePublished``, ``article:published_time``,
microdata, ``<time>``) unless ``date`` is given, and anchors relative times ("у вівторок").

>>> page = "<html><head><title>T</title></head><body><article><h1>Japan joins PURL</h1>" \\
...        "<p>Japan joined the PURL initiative on Monday, the ministry said in Tokyo.</p></article></body></html>"
>>> doc = page_text(page)                                          # doctest: +SKIP
>>> doc.title, doc.text                                            # doctest: +SKIP
('Japan joins PURL', 'Japan joins PURL\\n\\nJapan joined the PURL initiative on Monday, the ministry said in Tokyo.')
>>> looks_like_html("<!DOCTYPE html><html>"), looks_like_html("Japan joined PURL.")
(True, False)
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field

_HTML_START = re.compile(r"^\s*(?:\ufeff)?\s*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<!--)", re.I)
_HTML_TAGS = re.compile(r"<(?:p|div|article|main|span|br|h1|h2|a)[\s>/]", re.I)
HTML_EXTRA = "HTML input needs trafilatura: pip install 'eventx[html]'"


@dataclass(frozen=True)
class Document:
    """A web page read by :func:`extract_html`: the text that was scored, its title, ISO date, url and events.

    Event offsets index ``text``; ``text[:len(title)] == title`` when the page has a title.
    """

    text: str
    title: str | None = None
    date: str | None = None
    url: str | None = None
    events: tuple = field(default=(), compare=True)

    def to_dict(self) -> dict:
        return {"url": self.url, "title": self.title, "date": self.date, "text": self.text,
                "events": [ev.to_dict() for ev in self.events]}


def looks_like_html(text: str) -> bool:
    """True for an HTML page or fragment (by content, not by file name)."""
    if _HTML_START.match(text):
        return True
    head = text[:2000]
    return len(_HTML_TAGS.findall(head)) >= 3


def _iso_date(value) -> str | None:
    if not value:
        return None
    m = re.match(r"\s*(\d{4}-\d{2}-\d{2})", str(value))
    if not m:
        return None
    try:
        return _dt.date.fromisoformat(m.group(1)).isoformat()
    except ValueError:
        return None


def page_text(html: str, *, url: str | None = None, date=None) -> Document:
    """The main text, title and date of a page, without events (no model needed)."""
    if isinstance(html, (bytes, bytearray)):
        raise TypeError("html is bytes; decode it first, e.g. data.decode('utf-8')")
    if not isinstance(html, str):
        raise TypeError(f"html must be a str, got {type(html).__name__}")
    try:
        import trafilatura
    except ImportError as e:
        raise ImportError(f"{HTML_EXTRA} ({e})") from None
    # the published date, never the modified one: relative times in the text refer to publication
    got = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                      include_tables=False, favor_precision=True, deduplicate=False,
                                      date_extraction_params={"original_date": True, "extensive_search": False})
    body = (getattr(got, "text", None) or "").strip() if got is not None else ""
    title = ((getattr(got, "title", None) or "").strip() or None) if got is not None else None
    if title:
        title = " ".join(title.split())
    if date is None and got is not None:
        date = _iso_date(getattr(got, "date", None))
    elif date is not None:
        from .extraction import _parse_date

        date = _parse_date(date).isoformat()
    if url is None and got is not None:
        url = getattr(got, "url", None) or None
    # the headline first, on its own line, unless the extracted body already starts with it
    if title and body.split("\n", 1)[0].strip() != title:
        text = title + ("\n\n" + body if body else "")
    else:
        text = body
    return Document(text=text, title=title, date=date, url=url)


def extract_html(html: str, *, url: str | None = None, date=None, extractor=None,
                 min_score: float | None = None) -> Document:
    """Events of a raw HTML page, as a :class:`Document` (offsets into ``Document.text``).

    >>> import eventx
    >>> doc = eventx.extract_html(open("tests/data/html/en-japan-aid.html").read())   # doctest: +SKIP
    >>> doc.date, doc.events[0].type                                                  # doctest: +SKIP
    ('2026-02-25', 'AidPackage')
    """
    from dataclasses import replace

    doc = page_text(html, url=url, date=date)
    if not doc.text.strip():
        return doc
    if extractor is None:
        from .extraction import default_extractor

        extractor = default_extractor()
    events = extractor.extract(doc.text, date=doc.date, min_score=min_score)
    return replace(doc, events=tuple(events))
