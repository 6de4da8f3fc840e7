"""Actors: inflected uk/ru/en text -> countries, organisation, office role and person name.

>>> normalize_actor("міністр оборони Естонії Ханно Певкур")
ActorValue(countries=('EST',), organisation=None, role='defence_minister', name='Ханно Певкур')
>>> normalize_actor("польським колегою Владиславом Косіняком-Камишем").countries
('POL',)
>>> normalize_actor("Kremlin").countries, normalize_actor("країн Балтії").countries
(('RUS',), ('EST', 'LVA', 'LTU'))
>>> normalize_actor("партнери") is None
True
"""
from __future__ import annotations

from .lexicon import actor_lexicon, match
from .morph import guess_lang, parses, tokens
from .types import ActorValue

# a country after these is where the actor is ("посол України в Японії"), not who it is
_LOCATIVE = {"в", "у", "во", "на", "при", "in", "at", "to"}
# words that join list items or decorate a name without being part of it
# lower-case particles inside a name ("Урсула фон дер Ляєн")
_PARTICLES = {"фон", "дер", "ван", "де", "да", "ді", "ла", "von", "van", "der", "de", "da", "di", "la", "bin", "al"}
_HONORIFICS = {"пан", "пані", "господин", "госпожа", "mr", "mrs", "ms", "dr", "sir", "lord", "mr.", "ms."}
_NAME_TAGS = ("Surn", "Name", "Patr")


def _name_like(tok, first: bool, lang) -> bool:
    """Capitalised and not an ordinary word that happens to start the span."""
    t = tok.text
    if not t[:1].isupper() or not any(c.isalpha() for c in t) or tok.low in _HONORIFICS:
        return False
    if not first:
        return True
    ps = parses(t, lang)
    if ps:  # Cyrillic: an ordinary known word at the start ("Сторони", "Делегації") is not a name
        return any(tag in str(p.tag) for p in ps for tag in _NAME_TAGS) or not ps[0].is_known
    return not t.endswith("s")  # English plural nouns ("Officials", "Allies") start spans too


def _name(text: str, toks, covered: set, lang) -> str | None:
    """The longest run of capitalised words outside the table matches, as written."""
    runs, run = [], []
    for i, tok in enumerate(toks):
        nxt = toks[i + 1] if i + 1 < len(toks) and i + 1 not in covered else None
        # a first word is a name if it looks like one or another capitalised word follows ("Таро Коно")
        first = i == 0 and not (nxt and _name_like(nxt, False, lang))
        if i not in covered and _name_like(tok, first, lang):
            run.append(tok)
        elif run and tok.low in _PARTICLES and any(t.text[:1].isupper() for t in toks[i + 1:i + 3]):
            run.append(tok)
        else:
            if run:
                runs.append(run)
            run = []
    if run:
        runs.append(run)
    if not runs:
        return None
    best = max(runs, key=len)
    return text[best[0].start:best[-1].start + len(best[-1].text)]


def normalize_actor(text: str, lang: str | None = None) -> ActorValue | None:
    """The actor a participant/party/donor/recipient/joiner span names, or ``None`` when nothing is known."""
    toks = tokens(text)
    lang = lang or guess_lang(text)
    matches = match(toks, actor_lexicon())
    codes: list[str] = []
    org = role = metonym_role = None
    covered: set[int] = set()
    for m in matches:
        e = m.entry
        if e.kind == "capital" and m.end < len(toks) and _name_like(toks[m.end], False, lang):
            continue  # "Софія Іваненко" is a person, not Bulgaria
        covered.update(range(m.start, m.end))
        prev = toks[m.start - 1].low if m.start else ""
        if e.kind == "office":
            role = role or e.role
        elif prev in _LOCATIVE:
            continue
        if e.org:
            org = org or e.org
        for c in e.codes:
            if c not in codes:
                codes.append(c)
        if e.kind == "metonym":
            metonym_role = metonym_role or e.role
    role = role or metonym_role
    if role == "head_of_state" and org and not codes:
        role = "head_of_organisation"  # "президент Єврокомісії"
    name = _name(text, toks, covered, lang)
    if not codes and not org and not role and not name:
        return None
    return ActorValue(countries=tuple(codes), organisation=org, role=role, name=name)


def normalize_organisation(text: str, lang: str | None = None) -> ActorValue | None:
    """A mechanism span that names a known organisation ("до НАТО"), else ``None``.

    >>> normalize_organisation("до Північноатлантичного альянсу").organisation
    'NATO'
    """
    orgs = [m.entry.org for m in match(tokens(text), actor_lexicon()) if m.entry.kind == "org"]
    return ActorValue(organisation=orgs[0]) if orgs else None
