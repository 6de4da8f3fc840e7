"""Stories: the mentions of one real-world event, within a document and across documents and languages.

``merge(results)`` takes what ``extract()`` returned for many documents and returns one :class:`Story`
per event. Two mentions belong together when they have the same type, compatible key actors
(participants / parties / donor and recipient / joiner and mechanism), compatible times and places,
and amounts that do not differ; the status may change between sources (planned -> happened) and the
story records the change.

>>> from eventx.types import ActorValue, Argument, Event, Span
>>> def meeting(a, b, status="happened", time=None):
...     args = [Argument("participant", a, 0, 1, 0.9, ActorValue(countries=(a[:3].upper(),))),
...             Argument("participant", b, 0, 1, 0.9, ActorValue(countries=(b[:3].upper(),)))]
...     if time:
...         args.append(Argument("time", time, 0, 1, 0.9, time))
...     return Event("Meeting", status, 0.9, Span("met", 0, 3), tuple(args))
>>> stories = merge([[meeting("Jpn", "Ukr", "planned", "2026-W16")], [meeting("Ukr", "Jpn", time="2026-04-16")],
...                  [meeting("Deu", "Ukr", time="2026-04-16")]], dates=["2026-04-08", "2026-04-16", "2026-04-16"])
>>> [(s.type, s.status, [st for st, _ in s.statuses], [m.doc for m in s.mentions]) for s in stories]
[('Meeting', 'happened', ['planned', 'happened'], [0, 1]), ('Meeting', 'happened', ['happened'], [2])]
>>> stories[0].time.value
'2026-04-16'

How it scales: mentions are only compared with stories of the same type that share a key-actor token
in an overlapping week (an inverted index), and each lookup scans a bounded number of candidates, so
the cost grows linearly with the number of mentions (``training/merge_benchmark.py``).
"""
from __future__ import annotations

import bisect
import contextlib
import gc
from collections import Counter, defaultdict
from dataclasses import dataclass

from .mergekeys import (CONFLICT, MATCH, actor_key, amount_key, amounts_conflict, compare_place, covered,
                        interval, parse_date, place_key, stems, time_value, window)
from .types import TimeValue, _Value

# Which roles identify the event, and which of them are interchangeable (a meeting's participants are
# one set; a donor is never a recipient).
KEY_ROLES = {
    "Meeting": {"participant": "actor"},
    "Agreement": {"party": "actor"},
    "AidPackage": {"donor": "donor", "recipient": "recipient"},
    "MechanismJoining": {"joiner": "joiner", "mechanism": "mechanism"},
}
_NOT_ACTORS = {"time", "place", "amount", "topic", "subject", "aid"}
SCAN_RAREST, SCAN_OTHER = 64, 16  # candidates examined per lookup: bounded, so merging stays linear
AMBIGUOUS = 0.5  # a mention whose two best stories fit within this margin joins neither
SLACK = 1  # days: "yesterday" in Kyiv may be "today" in Washington


@dataclass(frozen=True)
class Mention:
    """One source of a story: document id, event index in that document's results, and its readings."""

    doc: object
    index: int
    score: float
    status: str
    date: str | None = None

    def to_dict(self) -> dict:
        return {"doc": self.doc, "index": self.index, "score": round(self.score, 4), "status": self.status,
                "date": self.date}


@dataclass(frozen=True)
class MergedArgument:
    """One argument of a story: its normalised ``value`` (``None`` until normalised), the most frequent
    surface ``text``, every distinct surface form in ``texts``, and how many documents state it."""

    role: str
    text: str
    value: object = None
    texts: tuple = ()
    sources: int = 1

    def to_dict(self) -> dict:
        value = self.value.to_dict() if isinstance(self.value, _Value) else self.value
        return {"role": self.role, "text": self.text, "value": value, "texts": list(self.texts),
                "sources": self.sources}


@dataclass(frozen=True)
class Story:
    """One real-world event and every mention of it.

    ``status`` is the latest reading (the most confident among the latest sources); ``statuses`` lists each
    change as ``(status, date)`` in time order, so ``[("planned", ...), ("happened", ...)]`` tells the plan
    came first. ``score`` is the noisy-or of the best mention score of each document.
    """

    type: str
    status: str
    statuses: tuple
    arguments: tuple
    time: TimeValue | None
    mentions: tuple
    score: float

    @property
    def sources(self) -> tuple:
        """The distinct document ids, in time order."""
        return tuple(dict.fromkeys(m.doc for m in self.mentions))

    def argument(self, role: str) -> list[MergedArgument]:
        return [a for a in self.arguments if a.role == role]

    def to_dict(self) -> dict:
        return {"type": self.type, "status": self.status,
                "statuses": [{"status": s, "date": d} for s, d in self.statuses],
                "time": self.time.to_dict() if self.time else None,
                "arguments": [a.to_dict() for a in self.arguments], "sources": list(self.sources),
                "mentions": [m.to_dict() for m in self.mentions], "score": round(self.score, 4)}


# ------------------------------------------------------------------------------------------- profiles
class _Profile:
    """What one mention offers for comparison (built once)."""

    __slots__ = ("doc", "pos", "type", "actors", "places", "amounts", "span", "explicit", "tokens")

    def __init__(self, ev, doc: int, pos: int, date: int | None, keys: dict | None = None):
        self.doc, self.pos, self.type = doc, pos, ev.type
        keys = {} if keys is None else keys  # see _memo: equal arguments share one key
        # a long document repeats the same arguments many times: equal argument lists share their parts
        try:
            memo = ("profile", ev.type, tuple((a.role, a.text, a.value) for a in ev.arguments))
            parts = keys.get(memo)
            if parts is None:
                parts = keys[memo] = _parts(ev, keys)
        except TypeError:  # a value that is not hashable (a user's own type): no sharing
            parts = _parts(ev, keys)
        self.actors, self.places, self.amounts, span, self.tokens = parts
        self.explicit = span is not None
        self.span = span if span is not None else window(ev.status, date)


def _parts(ev, keys: dict) -> tuple:
    """What a mention's arguments offer for comparison: actors by class, places, amounts, stated time, tokens."""
    classes = KEY_ROLES.get(ev.type)
    actors: dict = {}
    places, amounts, spans = [], [], []
    for a in ev.arguments:
        cls = classes.get(a.role) if classes is not None else (a.role if a.role not in _NOT_ACTORS else None)
        if cls:
            k = _memo(keys, actor_key, a)
            if k and k not in actors.get(cls, ()):
                actors.setdefault(cls, []).append(k)
        elif a.role == "place":
            k = _memo(keys, place_key, a)
            if k:
                places.append(k)
        elif a.role == "amount":
            x = amount_key(a)
            if x is not None:
                amounts.append(x)
        elif a.role == "time":
            s = interval(a.value)
            if s:
                spans.append(s)
    # empty parts share one immutable object; nothing here is mutated later (stories copy on write)
    span = (min(s[0] for s in spans), max(s[1] for s in spans)) if spans else None
    tokens = tuple((cls, t) for cls, ks in actors.items() for k in ks for t in k.tokens)
    return (actors, tuple(places), frozenset(amounts) if amounts else _NONE, span, tokens)


_NONE: frozenset = frozenset()


def _memo(keys: dict, fn, arg):
    """``fn(arg)``, computed once per distinct (text, value): equal arguments share one key."""
    memo = (fn, arg.text, arg.value)
    try:
        return keys[memo]
    except KeyError:
        keys[memo] = key = fn(arg)
        return key
    except TypeError:  # a value that is not hashable (a user's own type): no sharing
        return fn(arg)


class _Cluster:
    __slots__ = ("id", "type", "actors", "places", "amounts", "span", "size", "docs")

    def __init__(self, cid: int, p: _Profile):
        # A story starts as its first mention's parts, shared and never mutated: most stories of a long
        # document have one mention, so the copies are made only when a second one joins. ``docs`` is
        # one document index until a story spans several, then a set.
        self.id, self.type = cid, p.type
        self.actors, self.places, self.amounts, self.span = p.actors, p.places, p.amounts, p.span
        self.size, self.docs = 1, p.doc

    def add(self, p: _Profile) -> None:
        if self.size == 1:
            self.actors = {cls: list(keys) for cls, keys in self.actors.items()}
            self.places = list(self.places)
        for cls, keys in p.actors.items():
            mine = self.actors.setdefault(cls, [])
            mine.extend(k for k in keys if k not in mine)
        self.places.extend(k for k in p.places if k not in self.places)
        if p.amounts:
            self.amounts = self.amounts | p.amounts
        if p.span and self.span:
            lo, hi = max(self.span[0], p.span[0]), min(self.span[1], p.span[1])
            if lo <= hi + 2 * SLACK:  # keep the tighter reading; the stated day wins over the window
                self.span = (min(lo, hi), max(lo, hi))
        elif p.span:
            self.span = p.span
        self.size += 1
        if isinstance(self.docs, set):
            self.docs.add(p.doc)
        elif p.doc != self.docs:
            self.docs = {self.docs, p.doc}

    def has_doc(self, doc: int) -> bool:
        return doc in self.docs if isinstance(self.docs, set) else doc == self.docs


def _fit(p: _Profile, c: _Cluster, need_actor: bool = True) -> float | None:
    """How well mention ``p`` fits story ``c`` (higher is better), or ``None`` when they cannot be one event."""
    if p.span and c.span and not (p.span[0] <= c.span[1] + SLACK and c.span[0] <= p.span[1] + SLACK):
        return None
    if amounts_conflict(p.amounts, c.amounts):
        return None
    sure = 0
    for cls in set(p.actors) | set(c.actors):
        mine, theirs = p.actors.get(cls), c.actors.get(cls)
        if not mine or not theirs:
            continue  # a role left unsaid is no contradiction
        ok, n = covered(mine, theirs)  # the mention names a subset of the story's actors...
        if not ok:
            ok, n = covered(theirs, mine)  # ...or the story so far names a subset of the mention's
            if not ok:
                return None
        sure += n
    if need_actor and not sure:
        return None
    place = 0.0
    if p.places and c.places:
        results = [compare_place(a, b) for a in p.places for b in c.places]
        if all(r == CONFLICT for r in results):
            return None
        place = 1.0 if MATCH in results else 0.0
    closeness = 0.0
    if p.span and c.span:  # prefer the story whose time is nearest
        closeness = 1.0 / (1.0 + abs((p.span[0] + p.span[1]) - (c.span[0] + c.span[1])) / 2)
    return 3.0 * sure + place + closeness + (2.0 if c.has_doc(p.doc) else 0.0)


def _weeks(span) -> list:
    if span is None or span[1] - span[0] > 7 * 16:
        return [None]
    return list(range(span[0] // 7, span[1] // 7 + 1))


def cluster(profiles: list[_Profile]) -> list[int]:
    """A story number for each profile (numbers are in creation order)."""
    label = [-1] * len(profiles)
    clusters: list[_Cluster] = []
    index: dict = defaultdict(list)  # (type, class, token, week) -> cluster ids, oldest first
    keyed = [i for i, p in enumerate(profiles) if p.tokens]
    # for the early stop below: the most keys a story of a type holds per class, and the documents
    # that already have a mention in some story (only those can earn the same-document bonus)
    most_keys: dict = defaultdict(int)
    docs_in_stories: set = set()
    # richest mentions first, so a sparse restatement ("Ukraine met ...") chooses among complete stories
    # instead of seeding one that would then absorb two different events
    keyed.sort(key=lambda i: (-len(profiles[i].tokens), not profiles[i].explicit,
                              profiles[i].span or (0, 0), profiles[i].doc, profiles[i].pos))
    for i in keyed:
        p = profiles[i]
        # a dated mention looks in its weeks and among undated stories; an undated one among all stories
        weeks = _weeks(p.span) + [None] if p.span else ["*"]
        by_token = []
        for cls, t in p.tokens:
            lists = [lst for w in weeks if (lst := index.get((p.type, cls, t, w)))]
            if lists:
                by_token.append((sum(map(len, lists)), lists))
        by_token.sort(key=lambda x: x[0])
        best, best_fit, second, seen = None, None, None, set()
        # The most any story can score for this mention (_fit's terms at their largest). Once the
        # second-best fit is within AMBIGUOUS of it, the mention is ambiguous whatever the remaining
        # candidates score, so scanning stops: the result is the same, only found sooner (without
        # this, a dense corpus scanned the whole budget for every ambiguous mention).
        sure_most = sum(max(len(keys), most_keys[p.type, cls]) for cls, keys in p.actors.items())
        ceiling = (3.0 * sure_most + (1.0 if p.places else 0.0) + (1.0 if p.span else 0.0)
                   + (2.0 if p.doc in docs_in_stories else 0.0))
        # the rarest actor first (a story containing all of the mention's actors is in its lists); the
        # others only when that finds nothing, for a story that names fewer actors than the mention
        for n, (_, lists) in enumerate(by_token):
            budget = SCAN_RAREST if n == 0 else SCAN_OTHER
            for lst in lists:
                for cid in reversed(lst[-budget:]):
                    if cid in seen:
                        continue
                    seen.add(cid)
                    f = _fit(p, clusters[cid])
                    if f is None:
                        continue
                    if best_fit is None or f > best_fit or (f == best_fit and cid < best):
                        second = best_fit
                        best, best_fit = cid, f
                    elif second is None or f > second:
                        second = f
                    if second is not None and second > ceiling - AMBIGUOUS:
                        break
                else:
                    continue
                break
            if best is not None:
                break
        if second is not None and second > best_fit - AMBIGUOUS:
            best = None  # fits two stories equally ("Ukraine met ..." on a day it met two countries): stand alone
        if best is None:
            best = len(clusters)
            clusters.append(_Cluster(best, p))
        else:
            clusters[best].add(p)
        label[i] = best
        for cls, keys in clusters[best].actors.items():
            if len(keys) > most_keys[p.type, cls]:
                most_keys[p.type, cls] = len(keys)
        docs_in_stories.add(p.doc)
        for cls, t in p.tokens:
            for w in _weeks(clusters[best].span) + ["*"]:
                lst = index[(p.type, cls, t, w)]
                if not lst or lst[-1] != best:
                    lst.append(best)
    # mentions naming no actor ("the sides discussed energy") join the nearest story of their type
    # in their own document, or stand alone
    # These mentions come in position order, so the ones already placed all precede the current one:
    # they live in their own append-only list, and the three nearest before it are the last three of
    # that list and of the keyed ones before it (inserting into one sorted list was quadratic).
    near: dict = defaultdict(list)
    for i in keyed:
        near[(profiles[i].doc, profiles[i].type)].append((profiles[i].pos, label[i]))
    for lst in near.values():
        lst.sort()
    placed: dict = defaultdict(list)
    for i in sorted((i for i, p in enumerate(profiles) if not p.tokens), key=lambda i: (profiles[i].doc, profiles[i].pos)):
        p = profiles[i]
        lst, done = near[(p.doc, p.type)], placed[(p.doc, p.type)]
        k = bisect.bisect_left(lst, (p.pos, -1))
        before = sorted(lst[max(0, k - 3):k] + done[-3:])[-3:]
        options = sorted(before + lst[k:k + 3], key=lambda x: (abs(x[0] - p.pos), x[0] > p.pos))
        for _, cid in options:
            if _fit(p, clusters[cid], need_actor=False) is not None:
                label[i] = cid
                clusters[cid].add(p)
                break
        else:
            label[i] = len(clusters)
            clusters.append(_Cluster(label[i], p))
        done.append((p.pos, label[i]))
    return label


@contextlib.contextmanager
def _gc_paused():
    """Merging allocates many small objects that live until it returns and form no garbage cycles; the
    cyclic collector re-scanned them over and over (half the time at 30k mentions, more with size), so
    it is paused meanwhile. Collection is only switched back on if it was on at entry."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def group_events(events, date=None) -> list[int]:
    """The ``group`` of each event of one document: 1 + the index of the first mention of its event.

    >>> from eventx.types import Argument, Event, Span
    >>> def met(a, b, place, when):
    ...     args = [Argument("participant", a, 0, 1, .9), Argument("participant", b, 0, 1, .9),
    ...             Argument("place", place, 0, 1, .9), Argument("time", when, 0, 1, .9)]
    ...     return Event("Meeting", "happened", .9, Span("met", 0, 3), tuple(args))
    >>> group_events([met("Japan", "Ukraine", "Tokyo", "on Monday"), met("Germany", "Ukraine", "Berlin", "on Friday"),
    ...               met("Ukraine", "Japan", "Tokyo", "Monday")])
    [1, 2, 1]
    """
    d = parse_date(date)
    with _gc_paused():
        keys: dict = {}
        labels = cluster([_Profile(ev, 0, i, d, keys) for i, ev in enumerate(events)])
    first: dict = {}
    return [first.setdefault(lab, i + 1) for i, lab in enumerate(labels)]


# ----------------------------------------------------------------------------------------------- merge
def merge(results, *, ids=None, dates=None) -> list[Story]:
    """One :class:`Story` per real-world event in ``results`` (one list of events per document).

    ``ids``: a document id per document (default: its index). ``dates``: each document's publication date
    (ISO string or ``datetime.date``; one value for all, or a list); they anchor the time window of mentions
    that state no time and order the status changes. Stories come in order of their first mention.

    >>> merge([[], []])
    []
    """
    results = [list(r) for r in results]
    n = len(results)
    ids = list(range(n)) if ids is None else list(ids)
    if len(ids) != n:
        raise ValueError(f"ids has {len(ids)} entries for {n} documents")
    if dates is None or isinstance(dates, str) or not hasattr(dates, "__len__"):
        dates = [dates] * n
    if len(dates) != n:
        raise ValueError(f"dates has {len(dates)} entries for {n} documents")
    days = [parse_date(x) for x in dates]
    with _gc_paused():
        keys: dict = {}
        profiles = [_Profile(ev, d, i, days[d], keys) for d, evs in enumerate(results) for i, ev in enumerate(evs)]
        labels = cluster(profiles)
        members: dict = defaultdict(list)
        for p, lab in zip(profiles, labels):
            members[lab].append((p.doc, p.pos))
        # chronological: by publication date (undated documents first, in input order), then position
        order = lambda m: (days[m[0]] if days[m[0]] is not None else -1, m[0], m[1])  # noqa: E731
        groups = sorted((sorted(ms, key=order) for ms in members.values()), key=lambda ms: order(ms[0]))
        return [_story(ms, results, ids, dates, days) for ms in groups]


def _story(ms, results, ids, dates, days) -> Story:
    events = [results[d][i] for d, i in ms]
    mentions = tuple(Mention(ids[d], i, ev.score, ev.status, None if dates[d] is None else str(dates[d])[:10])
                     for (d, i), ev in zip(ms, events))
    # statuses in time order, one entry per change
    statuses = []
    for m in mentions:
        if not statuses or statuses[-1][0] != m.status:
            statuses.append((m.status, m.date))
    # the latest reading: among the latest-dated sources, the most confident status
    last = days[ms[-1][0]]
    latest = [ev for (d, _), ev in zip(ms, events) if days[d] == last]
    status = max(latest, key=lambda ev: (ev.status_score, ev.score)).status
    per_doc: dict = {}
    for (d, _), ev in zip(ms, events):
        per_doc[d] = max(per_doc.get(d, 0.0), ev.score)
    miss = 1.0
    for s in per_doc.values():
        miss *= 1.0 - s
    return Story(events[0].type, status, tuple(statuses), _merge_arguments(ms, events),
                 _resolve_time(ms, events, status), mentions, 1.0 - miss)


def _arg_id(a):
    if a.value is not None:
        return (a.role, a.value)
    return (a.role, stems(a.text) or a.text.lower())


def _merge_arguments(ms, events) -> tuple:
    texts: dict = defaultdict(Counter)
    docs: dict = defaultdict(set)
    values: dict = {}
    for (d, _), ev in zip(ms, events):
        for a in ev.arguments:
            k = _arg_id(a)
            texts[k][a.text] += 1
            docs[k].add(d)
            values.setdefault(k, a.value)
    out = [MergedArgument(k[0], max(c, key=c.__getitem__), values[k], tuple(c), len(docs[k])) for k, c in texts.items()]
    roles = list(dict.fromkeys(k[0] for k in texts))
    return tuple(sorted(out, key=lambda a: (roles.index(a.role), -a.sources)))


def _resolve_time(ms, events, status) -> TimeValue | None:
    """The narrowest stated time, preferring sources that give the story's final status."""
    best = None
    for prefer in (True, False):
        for ev in events:
            if prefer and ev.status != status:
                continue
            for a in ev.argument("time"):
                tv = time_value(a.value)
                span = interval(tv) if tv else None
                if span and (best is None or span[1] - span[0] < best[0][1] - best[0][0]):
                    best = (span, tv)
        if best:
            return best[1]
    return None
