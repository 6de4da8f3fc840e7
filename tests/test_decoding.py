"""eventx.decoding: pure functions from hand-written probabilities to character spans."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventx import decoding as Dec
from eventx.decoding import (bio_tags, decode_spans, drop_possessive, join_adjacent, snap_to_words, softmax, token_mask,
                             trim_span, visible_offsets)

TEXT = "Ukraine and Japan signed a deal in Tokyo."
#        0      7   11    17     24 26   31 34    40
OFFSETS = [(0, 0), (0, 7), (8, 11), (12, 17), (18, 24), (25, 26), (27, 31), (32, 34), (35, 40), (40, 41), (0, 0)]
LABELS = ["O", "B-X", "I-X", "B-Y", "I-Y"]


def probs_for(tags, labels=LABELS):
    """One row per token: probability p on the named tag, the rest spread evenly over the other tags."""
    rows = []
    for tag, p in tags:
        row = np.full(len(labels), (1 - p) / (len(labels) - 1))
        row[labels.index(tag)] = p
        rows.append(row)
    return np.array(rows)


def O(p=0.9):
    return ("O", p)


def test_softmax_rows_sum_to_one_and_keep_order():
    x = np.array([[1.0, 2.0, 3.0], [1000.0, 1000.0, 1000.0]])
    p = softmax(x)
    np.testing.assert_allclose(p.sum(-1), 1.0)
    assert (np.argsort(p[0]) == [0, 1, 2]).all()
    np.testing.assert_allclose(p[1], [1 / 3] * 3)


# ---------------------------------------------------------------- decode_spans

def test_b_then_i_is_one_span_scored_by_mean_probability():
    probs = probs_for([O(), ("B-X", .8), ("I-X", .6), ("B-Y", .7), O(), O(), O(), O(), O(), O(), O()])
    assert decode_spans(probs, OFFSETS, LABELS, TEXT) == [("X", 0, 11, pytest.approx(0.7)),
                                                          ("Y", 12, 17, pytest.approx(0.7))]


def test_i_without_b_starts_a_span():
    probs = probs_for([O(), O(), ("I-X", .5), ("I-X", .9), O(), O(), O(), O(), O(), O(), O()])
    assert decode_spans(probs, OFFSETS, LABELS, TEXT) == [("X", 8, 17, pytest.approx(0.7))]


def test_type_switch_inside_a_run_closes_the_span():
    # B-X I-X I-Y I-Y: X over 'Ukraine and', Y over 'Japan signed'
    probs = probs_for([O(), ("B-X", .9), ("I-X", .9), ("I-Y", .6), ("I-Y", .8), O(), O(), O(), O(), O(), O()])
    assert decode_spans(probs, OFFSETS, LABELS, TEXT) == [("X", 0, 11, pytest.approx(0.9)),
                                                          ("Y", 12, 24, pytest.approx(0.7))]


def test_b_after_b_starts_a_new_span_and_o_closes():
    probs = probs_for([O(), ("B-X", .9), ("B-X", .5), O(), ("B-X", .6), ("I-X", .6), O(), O(), O(), O(), O()])
    assert decode_spans(probs, OFFSETS, LABELS, TEXT) == [
        ("X", 0, 7, pytest.approx(.9)), ("X", 8, 11, pytest.approx(.5)), ("X", 18, 26, pytest.approx(.6))]


def test_join_adjacent_merges_a_phrase_split_by_two_b_tags_but_not_a_list():
    # B-X B-X B-X over 'Ukraine and Japan' is one phrase split by the tagger; 'Tokyo' is a word away
    probs = probs_for([O(), ("B-X", .9), ("B-X", .5), ("B-X", .7), O(), O(), O(), O(), ("B-X", .8), O(), O()])
    spans = decode_spans(probs, OFFSETS, LABELS, TEXT)
    assert [sp[1:3] for sp in spans] == [(0, 7), (8, 11), (12, 17), (35, 40)]
    joined = join_adjacent(spans, TEXT)
    assert [sp[1:3] for sp in joined] == [(0, 17), (35, 40)]
    assert joined[0][3] == pytest.approx(((.9 + .5) / 2 + .7) / 2)


def test_join_adjacent_keeps_spans_apart_across_punctuation_other_names_and_base():
    text = "Chile, Peru Peru"
    spans = [("X", 0, 5, .9), ("X", 7, 11, .9), ("Y", 12, 16, .9)]
    assert join_adjacent(spans, text) == spans  # comma between, then a different name
    shifted = [(n, s + 100, e + 100, p) for n, s, e, p in [("X", 7, 11, .5), ("X", 12, 16, .5)]]
    assert join_adjacent(shifted, text, base=100) == [("X", 107, 116, .5)]


def test_span_open_at_the_end_is_closed():
    offsets = OFFSETS[:-1]  # no final special token
    probs = probs_for([O()] * 8 + [("B-Y", .9), ("I-Y", .9)])
    # 'Tokyo.' -> trailing full stop is trimmed
    assert decode_spans(probs, offsets, LABELS, TEXT) == [("Y", 35, 40, pytest.approx(.9))]


def test_allowed_mask_picks_the_best_allowed_tag_and_scores_its_own_probability():
    row = [0.05, 0.25, 0.05, 0.6, 0.05]  # best tag B-Y, second best B-X
    probs = np.array([[1, 0, 0, 0, 0], row] + [[1, 0, 0, 0, 0]] * 9, dtype=float)
    assert decode_spans(probs, OFFSETS, LABELS, TEXT) == [("Y", 0, 7, pytest.approx(.6))]
    allowed = [True, True, True, False, False]
    assert decode_spans(probs, OFFSETS, LABELS, TEXT, allowed=allowed) == [("X", 0, 7, pytest.approx(.25))]
    # with everything but O masked there is nothing to find
    assert decode_spans(probs, OFFSETS, LABELS, TEXT, allowed=[True, False, False, False, False]) == []


def test_special_tokens_are_skipped_even_when_tagged():
    probs = probs_for([("B-X", .99)] + [O()] * 9 + [("B-Y", .99)])
    assert decode_spans(probs, OFFSETS, LABELS, TEXT) == []


def test_base_offset_is_added():
    probs = probs_for([O(), O(), O(), ("B-X", .8), O(), O(), O(), O(), O(), O(), O()])
    assert decode_spans(probs, OFFSETS, LABELS, TEXT, base=100) == [("X", 112, 117, pytest.approx(.8))]


def test_subword_tags_snap_to_the_whole_word():
    text = "Talks in Tokyo ended"
    offsets = [(0, 0), (0, 5), (6, 8), (9, 12), (12, 14), (15, 20), (0, 0)]  # Tok|yo
    probs = probs_for([O(), O(), O(), O(), ("B-X", .7), O(), O()])
    assert decode_spans(probs, offsets, LABELS, text) == [("X", 9, 14, pytest.approx(.7))]
    probs = probs_for([O(), O(), O(), ("B-X", .7), O(), O(), O()])
    assert decode_spans(probs, offsets, LABELS, text) == [("X", 9, 14, pytest.approx(.7))]


@pytest.mark.parametrize("apostrophe", ["'", "\u2019", "\u02bc"])
def test_a_ukrainian_word_with_an_apostrophe_is_one_span(apostrophe):
    word = f"зобов{apostrophe}язалися"
    text = f"Вони {word} допомогти"
    offsets = [(0, 0), (0, 4), (5, 10), (10, 11), (11, 18), (19, 28), (0, 0)]  # зобов|'|язалися
    probs = probs_for([O(), O(), ("B-X", .9), O(), ("B-X", .7), O(), O()])
    assert decode_spans(probs, offsets, LABELS, text) == [("X", 5, 18, pytest.approx(.9))]


def test_an_english_possessive_stays_outside_the_span():
    text = "Japan's aid"
    offsets = [(0, 0), (0, 5), (5, 7), (8, 11), (0, 0)]
    probs = probs_for([O(), ("B-X", .9), O(), O(), O()])
    assert decode_spans(probs, offsets, LABELS, text) == [("X", 0, 5, pytest.approx(.9))]


def test_overlapping_spans_after_snapping_keep_the_better_one():
    text = "Talks in Tokyo ended"
    offsets = [(0, 0), (0, 5), (6, 8), (9, 12), (12, 14), (15, 20), (0, 0)]
    probs = probs_for([O(), O(), O(), ("B-X", .6), ("B-X", .8), O(), O()])
    assert decode_spans(probs, offsets, LABELS, text) == [("X", 9, 14, pytest.approx(.8))]
    probs = probs_for([O(), O(), O(), ("B-X", .9), ("B-X", .8), O(), O()])
    assert decode_spans(probs, offsets, LABELS, text) == [("X", 9, 14, pytest.approx(.9))]
    # different names are both kept
    probs = probs_for([O(), O(), O(), ("B-X", .9), ("B-Y", .8), O(), O()])
    assert decode_spans(probs, offsets, LABELS, text) == [("X", 9, 14, pytest.approx(.9)),
                                                          ("Y", 9, 14, pytest.approx(.8))]


def test_spans_are_trimmed_and_punctuation_only_spans_dropped():
    text = 'He said: "Drone Coalition", then left.'
    #        0       8 9 10                 26
    offsets = [(0, 0), (0, 2), (3, 7), (7, 8), (9, 10), (10, 15), (16, 25), (25, 26), (26, 27), (28, 32),
               (33, 37), (37, 38), (0, 0)]
    # tags cover ': "Drone Coalition",' -> trimmed to the balanced quoted name
    tags = [O(), O(), O(), ("B-X", .8), ("I-X", .8), ("I-X", .8), ("I-X", .8), ("I-X", .8), ("I-X", .8),
            O(), O(), ("B-Y", .9), O()]
    assert decode_spans(probs_for(tags), offsets, LABELS, text) == [("X", 9, 26, pytest.approx(.8))]
    assert text[9:26] == '"Drone Coalition"'


def test_metaspace_offsets_with_leading_space():
    text = "Japan joined PURL"
    raw = [(0, 0), (0, 5), (5, 12), (12, 17), (0, 0)]
    probs = probs_for([O(), O(), ("B-X", .8), ("I-X", .6), O()])
    assert decode_spans(probs, raw, LABELS, text) == [("X", 6, 17, pytest.approx(.7))]
    assert decode_spans(probs, visible_offsets(raw, text), LABELS, text) == [("X", 6, 17, pytest.approx(.7))]


def test_accepts_lists_and_returns_python_floats():
    probs = probs_for([O(), ("B-X", .75)] + [O()] * 9).tolist()
    out = decode_spans(probs, OFFSETS, LABELS, TEXT)
    assert out == [("X", 0, 7, .75)] and type(out[0][3]) is float


# ---------------------------------------------------------------- trim_span

@pytest.mark.parametrize("piece,expected", [
    ('"Drone Coalition"', '"Drone Coalition"'),
    ('Coalition"', "Coalition"),
    ('"Coalition', "Coalition"),
    ("(NATO)", "(NATO)"),
    ("NATO)", "NATO"),
    ("(NATO", "NATO"),
    ("«Рамштайн»", "«Рамштайн»"),
    ("«Рамштайн", "Рамштайн"),
    ("Рамштайн»", "Рамштайн"),
    ("„Rammstein“", "„Rammstein“"),
    ("“Rammstein”", "“Rammstein”"),
    ("'PURL'", "'PURL'"),
    ("PURL'", "PURL"),
    ("it's", "it's"),
    ("...talks!", "talks"),
    (" - NATO - ", "NATO"),
    ("\u00a0NATO,\n", "NATO"),
    ("the EU;", "the EU"),
    ("«Drone Coalition».", "«Drone Coalition»"),
    ('"a" "b"', '"a" "b"'),
    ('"a" b"', '"a" b'),
    ("(a) b", "(a) b"),
    ("—", ""),
    ('"', ""),
    ("  ", ""),
])
def test_trim_span(piece, expected):
    text = "<<" + piece + ">>"
    s, e = trim_span(text, 2, 2 + len(piece))
    assert text[s:e] == expected
    if expected:
        assert 2 <= s < e <= 2 + len(piece)
    else:
        assert s == e


def test_trim_span_docstring_example_and_empty_range():
    t = "to the «Drone Coalition», said"
    assert trim_span(t, 7, 25) == (7, 24)
    assert trim_span(t, 8, 24) == (8, 23)
    assert trim_span(t, 5, 5) == (5, 5)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=" ,.;:!?\"'«»„“”()[]-—abcЯї日", max_size=20), st.data())
def test_trim_span_properties(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    s, e = trim_span(text, start, end)
    assert start <= s <= e <= end
    if s < e:
        piece = text[s:e]
        assert not piece[0].isspace() and not piece[-1].isspace()
        assert trim_span(text, s, e) == (s, e)  # idempotent


# ---------------------------------------------------------------- snap_to_words

@pytest.mark.parametrize("text,start,end,expected", [
    ("з Японією", 2, 6, (2, 9)),
    ("з Японією", 4, 9, (2, 9)),
    ("з Японією", 4, 5, (2, 9)),
    ("Japan joined", 0, 5, (0, 5)),
    ("Japan joined", 6, 12, (6, 12)),
    ("UK-led", 3, 5, (3, 6)),           # stops at the hyphen after a capital
    ("прем'єр-міністр", 0, 7, (0, 15)),  # a hyphen between lower-case letters is inside the word
    ("віце-прем'єр", 5, 12, (0, 12)),
    ("EU-Ukraine summit", 0, 2, (0, 2)),  # capitals on both sides: two names
    ("co-chair", 0, 2, (0, 8)),
    ("$4.5 billion", 1, 2, (1, 2)),     # '4' then '.': no growing across punctuation
    ("日本とウクライナ", 1, 2, (0, 8)),  # no spaces: the whole alnum run
    ("abc", 0, 3, (0, 3)),
])
def test_snap_to_words(text, start, end, expected):
    assert snap_to_words(text, start, end) == expected


def test_decoded_span_skips_a_possessive_s():
    # tokens "Japan" "'" "s" "drone" "plant": the tagger opened the span on the apostrophe
    text = "Japan's drone plant"
    offsets = [(0, 0), (0, 5), (5, 6), (6, 7), (7, 13), (13, 19), (0, 0)]
    labels = ["O", "B-aid", "I-aid"]
    probs = np.array([[1, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 0, 1], [0, 0, 1], [1, 0, 0]])
    assert [text[s:e] for _, s, e, _ in decode_spans(probs, offsets, labels, text)] == ["drone plant"]
    assert drop_possessive("Japan's", 6, 7) == (6, 7)      # nothing after the "s": left alone
    assert drop_possessive("Kyiv's aid", 0, 4) == (0, 4)


# ---------------------------------------------------------------- offsets, masks, tags

def test_visible_offsets():
    text = "Japan  joined\u00a0PURL"
    raw = [(0, 0), (0, 5), (5, 13), (13, 18), (5, 7), (0, 0)]
    assert visible_offsets(raw, text) == [(0, 0), (0, 5), (7, 13), (14, 18), (7, 7), (0, 0)]


def test_token_mask():
    offs = [(0, 0), (0, 5), (6, 12), (13, 17), (0, 0)]
    assert token_mask(offs, 6, 12) == [0, 0, 1, 0, 0]
    assert token_mask(offs, 0, 17) == [0, 1, 1, 1, 0]
    assert token_mask(offs, 3, 7) == [0, 1, 1, 0, 0]     # partial overlap counts
    assert token_mask(offs, 5, 6) == [0, 0, 0, 0, 0]     # the space between tokens
    assert token_mask(offs, 12, 13) == [0, 0, 0, 0, 0]


def test_bio_tags_basic_and_specials():
    offs = [(0, 0), (0, 5), (6, 12), (13, 17), (0, 0)]
    assert bio_tags(offs, []) == ["-", "O", "O", "O", "-"]
    assert bio_tags(offs, [("X", 6, 17)]) == ["-", "O", "B-X", "I-X", "-"]
    assert bio_tags(offs, [("Y", 13, 17), ("X", 0, 5)]) == ["-", "B-X", "O", "B-Y", "-"]


def test_bio_tags_overlaps_earlier_then_longer_wins():
    offs = [(0, 0), (0, 5), (6, 12), (13, 17), (0, 0)]
    # same start: the longer one wins
    assert bio_tags(offs, [("S", 0, 5), ("L", 0, 12)]) == ["-", "B-L", "I-L", "O", "-"]
    # the earlier one wins; the later one keeps only its free tokens, starting with B
    assert bio_tags(offs, [("B", 6, 17), ("A", 0, 12)]) == ["-", "B-A", "I-A", "B-B", "-"]


def test_bio_tags_within_one_word_subwords():
    text = "Talks in Tokyo"
    offs = [(0, 0), (0, 5), (6, 8), (9, 12), (12, 14), (0, 0)]
    assert bio_tags(offs, [("X", 9, 14)]) == ["-", "O", "O", "B-X", "I-X", "-"]
    assert text[9:14] == "Tokyo"


WORD = st.text(alphabet="abcXYZабвЇї日本7", min_size=1, max_size=6)


@st.composite
def tagged_text(draw):
    """Words joined by spaces, split into subword tokens (metaspace style: a token may include the space
    before it), and non-overlapping spans of whole words."""
    words = draw(st.lists(WORD, min_size=1, max_size=10))
    text, word_spans = "", []
    for w in words:
        if text:
            text += " "
        word_spans.append((len(text), len(text) + len(w)))
        text += w
    raw = [(0, 0)]
    for ws, we in word_spans:
        cuts = sorted(set(draw(st.lists(st.integers(ws + 1, max(ws + 1, we - 1)), max_size=2)) if we - ws > 1
                          else []))
        bounds = [ws] + [c for c in cuts if ws < c < we] + [we]
        for k, (a, b) in enumerate(zip(bounds, bounds[1:])):
            lead = 1 if k == 0 and a > 0 and draw(st.booleans()) else 0
            raw.append((a - lead, b))
    raw.append((0, 0))
    spans, i = [], 0
    while i < len(words):
        if draw(st.booleans()):
            j = draw(st.integers(i, min(len(words) - 1, i + 2)))
            spans.append((draw(st.sampled_from(["A", "B"])), word_spans[i][0], word_spans[j][1]))
            i = j + 1
        else:
            i += 1
    return text, raw, spans


@settings(max_examples=300, deadline=None)
@given(tagged_text())
def test_round_trip_spans_to_bio_tags_to_decoded_spans(case):
    text, raw, spans = case
    offs = visible_offsets(raw, text)
    labels = ["O", "B-A", "I-A", "B-B", "I-B"]
    tags = bio_tags(offs, spans)
    assert len(tags) == len(offs)
    probs = np.zeros((len(offs), len(labels)))
    for i, t in enumerate(tags):
        probs[i, labels.index("O" if t == "-" else t)] = 1.0
    decoded = decode_spans(probs, offs, labels, text)
    assert decoded == [(n, s, e, 1.0) for n, s, e in spans]
    # decoding with the raw (space-including) offsets gives the same spans
    assert decode_spans(probs, raw, labels, text) == decoded


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab .,«»\"", min_size=1, max_size=12), st.data())
def test_decoded_spans_are_clean_and_inside_the_text(text, data):
    # one token per character; random probabilities
    offs = [(0, 0)] + [(i, i + 1) for i in range(len(text))] + [(0, 0)]
    p = np.array(data.draw(st.lists(st.lists(st.floats(0.01, 1), min_size=5, max_size=5),
                                    min_size=len(offs), max_size=len(offs))))
    p = p / p.sum(1, keepdims=True)
    for name, s, e, score in decode_spans(p, offs, LABELS, text, base=7):
        s, e = s - 7, e - 7
        assert 0 <= s < e <= len(text) and name in ("X", "Y")
        assert not text[s].isspace() and not text[e - 1].isspace()
        assert 0 < score <= 1


def test_module_doctests():
    import doctest

    assert doctest.testmod(Dec).failed == 0
