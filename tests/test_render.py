"""eventx.render: escaping, highlighted spans, shared arguments, overlaps, unknown types."""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from eventx.render import render, render_page, type_color
from eventx.types import Argument, Event, Span


def span(text, s, after=0):
    i = text.index(s, after)
    return Span(s, i, i + len(s))


def arg(text, role, s, score=0.9, after=0, value=None):
    x = span(text, s, after)
    return Argument(role, x.text, x.start, x.end, score, value)


class Dom(HTMLParser):
    """Text inside each mark id (from data-m segments), the plain text of .ex-text without labels, titles."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.marks, self.plain, self.titles, self.scripts = [], {}, [], [], 0
        self.in_text = self.in_label = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = (a.get("class") or "").split()
        self.scripts += tag == "script"
        if "title" in a:
            self.titles.append(a["title"])
        frame = (tag, a.get("data-m", "").split(), "ex-text" in cls, bool({"ex-role", "ex-badge"} & set(cls)))
        self.stack.append(frame)
        self.in_text += frame[2]
        self.in_label += frame[3]

    def handle_endtag(self, tag):
        while self.stack:
            t, _, is_text, is_label = self.stack.pop()
            self.in_text -= is_text
            self.in_label -= is_label
            if t == tag:
                break

    def handle_data(self, data):
        if self.in_text and not self.in_label:
            self.plain.append(data)
            for _, ids, _, _ in self.stack:
                for mid in ids:
                    self.marks[mid] = self.marks.get(mid, "") + data


def parse(out: str) -> Dom:
    d = Dom()
    d.feed(out)
    d.close()
    return d


UK = ("Президент Володимир Зеленський зустрівся з прем'єром Японії у Києві. "
      "Сторони підписали угоду; Японія надасть Україні 500 млн доларів допомоги.")


def uk_events():
    t = UK
    zel, jap = "Володимир Зеленський", "прем'єром Японії"
    meeting = Event("Meeting", "happened", 0.95, span(t, "зустрівся"),
                    (arg(t, "participant", zel), arg(t, "participant", jap), arg(t, "place", "Києві")))
    agreement = Event("Agreement", "happened", 0.88, span(t, "підписали"),
                      (arg(t, "party", zel), arg(t, "party", jap), arg(t, "subject", "угоду")))
    aid = Event("AidPackage", "planned", 0.81, span(t, "допомоги"),
                (arg(t, "donor", "Японія"), arg(t, "recipient", "Україні"), arg(t, "amount", "500 млн доларів")))
    return [meeting, agreement, aid]


def test_every_trigger_and_argument_inside_a_highlighted_element():
    events = uk_events()
    out = render(UK, events)
    dom = parse(out)
    for n, ev in enumerate(events, 1):
        assert dom.marks[f"e{n}-t"] == ev.trigger.text
        for k, a in enumerate(ev.arguments):
            assert dom.marks[f"e{n}-a{k}"] == a.text == UK[a.start:a.end]
    assert "".join(dom.plain) == UK  # labels aside, the text is intact
    # status and score visible on each trigger badge and in hover titles
    assert "E1 Meeting · happened 0.95" in out and "E3 AidPackage · planned 0.81" in out
    assert any("status planned" in t and "score 0.81" in t for t in dom.titles)
    for t in ("Meeting", "Agreement", "AidPackage"):
        assert type_color(t) in out


def test_script_tags_are_escaped():
    text = 'Київ <script>alert(1)</script> зустріч "x" & \'y\''
    ev = Event("Meeting", "happened", 0.9, span(text, "зустріч"), (arg(text, "place", "Київ"),))
    for out in (render(text, [ev]), render_page(text, [ev], title="<script>alert(2)</script>")):
        assert "<script" not in out.lower()
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
        assert "".join(parse(out).plain) == text
        assert parse(out).scripts == 0


def test_attribute_values_are_escaped():
    text = 'Say "hi" onclick=\'x\' <b> & go'
    weird = Event('Type" onmouseover="alert(1)', "sta'tus\"", 0.5, span(text, '"hi" onclick=\'x\''),
                  (Argument('role"><img src=x onerror=alert(1)>', "<b>", text.index("<b>"), text.index("<b>") + 3, 0.4),))
    out = render(text, [weird])
    assert "<img" not in out and "<b>" not in out
    assert 'onmouseover="' not in out
    dom = parse(out)
    assert dom.marks["e1-t"] == '"hi" onclick=\'x\''
    assert dom.marks["e1-a0"] == "<b>"
    # the hostile names survive as text inside titles (decoded by the parser), never as attributes
    assert any('Type" onmouseover="alert(1)' in t for t in dom.titles)
    for m in re.finditer(r'<[a-z]+\s[^>]*>', out):
        names = re.findall(r'\s([a-z-]+)=', re.sub(r'"[^"]*"', '""', m.group(0)))
        assert set(names) <= {"class", "style", "title", "data-m"}, m.group(0)


def test_shared_arguments_list_all_events_and_roles():
    out = render(UK, uk_events())
    label = re.search(r'<sub class="ex-role ex-shared"[^>]*>(.*?)</sub>', out).group(1)
    text = html.unescape(re.sub(r"<[^>]+>", "", label))
    assert text == "E1 participant · E2 party"
    assert out.count("ex-role ex-shared") == 2  # Зеленський and прем'єром Японії
    seg = re.search(r'<span class="ex-seg ex-arg ex-shared" data-m="([^"]*)"[^>]*>Володимир Зеленський<', out)
    assert seg and seg.group(1) == "e1-a0 e2-a0"


def test_overlapping_and_nested_spans():
    text = "The EU aid package for Ukraine"
    # trigger "aid package" overlaps donor "The EU aid" and aid "package for Ukraine", which contains "Ukraine"
    ev = Event("AidPackage", "happened", 0.9, span(text, "aid package"),
               (Argument("donor", "The EU aid", 0, 10, 0.5),
                Argument("recipient", "Ukraine", 23, 30, 0.8),
                Argument("aid", "package for Ukraine", 11, 30, 0.6)))
    out = render(text, [ev])
    dom = parse(out)
    assert dom.marks == {"e1-t": "aid package", "e1-a0": "The EU aid", "e1-a1": "Ukraine",
                         "e1-a2": "package for Ukraine"}
    assert "".join(dom.plain) == text
    assert re.search(r'data-m="e1-t e1-a0"[^>]*>aid<', out)  # covered by trigger and donor
    assert re.search(r'data-m="e1-t e1-a2"[^>]*>package<', out)
    assert re.search(r'data-m="e1-a1 e1-a2"[^>]*>Ukraine<', out)
    seg = re.search(r'data-m="e1-t e1-a0"[^>]*title="([^"]*)"', out).group(1)
    assert "trigger" in html.unescape(seg) and "donor" in html.unescape(seg)


def test_out_of_range_and_empty_spans_are_ignored():
    text = "short"
    ev = Event("Meeting", "happened", 0.9, Span("short", 0, 5),
               (Argument("place", "", 3, 3, 0.1), Argument("time", "x", 4, 99, 0.1), Argument("topic", "y", 9, 12, 0.1)))
    dom = parse(render(text, [ev]))
    assert "".join(dom.plain) == text
    assert dom.marks == {"e1-t": "short", "e1-a1": "t"}


def test_empty_events_give_escaped_text_only():
    text = "Line one <b>&\nline two"
    out = render(text, [])
    assert re.search(r'<div class="ex-text">(.*?)</div>', out, re.S).group(1) == html.escape(text)
    assert 'class="ex-seg' not in out and 'class="ex-legend' not in out and 'class="ex-badge' not in out
    assert "pre-wrap" in out  # newlines preserved when displayed


def test_unknown_type_gets_a_stable_colour():
    text = "Drones struck a depot."
    ev = Event("Strike", "happened", 0.7, span(text, "struck"), (arg(text, "target", "a depot"),))
    out = render(text, [ev])
    colour = type_color("Strike")
    assert re.fullmatch(r"hsl\(\d{1,3},62%,40%\)", colour)
    assert colour == type_color("Strike") and colour != type_color("Strik3")
    assert colour in out and "E1 Strike" in out
    assert len({type_color(t) for t in ("Meeting", "Agreement", "AidPackage", "MechanismJoining")}) == 4


def test_render_page_is_a_full_document():
    page = render_page(UK, uk_events(), title='Новини <"x">')
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert '<meta charset="utf-8">' in page
    assert "<title>Новини &lt;&quot;x&quot;&gt;</title>" in page
    assert "http" not in page.replace("<!DOCTYPE html>", "")  # no external resources
