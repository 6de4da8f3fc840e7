"""Tables: DataFrame columns per event and per argument, values, group/story ids, CSV and Parquet."""
from __future__ import annotations

import pytest

pd = pytest.importorskip("pandas")

from eventx.cli import main  # noqa: E402
from eventx.tables import ARGUMENT_COLUMNS, EVENT_COLUMNS, to_frame, write_table  # noqa: E402
from eventx.types import ActorValue, AmountValue, Argument, Event, Span, TimeValue  # noqa: E402

TEXT = "Japan pledged $4.5 billion to Ukraine on Monday."


def _events():
    aid = Event("AidPackage", "happened", 0.93, Span("pledged", 6, 13), (
        Argument("donor", "Japan", 0, 5, 0.9, ActorValue(countries=("JPN",))),
        Argument("amount", "$4.5 billion", 14, 26, 0.8, AmountValue(4.5e9, "USD")),
        Argument("recipient", "Ukraine", 30, 37, 0.85, ActorValue(countries=("UKR",))),
        Argument("time", "on Monday", 38, 47, 0.7, TimeValue("2026-04-06", "2026-04-06", "2026-04-06", "day"))),
        Span(TEXT, 0, 48), group=1, status_score=0.96)
    bare = Event("Meeting", "planned", 0.4, Span("met", 0, 3), (), None, group=2, status_score=0.5)
    return [aid, bare]


def test_one_row_per_event_with_role_columns():
    df = to_frame({"a.txt": _events(), "b.txt": []})
    assert list(df.columns[:len(EVENT_COLUMNS)]) == EVENT_COLUMNS
    assert {"arg_donor", "arg_donor_value", "arg_amount", "arg_time_value"} <= set(df.columns)
    assert len(df) == 2 and list(df["doc_id"]) == ["a.txt", "a.txt"]
    row = df.iloc[0]
    assert (row["type"], row["trigger"], row["trigger_start"], row["trigger_end"]) == ("AidPackage", "pledged", 6, 13)
    assert TEXT[row["trigger_start"]:row["trigger_end"]] == row["trigger"]
    assert row["arg_amount"] == "$4.5 billion" and '"currency": "USD"' in row["arg_amount_value"]
    assert pd.isna(df.iloc[1]["arg_donor"]) and df.iloc[1]["group"] == 2


def test_explode_gives_one_row_per_argument_with_typed_value_columns():
    df = to_frame([_events()], explode=True)
    assert list(df.columns[:len(ARGUMENT_COLUMNS)]) == ARGUMENT_COLUMNS
    assert len(df) == 5  # four arguments, and one row for the event without any
    amount = df[df.role == "amount"].iloc[0]
    assert (amount["value_kind"], amount["value_amount_value"], amount["value_amount_currency"]) == ("amount", 4.5e9, "USD")
    assert df[df.role == "donor"].iloc[0]["value_actor_countries"] == "JPN"
    assert df[df.role == "time"].iloc[0]["value_time_start"] == "2026-04-06"
    assert pd.isna(df[df.type == "Meeting"].iloc[0]["role"])


def test_documents_ids_and_stories():
    from eventx.web import Document

    evs = _events()
    docs = [Document("t", title="t", url="https://example.org/1", events=tuple(evs[:1])),
            Document("u", events=tuple(evs[1:]))]

    class Story:  # what merging produces: an id and the events it holds
        def __init__(self, id, events):
            self.id, self.events = id, events

    df = to_frame(docs, stories=[Story("s1", [docs[0].events[0]])])
    assert list(df.doc_id) == ["https://example.org/1", 1]
    assert list(df.story.fillna("-")) == ["s1", "-"]
    assert list(to_frame(evs, ids=["one"]).doc_id) == ["one", "one"]  # the events of one text


def test_csv_and_parquet_round_trip(tmp_path):
    df = to_frame({"a": _events()}, explode=True)
    back = pd.read_parquet(write_table(df, tmp_path / "t.parquet"))
    assert list(back.columns) == list(df.columns) and back["value_amount_value"].iloc[1] == 4.5e9
    csv = pd.read_csv(write_table(to_frame({"a": _events()}), tmp_path / "t.csv"))
    assert list(csv["trigger"]) == ["pledged", "met"]
    with pytest.raises(ValueError, match="csv or parquet"):
        write_table(df, tmp_path / "t.xlsx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.csv", "t.parquet"]  # no temporary files left


def test_empty_results_still_have_the_columns():
    assert list(to_frame([]).columns) == EVENT_COLUMNS
    assert list(to_frame([[]], explode=True).columns) == ARGUMENT_COLUMNS


def test_missing_pandas_names_the_extra(monkeypatch):
    import builtins

    real = builtins.__import__

    def no_pandas(name, *a, **kw):
        if name == "pandas":
            raise ImportError("No module named 'pandas'")
        return real(name, *a, **kw)

    monkeypatch.setattr(builtins, "__import__", no_pandas)
    with pytest.raises(ImportError, match=r"pip install 'eventx\[pandas\]'"):
        to_frame([])


def test_cli_csv_and_parquet(tmp_path, capsys):
    from tiny import CORPUS, tiny_model

    model, tok = tiny_model()
    model_dir = model.save_pretrained(tmp_path / "tiny", tokenizer=tok)
    src = tmp_path / "a.txt"
    src.write_text("\n".join(CORPUS), encoding="utf-8")
    out = tmp_path / "e.parquet"
    assert main(["extract", str(src), "--model", str(model_dir), "--format", "parquet", "--out", str(out),
                 "--min-score", "0"]) == 0
    df = pd.read_parquet(out)
    assert list(df.columns[:len(EVENT_COLUMNS)]) == EVENT_COLUMNS and set(df.doc_id) <= {str(src)}
    assert main(["extract", str(src), "--model", str(model_dir), "--format", "parquet"]) == 2
    assert "--out" in capsys.readouterr().err
    assert main(["extract", str(src), "--model", str(model_dir), "--format", "csv", "--explode"]) == 0
    assert capsys.readouterr().out.splitlines()[0].startswith("doc_id,event,type,status,trigger")
