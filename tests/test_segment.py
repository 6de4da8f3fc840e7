"""eventx.segment: sentence splitting with exact character offsets."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventx import segment as S
from eventx.segment import split_sentences


def sents(text):
    spans = split_sentences(text)
    for s, e in spans:
        piece = text[s:e]
        assert piece and piece == piece.strip(), (s, e, piece)
    assert spans == sorted(spans)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
    return [text[s:e] for s, e in spans]


@pytest.mark.parametrize("text,expected", [
    # Ukrainian
    ("Міністр зустрівся з колегою. Сторони підписали меморандум.",
     ["Міністр зустрівся з колегою.", "Сторони підписали меморандум."]),
    ("Україна отримає 5 млн. доларів. Це повідомив міністр.",
     ["Україна отримає 5 млн. доларів.", "Це повідомив міністр."]),
    ("Зустріч відбулася в м. Київ. Далі буде.", ["Зустріч відбулася в м. Київ.", "Далі буде."]),
    ("Японія надасть 5 млн. USD Україні. Це нова допомога.", ["Японія надасть 5 млн. USD Україні.",
                                                              "Це нова допомога."]),
    ("Виділено 2 млрд. Гривень не вистачає.", ["Виділено 2 млрд. Гривень не вистачає."]),
    ("Україна — член ЄС? Ні. Поки що!", ["Україна — член ЄС?", "Ні.", "Поки що!"]),
    ("Г. Накатані прибув. Він сказав.", ["Г. Накатані прибув.", "Він сказав."]),
    # Russian
    ("США выделят 300 млн долл. Украине. Об этом сообщил Госдеп.",
     ["США выделят 300 млн долл. Украине.", "Об этом сообщил Госдеп."]),
    ("Встреча прошла 8 апреля. 9 апреля будет вторая.", ["Встреча прошла 8 апреля.", "9 апреля будет вторая."]),
    ("Он сказал: «Мы договорились». Потом ушёл.", ["Он сказал: «Мы договорились».", "Потом ушёл."]),
    ("Визит в г. Токио. В. В. Иванов не приехал.", ["Визит в г. Токио.", "В. В. Иванов не приехал."]),
    # English
    ("The U.S. pledged aid. Mr. Smith said so. J. R. Smith agreed.",
     ["The U.S. pledged aid.", "Mr. Smith said so.", "J. R. Smith agreed."]),
    ("Mr. Smith met Mrs. Jones. Then Dr. Who left.", ["Mr. Smith met Mrs. Jones.", "Then Dr. Who left."]),
    ("Talks in St. Petersburg ended. Next round in Jan. 2027 perhaps.",
     ["Talks in St. Petersburg ended.", "Next round in Jan. 2027 perhaps."]),
    ('He said: "We agreed." Then he left.', ['He said: "We agreed."', "Then he left."]),
    ("The talks (in Kyiv.) Ended well.", ["The talks (in Kyiv.)", "Ended well."]),
    ("Wait... What? Yes!  Really.", ["Wait...", "What?", "Yes!", "Really."]),
    ("Price was 3.5 million. New deal.", ["Price was 3.5 million.", "New deal."]),
    ("In 2025. 5 people came.", ["In 2025. 5 people came."]),        # number then number: no boundary
    ("It costs $5 bn. in total.", ["It costs $5 bn. in total."]),       # lowercase next word: no boundary
    ("See e.g. The Times. Done.", ["See e.g. The Times.", "Done."]),
    ("The U.N. Security Council met. Then it voted.", ["The U.N. Security Council met.", "Then it voted."]),
    ("Talks began at 10 a.m. Kyiv time. They ended late.", ["Talks began at 10 a.m. Kyiv time.",
                                                            "They ended late."]),
    ("Version 2.0 released.Next", ["Version 2.0 released.Next"]),        # no space after the full stop
    # datelines
    ("КИЇВ, 8 квітня. Міністр зустрівся з колегою.", ["КИЇВ, 8 квітня.", "Міністр зустрівся з колегою."]),
    ("MOSCOW, April 8 (Reuters) - Talks ended. Next round in May.",
     ["MOSCOW, April 8 (Reuters) - Talks ended.", "Next round in May."]),
    ("TOKYO — Japan pledged aid. Ukraine thanked it.", ["TOKYO — Japan pledged aid.", "Ukraine thanked it."]),
    # CJK
    ("日本はPURLに参加した。岸田首相は述べた。", ["日本はPURLに参加した。", "岸田首相は述べた。"]),
    ("会談は成功した！次は来月か？はい。", ["会談は成功した！", "次は来月か？", "はい。"]),
    ("中国和乌克兰签署了协议。双方表示满意。", ["中国和乌克兰签署了协议。", "双方表示满意。"]),
])
def test_split(text, expected):
    assert sents(text) == expected


def test_newlines_always_split_and_whitespace_is_trimmed():
    text = "Headline without period\nBody text here. second part\r\n\r\n   \n  Indented line  \rLast"
    assert sents(text) == ["Headline without period", "Body text here. second part", "Indented line", "Last"]
    spans = split_sentences(text)
    assert spans[0] == (0, 23)
    assert text[spans[2][0]:spans[2][1]] == "Indented line"


def test_newline_splits_even_after_abbreviation():
    assert sents("Виділено 5 млн.\nДалі") == ["Виділено 5 млн.", "Далі"]
    assert sents("Mr.\nSmith") == ["Mr.", "Smith"]


def test_empty_and_blank_texts():
    assert split_sentences("") == []
    assert split_sentences("   \n\t \r\n") == []
    assert split_sentences("x") == [(0, 1)]


def test_offsets_map_into_the_original_text_with_surrounding_whitespace():
    text = "\n\n  Перше речення.   Друге речення!\t\n Третє "
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == ["Перше речення.", "Друге речення!", "Третє"]
    assert spans[0] == (4, 18)
    assert spans[-1] == (len(text) - 6, len(text) - 1)


def test_nbsp_and_ideographic_spaces_are_trimmed():
    text = "\u00a0Japan joined.\u00a0Estonia too.\u3000"
    assert sents(text) == ["Japan joined.", "Estonia too."]


def test_cjk_sentence_end_inside_closing_quote():
    text = "首相は「協力を続ける。」と述べた。次の会合は5月だ。"
    assert sents(text) == ["首相は「協力を続ける。」と述べた。", "次の会合は5月だ。"]


WORDS = st.sampled_from(["Japan", "joined", "PURL.", "Mr.", "U.S.", "млн.", "Київ.", "Він", "5", "2025.",
                         "«Так».", "what?", "Yes!", "日本。", "and", "(Kyiv.)", "—", "..."])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(WORDS, st.sampled_from([" ", "  ", "\n", " \r\n ", "\t", "\u00a0"])), max_size=25))
def test_sentences_cover_all_non_space_text_in_order(parts):
    text = "".join(w + sep for w, sep in parts)
    spans = split_sentences(text)
    for s, e in spans:
        piece = text[s:e]
        assert piece and piece == piece.strip()
        assert "\n" not in piece and "\r" not in piece
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
    # nothing but whitespace is left out
    covered = set()
    for s, e in spans:
        covered.update(range(s, e))
    assert all(text[i].isspace() for i in range(len(text)) if i not in covered)


def test_module_doctests():
    import doctest

    assert doctest.testmod(S).failed == 0
