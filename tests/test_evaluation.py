"""eventx.evaluation: scores on hand-made predictions with answers worked out by hand."""
from __future__ import annotations

import copy

import pytest

from eventx import evaluation as Ev
from eventx.evaluation import KEYS, LexiconBaseline, as_prediction, evaluate_items, format_table, prf, score
from eventx.types import Argument, Event, Span


def sp(text, piece, nth=0):
    i = -1
    for _ in range(nth + 1):
        i = text.index(piece, i + 1)
    return i, i + len(piece)


def gold_event(text, typ, status, trig, args):
    s, e = sp(text, trig)
    return {"type": typ, "status": status, "trigger": {"start": s, "end": e, "text": trig},
            "arguments": [{"role": r, "start": sp(text, p)[0], "end": sp(text, p)[1], "text": p} for r, p in args]}


def pred(text, typ, status, trig, args):
    s, e = sp(text, trig) if isinstance(trig, str) else trig
    return {"type": typ, "status": status, "start": s, "end": e,
            "arguments": [(r, *(sp(text, p) if isinstance(p, str) else p)) for r, p in args]}


T0 = "Japan joined PURL and Estonia signed a deal in Tallinn."
T1 = "Міністр зустрівся з колегою."


@pytest.fixture
def gold():
    return [
        {"id": "0", "lang": "en", "text": T0, "events": [
            gold_event(T0, "MechanismJoining", "happened", "joined", [("joiner", "Japan"), ("mechanism", "PURL")]),
            gold_event(T0, "Agreement", "happened", "signed",
                       [("party", "Estonia"), ("subject", "a deal"), ("place", "Tallinn")]),
        ]},
        {"id": "1", "lang": "uk", "text": T1, "events": [
            gold_event(T1, "Meeting", "planned", "зустрівся", [("participant", "Міністр"), ("participant", "колегою")]),
        ]},
    ]


def perfect(items):
    return [[as_prediction(e) for e in it["events"]] for it in items]


def check(m, tp, n_pred, n_gold, p, r, f):
    assert (m["tp"], m["predicted"], m["gold"]) == (tp, n_pred, n_gold)
    assert m["precision"] == pytest.approx(p, abs=1e-4)
    assert m["recall"] == pytest.approx(r, abs=1e-4)
    assert m["f1"] == pytest.approx(f, abs=1e-4)


def test_prf():
    assert prf(0, 0, 0) == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "tp": 0, "predicted": 0, "gold": 0}
    assert prf(2, 4, 3) == {"precision": 0.5, "recall": 0.6667, "f1": 0.5714, "tp": 2, "predicted": 4, "gold": 3}
    assert prf(3, 3, 3)["f1"] == 1.0


def test_as_prediction_of_gold_dict_event_and_plain_dict(gold):
    ev = gold[0]["events"][0]
    p = as_prediction(ev)
    assert p == {"type": "MechanismJoining", "status": "happened", "start": 6, "end": 12,
                 "arguments": [("joiner", 0, 5), ("mechanism", 13, 17)]}
    assert as_prediction(p) is p
    obj = Event("MechanismJoining", "happened", 0.9, Span("joined", 6, 12),
                (Argument("joiner", "Japan", 0, 5, 0.8), Argument("mechanism", "PURL", 13, 17, 0.7)))
    assert as_prediction(obj) == p


def test_perfect_predictions_score_one_everywhere(gold):
    m = score(gold, perfect(gold))
    for k in KEYS:
        check(m[k], *{"trigger_identification": (3, 3, 3), "trigger_classification": (3, 3, 3),
                      "argument_identification": (7, 7, 7), "argument_classification": (7, 7, 7)}[k], 1, 1, 1)
    assert m["status_accuracy"] == 1.0 and m["status_evaluated"] == 3
    assert m["items"] == 2
    for t, v in m["per_type"].items():
        assert v["trigger_classification"]["f1"] == 1.0 and v["argument_classification"]["f1"] == 1.0, t
    assert set(m["per_type"]) == {"Agreement", "Meeting", "MechanismJoining"}
    assert set(m["per_language"]) == {"en", "uk"}
    assert all(v["argument_classification"]["f1"] == 1.0 and v["status_accuracy"] == 1.0
               for v in m["per_language"].values())
    assert m["seqeval"]["triggers"]["micro avg"]["f1-score"] == 1.0
    assert m["seqeval"]["arguments"]["micro avg"]["f1-score"] == 1.0
    assert all(c["gold"] == c["predicted"] for c in m["type_confusion"])


def test_event_objects_are_accepted_as_predictions(gold):
    preds = []
    for it in gold:
        evs = []
        for e in it["events"]:
            t = e["trigger"]
            evs.append(Event(e["type"], e["status"], 1.0, Span(t["text"], t["start"], t["end"]),
                             tuple(Argument(a["role"], a["text"], a["start"], a["end"], 1.0) for a in e["arguments"])))
        preds.append(evs)
    assert score(gold, preds)["argument_classification"]["f1"] == 1.0


def test_empty_predictions_have_zero_recall(gold):
    m = score(gold, [[], []])
    for k in KEYS:
        n_gold = 3 if k.startswith("trigger") else 7
        check(m[k], 0, 0, n_gold, 0, 0, 0)
    assert m["status_accuracy"] == 0.0 and m["status_evaluated"] == 0
    assert m["type_confusion"] == [{"gold": "Agreement", "predicted": "None", "count": 1},
                                   {"gold": "MechanismJoining", "predicted": "None", "count": 1},
                                   {"gold": "Meeting", "predicted": "None", "count": 1}]
    assert m["status_confusion"] == []


def test_partial_predictions_hand_computed(gold):
    preds = [
        [
            # right trigger and type; one argument right, one with the wrong role
            pred(T0, "MechanismJoining", "happened", "joined", [("joiner", "Japan"), ("joiner", "PURL")]),
            # right trigger and type, wrong status; 'deal' instead of 'a deal'
            pred(T0, "Agreement", "planned", "signed", [("party", "Estonia"), ("subject", "deal"),
                                                        ("place", "Tallinn")]),
            # a spurious event
            pred(T0, "Meeting", "happened", "deal", [("participant", "Estonia")]),
        ],
        [
            # right trigger span, wrong type: its argument cannot count
            pred(T1, "Agreement", "planned", "зустрівся", [("participant", "Міністр")]),
        ],
    ]
    m = score(gold, preds)
    check(m["trigger_identification"], 3, 4, 3, 3 / 4, 1, 2 * .75 / 1.75)
    check(m["trigger_classification"], 2, 4, 3, 2 / 4, 2 / 3, 2 * (1 / 2) * (2 / 3) / (1 / 2 + 2 / 3))
    check(m["argument_identification"], 4, 7, 7, 4 / 7, 4 / 7, 4 / 7)
    check(m["argument_classification"], 3, 7, 7, 3 / 7, 3 / 7, 3 / 7)
    assert m["status_accuracy"] == 0.5 and m["status_evaluated"] == 2
    pt = m["per_type"]
    check(pt["MechanismJoining"]["trigger_classification"], 1, 1, 1, 1, 1, 1)
    check(pt["MechanismJoining"]["argument_classification"], 1, 2, 2, .5, .5, .5)
    check(pt["Agreement"]["trigger_classification"], 1, 2, 1, .5, 1, 2 / 3)
    check(pt["Agreement"]["argument_classification"], 2, 4, 3, .5, 2 / 3, 4 / 7)
    check(pt["Meeting"]["trigger_classification"], 0, 1, 1, 0, 0, 0)
    check(pt["Meeting"]["argument_classification"], 0, 1, 2, 0, 0, 0)
    assert set(pt["Meeting"]) == {"trigger_classification", "argument_classification"}
    pl = m["per_language"]
    check(pl["en"]["trigger_identification"], 2, 3, 2, 2 / 3, 1, .8)
    check(pl["uk"]["trigger_identification"], 1, 1, 1, 1, 1, 1)
    check(pl["uk"]["trigger_classification"], 0, 1, 1, 0, 0, 0)
    assert pl["en"]["status_accuracy"] == 0.5 and pl["uk"]["status_accuracy"] == 0.0
    assert m["type_confusion"] == [
        {"gold": "Agreement", "predicted": "Agreement", "count": 1},
        {"gold": "MechanismJoining", "predicted": "MechanismJoining", "count": 1},
        {"gold": "Meeting", "predicted": "Agreement", "count": 1},
        {"gold": "None", "predicted": "Meeting", "count": 1},
    ]
    assert m["status_confusion"] == [{"gold": "happened", "predicted": "happened", "count": 1},
                                     {"gold": "happened", "predicted": "planned", "count": 1}]


def test_wrong_role_counts_for_identification_not_classification(gold):
    preds = perfect(gold)
    preds[0][0]["arguments"] = [("mechanism", 0, 5), ("joiner", 13, 17)]  # roles swapped
    m = score(gold, preds)
    check(m["argument_identification"], 7, 7, 7, 1, 1, 1)
    check(m["argument_classification"], 5, 7, 7, 5 / 7, 5 / 7, 5 / 7)
    assert m["trigger_classification"]["f1"] == 1.0


def test_wrong_trigger_span_loses_all_its_arguments(gold):
    preds = perfect(gold)
    preds[0][0]["start"], preds[0][0]["end"] = sp(T0, "joined PURL")  # arguments unchanged and correct
    m = score(gold, preds)
    check(m["trigger_identification"], 2, 3, 3, 2 / 3, 2 / 3, 2 / 3)
    check(m["trigger_classification"], 2, 3, 3, 2 / 3, 2 / 3, 2 / 3)
    check(m["argument_identification"], 5, 7, 7, 5 / 7, 5 / 7, 5 / 7)
    check(m["argument_classification"], 5, 7, 7, 5 / 7, 5 / 7, 5 / 7)
    assert m["status_evaluated"] == 2


def test_wrong_type_is_identified_but_not_classified_and_loses_arguments(gold):
    preds = perfect(gold)
    preds[0][0]["type"] = "Agreement"
    m = score(gold, preds)
    check(m["trigger_identification"], 3, 3, 3, 1, 1, 1)
    check(m["trigger_classification"], 2, 3, 3, 2 / 3, 2 / 3, 2 / 3)
    check(m["argument_identification"], 5, 7, 7, 5 / 7, 5 / 7, 5 / 7)
    check(m["argument_classification"], 5, 7, 7, 5 / 7, 5 / 7, 5 / 7)
    assert m["status_evaluated"] == 2  # status is only judged on correctly classified triggers
    assert {"gold": "MechanismJoining", "predicted": "Agreement", "count": 1} in m["type_confusion"]


def test_status_accuracy(gold):
    preds = perfect(gold)
    preds[0][0]["status"] = "negated"
    preds[1][0]["status"] = "happened"
    m = score(gold, preds)
    assert m["status_accuracy"] == round(1 / 3, 4) and m["status_evaluated"] == 3
    assert m["trigger_classification"]["f1"] == 1.0  # status does not affect the span metrics
    assert m["argument_classification"]["f1"] == 1.0
    assert {"gold": "happened", "predicted": "negated", "count": 1} in m["status_confusion"]
    assert {"gold": "planned", "predicted": "happened", "count": 1} in m["status_confusion"]


def test_arguments_do_not_leak_between_items(gold):
    # the right prediction given for the wrong item is all wrong
    m = score(gold, [perfect(gold)[1], perfect(gold)[0]])
    assert all(m[k]["tp"] == 0 for k in KEYS)


def test_predictions_on_items_without_events_count_as_false_positives():
    items = [{"id": "n", "lang": "en", "text": "Nothing here.", "events": []}]
    m = score(items, [[{"type": "Meeting", "status": "happened", "start": 0, "end": 7, "arguments": []}]])
    check(m["trigger_identification"], 0, 1, 0, 0, 0, 0)
    assert m["seqeval"]["triggers"]  # some tags exist
    assert score(items, [[]])["seqeval"] == {"triggers": {}, "arguments": {}}


def test_length_mismatch_is_an_error(gold):
    with pytest.raises(ValueError, match="2 items but 1 prediction lists"):
        score(gold, [[]])


def test_score_does_not_modify_its_inputs(gold):
    preds = perfect(gold)
    g0, p0 = copy.deepcopy(gold), copy.deepcopy(preds)
    score(gold, preds)
    assert gold == g0 and preds == p0


def test_format_table(gold):
    m = score(gold, perfect(gold))
    table = format_table(m, title="dev")
    lines = table.splitlines()
    assert lines[0] == "dev"
    assert lines[1].split() == ["metric", "P", "R", "F1", "gold"]
    assert lines[2].split() == ["trigger_identification", "1.000", "1.000", "1.000", "3"]
    assert lines[5].split() == ["argument_classification", "1.000", "1.000", "1.000", "7"]
    assert lines[6].split() == ["status_accuracy", "1.000", "3"]
    assert lines[7].split() == ["F1", "by", "type", "/", "language", "trigger", "argument"]
    assert any(line.split() == ["Meeting", "1.000", "1.000"] for line in lines)
    assert any(line.split()[0] == "uk" for line in lines)
    widths = {len(line) for line in lines[8:]}
    assert len(widths) == 1, "per-type and per-language rows line up"
    assert format_table(score(gold, [[], []])).splitlines()[0].startswith("metric")


# ---------------------------------------------------------------- LexiconBaseline

LEX_ITEMS = [
    {"text": "Japan joined PURL.", "events": [{"type": "MechanismJoining", "status": "happened",
                                                "trigger": {"start": 6, "end": 12}, "arguments": []}]},
    {"text": "Estonia joined it.", "events": [{"type": "MechanismJoining", "status": "happened",
                                                "trigger": {"start": 8, "end": 14}, "arguments": []}]},
    {"text": "Moldova Joined later.", "events": [{"type": "MechanismJoining", "status": "planned",
                                                   "trigger": {"start": 8, "end": 14}, "arguments": []}]},
    {"text": "They met in Kyiv.", "events": [{"type": "Meeting", "status": "happened",
                                              "trigger": {"start": 5, "end": 8}, "arguments": []}]},
    {"text": "The club met fans. Another met nobody. They met again.", "events": []},
]


def test_lexicon_from_items_keeps_precise_words_with_majority_type_and_status():
    lex = LexiconBaseline.from_items(LEX_ITEMS)
    # 'met' is a trigger once in 4 occurrences: below the default precision of 0.5
    assert lex.lexicon == {"joined": ("MechanismJoining", "happened")}
    lex_all = LexiconBaseline.from_items(LEX_ITEMS, min_precision=0.25)
    assert lex_all.lexicon == {"joined": ("MechanismJoining", "happened"), "met": ("Meeting", "happened")}


def test_lexicon_extract_matches_whole_words_case_insensitively():
    lex = LexiconBaseline.from_items(LEX_ITEMS)
    text = "Nothing yet. Moldova JOINED the coalition; Japan rejoined nothing."
    events = lex.extract(text)
    assert len(events) == 1
    ev = events[0]
    assert (ev.type, ev.status, ev.trigger) == ("MechanismJoining", "happened", Span("JOINED", 21, 27))
    assert ev.sentence == Span("Moldova JOINED the coalition; Japan rejoined nothing.", 13, len(text))
    assert ev.arguments == ()
    assert lex.extract([text, "joined", "nope"]) == [events, [lex.extract("joined")[0]], []]


def test_empty_lexicon_finds_nothing():
    lex = LexiconBaseline.from_items([{"text": "x", "events": []}])
    assert lex.lexicon == {} and lex.pattern is None
    assert lex.extract(["Japan joined PURL."]) == [[]]


def test_evaluate_items_with_the_baseline():
    items = [{"id": str(i), "lang": "en", **it} for i, it in enumerate(LEX_ITEMS)]
    lex = LexiconBaseline.from_items(items)
    m = evaluate_items(lex, items)
    # finds the three 'joined' triggers, all MechanismJoining; misses 'met'; two status right
    check(m["trigger_classification"], 3, 3, 4, 1, .75, 2 * .75 / 1.75)
    assert m["status_accuracy"] == round(2 / 3, 4)
    assert m["argument_identification"]["predicted"] == 0


def test_module_doctests():
    import doctest

    assert doctest.testmod(Ev).failed == 0
