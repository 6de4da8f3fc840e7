"""render_page in a real browser: headless Chromium (command line only) dumps the DOM and takes a screenshot.

Skipped when no Chromium/Chrome binary is on PATH (Debian: ``apt-get install -y chromium``).
"""
from __future__ import annotations

import re
import shutil
import struct
import subprocess
from html.parser import HTMLParser

import pytest

from eventx.render import render_page
from eventx.types import Argument, Event, Span

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
PWN = "document.documentElement.setAttribute('data-pwned','1')"
TEXT = ("Новини <script>alert(1)</script> <script>" + PWN + "</script> <img src=x onerror=\"" + PWN + "\">\n"
        "Президент Зеленський зустрівся з прем'єром Японії у Києві, і сторони підписали угоду про безпеку.")


def browser() -> str:
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("Chromium not installed: apt-get install chromium")


def chromium(exe, tmp_path, url, *extra) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile{len(list(tmp_path.glob('profile*')))}"
    cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--disable-dev-shm-usage", "--hide-scrollbars", f"--user-data-dir={profile}", *extra, url]
    try:
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=90)
    except subprocess.TimeoutExpired:  # an alert() that ran blocks headless Chromium
        pytest.fail(f"Chromium hung on {url}: did a script (alert) run? {' '.join(cmd)}")
    assert res.returncode == 0, f"{cmd}\n{res.stderr[-2000:]}"
    return res


def span(s, after=0):
    i = TEXT.index(s, after)
    return Span(s, i, i + len(s))


def arg(role, s):
    x = span(s)
    return Argument(role, x.text, x.start, x.end, 0.9)


def events():
    zel, jap = "Президент Зеленський", "прем'єром Японії"
    return [Event("Meeting", "happened", 0.95, span("зустрівся"),
                  (arg("participant", zel), arg("participant", jap), arg("place", "Києві"))),
            Event("Agreement", "planned", 0.8, span("підписали"),
                  (arg("party", zel), arg("party", jap), arg("subject", "угоду про безпеку")))]


class Dom(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.marks, self.plain, self.scripts, self.imgs, self.root = [], {}, [], 0, 0, {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.root = a
        self.scripts += tag == "script"
        self.imgs += tag == "img"
        cls = (a.get("class") or "").split()
        if tag not in ("meta", "img", "br", "link"):
            self.stack.append((tag, a.get("data-m", "").split(), "ex-text" in cls, "ex-role" in cls or "ex-badge" in cls))

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if any(f[2] for f in self.stack) and not any(f[3] for f in self.stack):
            self.plain.append(data)
            for f in self.stack:
                for mid in f[1]:
                    self.marks[mid] = self.marks.get(mid, "") + data


def test_rendered_page_in_chromium(tmp_path):
    exe = browser()
    page = tmp_path / "page.html"
    page.write_text(render_page(TEXT, events(), title="eventx test"), encoding="utf-8")
    dump = chromium(exe, tmp_path, page.as_uri(), "--dump-dom").stdout
    dom = Dom()
    dom.feed(dump)
    evs = events()
    for n, ev in enumerate(evs, 1):
        assert dom.marks.get(f"e{n}-t") == ev.trigger.text
        for k, a in enumerate(ev.arguments):
            assert dom.marks.get(f"e{n}-a{k}") == a.text
    assert "".join(dom.plain) == TEXT  # the browser shows the article text, <script> included, as text
    assert "E1 Meeting · happened 0.95" in dump and "E2 Agreement · planned 0.80" in dump
    assert re.sub(r"<[^>]+>", "", dump).count("E1 participant · E2 party") == 2  # shared arguments
    assert dom.scripts == 0 and dom.imgs == 0
    assert "data-pwned" not in dom.root and 'data-pwned="1"' not in dump  # no script or handler ran

    shot = tmp_path / "page.png"
    chromium(exe, tmp_path, page.as_uri(), f"--screenshot={shot}", "--window-size=1000,600")
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (1000, 600)
    assert len(data) > 20_000  # a blank page compresses to a few KB; highlighted Cyrillic text does not


def test_control_page_proves_scripts_would_be_detected(tmp_path):
    """Same check on a page with a raw script: Chromium runs it and the dump shows the marker."""
    exe = browser()
    page = tmp_path / "raw.html"
    page.write_text(f"<!DOCTYPE html><html><body><p>x</p><script>{PWN}</script></body></html>", encoding="utf-8")
    dump = chromium(exe, tmp_path, page.as_uri(), "--dump-dom").stdout
    assert 'data-pwned="1"' in dump
