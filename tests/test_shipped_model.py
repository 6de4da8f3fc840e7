"""The shipped model: loads offline, finds the sample article's events, round-trips exactly."""
from __future__ import annotations

import threading
from pathlib import Path

import pytest
import torch

import eventx
from eventx.extraction import DEFAULT_MODEL, EventExtractor
from eventx.modeling import EventModel

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not (DEFAULT_MODEL / "config.json").is_file(), reason="shipped model missing")]

SAMPLE = Path(eventx.__file__).parent / "samples" / "article_uk.txt"


@pytest.fixture(scope="module")
def extractor():
    return EventExtractor.from_pretrained(DEFAULT_MODEL, device="cpu")


def test_sample_article_events(extractor):
    text = SAMPLE.read_text(encoding="utf-8")
    events = extractor.extract(text, date="2026-04-08")
    found = {(e.type, e.trigger.text) for e in events}
    assert ("Meeting", "зустрівся") in found
    assert ("Agreement", "підписали") in found
    assert any(t == "AidPackage" for t, _ in found) and any(t == "MechanismJoining" for t, _ in found)
    meeting = next(e for e in events if e.trigger.text == "зустрівся")
    assert meeting.status == "happened"
    assert {a.text for a in meeting.argument("place")} == {"Токіо"}
    assert [a.value.value for a in meeting.argument("time")] == ["2026-04-08"]
    assert {a.value.city for a in meeting.argument("place")} == {"Tokyo"}
    joining = [e for e in events if e.type == "MechanismJoining" and e.trigger.text == "приєднатися"]
    assert joining and joining[0].status == "planned"
    for e in events:
        assert text[e.trigger.start:e.trigger.end] == e.trigger.text
        assert all(text[a.start:a.end] == a.text for a in e.arguments)
    # boilerplate lines produce nothing; the related headline that states an event does
    share = text.index("Поділитися")
    assert not any(share <= e.trigger.start < share + 40 for e in events)
    assert any(e.trigger.text == "приєдналася" and e.type == "MechanismJoining" for e in events)


def test_headline_and_body_share_a_group(extractor):
    text = SAMPLE.read_text(encoding="utf-8")
    agreements = [e for e in extractor.extract(text) if e.type == "Agreement" and e.trigger.text == "підписали"]
    assert len(agreements) == 2, "headline and body both state the signing"
    assert agreements[0].group == agreements[1].group


def test_hard_negatives_give_nothing(extractor):
    for text in ["Президент підписав указ про введення в дію рішення РНБО щодо санкцій.",
                 "Евросоюз утвердил 19-й пакет санкций против России.",
                 "The minister gave an interview to a news agency on Tuesday.",
                 "Читайте також: синоптики прогнозують мокрий сніг у Карпатах"]:
        assert extractor.extract(text) == [], text


def test_save_and_load_round_trip_exactly(tmp_path):
    extractor = EventExtractor.from_pretrained(DEFAULT_MODEL, device="cpu", dtype="float32")
    model = extractor.model
    path = model.save_pretrained(tmp_path / "copy", dtype=torch.float16, tokenizer=extractor.tokenizer)
    again = EventModel.from_pretrained(path)
    a, b = model.state_dict(), again.state_dict()
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a), "fp16 weights survive a round trip"
    text = SAMPLE.read_text(encoding="utf-8")
    assert EventExtractor(again, extractor.tokenizer).extract(text) == extractor.extract(text)


def test_module_level_extract_is_thread_safe():
    text = "Естонія приєдналася до ініціативи PURL."
    results = []
    threads = [threading.Thread(target=lambda: results.append(eventx.extract(text))) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 3 and results[0] == results[1] == results[2] and results[0]
