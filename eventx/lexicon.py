"""The name tables behind normalisation (``eventx/data/*.tsv``) and a matcher that finds their entries in
inflected text: a table form matches a word when one of the word's pymorphy3 lemmas equals the form's lemma.

>>> [(m.entry.kind, m.entry.codes) for m in match(tokens("з польським колегою"), actor_lexicon())]
[('adj', ('POL',))]
>>> [m.entry.org for m in match(tokens("генсек Північноатлантичного альянсу"), actor_lexicon())]
[None, 'NATO']
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .morph import Token, lemmas, tokens

DATA = Path(__file__).resolve().parent / "data"
# when one form is in several tables, the more specific reading wins (Brussels: the EU before Belgium's capital)
_PRIORITY = {"metonym": 0, "office": 1, "org": 2, "group": 3, "country": 4, "adj": 5, "city": 6, "capital": 6, "currency": 7}


@dataclass(frozen=True)
class Entry:
    kind: str  # country | adj | group | org | metonym | capital | city | office
    codes: tuple = ()  # ISO alpha-3 country codes
    org: str | None = None
    role: str | None = None
    city: str | None = None  # GeoNames English name, for cities


@dataclass(frozen=True)
class Match:
    start: int  # token indices, end-exclusive
    end: int
    entry: Entry


def read_tsv(name: str) -> list[list[str]]:
    """Rows of a package data table, without comments and blank lines."""
    rows = []
    for line in (DATA / name).read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.rstrip("\n").split("\t"))
    return rows


def _forms(cell: str) -> list[str]:
    return [f.strip() for f in cell.split("|") if f.strip()]


_FUNCTION_WORDS = frozenset({"той", "тот", "то", "та", "те", "ті", "і", "и", "а", "в", "у", "на", "з", "с", "о", "по",
                             "до", "же", "це", "это", "він", "вона", "он", "она", "бути", "быть"})


class Lexicon:
    """Phrase forms indexed by the lemmas of their first word."""

    def __init__(self):
        self._index: dict[str, list] = {}

    def add(self, form: str, entry: Entry) -> None:
        key = []
        for t in tokens(form):
            # short all-caps abbreviations match case-sensitively: "US" is not "us", "ПАР" is not "пар"
            if t.text.isupper() and len(t.text) <= 4 and t.text.isalpha():
                key.append(frozenset({"=" + t.text}))
            else:  # every lemma (the table's language is not known), minus function words: "Того" is not "та"
                key.append((lemmas(t.text) - _FUNCTION_WORDS) | {t.low})
        if key:
            for alt in key[0]:
                self._index.setdefault(alt, []).append((tuple(key), entry))

    def to_json(self) -> dict:
        """The index as JSON (entries listed once, referenced by position); :meth:`from_json` inverts it."""
        entries: dict[Entry, int] = {}
        index = {alt: [[[sorted(a) for a in key], entries.setdefault(e, len(entries))] for key, e in rows]
                 for alt, rows in self._index.items()}
        return {"entries": [[e.kind, list(e.codes), e.org, e.role, e.city] for e in entries], "index": index}

    @classmethod
    def from_json(cls, data: dict) -> "Lexicon":
        entries = [Entry(kind, tuple(codes), org, role, city) for kind, codes, org, role, city in data["entries"]]
        lex = cls()
        lex._index = {alt: [(tuple(frozenset(a) for a in key), entries[i]) for key, i in rows]
                      for alt, rows in data["index"].items()}
        return lex

    def candidates(self, tok: Token):
        seen = set()
        for alt in lemmas(tok.text) | {"=" + tok.text}:
            for k, e in self._index.get(alt, ()):
                if (k, e) not in seen:
                    seen.add((k, e))
                    yield k, e


def _word_matches(tok: Token, alts: frozenset) -> bool:
    if "=" + tok.text in alts:
        return True
    return any(not a.startswith("=") for a in alts) and bool(lemmas(tok.text) & alts)


def match(toks: list[Token], lexicon: Lexicon) -> list[Match]:
    """Left to right, the longest table form starting at each word; matches never overlap."""
    out, i = [], 0
    while i < len(toks):
        best = None
        for key, entry in lexicon.candidates(toks[i]):
            n = len(key)
            if i + n <= len(toks) and all(_word_matches(toks[i + k], key[k]) for k in range(n)):
                rank = (n, -_PRIORITY[entry.kind])
                if best is None or rank > best[0]:
                    best = (rank, entry)
        if best:
            n = best[0][0]
            out.append(Match(i, i + n, best[1]))
            i += n
        else:
            i += 1
    return out


def _country_names():
    """ISO names from pycountry, in English and (through its gettext catalogues) Ukrainian and Russian."""
    import gettext

    import pycountry

    trans = [gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lg], fallback=True)
             for lg in ("uk", "ru")]
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            name = getattr(c, attr, None)
            if not name:
                continue
            for n in [name] + [t.gettext(name) for t in trans]:
                if "," not in n and "(" not in n:  # "Korea, Republic of" is not how news writes it
                    yield c.alpha_3, n


# English names that are also common first names or words; they would give false codes
_AMBIGUOUS_EN = {"Chad", "Jordan", "Guinea", "Niger", "Congo", "Dominica", "Korea", "Samoa", "Georgia",
                 "Turkey", "Israel"}


def _cities():
    for en, code, capital, forms in read_tsv("cities.tsv"):
        yield en, code, capital == "1", _forms(forms)


@lru_cache(maxsize=1)
def _inputs_key() -> str:
    """A hash of everything the lexicons are built from, computed once per process for both of them."""
    from .tablecache import fingerprint, library_version

    here = Path(__file__).resolve().parent
    return fingerprint([*sorted(DATA.glob("*.tsv")), here / "lexicon.py", here / "morph.py"],
                       {d: library_version(d) for d in ("pycountry", "pymorphy3", "pymorphy3-dicts-uk",
                                                        "pymorphy3-dicts-ru")})


def _cached(name: str, build) -> Lexicon:
    """``build()``'s lexicon, kept on disk between processes (see :mod:`eventx.tablecache`)."""
    from .tablecache import cached_json

    return Lexicon.from_json(cached_json(f"lexicon-{name}", _inputs_key(), lambda: build().to_json()))


@lru_cache(maxsize=1)
def actor_lexicon() -> Lexicon:
    """Everything that can name an actor: countries, adjectives, groups, organisations, metonyms, capitals, offices."""
    return _cached("actor", _build_actor_lexicon)


def _build_actor_lexicon() -> Lexicon:
    lex = Lexicon()
    for code, name in _country_names():
        if name not in _AMBIGUOUS_EN - {"Georgia", "Turkey", "Israel"}:
            lex.add(name, Entry("country", (code,)))
    for code, kind, forms in read_tsv("countries.tsv"):
        for f in _forms(forms):
            lex.add(f, Entry("country" if kind == "name" else "adj", (code,)))
    for codes, forms in read_tsv("groups.tsv"):
        for f in _forms(forms):
            lex.add(f, Entry("group", tuple(codes.split())))
    orgs = set()
    for oid, _name, forms in read_tsv("organisations.tsv"):
        orgs.add(oid)
        for f in _forms(forms):
            lex.add(f, Entry("org", org=oid))
    for code, role, forms in read_tsv("metonyms.tsv"):
        entry = Entry("metonym", org=code, role=role) if code in orgs else Entry("metonym", (code,), role=role)
        for f in _forms(forms):
            lex.add(f, entry)
    for en, code, capital, forms in _cities():
        if capital:
            for f in forms:
                lex.add(f, Entry("capital", (code,), city=en))
    for role, forms, *codes in read_tsv("offices.tsv"):
        for f in _forms(forms):
            lex.add(f, Entry("office", tuple(codes), role=role))
    return lex


@lru_cache(maxsize=1)
def place_lexicon() -> Lexicon:
    """Places: cities of the table, country names, and country adjectives (context for "у бельгійському Монсі")."""
    return _cached("place", _build_place_lexicon)


def _build_place_lexicon() -> Lexicon:
    lex = Lexicon()
    for code, name in _country_names():
        if name not in _AMBIGUOUS_EN - {"Georgia", "Turkey", "Israel"}:
            lex.add(name, Entry("country", (code,)))
    for code, kind, forms in read_tsv("countries.tsv"):
        for f in _forms(forms):
            lex.add(f, Entry("country" if kind == "name" else "adj", (code,)))
    for en, code, _capital, forms in _cities():
        for f in forms + [en]:
            lex.add(f, Entry("city", (code,), city=en))
    for oid, _name, forms in read_tsv("organisations.tsv"):
        for f in _forms(forms):
            if f != "Brussels":
                lex.add(f, Entry("org", org=oid))
    return lex
