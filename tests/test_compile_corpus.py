"""training/compile_corpus.py: the inline markup parser and the corpus compiler."""
from __future__ import annotations

import hashlib
import importlib.util
import json

import pytest

from conftest import ROOT
from eventx.data import check_item, load

_spec = importlib.util.spec_from_file_location("compile_corpus", ROOT / "training" / "compile_corpus.py")
cc = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cc)
parse, MarkupError = cc.parse, cc.MarkupError


def spans_of(text, events):
    """Events with span texts, for readable assertions."""
    for ev in events:
        for span in [ev["trigger"], *ev["arguments"]]:
            assert text[span["start"]:span["end"]] == span["text"]
    return [(ev["type"], ev["status"], ev["trigger"]["text"], [(a["role"], a["text"]) for a in ev["arguments"]])
            for ev in events]


def test_simple_item():
    text, events = parse("[Japan|joiner] [joined|MechanismJoining.happened] [PURL|mechanism].")
    assert text == "Japan joined PURL."
    assert events == [{"type": "MechanismJoining", "status": "happened",
                       "trigger": {"start": 6, "end": 12, "text": "joined"},
                       "arguments": [{"role": "joiner", "start": 0, "end": 5, "text": "Japan"},
                                     {"role": "mechanism", "start": 13, "end": 17, "text": "PURL"}]}]
    assert check_item({"id": "x", "text": text, "events": events}) == []


def test_plain_text_and_no_events():
    assert parse("Президент підписав указ.") == ("Президент підписав указ.", [])
    assert parse("") == ("", [])


def test_nesting():
    text, events = parse("[The [Japanese|participant#2] government|donor] [pledged|AidPackage.happened] aid "
                         "after [talks|Meeting.happened#2] in [[Tokyo|place#2] city|place#2].")
    assert text == "The Japanese government pledged aid after talks in Tokyo city."
    assert spans_of(text, events) == [
        ("AidPackage", "happened", "pledged", [("donor", "The Japanese government")]),
        # same start and role: inner spans close first, so they come first
        ("Meeting", "happened", "talks", [("participant", "Japanese"), ("place", "Tokyo"),
                                          ("place", "Tokyo city")]),
    ]
    assert events[1]["arguments"][0] == {"role": "participant", "start": 4, "end": 12, "text": "Japanese"}


def test_shared_arguments_and_event_order():
    line = ("[Україна|party#1,participant#2] і [Польща|party#1,participant#2] [підписали|Agreement.happened#1] "
            "[меморандум|subject#1] після [переговорів|Meeting.happened#2] у [Варшаві|place#1, place#2].")
    text, events = parse(line)
    assert text == "Україна і Польща підписали меморандум після переговорів у Варшаві."
    assert spans_of(text, events) == [
        ("Agreement", "happened", "підписали", [("party", "Україна"), ("party", "Польща"),
                                                ("subject", "меморандум"), ("place", "Варшаві")]),
        ("Meeting", "happened", "переговорів", [("participant", "Україна"), ("participant", "Польща"),
                                                ("place", "Варшаві")]),
    ]
    # the same span objects are equal, so shared arguments share offsets
    assert events[0]["arguments"][0]["start"] == events[1]["arguments"][0]["start"] == 0


def test_events_sorted_by_trigger_and_arguments_by_position():
    text, events = parse("[talks|Meeting.planned#2] [Kyiv|place#2], then [Japan|participant#2,joiner#7] "
                         "[joined|MechanismJoining.possible#7]")
    assert [e["type"] for e in events] == ["Meeting", "MechanismJoining"]
    assert [a["role"] for a in events[0]["arguments"]] == ["place", "participant"]
    assert events[1]["status"] == "possible"


def test_escapes():
    text, events = parse(r"[Japan|joiner] [joined|MechanismJoining.happened] [\[PURL\]|mechanism] a\|b c\\d")
    assert text == r"Japan joined [PURL] a|b c\d"
    assert spans_of(text, events)[0][3] == [("joiner", "Japan"), ("mechanism", "[PURL]")]
    assert events[0]["arguments"][1]["start"] == 13 and events[0]["arguments"][1]["end"] == 19
    # a backslash before anything else is literal
    assert parse(r"a\b \n")[0] == r"a\b \n"


@pytest.mark.parametrize("line,message", [
    ("Japan] joined", r"column 6: stray '\]'"),
    ("[Japan|joiner] joined] x", r"column 22: stray '\]'"),
    ("a|b", r"column 2: stray '\|'"),
    ("[Japan joined", r"1 '\[' never closed"),
    ("[[Japan joined|joiner]", r"1 '\[' never closed"),
    ("[Japan|joiner", r"column 7: '\|' with no closing '\]'"),
    ("[Japan|Joiner] [joined|MechanismJoining.happened]", r"bad label 'Joiner' on span 'Japan'"),
    ("[joined|MechanismJoining]", r"bad label 'MechanismJoining' on span 'joined'"),
    ("[joined|MechanismJoining.Happened]", r"bad label"),
    ("[joined|meeting.happened]", r"bad label"),
    ("[Japan|joiner#x] [joined|MechanismJoining.happened]", r"bad label 'joiner#x'"),
    ("[Japan|] [joined|MechanismJoining.happened]", r"bad label '' on span 'Japan'"),
    ("[Japan|joiner] joined", r"arguments for event #1 \('Japan'\) but no trigger"),
    ("[Japan|joiner#2] [joined|MechanismJoining.happened]", r"arguments for event #2 \('Japan'\) but no trigger"),
    ("[met|Meeting.happened] and [signed|Agreement.happened]", r"two triggers for event #1: 'met' and 'signed'"),
    ("[met|Meeting.happened#3] [signed|Agreement.happened#3]", r"two triggers for event #3"),
    ("[Japan |joiner] [joined|MechanismJoining.happened]", r"span 'Japan ' has whitespace at its edge"),
    ("[ Japan|joiner] [joined|MechanismJoining.happened]", r"span ' Japan' has whitespace at its edge"),
    ("[ |joiner] [joined|MechanismJoining.happened]", r"empty span labelled 'joiner'"),
    ("[|joiner] [joined|MechanismJoining.happened]", r"empty span labelled 'joiner'"),
])
def test_markup_errors(line, message):
    with pytest.raises(MarkupError, match=message):
        parse(line)


def test_markup_error_is_a_value_error():
    assert issubclass(MarkupError, ValueError)


# ---------------------------------------------------------------- read_source / main

def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_read_source_items_ids_and_errors_with_line_numbers(tmp_path):
    p = write(tmp_path / "en_x.txt", "\n".join([
        "# lang: en",                                                         # 1
        "# a comment",                                                        # 2
        "[Japan|joiner] [joined|MechanismJoining.happened] [PURL|mechanism].",  # 3
        "",                                                                   # 4
        "Japan] joined",                                                      # 5 markup error
        "[Japan|participant] [met|Meeting.rumoured] [Kyiv|donor].",           # 6 two check_item errors
        "   # indented comment",                                              # 7
        "No events here.",                                                    # 8
    ]) + "\n")
    items, errors = cc.read_source(p)
    assert [it["id"] for it in items] == ["en_x-0003", "en_x-0008"]
    assert all(it["lang"] == "en" for it in items)
    assert items[1] == {"id": "en_x-0008", "lang": "en", "text": "No events here.", "events": []}
    assert errors == [
        f"{p}:5: column 6: stray ']' (escape it as '\\]')",
        f"{p}:6: events[0].status: unknown status 'rumoured' (known: happened, planned, possible, negated)",
        f"{p}:6: events[0].arguments[1].role: role 'donor' is not allowed for Meeting "
        "(allowed: participant, place, time, topic)",
    ]


def test_read_source_missing_lang_header(tmp_path):
    p = write(tmp_path / "x.txt", "Plain text.\n")
    items, errors = cc.read_source(p)
    # the header error, then the item itself fails validation (lang must be a string)
    assert errors == [f"{p}:1: missing '# lang: xx' header", f"{p}:1: field 'lang': expected str"]
    assert items == []


def test_read_source_article_is_one_item(tmp_path):
    p = write(tmp_path / "articles" / "a1.txt",
              "# lang: uk\n# id: article-1\nМеню   Новини\n\n[Японія|joiner] [приєдналася|MechanismJoining.happened] "
              "до [PURL|mechanism].\n#hashtag\n")
    items, errors = cc.read_source(p)
    assert errors == []
    assert len(items) == 1
    it = items[0]
    assert it["text"] == "Меню   Новини\n\nЯпонія приєдналася до PURL.\n#hashtag"
    assert it["lang"] == "uk"
    assert spans_of(it["text"], it["events"]) == [("MechanismJoining", "happened", "приєдналася",
                                                   [("joiner", "Японія"), ("mechanism", "PURL")])]


def test_article_errors_name_the_line(tmp_path):
    p = write(tmp_path / "articles" / "a1.txt",
              "# lang: en\n# id: a\nMenu\nFirst paragraph.\n[Japan|joiner] joined ] PURL.\n")
    _, errors = cc.read_source(p)
    assert len(errors) == 1 and errors[0].startswith(f"{p}:5: ")


def test_is_dev_is_a_stable_hash():
    for text in ["a", "Japan joined PURL.", "Україна"]:
        expected = int(hashlib.sha1(text.encode()).hexdigest(), 16) % 10 == 0
        assert cc.is_dev({"text": text}) is expected
    share = sum(cc.is_dev({"text": f"item {i}"}) for i in range(2000)) / 2000
    assert 0.07 < share < 0.13


def _corpus(tmp_path):
    src = tmp_path / "src"
    lines = [f"[Country{i}|joiner] [joined|MechanismJoining.happened] [PURL|mechanism] on day {i}."
             for i in range(40)]
    write(src / "en_a.txt", "# lang: en\n" + "\n".join(lines) + "\n")
    write(src / "test_en.txt", "# lang: en\n[Japan|participant] [met|Meeting.happened] [Estonia|participant].\n")
    write(src / "articles" / "en_1.txt", "# lang: en\n# id: x\nHeader\n[Japan|joiner] [joined|MechanismJoining.planned] "
                                         "[PURL|mechanism].\n")
    write(src / "test_hard_en.txt", "# lang: en\nThe minister toured the shipyard in Gdansk.\n")
    write(src / "train_articles" / "en_1.txt", "# lang: en\n# id: train-x\nMenu\n[Peru|joiner] "
                                               "[joined|MechanismJoining.happened] [PURL|mechanism]. It rained.\n")
    return src


def test_main_writes_the_splits(tmp_path, capsys):
    src, out = _corpus(tmp_path), tmp_path / "out"
    out.mkdir()
    assert cc.main(["--src", str(src), "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["articles.jsonl", "dev.jsonl", "test.jsonl",
                                                     "test_hard.jsonl", "train.jsonl"]
    train, dev = load(out / "train.jsonl"), load(out / "dev.jsonl")
    test, articles = load(out / "test.jsonl"), load(out / "articles.jsonl")
    assert [it["text"] for it in load(out / "test_hard.jsonl")] == ["The minister toured the shipyard in Gdansk."]
    assert len(train) + len(dev) == 41
    page = next(it for it in train + dev if it["id"] == "train-x")  # a training article stays one item
    assert page["text"].startswith("Menu\n") and page["events"][0]["trigger"]["text"] == "joined"
    assert all(cc.is_dev(it) for it in dev) and not any(cc.is_dev(it) for it in train)
    assert [it["id"] for it in test] == ["test_en-0002"]
    assert [it["id"] for it in articles] == ["x"]  # the article's "# id:" header
    assert articles[0]["text"].startswith("Header\n")
    assert "train: " in capsys.readouterr().out


def test_main_refuses_train_test_overlap_and_writes_nothing(tmp_path, capsys):
    src, out = _corpus(tmp_path), tmp_path / "out"
    out.mkdir()
    write(src / "test_en2.txt", "# lang: en\n[Country3|joiner] [joined|MechanismJoining.happened] [PURL|mechanism] "
                                "on day 3.\n")
    assert cc.main(["--src", str(src), "--out", str(out)]) == 1
    assert list(out.iterdir()) == []
    err = capsys.readouterr().err
    assert "repeats the text of en_a-0005 across train and test" in err
    assert "1 error(s); nothing written" in err


def test_main_check_mode_prints_counts(tmp_path, capsys):
    src = _corpus(tmp_path)
    assert cc.main(["--check", str(src / "test_en.txt")]) == 0
    counts = json.loads(capsys.readouterr().out)
    assert counts["items"] == 1 and counts["type"] == {"Meeting": 1}
    bad = write(tmp_path / "bad.txt", "# lang: en\n[x|joiner]\n")
    assert cc.main(["--check", str(bad)]) == 1
    assert f"{bad}:2: arguments for event #1" in capsys.readouterr().err


def test_shipped_sources_compile_without_errors(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    assert cc.main(["--out", str(out)]) == 0, capsys.readouterr().err
    splits = {name: load(out / f"{name}.jsonl") for name in ("train", "dev", "test", "test_hard", "articles")}
    assert all(splits.values())
    train_texts = {it["text"] for it in splits["train"] + splits["dev"]}
    assert not train_texts & {it["text"] for it in splits["test"] + splits["test_hard"]}


def test_module_doctests():
    import doctest

    assert doctest.testmod(cc).failed == 0
