"""Whether a page is one article at all.

`is_article` adds up explainable signals (structured data, text shape, URL shape) without any
per-site rule; `reason` lists the signals that decided.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from lxml.html import HtmlElement

from crawler.extract.dates import find_published, jsonld_objects
from crawler.extract.html import block_lines, parse_html
from crawler.extract.meta import _ARTICLE_TYPES, _ld_article, _metas, _types, pick_title
from vnlang.text import fold

# Links to documents by extension, in the path or in a query value (DownloadFile.aspx?f=a.pdf).
_DOC_LINK = re.compile(r"\.(pdf|docx?|xlsx?|pptx?|zip|rar)(?=$|[?#&;])", re.I)
# Article URL shapes: portal item ids, dated paths, .html slugs with ids, long slugs.
_ARTICLE_URL = re.compile(
    r"[?&](?!cat|category|chuyenmuc|menu|page)\w*(?:id|idx)=(?:\d+|[0-9a-f]{8}-[0-9a-f-]{27,})|"
    r"[?&]p=\d+|/articleid/\d+|"
    r"/\d{4}/\d{1,2}/\d{1,2}/[^/]+|"
    r"[-_/]\d{4,}(?:\.\w{2,5})?/?$|/[^/?]*(?:-[^/?-]+){4,}(?:\.(?:html?|aspx|php))?/?$",
    re.I,
)
# Listing, search, contact, intro and login URL shapes.
_LISTING_URL = re.compile(
    r"/(?:category|categories|tag|tags|chuyen-muc|danh-muc|chuyenmuc|author|page|trang)/|"
    r"[?&](?:s|q|keyword|tukhoa|searchtext)=|/page/\d+|/trang-\d+(?:$|[/.?])|"
    r"/(?:tim-kiem|timkiem|search|lien-he|lienhe|contact|gioi-thieu|gioithieu|about|about-us|"
    r"login|dang-nhap|dangnhap|sitemap|so-do-trang|rss|feed)(?:$|[/.?#])",
    re.I,
)
# A query parameter that names one item (ItemID=12, nid=3, id=<uuid>): such a URL is an item even
# under a folder named like a listing ("/Trang/ChiTietTinTuc.aspx?nid=2761").
_ITEM_PARAM = re.compile(
    r"(?:^|&)(?!cat|category|chuyenmuc|menu|page)\w*(?:id|idx)=(?:\d+|[0-9a-f]{8}-[0-9a-f-]{27,})(?:&|$)",
    re.I,
)
# The least own text a page needs to be an article (a brief of one paragraph has about this).
_BRIEF_MIN = 200
# A pager parameter: a listing page unless the URL also names an item.
_PAGER_PARAM = re.compile(r"[?&](?:page|p_p_page|pageindex|trang)=\d+", re.I)
# Paths of home pages.
_HOME_PATH = re.compile(
    r"^/?(?:index\.\w+|default\.aspx|pages/(?:default|home)\.aspx|home|trang-chu)?/?$", re.I
)
# Folded headlines of non-article pages.
_NON_ARTICLE_TITLE = re.compile(
    r"^(?:(?:lien he|gioi thieu|tim kiem|ket qua tim kiem|dang nhap|so do (?:trang|cong)|trang chu|"
    r"lich su hinh thanh|chuc nang(?:,)? nhiem vu|co cau to chuc)(?:\W+\w+){0,3}|"
    r"contact(?: us)?|about(?: us)?|search|login|sitemap)$"
)
# Headings that are links to other pages: teaser headlines of a listing.
_LINKED_HEADLINES = "//*[self::h2 or self::h3][a and string-length(normalize-space(.)) - string-length(normalize-space(a)) < 5]"
_LIST_TYPES = {"collectionpage", "itemlist", "searchresultspage", "contactpage", "aboutpage"}


@dataclass
class ArticleVerdict:
    is_article: bool
    reason: str
    score: float


def _text_shape(root: HtmlElement) -> tuple[int, int, int]:
    """(non-link text in the densest container, its paragraphs, teaser links in that container)."""
    per_box: dict[HtmlElement, list[int]] = {}
    chrome = {el for el in root.iter("footer", "nav", "aside", "header")}
    for line in block_lines(root):
        if chrome and any(a in chrome for a in line.owner.iterancestors()):
            continue  # page chrome: footers with addresses, menus, sidebars
        box = line.owner
        while box.tag not in ("div", "td", "section", "article", "main", "body", "ul", "form"):
            parent = box.getparent()
            if parent is None:
                break
            box = parent
        stats = per_box.setdefault(box, [0, 0, 0])
        if len(line.text) >= 60 and line.link_chars < 0.3 * len(line.text):
            stats[0] += len(line.text)
            stats[1] += 1
        elif line.link_chars >= 0.8 * len(line.text) and len(line.text) >= 20:
            stats[2] += 1
    if not per_box:
        return 0, 0, 0
    best = max(per_box.values(), key=lambda s: s[0])
    return best[0], best[1], best[2]


def _repeated_blocks(root: HtmlElement) -> int:
    """The largest group of same-class siblings that each hold a link (teaser lists)."""
    groups: dict[tuple[int, str, str], int] = {}
    for el in root.iter("div", "li", "article"):
        cls = el.get("class")
        parent = el.getparent()
        if cls and parent is not None and el.find(".//a") is not None:
            key = (id(parent), el.tag, cls)
            groups[key] = groups.get(key, 0) + 1
    return max(groups.values(), default=0)


def is_article(url: str, html: str | HtmlElement) -> ArticleVerdict:
    """Whether a page is one article (not a home, listing, tag, search, contact or intro page).

    `html` may also be an already parsed lxml tree (it is only read, never changed)."""
    try:
        root = html if isinstance(html, HtmlElement) else parse_html(html)
        if root is None:
            return ArticleVerdict(False, "empty page", 0.0)
        return _verdict(url, root)
    except Exception:  # a broken page is not an article
        return ArticleVerdict(False, "unparseable page", 0.0)


def _verdict(url: str, root: HtmlElement) -> ArticleVerdict:
    signals: list[tuple[str, float]] = []
    metas = _metas(root)
    objects = jsonld_objects(root)
    types = set().union(*(_types(o) for o in objects))
    if types & _ARTICLE_TYPES:
        signals.append((f"json-ld {'/'.join(sorted(types & _ARTICLE_TYPES))}", 3.0))
    elif types & _LIST_TYPES:
        signals.append((f"json-ld {'/'.join(sorted(types & _LIST_TYPES))}", -2.0))
    if metas.get("og:type", "").lower() == "article":
        signals.append(("og:type=article", 2.0))
    if "article:published_time" in metas:
        signals.append(("article:published_time", 1.0))
    parts = urlsplit(url)
    path_query = unquote(parts.path + ("?" + parts.query if parts.query else ""))
    if _DOC_LINK.search(parts.path) or sum(1 for _ in root.iter()) < 4:
        signals.append(("a document, not an HTML page", -5.0))
    if _HOME_PATH.match(parts.path) and not parts.query:
        signals.append(("home url", -3.0))
    elif (m := _LISTING_URL.search(path_query)) and not _ITEM_PARAM.search(parts.query):
        signals.append((f"listing url ({m.group(0).strip('/?&=.')})", -3.0))
    elif m := _ARTICLE_URL.search(path_query):
        signals.append((f"article url ({m.group(0)[:30]})", 1.5))
    elif m := _PAGER_PARAM.search(path_query):
        signals.append((f"listing url ({m.group(0).strip('/?&=')})", -3.0))
    h1s = root.findall(".//h1")
    title = pick_title(root, metas, _ld_article(objects), metas.get("og:site_name", ""), url)
    if len(h1s) == 1:
        signals.append(("single h1", 0.5))
    elif len(h1s) > 2:
        signals.append((f"{len(h1s)} h1", -0.5))
    label = fold(title)
    if _NON_ARTICLE_TITLE.match(label):
        signals.append((f"title '{label[:30]}'", -2.5))
    text, paragraphs, teasers = _text_shape(root)
    if text >= 2000 and paragraphs >= 5:
        signals.append((f"body {text} chars/{paragraphs} paragraphs", 2.5))
    elif text >= 800 and paragraphs >= 3:
        signals.append((f"body {text} chars/{paragraphs} paragraphs", 2.0))
    elif text >= 500:
        signals.append((f"body {text} chars", 1.0))
    elif text < _BRIEF_MIN:
        signals.append((f"little text ({text} chars)", -2.0))
    elif text < 400 and not paragraphs:
        signals.append((f"short text ({text} chars)", -1.0))
    headlines = len(root.xpath(_LINKED_HEADLINES))
    if headlines >= 3:
        signals.append((f"{headlines} linked headlines", -1.5))
    if teasers >= 5 and teasers * 150 > text:
        signals.append((f"{teasers} teaser links in main block", -2.0))
    repeated = _repeated_blocks(root)
    if repeated >= 8 and text < 1500:
        signals.append((f"{repeated} repeated teaser blocks", -1.5))
    dated = bool(find_published(root, url, title))
    if dated:
        signals.append(("published date", 1.0))
    # A short news item: a headline, a paragraph or more of its own text, and a date or an item
    # URL, on a page with no teaser list around it (provincial portals publish many briefs).
    article_url = any(name.startswith("article url") for name, _ in signals)
    if (
        _BRIEF_MIN <= text < 800
        and paragraphs
        and (dated or article_url)
        and title
        and not _NON_ARTICLE_TITLE.match(label)
        and teasers * 150 <= text
        and not any(w <= -2.5 for _, w in signals)
    ):
        signals.append(("short news item", 1.0))
    score = round(sum(w for _, w in signals), 2)
    verdict = score >= 2.0
    decided = sorted(signals, key=lambda s: -abs(s[1]))
    reason = ", ".join(f"{name} {w:+g}" for name, w in decided) or "no signals"
    return ArticleVerdict(verdict, f"{'article' if verdict else 'not an article'}: {reason}", score)
