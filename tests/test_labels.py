"""eventx.labels: label sets, their extension and the role mask."""
from __future__ import annotations

import json


from eventx import labels as L
from eventx.data import ONTOLOGY, STATUSES
from eventx.labels import LabelSet, bio


def test_bio():
    assert bio([]) == ["O"]
    assert bio(["A", "B"]) == ["O", "B-A", "I-A", "B-B", "I-B"]


def test_from_schema_on_the_product_ontology():
    ls = LabelSet.from_schema(ONTOLOGY, STATUSES)
    assert ls.trigger_labels == ["O", "B-Meeting", "I-Meeting", "B-Agreement", "I-Agreement",
                                 "B-AidPackage", "I-AidPackage", "B-MechanismJoining", "I-MechanismJoining"]
    # roles in order of first appearance, each once (place and time are shared)
    assert ls.roles == ["participant", "place", "time", "topic", "party", "subject", "donor", "recipient",
                        "aid", "amount", "joiner", "mechanism"]
    assert ls.role_labels == ["O"] + [f"{p}-{r}" for r in ls.roles for p in "BI"]
    assert ls.statuses == STATUSES
    assert all(isinstance(r, tuple) for r in ls.types.values())


def test_from_schema_accepts_lists_and_iterables():
    ls = LabelSet.from_schema({"Meeting": ["participant"]}, iter(["happened"]))
    assert ls == LabelSet({"Meeting": ("participant",)}, ("happened",))


def test_dict_round_trip_through_json():
    ls = LabelSet.from_schema(ONTOLOGY, STATUSES)
    back = LabelSet.from_dict(json.loads(json.dumps(ls.to_dict())))
    assert back == ls
    assert back.role_labels == ls.role_labels and back.trigger_labels == ls.trigger_labels


def test_extend_keeps_old_positions_and_appends_new_labels():
    a = LabelSet.from_schema({"Meeting": ("participant", "place")}, ("happened", "planned"))
    b = a.extend(LabelSet.from_schema({"Strike": ("target", "place"), "Meeting": ("time", "participant")},
                                      ("negated", "happened")))
    assert b.trigger_labels[:len(a.trigger_labels)] == a.trigger_labels
    assert b.trigger_labels == ["O", "B-Meeting", "I-Meeting", "B-Strike", "I-Strike"]
    assert b.role_labels[:len(a.role_labels)] == a.role_labels
    assert b.role_labels == ["O", "B-participant", "I-participant", "B-place", "I-place",
                             "B-time", "I-time", "B-target", "I-target"]
    assert b.types == {"Meeting": ("participant", "place", "time"), "Strike": ("target", "place")}
    assert b.statuses == ("happened", "planned", "negated")
    # the originals are untouched (frozen, no shared lists)
    assert a.types == {"Meeting": ("participant", "place")}


def test_extend_with_a_subset_is_identity():
    a = LabelSet.from_schema(ONTOLOGY, STATUSES)
    assert a.extend(LabelSet.from_schema({"Meeting": ("place",)}, ("happened",))) == a
    assert a.extend(LabelSet()) == a


def test_extend_keeps_role_positions_when_an_earlier_type_gains_a_role():
    a = LabelSet.from_schema({"Meeting": ("participant",), "Agreement": ("party",)}, ("happened",))
    b = a.extend(LabelSet.from_schema({"Meeting": ("place",)}, ("happened",)))
    assert set(b.role_labels) == set(a.role_labels) | {"B-place", "I-place"}
    assert b.role_labels[:len(a.role_labels)] == a.role_labels


def test_role_mask():
    ls = LabelSet.from_schema({"Meeting": ("participant", "place"), "Agreement": ("party", "place")},
                              ("happened",))
    assert ls.role_labels == ["O", "B-participant", "I-participant", "B-place", "I-place", "B-party", "I-party"]
    assert ls.role_mask() == [
        [True, True, True, True, True, False, False],
        [True, False, False, True, True, True, True],
    ]


def test_role_mask_shape_on_ontology():
    ls = LabelSet.from_schema(ONTOLOGY, STATUSES)
    mask = ls.role_mask()
    assert len(mask) == len(ls.types)
    for (etype, roles), row in zip(ls.types.items(), mask):
        assert len(row) == len(ls.role_labels) and row[0]
        allowed = {lab[2:] for lab, ok in zip(ls.role_labels, row) if ok and lab != "O"}
        assert allowed == set(roles), etype


def test_module_doctests():
    import doctest

    assert doctest.testmod(L).failed == 0
