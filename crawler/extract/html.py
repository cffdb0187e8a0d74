"""Shared HTML helpers: parsing a page into an lxml tree, the page as lines of text, the headline.

`parse_html` normalises to NFC and parses with trafilatura's own parser settings; `block_lines`
splits a tree into text runs at block elements; `title_anchor` finds the element showing the
headline; `is_dateline` recognises a header dateline.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree
from lxml.html import HtmlElement, HTMLParser, fromstring

from vnlang.text import fold, squeeze


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# The same parser settings as trafilatura's own, so both see the same tree.
_PARSER = HTMLParser(
    collect_ids=False,
    default_doctype=False,
    encoding="utf-8",
    remove_comments=True,
    remove_pis=True,
)
# Pages are cut to this many characters (after dropping scripts and styles): article pages are
# far shorter, and a 12 MB page would otherwise take seconds.
_MAX_HTML = 2_000_000
# Inline scripts, styles and hidden inputs (ASP.NET view state): dropped from oversized pages
# before the cut.
_SCRIPT_STYLE = re.compile(
    r"<(script|style)\b[^>]*>.*?</\1\s*>|<input\b[^>]*\btype=[\"']?hidden[^>]*>", re.I | re.S
)
# Characters libxml2 rejects (C0 controls except tab/newline/CR) and zero-width characters.
_BAD_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\u200b\u200c\u200d\u2060\ufeff]")
# Elements that start a new line of text.
BLOCK_TAGS = _words(
    "html body div p td th tr li ul ol dl dt dd h1 h2 h3 h4 h5 h6 table tbody thead "
    "tfoot caption section article header footer aside nav blockquote figure "
    "figcaption form main center address pre br hr fieldset legend details summary"
)
_SKIP_TAGS = _words("head script style noscript template svg iframe select option button object")
_NOT_HEADLINE = _SKIP_TAGS | {"title", "meta", "html", "body", "a"}
# A date with a year as it appears in datelines (day-first, ISO, or "ngày .. tháng .. năm ..").
_DATELINE_DATE = re.compile(
    r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{4}\b|\b\d{4}-\d{2}-\d{2}\b|ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}",
    re.I,
)
# Words around a date in a dateline: labels, weekdays, times, separators, view counters.
_DATELINE_NOISE = re.compile(
    r"ngày đăng|đăng ngày|cập nhật|ngày cập nhật|đăng lúc|lúc|thứ\s+(?:hai|ba|tư|năm|sáu|bảy|\d)|"
    r"chủ nhật|gmt\s*[+-]\s*\d+|\d{1,2}[:h]\d{2}(?::\d{2})?\s*(?:am|pm|sa|ch)?|lượt xem:?\s*\d*|"
    r"[-|,:()/]",
    re.I,
)


@dataclass
class Line:
    """A run of text between block boundaries, the block that holds it, and its link characters."""

    text: str
    owner: HtmlElement
    link_chars: int = 0


def parse_html(html: str | bytes) -> HtmlElement | None:
    """Parse a page into an lxml tree; None for empty or unparseable input."""
    try:
        if isinstance(html, str):  # NFC once here: every text taken from the tree is NFC
            if len(html) > _MAX_HTML:  # scripts and styles first, then the tail
                html = _SCRIPT_STYLE.sub("", html)[:_MAX_HTML]
            html = _BAD_XML_CHARS.sub("", html)
            if not unicodedata.is_normalized("NFC", html):
                html = unicodedata.normalize("NFC", html)
            html = html.encode("utf-8", "replace")
        if not html.strip():
            return None
        root = fromstring(html, parser=_PARSER)
        return root if isinstance(root, HtmlElement) else None
    except Exception:  # malformed beyond repair
        return None


def own_text(el: HtmlElement) -> str:
    """The squeezed text content of an element."""
    try:
        return " ".join(el.text_content().split())
    except Exception:  # e.g. very deep subtrees
        return ""


def block_lines(root: HtmlElement) -> list[Line]:
    """The page as lines: text runs split at block elements, each with its owning block."""
    lines: list[Line] = []
    buf: list[str] = []
    link_len = 0
    stack: list[HtmlElement] = [root]
    in_link = 0

    def flush() -> None:
        nonlocal link_len
        if buf:
            text = " ".join("".join(buf).split())
            if text:
                lines.append(Line(text, stack[-1], min(link_len, len(text))))
            buf.clear()
        link_len = 0

    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in _SKIP_TAGS or not tag:
                if tag:
                    walker.skip_subtree()
                continue
            if tag in BLOCK_TAGS:
                flush()
                stack.append(el)
            if tag == "a":
                in_link += 1
            if el.text:
                buf.append(el.text)
                if in_link:
                    link_len += len(el.text.strip())
        else:
            if tag in BLOCK_TAGS and tag not in _SKIP_TAGS:
                flush()
                if len(stack) > 1:
                    stack.pop()
            if tag == "a":
                in_link = max(0, in_link - 1)
            if el.tail:
                buf.append(el.tail)
                if in_link:
                    link_len += len(el.tail.strip())
    flush()
    return lines


def title_anchor(root: HtmlElement, title: str) -> HtmlElement | None:
    """The element that shows the headline: the h1 matching the title, else an h2/h3, else any
    short element that is not a link (a sidebar link to the same article is no headline)."""
    key = fold(title) if title else ""
    h1s = list(root.iter("h1"))
    slack = max(10, len(title) // 3)
    for tags in (("h1",), ("h2", "h3"), ("*",)) if key else ():
        for el in root.iter(*tags):
            if el.tag in _NOT_HEADLINE or len(el) > 20:
                continue
            text = el.text_content().strip()
            if abs(len(text) - len(title)) > slack or fold(text) != key:
                continue
            if tags != ("*",) or not any(a.tag == "a" for a in el.iterancestors()):
                return el
    return h1s[0] if len(h1s) == 1 else None


def is_dateline(line: str) -> bool:
    """A short line that is only a date (with labels, weekday, time): a header dateline."""
    if len(line) > 120 or not _DATELINE_DATE.search(line):
        return False
    rest = _DATELINE_NOISE.sub(" ", _DATELINE_DATE.sub(" ", line.lower()))
    return len(squeeze(rest)) <= 25


@lru_cache(maxsize=8192)
def attr_match(pattern: re.Pattern[str], attrs: str) -> bool:
    """`pattern` found in a class/id string (cached: the same class names recur on every page)."""
    return bool(attrs.strip()) and bool(pattern.search(attrs))


def el_attrs(el: HtmlElement) -> str:
    return f"{el.get('class', '')} {el.get('id', '')}"
