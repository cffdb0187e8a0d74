"""One page to one `Extracted` article, and whether a page is an article at all.

`extract` parses once and reads, in order: metadata (title, site name, authors, date) from the
intact tree, image captions, then pre-cleans the tree and extracts the body (text.py). Images and
attachments are taken from the article area only (the headline's surroundings and the element
holding the body paragraphs), so related-news thumbnails and sidebar documents stay out.

`is_article` adds up explainable signals (structured data, text shape, URL shape) without any
per-site rule; `reason` lists the signals that decided.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urljoin, urlsplit

from lxml.html import HtmlElement

from crawler.enrich.vietnamese import fold, nfc, squeeze
from crawler.extract.dates import find_published, header_zone, jsonld_objects
from crawler.extract.text import (
    Line,
    attr_match,
    block_lines,
    byline_names,
    el_attrs,
    extract_body,
    image_captions,
    is_dateline,
    own_text,
    parse_html,
    preclean,
    title_anchor,
)
from crawler.items import Attachment, Extracted, Image

# Separators between a headline and the site name in <title>/og:title.
_TITLE_SEP = re.compile(r"\s+[-|–—»«>/]\s+|\s+::\s+|\s*\|\s*")
# Folded title parts that name the site or a section, not the headline ("Sở ...", "Báo ...").
_SITE_PART = re.compile(
    r"^(?:bao|so|cong|trang|ubnd|uy ban|tap chi|dai|bo|tinh|thanh pho|portal|website|home|"
    r"trang chu|tin tuc|tin tuc su kien|chi tiet|chi tiet tin|tin bai|su kien)\b|\.(?:vn|com|net|org)\b"
)
# Links to documents by extension, in the path or in a query value (DownloadFile.aspx?f=a.pdf).
_DOC_LINK = re.compile(r"\.(pdf|docx?|xlsx?|pptx?|zip|rar)(?=$|[?#&;])", re.I)
# Image URLs that are page chrome, not article pictures.
_CHROME_IMG = re.compile(
    r"logo|icon|banner|avatar|button|btn[_-]|spacer|blank\.|pixel|/ads?/|quangcao|loading|"
    r"social|share|facebook|zalo|twitter|print|rss|arrow|bullet",
    re.I,
)
# class/id of a standfirst (sapo) element.
_LEAD_ATTR = re.compile(
    r"sapo|chapeau|standfirst|tomtat|(?:^|[\s_-])(?:lead|summary|description|excerpt|intro)(?:$|[\s_-])",
    re.I,
)
# class/id/itemprop/rel of byline elements.
_AUTHOR_ATTR = re.compile(r"author|byline|tacgia|tac-gia|writer", re.I)
# Article URL shapes: portal item ids, dated paths, .html slugs with ids, long slugs.
_ARTICLE_URL = re.compile(
    r"[?&](?!cat|category|chuyenmuc|menu|page)\w*(?:id|idx)=\d+|[?&]p=\d+|/articleid/\d+|"
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
_ARTICLE_TYPES = {"newsarticle", "article", "blogposting", "reportagenews", "analysisnewsarticle"}
_LIST_TYPES = {"collectionpage", "itemlist", "searchresultspage", "contactpage", "aboutpage"}


@dataclass
class ArticleVerdict:
    is_article: bool
    reason: str
    score: float


def _metas(root: HtmlElement) -> dict[str, str]:
    out: dict[str, str] = {}
    for meta in root.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        value = squeeze(nfc(meta.get("content") or ""))
        if key and value and key not in out:
            out[key] = value
    return out


def _types(obj: dict) -> set[str]:
    kind = obj.get("@type", "")
    return {str(k).lower() for k in (kind if isinstance(kind, list) else [kind])}


def _ld_article(objects: list[dict]) -> dict:
    return next((o for o in objects if _types(o) & _ARTICLE_TYPES), {})


def _name_of(value: object) -> list[str]:
    if isinstance(value, list):
        return [n for v in value for n in _name_of(v)]
    if isinstance(value, dict):
        value = value.get("name", "")
    return [squeeze(nfc(value))] if isinstance(value, str) and value.strip() else []


def _site_like(part: str, site: str, host: str) -> bool:
    key = fold(part)
    return bool(
        (site and (key == site or key in site or site in key))
        or _SITE_PART.search(key)
        or (host and host.split(".")[0] in key.replace(" ", ""))
    )


def _strip_site(title: str, site_name: str, host: str) -> str:
    """A <title>/og:title without site-name or section parts at either end (the headline is
    what remains, and is kept only if it is longer than what was cut)."""
    site = fold(site_name)
    changed = True
    while changed:
        changed = False
        seps = list(_TITLE_SEP.finditer(title))
        for sep in reversed(seps):  # shortest site-like suffix first
            head, tail = title[: sep.start()], title[sep.end() :]
            if _site_like(tail, site, host) and len(head) >= len(tail) * 0.5:
                title, changed = head.strip(), True
                break
        if changed:
            continue
        for sep in seps:  # shortest site-like prefix first
            head, tail = title[: sep.start()], title[sep.end() :]
            if _site_like(head, site, host) and len(tail) > len(head):
                title, changed = tail.strip(), True
                break
    return title


def pick_title(root: HtmlElement, metas: dict[str, str], ld: dict, site_name: str, url: str) -> str:
    """The headline: the h1 that the page metadata agrees with, else a cleaned meta title."""
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    head = root.find(".//title")
    candidates = [
        metas.get("og:title", ""),
        _name_of(ld.get("headline"))[0] if _name_of(ld.get("headline")) else "",
        metas.get("twitter:title", ""),
        squeeze(nfc(head.text_content())) if head is not None else "",
    ]
    cleaned = [_strip_site(c, site_name, host) for c in candidates if c]
    folded = [fold(c) for c in cleaned]
    for h1 in root.iter("h1"):
        text = own_text(h1)
        key = fold(text) if 5 <= len(text) <= 400 else ""
        if key and any(key == c or (key in c and len(key) >= 0.6 * len(c)) for c in folded):
            return text
    parts = sorted(
        {p.strip() for c in candidates for p in _TITLE_SEP.split(c)}, key=len, reverse=True
    )
    for part in parts:  # the part of a "Site - Headline" title that the page shows on its own
        el = title_anchor(root, part) if len(part) >= 15 else None
        if el is not None and fold(own_text(el)) == fold(part):
            return part
    site = fold(site_name)
    for text in cleaned:  # a <title> that is only the site name is no headline
        if not (_site_like(text, site, host) and (len(text) <= 60 or fold(text) == site)):
            return text
    h1 = root.find(".//h1")
    return own_text(h1) if h1 is not None else ""


def _title_before_body(lines: list[Line], first_line: str) -> str:
    """The short line just above the body: the headline of pages without h1 or meta title."""
    start = next((i for i, ln in enumerate(lines) if ln.text[:60] == first_line[:60]), -1)
    for line in lines[max(0, start - 3) : max(0, start)][::-1]:
        if 15 <= len(line.text) <= 300 and line.link_chars < 0.5 * len(line.text):
            return line.text if not is_dateline(line.text) else ""
    return ""


def _attached(el: HtmlElement, root: HtmlElement) -> bool:
    return any(a is root for a in el.iterancestors())


def _in_scope(el: HtmlElement, scopes: list[HtmlElement]) -> bool:
    ancestors = {el, *el.iterancestors()}
    return any(s in ancestors for s in scopes)


def _image_url(img: HtmlElement, base: str) -> str:
    src = img.get("src") or ""
    for attr in ("data-src", "data-original", "data-lazy-src", "data-srcset", "srcset"):
        alt = (img.get(attr) or "").strip().split(" ")[0]
        if alt and (
            not src or src.startswith("data:") or re.search(r"blank|lazy|placeholder", src)
        ):
            src = alt
            break
    src = src.strip()
    if not src or src.startswith("data:") or _CHROME_IMG.search(src):
        return ""
    for dim in ("width", "height"):
        value = (img.get(dim) or "").strip().removesuffix("px")
        if value.isdigit() and int(value) < 60:
            return ""
    return urljoin(base, src)


def _article_scopes(anchor: HtmlElement | None, body_root: HtmlElement | None) -> list[HtmlElement]:
    """The article area: the body, what follows it at two levels (attachment boxes, bylines
    in the next table row), and the headline's surroundings."""
    scopes = []
    node = body_root
    for _ in range(2):
        if node is None or node.tag in ("body", "html", "form"):
            break
        scopes.append(node)
        scopes.extend(list(node.itersiblings())[:4])
        node = node.getparent()
    if anchor is not None:
        scopes.append(header_zone(anchor))
    return scopes


def _attachments(root: HtmlElement, scopes: list[HtmlElement], base: str) -> list[Attachment]:
    found: dict[str, Attachment] = {}
    for link in root.iter("a"):
        href = (link.get("href") or "").strip()
        match = _DOC_LINK.search(unquote(href))
        if not match or not _in_scope(link, scopes) or href.startswith(("javascript:", "mailto:")):
            continue
        absolute = urljoin(base, href)
        title = own_text(link) or squeeze(link.get("title") or "")
        if not title:
            title = unquote(urlsplit(absolute).path.rsplit("/", 1)[-1])
        found.setdefault(absolute, Attachment(absolute, nfc(title), match.group(1).lower()))
    return list(found.values())


def _lead_element(root: HtmlElement, scopes: list[HtmlElement], title: str) -> str:
    """The text of a standfirst element (`.sapo`, `.lead`, ...) in the article header area."""
    key = fold(title)[:60]
    for el in root.xpath("//*[@class or @id]"):
        if attr_match(_LEAD_ATTR, el_attrs(el)):
            text = own_text(el)
            if 40 <= len(text) <= 1200 and (not scopes or _in_scope(el, scopes)):
                return "" if key and key in fold(text) else text
    return ""


def _lead_meta(metas: dict[str, str], first_line: str) -> str:
    """The first paragraph, when og:description (or description) is (the start of) it."""
    for key in ("og:description", "description"):
        desc = fold(metas.get(key, "")).removesuffix("...").rstrip(" .…")
        if len(desc) >= 40 and fold(first_line[: len(desc) + 10]).startswith(desc):
            return first_line
    return ""


def _byline_after(page: list[Line], lines: list[str]) -> list[str]:
    """A byline in the short lines just after the body (a right-aligned name under the text)."""
    if not lines:
        return []
    last = lines[-1][:60]
    end = next((i for i, ln in enumerate(page) if ln.text[:60] == last), len(page))
    for line in page[end + 1 : end + 4]:
        if len(line.text) > 80:
            break
        if names := byline_names(line.text):
            return names
    return []


def _authors(root: HtmlElement, metas: dict[str, str], ld: dict, site_name: str) -> list[str]:
    names: list[str] = []
    for value in _name_of(ld.get("author")):
        if fold(value) != fold(site_name):
            names.extend(byline_names(value) or ([value] if len(value.split()) <= 6 else []))
    for key in ("author", "article:author", "dc.creator"):
        if key in metas and not names and "http" not in metas[key]:
            names.extend(byline_names(metas[key]))
    if not names:
        for el in root.iter():
            attrs = f"{el.get('class', '')} {el.get('id', '')} {el.get('itemprop', '')} {el.get('rel', '')}"
            if isinstance(el.tag, str) and _AUTHOR_ATTR.search(attrs) and len(own_text(el)) <= 80:
                names.extend(byline_names(own_text(el)))
                if names:
                    break
    return list(dict.fromkeys(names))


def extract(url: str, html: str) -> Extracted:
    """Title, body, date, authors, images, attachments, lead and site name of a page."""
    try:
        return _extract(url, html)
    except Exception:  # malformed pages yield an empty article, never an exception
        return Extracted(url=url, title="", body="")


def _extract(url: str, html: str) -> Extracted:
    root = parse_html(html)
    if root is None:
        return Extracted(url=url, title="", body="")
    metas = _metas(root)
    objects = jsonld_objects(root)
    ld = _ld_article(objects)
    publisher = _name_of(ld.get("publisher"))
    site_name = metas.get("og:site_name") or (publisher[0] if publisher else "")
    title = pick_title(root, metas, ld, site_name, url)
    published = find_published(root, url, title)
    authors = _authors(root, metas, ld, site_name)
    base_el = root.find(".//base[@href]")
    base = urljoin(url, base_el.get("href")) if base_el is not None else url
    anchor = title_anchor(root, title)
    captions = image_captions(root)
    lead_scopes = [header_zone(anchor)] if anchor is not None else []
    lead_el_text = _lead_element(root, lead_scopes, title)
    preclean(root, anchor, [cap for _, _, cap in captions if cap is not None])
    body = extract_body(root, title, url)
    lines = body.text.split("\n") if body.text else []
    if not title and len(lines) > 1 and 15 <= len(lines[0]) <= 250 and lines[0][-1] not in ".:;":
        title, lines = lines[0], lines[1:]  # a headline the page marks neither as h1 nor in meta
    elif not title and lines:
        title = _title_before_body(body.page, lines[0])
    if anchor is None and title:
        anchor = title_anchor(root, title)
        published = published or find_published(root, url, title)
    lead = lead_el_text or _lead_meta(metas, lines[0] if lines else "")
    if lead and fold(lead[:60]) not in fold(body.text[: len(lead) + 1000]):
        lines.insert(0, lead)
    scopes = _article_scopes(anchor, body.root)
    images: dict[str, Image] = {}
    for img, caption, _ in captions:
        if _attached(img, root) and _in_scope(img, scopes) and (src := _image_url(img, base)):
            images.setdefault(src, Image(src, nfc(caption)))
    for name in body.byline or _byline_after(body.page, lines):
        if name not in authors:
            authors.append(name)
    return Extracted(
        url=url,
        title=nfc(title),
        body="\n".join(lines),
        published=published,
        authors=authors,
        images=list(images.values()),
        attachments=_attachments(root, scopes, base),
        lead=nfc(lead),
        site_name=nfc(site_name),
    )


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
    elif m := _LISTING_URL.search(path_query):
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
    elif text < 250:
        signals.append((f"little text ({text} chars)", -2.0))
    elif text < 400:
        signals.append((f"short text ({text} chars)", -1.0))
    headlines = len(root.xpath(_LINKED_HEADLINES))
    if headlines >= 3:
        signals.append((f"{headlines} linked headlines", -1.5))
    if teasers >= 5 and teasers * 150 > text:
        signals.append((f"{teasers} teaser links in main block", -2.0))
    repeated = _repeated_blocks(root)
    if repeated >= 8 and text < 1500:
        signals.append((f"{repeated} repeated teaser blocks", -1.5))
    if find_published(root, url, title):
        signals.append(("published date", 1.0))
    score = round(sum(w for _, w in signals), 2)
    verdict = score >= 2.0
    decided = sorted(signals, key=lambda s: -abs(s[1]))
    reason = ", ".join(f"{name} {w:+g}" for name, w in decided) or "no signals"
    return ArticleVerdict(verdict, f"{'article' if verdict else 'not an article'}: {reason}", score)
