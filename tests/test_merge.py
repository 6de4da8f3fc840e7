"""merge() and in-document grouping on hand-made events with values (no model)."""
from __future__ import annotations

import random

import pytest

import eventx
from eventx.extraction import assign_groups
from eventx.merge import Story, _Profile, cluster, group_events, merge
from eventx.mergekeys import stems
from eventx.types import ActorValue, AmountValue, Argument, Event, PlaceValue, Span, TimeValue


def A(role, text, value=None):
    return Argument(role, text, 0, len(text), 0.9, value)


def C(*codes, role=None):
    return ActorValue(countries=tuple(codes), role=role)


def ev(type_, *args, status="happened", score=0.9, sentence=0):
    return Event(type_, status, score, Span("x", sentence, sentence + 1), tuple(args),
                 Span("s", sentence, sentence + 10), status_score=0.8)


def day(d):
    return TimeValue(value=d, start=d, end=d, granularity="day")


def stories_of(stories):
    """Each story as a sorted tuple of (doc, index)."""
    return sorted(tuple(sorted((m.doc, m.index) for m in s.mentions)) for s in stories)


# ------------------------------------------------------------------------------ issue 16, item 8
def test_shared_actor_stem_does_not_merge_different_meetings_in_one_document():
    events = [ev("Meeting", A("participant", "Japan"), A("participant", "Ukraine"), A("place", "Tokyo"),
                 A("time", "on Monday"), sentence=0),
              ev("Meeting", A("participant", "Germany"), A("participant", "Ukraine"), A("place", "Berlin"),
                 A("time", "on Friday"), sentence=20)]
    assert [e.group for e in assign_groups(events)] == [1, 2]
    assert [e.group for e in assign_groups(events, "2026-04-08")] == [1, 2]


def test_shared_actor_does_not_merge_with_values_either():
    tokyo, berlin = PlaceValue(country="JPN", city="Tokyo"), PlaceValue(country="DEU", city="Berlin")
    events = [ev("Meeting", A("participant", "Japan", C("JPN")), A("participant", "Ukraine", C("UKR")),
                 A("place", "Tokyo", tokyo), A("time", "on Monday", day("2026-04-06"))),
              ev("Meeting", A("participant", "Germany", C("DEU")), A("participant", "Ukraine", C("UKR")),
                 A("place", "Berlin", berlin), A("time", "on Friday", day("2026-04-10")), sentence=20),
              # a sparse restatement belongs to the story it fits, and does not bridge the two
              ev("Meeting", A("participant", "Ukraine", C("UKR")), A("place", "Berlin", berlin), sentence=40)]
    assert group_events(events) == [1, 2, 2]


def test_restatements_share_a_group_inflected_and_in_other_scripts():
    events = [ev("Agreement", A("party", "Україна"), A("party", "Японія"), sentence=0),
              ev("Agreement", A("party", "Японії"), sentence=20),            # inflected: same stem
              ev("Agreement", A("party", "Японии"), sentence=40),            # Russian spelling: same stem
              ev("Agreement", A("party", "Франція"), sentence=60),           # another party
              ev("Meeting", A("participant", "Японії"), sentence=80)]        # another type
    assert group_events(events) == [1, 1, 1, 4, 5]


def test_a_mention_without_actors_joins_the_nearest_story_of_its_document():
    events = [ev("Meeting", A("participant", "Сибіга"), A("participant", "Іваєю"), sentence=0),
              ev("Meeting", A("participant", "Сторони"), A("topic", "енергетичну безпеку"), sentence=20)]
    assert group_events(events) == [1, 1]
    assert stems("Сторони") == ()


# ------------------------------------------------------------------------------ across documents
def meeting(*codes, time=None, status="happened", place=None):
    args = [A("participant", c, C(c)) for c in codes]
    if time:
        args.append(A("time", time, time))  # extract() today: ISO strings from eventx.timex
    if place:
        args.append(A("place", place, PlaceValue(city=place)))
    return ev("Meeting", *args, status=status)


def test_planned_next_week_and_held_eight_days_later_is_one_story_with_its_status_change():
    results = [[meeting("UKR", "JPN", time="2026-W16", status="planned")],   # 8 April: "next week"
               [meeting("JPN", "UKR", time="2026-04-16")],                  # 16 April: "today"
               [meeting("UKR", "JPN")]]                                      # 16 April, no time stated
    stories = merge(results, ids=["uk", "ru", "en"], dates=["2026-04-08", "2026-04-16", "2026-04-16"])
    assert len(stories) == 1
    s = stories[0]
    assert isinstance(s, Story) and s.sources == ("uk", "ru", "en")
    assert s.status == "happened" and s.statuses == (("planned", "2026-04-08"), ("happened", "2026-04-16"))
    assert s.time.value == "2026-04-16" and s.time.granularity == "day"
    parts = s.argument("participant")
    assert {a.value.countries for a in parts} == {("UKR",), ("JPN",)} and all(a.sources == 3 for a in parts)
    assert s.to_dict()["statuses"][1] == {"status": "happened", "date": "2026-04-16"}


def test_same_ministers_a_month_apart_are_two_stories():
    results = [[meeting("UKR", "JPN", time="2026-04-08")], [meeting("UKR", "JPN")],
               [meeting("UKR", "JPN", time="2026-05-08")], [meeting("JPN", "UKR")]]
    stories = merge(results, dates=["2026-04-08", "2026-04-09", "2026-05-08", "2026-05-08"])
    assert stories_of(stories) == [((0, 0), (1, 0)), ((2, 0), (3, 0))]


def test_denial_after_a_report_stays_one_story_and_records_the_change():
    joined = ev("MechanismJoining", A("joiner", "Польща", C("POL")), A("mechanism", "PURL", ActorValue(organisation="PURL")))
    denied = ev("MechanismJoining", A("joiner", "Poland", C("POL")), A("mechanism", "PURL", ActorValue(organisation="PURL")),
                status="negated")
    other = ev("MechanismJoining", A("joiner", "Poland", C("POL")),
               A("mechanism", "drone coalition", ActorValue(organisation="DRONE_COALITION")), status="negated")
    stories = merge([[joined], [denied, other]], dates=["2026-04-08", "2026-04-09"])
    assert stories_of(stories) == [((0, 0), (1, 0)), ((1, 1),)]
    assert stories[0].status == "negated" and [s for s, _ in stories[0].statuses] == ["happened", "negated"]


def test_same_donor_two_packages_stay_apart_by_amount():
    def aid(amount, cur="USD"):
        return ev("AidPackage", A("donor", "Japan", C("JPN")), A("recipient", "Ukraine", C("UKR")),
                  A("amount", str(amount), AmountValue(value=amount, currency=cur)))
    stories = merge([[aid(470e6)], [aid(471e6)], [aid(100e6)]], dates=["2026-04-08"] * 3)
    assert stories_of(stories) == [((0, 0), (1, 0)), ((2, 0),)]


def test_donor_and_recipient_are_not_interchangeable():
    a = ev("AidPackage", A("donor", "Japan", C("JPN")), A("recipient", "Ukraine", C("UKR")))
    b = ev("AidPackage", A("donor", "Ukraine", C("UKR")), A("recipient", "Japan", C("JPN")))
    assert len(merge([[a], [b]], dates="2026-04-08")) == 2


def test_two_offices_of_one_country_are_different_actors():
    a = ev("Meeting", A("participant", "Zelensky", C("UKR", role="president")), A("participant", "Starmer", C("GBR")))
    b = ev("Meeting", A("participant", "Sybiha", C("UKR", role="foreign_minister")), A("participant", "Lammy", C("GBR")))
    assert len(merge([[a], [b]], dates="2026-04-08")) == 2


def test_fallback_keys_match_across_cyrillic_spellings_and_conflict_within_one_script():
    uk = ev("MechanismJoining", A("joiner", "Естонія"), A("mechanism", "ініціативи PURL"))
    ru = ev("MechanismJoining", A("joiner", "Эстония"), A("mechanism", "инициативе PURL"))
    other = ev("MechanismJoining", A("joiner", "Латвія"), A("mechanism", "ініціативи PURL"))
    stories = merge([[uk], [ru], [other]], dates="2026-04-08")
    assert stories_of(stories) == [((0, 0), (1, 0)), ((2, 0),)]


def test_merge_validates_its_arguments_and_accepts_empty_input():
    assert merge([]) == [] and merge([[], []]) == []
    with pytest.raises(ValueError, match="ids"):
        merge([[meeting("UKR", "JPN")]], ids=["a", "b"])
    with pytest.raises(ValueError, match="dates"):
        merge([[meeting("UKR", "JPN")]], dates=["not a date"])


def test_public_api():
    assert eventx.merge is merge and eventx.Story is Story


# ------------------------------------------------------------------------------ blocking
def test_blocking_finds_the_same_stories_as_comparing_everything():
    """Many stories over many weeks: each mention is compared with few candidates, yet the result is the
    one an all-pairs check gives (every planted story comes back whole and alone)."""
    rng = random.Random(7)
    countries = [f"C{i:02d}" for i in range(30)]
    results, dates, truth = [], [], []
    for story in range(300):
        a, b = rng.sample(countries, 2)
        when = 739700 + rng.randrange(0, 360, 20)  # stories of one pair of countries are 20+ days apart
        import datetime as dt
        d = dt.date.fromordinal(when).isoformat()
        for k in range(rng.randint(2, 4)):
            results.append([meeting(a, b, time=d) if k % 2 == 0 else meeting(b, a)])
            dates.append(d)
            truth.append((a, b, when) if a < b else (b, a, when))
    stories = merge(results, dates=dates)
    got = {}
    for sid, s in enumerate(stories):
        for m in s.mentions:
            got[m.doc] = sid
    by_truth = {}
    for doc, t in enumerate(truth):
        by_truth.setdefault(t, set()).add(got[doc])
    assert all(len(v) == 1 for v in by_truth.values()), "a planted story was split"
    assert len(stories) == len(by_truth), "two planted stories were merged"


def test_candidates_per_lookup_are_bounded(monkeypatch):
    """One shared actor in every event of a long document: the number of comparisons grows linearly."""
    import sys
    m = sys.modules["eventx.merge"]  # eventx.merge is the function
    calls = {"n": 0}
    real = m._fit

    def counting(*a, **kw):
        calls["n"] += 1
        return real(*a, **kw)

    monkeypatch.setattr(m, "_fit", counting)
    for n in (500, 2000):
        calls["n"] = 0
        events = [ev("Meeting", A("participant", "Ukraine", C("UKR")), A("participant", f"X{i}", C(f"X{i}")),
                     sentence=i * 10) for i in range(n)]
        labels = cluster([_Profile(e, 0, i, None) for i, e in enumerate(events)])
        assert len(set(labels)) == n
        assert calls["n"] <= n * (m.SCAN_RAREST + 2 * m.SCAN_OTHER)


def test_equal_arguments_share_their_parts_and_stories_copy_before_growing():
    """A long document repeats arguments: their profiles share one set of parts, and a story that grows
    from a mention copies them first, so the next mention with those arguments is compared as written."""
    a = [ev("Meeting", A("participant", "Japan", C("JPN")), A("participant", "Ukraine", C("UKR")), sentence=i * 10)
         for i in range(2)]
    b = ev("Meeting", A("participant", "Japan", C("JPN")), A("participant", "Ukraine", C("UKR")),
           A("participant", "Poland", C("POL")), sentence=40)
    keys: dict = {}
    profiles = [_Profile(e, 0, i, None, keys) for i, e in enumerate(a + [b])]
    assert profiles[0].actors is profiles[1].actors and profiles[0].tokens is profiles[1].tokens
    before = {cls: list(ks) for cls, ks in profiles[0].actors.items()}
    assert len(set(cluster(profiles))) == 1  # Poland's mention names a superset: one story
    assert profiles[0].actors == before  # the story copied before it took Poland in
    # and in place or not, extraction-time grouping gives what assign_groups gives, inputs untouched
    from eventx.extraction import _set_groups
    events = a + [b]
    grouped = assign_groups(events)
    assert [e.group for e in events] == [0, 0, 0]
    _set_groups(events)
    assert events == grouped


# ------------------------------------------------------------------------------ command line
def test_cli_merge_prints_one_row_per_story_with_sources(tmp_path, capsys):
    import csv
    import io
    import json

    from eventx.cli import main
    from tiny import CORPUS, tiny_model

    model, tok = tiny_model()
    model_dir = model.save_pretrained(tmp_path / "tiny", tokenizer=tok)
    files = []
    for k in range(2):
        p = tmp_path / f"a{k}.txt"
        p.write_text("\n".join(CORPUS), encoding="utf-8")
        files.append(str(p))
    base = ["extract", *files, "--model", str(model_dir), "--date", "2026-04-08", "--min-score", "0", "--merge"]
    assert main(base + ["--format", "jsonl"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows, "a random model tags plenty of spans"
    assert all(r["sources"] and set(r["sources"]) <= set(files) for r in rows)
    assert [r["story"] for r in rows] == list(range(1, len(rows) + 1))
    assert main(base + ["--format", "csv"]) == 0
    table = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert table[0][:3] == ["story", "type", "status"] and len(table) == len(rows) + 1
    assert main(base) == 0
    assert capsys.readouterr().out.startswith(f"== {len(rows)} stories from 2 file(s)")
    assert main(base + ["--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == len(rows)


def test_merging_leaves_the_garbage_collector_as_it_found_it():
    """eventx.merge pauses the cyclic collector while it works (it was half the time on large inputs)."""
    import gc

    assert gc.isenabled()
    merge([[], []]); group_events([])
    assert gc.isenabled()
    gc.disable()
    try:
        merge([[], []]); group_events([])
        assert not gc.isenabled()
    finally:
        gc.enable()
