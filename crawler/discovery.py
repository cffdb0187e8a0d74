"""Pure discovery: what a page, a sitemap, a feed or robots.txt tells us to fetch next.

No Scrapy here: HTML comes in as an lxml tree, XML as bytes; out come `Link`s and `Postback`s
that the spider turns into requests.
"""

from __future__ import annotations

import gzip
import io
import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from lxml import etree, html

from vnlang.text import squeeze

from .extract.html import parse_html  # noqa: F401  (the one HTML parser; re-exported)

# Documents linked from articles: recorded as attachments, never fetched as pages.
DOCUMENT_EXT = re.compile(r"\.(pdf|docx?|xlsx?|pptx?|odt|ods|rtf|zip|rar|7z)$", re.IGNORECASE)
# Other files a crawler of news pages has no use for.
_MEDIA_EXT = re.compile(
    r"\.(jpe?g|png|gif|webp|svg|bmp|ico|mp3|mp4|avi|mov|wmv|flv|webm|css|js|woff2?|ttf|exe|apk|iso)$",
    re.IGNORECASE,
)
# Pages with no news on them: login, search, feedback forms, site maps for humans, calendars.
# Pages that are never news, by what they are. A path segment must BE the word ("/dang-ky",
# "/DangNhap.aspx", "/tags/"), so an article whose slug merely contains it
# ("/huong-dan-dang-ky-du-lop-tap-huan-2024.html") is still fetched.
_USELESS_SEGMENTS: dict[str, str] = {
    "login": r"dang-?nhap|login|logout|signin|sign-in|wp-login",
    "registration": r"dang-?ky|signup|sign-up|register",
    "search": r"tim-?kiem|search|ket-qua-tim-kiem",
    "feedback": r"gop-?y|hoi-dap-truc-tuyen",
    "contact": r"lien-?he|contact(?:-us)?",
    "print view": r"print|in-bai",
    "feed": r"rss|feed",
    "tag or author list": r"tags?|author",
    "administration": r"admin|wp-admin|_layouts|xmlrpc",
    "calendar": r"calendar|lich-cong-tac",
}
_USELESS_SEGMENT = re.compile(
    "^(?:"
    + "|".join(f"(?P<g{i}>{rx})" for i, rx in enumerate(_USELESS_SEGMENTS.values()))
    + r")(?:\.\w{2,5})?$",
    re.IGNORECASE,
)
_USELESS_KINDS = list(_USELESS_SEGMENTS)
# Search queries and links that are not pages.
_USELESS_QUERY = re.compile(r"[?&](?:s|q|keyword|searchtext|tukhoa)=", re.IGNORECASE)
_NOT_A_PAGE = re.compile(r"^(?:javascript|mailto|tel):", re.IGNORECASE)
# Link texts and URL shapes that page through a listing.
_NEXT_TEXT = re.compile(
    r"^(\d{1,4}|»|›|>|>>|next|tiếp|tiếp theo|trang sau|trang tiếp|sau|cuối|xem thêm|"
    r"xem tiếp|tải thêm|more|older posts|bài cũ hơn|tin cũ hơn|trang \d+)\W*$",
    re.IGNORECASE,
)
_PAGE_URL = re.compile(
    r"([?&](page|trang|p|pg|paged|pageindex|pagenum|start|offset|cur)=\d+|/page/\d+|/trang-?\d+|"
    r"[_-]p\d+\.html?$|_cur=\d+|/p\d+/?$|[?&]\w+_cur=\d+)",
    re.IGNORECASE,
)
# `__doPostBack('target','argument')` in an href or onclick (ASP.NET pagers).
_POSTBACK = re.compile(r"__doPostBack\(\s*['\"]([^'\"]*)['\"]\s*,\s*['\"]([^'\"]*)['\"]\s*\)")
# Postback arguments/targets that page a list (SharePoint "Page$2", DNN pagers, GridView pagers).
_PAGER_POSTBACK = re.compile(
    r"(page\$|pag(er|ing)|lnk(next|page)|cmd(next|page)|dpg|navigat)", re.I
)
# Buttons backed by a plain URL: <button data-url=...>Xem thêm</button>.
_DATA_URL_ATTRS = ("data-url", "data-href", "data-next", "data-next-url", "data-link")
# Pager texts of a "load more" button rather than a page list.
_LOAD_MORE_TEXT = re.compile(
    r"^(xem thêm|xem tiếp|tải thêm|xem thêm tin|more|load more|older posts|bài cũ hơn|"
    r"tin cũ hơn)\W*$",
    re.IGNORECASE,
)
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json")
_SITEMAP_LINE = re.compile(r"^\s*sitemap\s*:\s*(\S+)", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class Link:
    url: str
    text: str
    pagination: bool  # pages through a listing (next, numbers, "Xem thêm", page=N)
    title: str = ""  # the anchor's title attribute
    teaser: str = ""  # the text of the listing item around the link (sapo, date), if any


# Elements that hold a whole list, never one item of it: a teaser is looked for below them.
_LIST_TAGS = frozenset({"body", "html", "form", "main", "ul", "ol", "table", "tbody", "nav"})
# Ancestors of a link climbed to find its listing item, and the teaser's length at most.
_ITEM_LEVELS = 3
_TEASER_CHARS = 400


def _teaser(a: html.HtmlElement, href: str | None) -> str:
    """The text of the listing item a link heads (headline, sapo, date): the largest ancestor,
    up to three levels up, that links to nothing else but one other URL (a category, say)."""
    item = None
    el = a.getparent()
    for _ in range(_ITEM_LEVELS):
        if el is None or not isinstance(el.tag, str) or el.tag in _LIST_TAGS:
            break
        others: set[str] = set()
        for other in el.iter("a"):
            target = other.get("href")
            if target != href:
                others.add(target or "")
                if len(others) > 1:
                    break
        if len(others) > 1:
            break
        item = el
        el = el.getparent()
    if item is None:
        return ""
    return squeeze(" ".join(item.itertext()))[:_TEASER_CHARS]


@dataclass(frozen=True)
class Postback:
    target: str
    argument: str
    text: str


def _href(base: str, value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip()
    if (
        not value
        or value.startswith("#")
        or value.lower().startswith(("javascript:", "mailto:", "tel:", "data:"))
    ):
        return None
    try:
        url = urljoin(base, value)
    except ValueError:
        return None
    return url if urlsplit(url).scheme in ("http", "https") else None


def base_url(tree: html.HtmlElement, page_url: str) -> str:
    base = tree.find(".//base[@href]")
    return urljoin(page_url, base.get("href")) if base is not None else page_url


def page_links(tree: html.HtmlElement, page_url: str) -> list[Link]:
    """Every http(s) link of the page, with whether it pages a listing."""
    base = base_url(tree, page_url)
    out: dict[str, Link] = {}
    for a in tree.iter("a", "area"):
        url = _href(base, a.get("href"))
        if url is None:
            continue
        text = squeeze(a.text_content() if a.tag == "a" else a.get("alt", ""))[:200]
        rel = (a.get("rel") or "").lower()
        pagination = "next" in rel or bool(_NEXT_TEXT.match(text)) or bool(_PAGE_URL.search(url))
        title = squeeze(a.get("title") or "")[:200]
        teaser = "" if pagination or a.tag != "a" else _teaser(a, a.get("href"))
        prev = out.get(url)
        if prev is not None:  # the same target twice (image + headline): keep what says most
            text = text if len(text) >= len(prev.text) else prev.text
            pagination = pagination or prev.pagination
            title = title if len(title) >= len(prev.title) else prev.title
            teaser = teaser if len(teaser) >= len(prev.teaser) else prev.teaser
        out[url] = Link(url, text, pagination, title, teaser)
    for el in tree.xpath(
        "//*[@data-url or @data-href or @data-next or @data-next-url or @data-link]"
    ):
        for attr in _DATA_URL_ATTRS:
            url = _href(base, el.get(attr))
            if url and url not in out:
                out[url] = Link(url, squeeze(el.text_content())[:200], True)
    for link in tree.xpath("//link[@rel='next' or @rel='prev']"):
        url = _href(base, link.get("href"))
        if url and url not in out:
            out[url] = Link(url, "", True)
    return list(out.values())


def postbacks(tree: html.HtmlElement) -> list[Postback]:
    """ASP.NET pager postbacks (SharePoint, DotNetNuke, GridView): only those that page a list."""
    found: dict[tuple[str, str], Postback] = {}
    for el in tree.xpath(
        "//*[@href[contains(., '__doPostBack')] or @onclick[contains(., '__doPostBack')]]"
    ):
        script = (el.get("href") or "") + " " + (el.get("onclick") or "")
        text = squeeze(el.text_content())[:60]
        for target, argument in _POSTBACK.findall(script):
            if _PAGER_POSTBACK.search(target + " " + argument) or _NEXT_TEXT.match(text):
                found.setdefault((target, argument), Postback(target, argument, text))
    return list(found.values())


def postback_form(tree: html.HtmlElement) -> html.FormElement | None:
    """The ASP.NET form that carries __VIEWSTATE, if the page has one."""
    for form in tree.forms:
        if form.xpath(".//input[@name='__VIEWSTATE' or @name='__EVENTTARGET']"):
            return form
    return None


def feed_links(tree: html.HtmlElement, page_url: str) -> list[str]:
    out = []
    for link in tree.xpath("//link[@rel='alternate'][@type]"):
        if link.get("type", "").lower() in _FEED_TYPES:
            url = _href(page_url, link.get("href"))
            if url:
                out.append(url)
    return out


def canonical_link(tree: html.HtmlElement, page_url: str) -> str | None:
    for link in tree.xpath("//link[@rel='canonical'][@href]"):
        return _href(page_url, link.get("href"))
    for meta in tree.xpath("//meta[@property='og:url'][@content]"):
        return _href(page_url, meta.get("content"))
    return None


def skip_reason(url: str) -> str | None:
    """Why a link is not worth fetching as a page, or None."""
    path = urlsplit(url).path
    if DOCUMENT_EXT.search(path):
        return "document"
    if _MEDIA_EXT.search(path):
        return "media"
    if _NOT_A_PAGE.match(url):
        return "not a page"
    if _USELESS_QUERY.search(url):
        return "not news: search"
    for segment in path.split("/"):
        m = _USELESS_SEGMENT.match(segment)
        if m:
            return f"not news: {_USELESS_KINDS[int(m.lastgroup[1:])]}"
    return None


def sitemaps_from_robots(robots_txt: str, robots_url: str) -> list[str]:
    return [urljoin(robots_url, m) for m in _SITEMAP_LINE.findall(robots_txt)]


@dataclass(frozen=True, slots=True)
class SitemapEntry:
    url: str
    lastmod: str | None


def _xml_root(body: bytes) -> etree._Element | None:
    if body[:2] == b"\x1f\x8b":
        try:
            body = gzip.decompress(body)[: 50 * 1024 * 1024]
        except (OSError, EOFError):
            return None
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.fromstring(body.strip(), parser=parser)
    except (etree.XMLSyntaxError, ValueError):
        return None


def _local(tag: object) -> str:
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def parse_sitemap(body: bytes) -> tuple[str | None, list[SitemapEntry]]:
    """('urlset' | 'sitemapindex' | None, entries). None: not a sitemap (bad XML, HTML, ...).

    Read as a stream, each entry dropped once read: a sitemap of 50,000 URLs as a whole tree took
    30 MB of the crawl process's memory (most of it kept by the allocator afterwards)."""
    if body[:2] == b"\x1f\x8b":
        try:
            body = gzip.decompress(body)[: 50 * 1024 * 1024]
        except (OSError, EOFError):
            return None, []
    kind: str | None = None
    entries: list[SitemapEntry] = []
    events = etree.iterparse(
        io.BytesIO(body.strip()),
        events=("start", "end"),
        recover=True,
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
    )
    try:
        for event, el in events:
            if kind is None:  # the root's start
                kind = _local(el.tag)
                if kind not in ("urlset", "sitemapindex"):
                    return None, []
                continue
            parent = el.getparent()
            if event != "end" or parent is None or parent.getparent() is not None:
                continue  # only the root's children, once read whole
            if _local(el.tag) in ("url", "sitemap"):
                entry = _sitemap_entry(el)
                if entry is not None:
                    entries.append(entry)
            el.clear()
            while el.getprevious() is not None:
                del parent[0]
    except (etree.XMLSyntaxError, ValueError):
        if kind is None:
            return None, []
    return kind, entries


def _sitemap_entry(el: etree._Element) -> SitemapEntry | None:
    loc = lastmod = None
    for child in el:
        name = _local(child.tag)
        if name == "loc" and child.text:
            loc = child.text.strip()
        elif name == "lastmod" and child.text:
            lastmod = child.text.strip()
    if loc and urlsplit(loc).scheme in ("http", "https"):
        return SitemapEntry(loc, lastmod)
    return None


def parse_feed(body: bytes) -> list[str] | None:
    """Item links of an RSS 2.0, RSS 1.0 or Atom feed; None when the body is not a feed."""
    root = _xml_root(body)
    if root is None or _local(root.tag) not in ("rss", "rdf", "feed"):
        return None
    links = []
    for el in root.iter():
        name = _local(el.tag)
        if name in ("item", "entry"):
            for child in el:
                if _local(child.tag) != "link":
                    continue
                href = child.get("href") or (child.text or "").strip()
                rel = child.get("rel", "alternate")
                if href and rel == "alternate":
                    links.append(href)
                    break
    return links


@dataclass(frozen=True)
class Pagination:
    """How a listing page leads to older items: `kind` is "postback" (an ASP.NET
    `__doPostBack` form), "load-more" (a "Xem thêm" link or button), "links" (page numbers,
    next, page=N) or "none"; `examples` are a few of the pager's URLs or postback calls."""

    kind: str
    examples: tuple[str, ...] = ()


def is_page_n(url: str) -> bool:
    """Whether a URL names a numbered page of a listing (page=2, /page/2/, /trang-2, _cur=2)."""
    return bool(_PAGE_URL.search(url))


def pagination(tree: html.HtmlElement, page_url: str, pagers: list[Link]) -> Pagination:
    """The kind of pagination of a listing page, from its pager links (those the crawl follows
    as pagination) and its postback pagers. A pager link counts when it pages this list: a
    numbered page, or the same path; "Xem thêm" on a home page that leads to a section is a
    link to another list, not pagination of this one."""
    found = postbacks(tree) if postback_form(tree) is not None else []
    if found:
        calls = tuple(f"__doPostBack('{p.target}','{p.argument}')" for p in found[:3])
        return Pagination("postback", calls)
    own = urlsplit(page_url).path
    pagers = [link for link in pagers if is_page_n(link.url) or urlsplit(link.url).path == own]
    if not pagers:
        return Pagination("none")
    examples = tuple(link.url for link in pagers[:3])
    texts = [link.text for link in pagers if link.text]
    if texts and all(_LOAD_MORE_TEXT.match(t) for t in texts):
        return Pagination("load-more", examples)
    return Pagination("links", examples)
