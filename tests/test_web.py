"""HTML pages: main text, title and date from 20 fixture pages; offsets into the extracted text."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("trafilatura")

from eventx.web import Document, extract_html, looks_like_html, page_text  # noqa: E402

PAGES = Path(__file__).parent / "data" / "html"
MANIFEST = json.loads((PAGES / "pages.json").read_text("utf-8"))


class Recorder:
    """An extractor that records what it is asked to score and finds 'events' on words it is told."""

    def __init__(self, words=()):
        self.seen, self.words = [], words

    def extract(self, text, date=None, min_score=None):
        from eventx.types import Event, Span

        self.seen.append((text, date))
        out = []
        for w in self.words:
            i = text.find(w)
            if i >= 0:
                out.append(Event("Meeting", "happened", 0.9, Span(text[i:i + len(w)], i, i + len(w))))
        return out


def test_twenty_pages_in_three_languages():
    assert len(MANIFEST) == 20 and {m["lang"] for m in MANIFEST} == {"uk", "ru", "en"}


@pytest.mark.parametrize("page", MANIFEST, ids=[m["file"] for m in MANIFEST])
def test_text_title_and_date_of_each_page(page):
    html = (PAGES / page["file"]).read_text("utf-8")
    assert looks_like_html(html)
    doc = page_text(html)
    assert doc.title == page["title"] and doc.date == page["date"]
    assert doc.text.split("\n")[0] == page["title"]  # the headline first, on its own line
    assert doc.text.count(page["first_sentence"]) == 1 and page["last_sentence"] in doc.text
    for junk in page["boilerplate"] + ["Facebook", "Telegram", "©"]:
        assert junk not in doc.text, f"boilerplate kept: {junk!r}"
    assert doc.url == page["url"]


def test_boilerplate_is_never_scored_and_offsets_index_the_text():
    page = next(m for m in MANIFEST if m["file"] == "en-japan-aid.html")
    rec = Recorder(words=["pledged", page["boilerplate"][0]])
    doc = extract_html((PAGES / page["file"]).read_text("utf-8"), extractor=rec)
    assert isinstance(doc, Document) and len(rec.seen) == 1
    scored, date = rec.seen[0]
    assert scored == doc.text and date == "2026-02-25"
    assert all(b not in scored for b in page["boilerplate"])  # related headlines never reach the model
    (ev,) = doc.events
    assert doc.text[ev.trigger.start:ev.trigger.end] == "pledged"


def test_given_date_wins_over_the_page():
    page = MANIFEST[0]
    rec = Recorder()
    doc = extract_html((PAGES / page["file"]).read_text("utf-8"), date="2026-01-01", url="https://x.example/a",
                       extractor=rec)
    assert doc.date == "2026-01-01" and rec.seen[0][1] == "2026-01-01" and doc.url == "https://x.example/a"


def test_published_date_not_modified():
    # site "e" pages carry a much later dateModified in their JSON-LD
    for m in MANIFEST:
        html = (PAGES / m["file"]).read_text("utf-8")
        if '"dateModified": "' + m["date"][:4] + "-12-30" in html:
            assert page_text(html).date == m["date"]
            break
    else:
        pytest.fail("no page with a later dateModified")


def test_bad_inputs_and_detection():
    with pytest.raises(TypeError, match="decode"):
        page_text(b"<html></html>")
    assert not looks_like_html("Japan met Korea. <3 it")
    assert looks_like_html("<div><p>a</p><p>b</p></div>")
    rec = Recorder()
    empty = extract_html("<html><head></head><body></body></html>", extractor=rec)
    assert empty.events == () and empty.text == "" and rec.seen == []  # nothing to score: the model is not called


def test_cli_reads_an_html_page(tmp_path, capsys):
    from eventx.cli import main
    from tiny import tiny_model

    model, tok = tiny_model()
    model_dir = model.save_pretrained(tmp_path / "tiny", tokenizer=tok)
    page = next(m for m in MANIFEST if m["lang"] == "uk")
    assert main(["extract", str(PAGES / page["file"]), "--model", str(model_dir), "--format", "json",
                 "--min-score", "0"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["date"] == page["date"] and out["title"] == page["title"]
    for ev in out["events"]:
        assert out["text"][ev["trigger"]["start"]:ev["trigger"]["end"]] == ev["trigger"]["text"]
