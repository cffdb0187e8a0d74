"""One page to one `Extracted` article (and, re-exported from verdict.py, whether a page is an
article at all).

`extract` parses once and reads, in order: metadata (title, site name, authors, date) from the
intact tree, image captions, then pre-cleans the tree and extracts the body (text.py). Images and
attachments are taken from the article area only (the headline's surroundings and the element
holding the body paragraphs), so related-news thumbnails and sidebar documents stay out.

`is_article` and `ArticleVerdict` live in verdict.py and are importable from here.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urljoin, urlsplit

from lxml.html import HtmlElement

from crawler import evidence as ev
from crawler.extract.captions import image_captions
from crawler.extract.dates import find_published, header_zone, jsonld_objects
from crawler.extract.html import (
    Line,
    attr_match,
    el_attrs,
    is_dateline,
    own_text,
    parse_html,
    title_anchor,
)
from crawler.extract.meta import _ld_article, _metas, _name_of, pick_title
from crawler.extract.text import byline_names, extract_body, preclean
from crawler.extract.verdict import _DOC_LINK
from crawler.extract.verdict import ArticleVerdict as ArticleVerdict
from crawler.extract.verdict import is_article as is_article
from indexer.model import Attachment, Evidence, Extracted, Image
from vnlang.text import fold, nfc, squeeze

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
# Why an article has no author.
_NO_AUTHOR = "no JSON-LD author, author meta tag, byline element or closing byline"
# class/id/itemprop/rel of byline elements.
_AUTHOR_ATTR = re.compile(r"author|byline|tacgia|tac-gia|writer", re.I)


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


def _authors(
    root: HtmlElement, metas: dict[str, str], ld: dict, site_name: str, why: list[Evidence]
) -> list[str]:
    names: list[str] = []
    for value in _name_of(ld.get("author")):
        if fold(value) != fold(site_name):
            found = byline_names(value) or ([value] if len(value.split()) <= 6 else [])
            names.extend(found)
            why.extend(
                ev.page("authors", n, "json-ld", f'"author": "{value}"', "JSON-LD author")
                for n in found
            )
    for key in ("author", "article:author", "dc.creator"):
        if key in metas and not names and "http" not in metas[key]:
            found = byline_names(metas[key])
            names.extend(found)
            why.extend(
                ev.page("authors", n, "meta", f'{key}="{metas[key]}"', f"meta tag {key}")
                for n in found
            )
    if not names:
        for el in root.iter():
            attrs = f"{el.get('class', '')} {el.get('id', '')} {el.get('itemprop', '')} {el.get('rel', '')}"
            if isinstance(el.tag, str) and _AUTHOR_ATTR.search(attrs) and len(own_text(el)) <= 80:
                found = byline_names(own_text(el))
                names.extend(found)
                why.extend(
                    ev.page(
                        "authors",
                        n,
                        "html",
                        own_text(el),
                        "a byline element (class/id/itemprop author)",
                    )
                    for n in found
                )
                if names:
                    break
    return list(dict.fromkeys(names))


def _title_evidence(
    root: HtmlElement, metas: dict[str, str], ld: dict, title: str, how: str
) -> Evidence:
    """Where the headline was read from."""
    if how:
        return ev.page("title", title, "html", title, how)
    for h1 in root.iter("h1"):
        if own_text(h1) == title:
            return ev.page(
                "title",
                title,
                "html",
                own_text(h1),
                "the <h1> that the page's meta title agrees with",
            )
    for key in ("og:title", "twitter:title"):
        if title and title in metas.get(key, ""):
            return ev.page(
                "title",
                title,
                "meta",
                f'{key}="{metas[key]}"',
                f"meta tag {key}, the site name cut off",
            )
    headline = _name_of(ld.get("headline"))
    if headline and title in headline[0]:
        return ev.page(
            "title", title, "json-ld", f'"headline": "{headline[0]}"', "JSON-LD headline"
        )
    head = root.find(".//title")
    text = squeeze(nfc(head.text_content())) if head is not None else ""
    return ev.page(
        "title",
        title,
        "html",
        f"<title>{text}</title>" if text else title,
        "the page's <title> (or the part of it the page shows), the site name cut off",
    )


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
    dated: list[tuple[str, str, str]] = []
    published = find_published(root, url, title, dated)
    why: list[Evidence] = []
    authors = _authors(root, metas, ld, site_name, why)
    base_el = root.find(".//base[@href]")
    base = urljoin(url, base_el.get("href")) if base_el is not None else url
    anchor = title_anchor(root, title)
    captions = image_captions(root)
    lead_scopes = [header_zone(anchor)] if anchor is not None else []
    lead_el_text = _lead_element(root, lead_scopes, title)
    preclean(root, anchor, [cap for _, _, cap in captions if cap is not None])
    body = extract_body(root, title, url)
    lines = body.text.split("\n") if body.text else []
    how = ""
    if not title and len(lines) > 1 and 15 <= len(lines[0]) <= 250 and lines[0][-1] not in ".:;":
        title, lines = lines[0], lines[1:]  # a headline the page marks neither as h1 nor in meta
        how = "the first line of the main text (no h1 or meta title)"
    elif not title and lines:
        title = _title_before_body(body.page, lines[0])
        how = "the short line just above the main text (no h1 or meta title)"
    if anchor is None and title:
        anchor = title_anchor(root, title)
        published = published or find_published(root, url, title, dated)
    lead = lead_el_text or _lead_meta(metas, lines[0] if lines else "")
    lead_inserted = bool(lead and fold(lead[:60]) not in fold(body.text[: len(lead) + 1000]))
    if lead_inserted:
        lines.insert(0, lead)
    scopes = _article_scopes(anchor, body.root)
    images: dict[str, Image] = {}
    for img, caption, _ in captions:
        if _attached(img, root) and _in_scope(img, scopes) and (src := _image_url(img, base)):
            images.setdefault(src, Image(src, nfc(caption)))
    for name in body.byline or _byline_after(body.page, lines):
        if name not in authors:
            authors.append(name)
            why.append(
                ev.page("authors", name, "html", name, "a closing byline under the main text")
            )
    attachments = _attachments(root, scopes, base)
    text = "\n".join(lines)
    title = nfc(title)
    why.insert(0, _title_evidence(root, metas, ld, title, how))
    first = text.find("\n")
    rule = (
        f"main text: {len(lines)} paragraph(s) of the page's main block (trafilatura fast mode "
        "after removing Vietnamese boilerplate blocks), captions and bylines kept apart"
    )
    if lead_inserted:
        rule += "; the first paragraph is the standfirst (" + (
            "a sapo/lead element)" if lead_el_text else "og:description)"
        )
    why.insert(
        1,
        ev.quote(
            "body",
            f"{len(text)} characters",
            "body",
            text,
            0,
            first if first > 0 else len(text),
            rule,
        ),
    )
    if published and dated:
        source, excerpt, rule = dated[-1]
        why.insert(2, ev.page("published", published, source, excerpt, rule))
    elif not published:
        why.insert(
            2,
            ev.derived(
                "published",
                None,
                "no date in JSON-LD, meta tags, a header <time> or a dateline: none invented",
            ),
        )
    for i, image in enumerate(images.values()):
        how = "with the caption under it" if image.caption else "without a caption"
        why.append(
            Evidence(
                "images",
                image.url,
                "html",
                image.caption or image.url,
                None,
                None,
                f"an image in the article area, {how}",
                i,
            )
        )
    for a in attachments:
        why.append(
            ev.page(
                "attachments",
                a.url,
                "html",
                a.title or a.url,
                f"a link to a .{a.type} file in the article area",
            )
        )
    if not authors:
        why.append(ev.derived("authors", None, _NO_AUTHOR))
    if not images:
        why.append(ev.derived("images", None, "no picture in the article area"))
    if not attachments:
        why.append(
            ev.derived("attachments", None, "no link to a document file in the article area")
        )
    return Extracted(
        url=url,
        title=title,
        body=text,
        published=published,
        authors=authors,
        images=list(images.values()),
        attachments=attachments,
        lead=nfc(lead),
        site_name=nfc(site_name),
        evidence=why,
    )
