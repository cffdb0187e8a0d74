"""Main body text of an article page: a Vietnamese pre-clean, trafilatura, a densest-block fallback.

The pre-clean removes what trafilatura does not know as boilerplate on Vietnamese portals
(related-news blocks by their heading, reaction widgets, SharePoint ribbons, DNN control panels,
figure captions), turns layout tables into divs and loose `<br>`-separated text into paragraphs.
trafilatura runs with `fast=True` (no readability/justext fallbacks): on the 181-page benchmark
that is F1 0.962 at ~10 ms/page against 0.960 at ~15 ms/page with the fallbacks (see
bench/extraction_benchmark.py). Pages it returns (almost) nothing for get the densest text block.
After extraction: menu and footer lines at the edges, a repeated title, datelines, breadcrumbs
and a closing byline are cut.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import trafilatura
from lxml.html import HtmlElement

from crawler.extract.captions import image_captions
from crawler.extract.html import (
    BLOCK_TAGS,
    Line,
    _words,
    attr_match,
    block_lines,
    el_attrs,
    is_dateline,
    own_text,
    parse_html,
    title_anchor,
)
from vnlang.text import fold, nfc, squeeze


def _labels(text: str) -> frozenset[str]:
    return frozenset(nfc(x).lower() for x in text.split("|"))


_CONTAINER_TAGS = _words("div td th section article main body blockquote center li form")
_ALWAYS_DROP = "//script|//style|//noscript|//iframe|//nav|//footer|//select|//button"
# class/id values of boilerplate containers: related/other/most-read news, comments, share and
# reaction widgets, breadcrumbs, footers, SharePoint ribbon, DNN control panel, ads, tags, paging.
_BOILERPLATE_ATTR = re.compile(
    r"relate|lienquan|lien-quan|tinkhac|tin-khac|othernews|other-news|other_news|morenews|"
    r"more-news|mostview|most-view|mostread|most-read|docnhieu|doc-nhieu|xemnhieu|xem-nhieu|"
    r"tinmoi|tin-moi|samecategory|same-cate|cungchuyenmuc|comment|binhluan|binh-luan|breadcrumb|"
    r"breadcum|footer|copyright|sharing|sharebox|share-box|addthis|sharethis|social|ribbon|ms-cui|"
    r"controlpanel|control-panel|dnn_cp|dnncp|controlbar|sidebar|side-bar|advert|quangcao|"
    r"quang-cao|reaction|rating|cookie|popup|newsletter|navigation|sharedaddy|"
    r"(?:^|[\s_-])(?:tags?|tag-list|keywords?|share|menu|nav|navbar|ads?|banner|print|vote|"
    r"paging|pagination|toolbar|tools|widget|skip)(?:$|[\s_-])",
    re.I,
)
# Folded headings of Vietnamese boilerplate blocks (the block under them is removed).
_BLOCK_LABELS = _labels(
    "Tin liên quan|Tin khác|Bài viết liên quan|Các tin khác|Đọc nhiều|Đừng bỏ lỡ|Tin mới|"
    "Tin mới nhất|Tin cùng chuyên mục|Xem thêm|HỎI ĐÁP THÔNG MINH|"
    "CẢM NHẬN CỦA BẠN VỀ BÀI VIẾT NÀY|BÌNH LUẬN|Tin xem nhiều|Xem nhiều|Tin nổi bật|"
    "Các tin đã đưa|Tin đã đưa|Bài liên quan|Tin bài liên quan|Tin tức liên quan|"
    "Cùng chuyên mục|Bài viết khác|Các bài viết khác|Ý kiến bạn đọc|Gửi bình luận|"
    "Ý kiến của bạn|Tin Tài Trợ|Chia sẻ|Từ khóa|Tags|Liên kết website|Thống kê truy cập|"
    "Tin đọc nhiều|Các tin mới|Các tin cũ hơn|Tin cũ hơn|Tin mới hơn|Bài đọc nhiều"
)
# Folded texts of single widgets that are dropped on their own (skip links, print/back links).
_WIDGET_LABELS = _labels(
    "Skip Ribbon Commands|Skip to main content|Bỏ qua nội dung|In bài viết|In trang|"
    "Quay lại|Về đầu trang|Gửi email|Lượt xem|Rất hay|Thích|Giải trí|Cần cải thiện|"
    "Bản in|Gửi bài|Lên đầu trang"
)
# Trailing counts and punctuation around a heading ("BÌNH LUẬN (0)", "Tin khác:", "» Xem thêm").
_LABEL_NOISE = re.compile(r"\(\s*\d*\s*\)|[:»«›>\-–|•.\s]+$|^[:»«›>\-–|•.\s]+")
# A breadcrumb trail as text: "Trang chủ » Tin tức", "Bạn đang ở: Trang chủ > ...", "Home / News".
_BREADCRUMB_LINE = re.compile(
    r"^(?:bạn đang ở\s*:?\s*)?(?:trang chủ|trang nhất|home)\s*[»›>/|]|^[^.]{0,80}\s[»›]\s[^.]{0,80}$",
    re.I,
)
# Footer lines that close a page, not an article (copyright, address, phone, source notes).
_FOOTER_LINE = re.compile(
    r"^(?:©|copyright|bản quyền|địa chỉ\s*:|điện thoại\s*:|đt\s*:|fax\s*:|email\s*:|"
    r"ghi rõ nguồn|cơ quan chủ quản|chịu trách nhiệm|giấy phép)",
    re.I,
)
# A byline's optional lead-in and trailing agency: "Bài, ảnh:", "Tin và ảnh:", "Theo", "(TTXVN)".
_BYLINE_PREFIX = re.compile(
    r"^(?:(?:bài và ảnh|tin và ảnh|bài, ảnh|tin, ảnh|bài|tin|ảnh|tác giả|theo)\s*:\s*|theo\s+|by\s+)",
    re.I,
)
_BYLINE_SUFFIX = re.compile(r"\s*\([^)]{1,30}\)\s*$")
# First syllables of unit names that close many texts but are not people ("Sở ...", "Trung tâm ...").
_ORG_WORDS = _words(
    "sở ban bộ cục trung phòng ubnd báo đài trường công hội tỉnh huyện văn thành ủy "
    "uỷ viện tạp theo nguồn trang cổng tổng chi đảng mặt liên"
)


@dataclass
class Body:
    text: str
    byline: list[str] = field(default_factory=list)
    root: HtmlElement | None = None  # the element that holds the body paragraphs
    page: list[Line] = field(default_factory=list)  # block_lines of the cleaned tree


def label_key(text: str) -> str:
    """A heading's comparison key: lowercase, without counts and surrounding punctuation."""
    return _LABEL_NOISE.sub("", text.lower()).strip() if len(text) <= 80 else ""


def _protected(el: HtmlElement, keep: set[HtmlElement]) -> bool:
    return el in keep or el.tag in ("html", "body", "form")


def _holds_body(el: HtmlElement, total_p: int) -> bool:
    """Whether an element holds most of the page's paragraph text (a misnamed body container)."""
    if total_p < 400:
        return False
    inside = sum(len(p.text_content()) for p in el.iter("p"))
    return inside > 0.5 * total_p


def _drop(el: HtmlElement) -> None:
    if el.getparent() is not None:
        el.drop_tree()


def _remove_labelled_blocks(root: HtmlElement, keep: set[HtmlElement], total_p: int) -> None:
    """Remove blocks headed by a Vietnamese boilerplate label, and single widgets by their text."""
    lines = block_lines(root)
    for index, line in enumerate(lines):
        if len(line.text) > 60:
            continue
        key = label_key(line.text)
        if key in _WIDGET_LABELS:
            head = _element_with_text(line.owner, key)
            if head is not None and not _protected(head, keep):
                _drop(head)
            continue
        if key not in _BLOCK_LABELS:
            continue
        head = _element_with_text(line.owner, key)
        if head is None or _protected(head, keep):
            continue
        while head.getparent() is not None and label_key(own_text(head.getparent())) == key:
            head = head.getparent()
        section = head.getparent()
        if section is None:
            continue
        before = sum(
            len(x.text) for x in lines[max(0, index - 40) : index] if _inside(x.owner, section)
        )
        if _protected(section, keep) or before > 200 or _holds_body(section, total_p):
            for sib in list(head.itersiblings()):
                if sib not in keep:
                    _drop(sib)
            _drop(head)
        else:
            _drop(section)


def _inside(el: HtmlElement, container: HtmlElement) -> bool:
    return el is container or any(a is container for a in el.iterancestors())


def _element_with_text(owner: HtmlElement, key: str) -> HtmlElement | None:
    if label_key(own_text(owner)) == key:
        return owner
    for count, sub in enumerate(owner.iterdescendants()):
        if count > 40:
            break
        if isinstance(sub.tag, str) and label_key(own_text(sub)) == key:
            return sub
    return None


def _unwrap_layout_tables(root: HtmlElement) -> None:
    """Turn tables used for page layout (cells holding paragraphs or tables) into divs."""
    for table in list(root.iter("table")):
        cells = table.findall(".//td") + table.findall(".//th")
        layout = table.find(".//table") is not None or any(
            c.find("p") is not None or c.find("div") is not None or len(c.text_content()) > 300
            for c in cells
        )
        if layout:
            for el in [table, *table.iter("tbody", "thead", "tfoot", "tr", "td", "th")]:
                el.tag = "div"


def _paragraphize(root: HtmlElement) -> None:
    """Wrap loose text in containers (`<div>text<br>text</div>`) into `<p>` elements."""
    for el in list(root.iter(*_CONTAINER_TAGS)):
        children = list(el)
        loose = (el.text or "").strip() or any((c.tail or "").strip() for c in children)
        if not loose or not any(c.tag == "br" or c.tag in BLOCK_TAGS for c in children):
            continue
        out: list[HtmlElement] = []
        para = el.makeelement("p", {})
        para.text, el.text = el.text, None
        for child in children:
            tail, child.tail = child.tail, None
            el.remove(child)
            if child.tag == "br" or child.tag in BLOCK_TAGS:
                if (para.text or "").strip() or len(para):
                    out.append(para)
                if child.tag != "br":
                    out.append(child)
                para = el.makeelement("p", {})
                para.text = tail
            else:
                para.append(child)
                child.tail = tail
        if (para.text or "").strip() or len(para):
            out.append(para)
        el.extend(out)


def preclean(root: HtmlElement, anchor: HtmlElement | None, captions: list[HtmlElement]) -> None:
    """Remove Vietnamese boilerplate and captions in place; normalise layout for trafilatura."""
    keep: set[HtmlElement] = set()
    if anchor is not None:
        keep = {anchor, *anchor.iterancestors()}
    for el in root.xpath(_ALWAYS_DROP):
        if el not in keep:
            _drop(el)
    for el in captions:
        _drop(el)
    total_p = sum(len(p.text_content()) for p in root.iter("p"))
    for el in list(root.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None or el in keep:
            continue
        if attr_match(_BOILERPLATE_ATTR, el_attrs(el)) and not _holds_body(el, total_p):
            _drop(el)
    _remove_labelled_blocks(root, keep, total_p)
    _unwrap_layout_tables(root)
    for el in list(root.iter("font")):
        el.drop_tag()
    _paragraphize(root)


def _container(el: HtmlElement) -> HtmlElement:
    while el.tag not in _CONTAINER_TAGS and el.getparent() is not None:
        el = el.getparent()
    return el


def densest_block(root: HtmlElement) -> tuple[list[str], HtmlElement | None]:
    """The lines of the container with the most non-link text (for legacy table layouts)."""
    lines = block_lines(root)
    score: dict[HtmlElement, float] = {}
    for line in lines:
        if len(line.text) < 25 or line.link_chars > 0.5 * len(line.text):
            continue
        box = _container(line.owner)
        score[box] = score.get(box, 0.0) + len(line.text)
        parent = box.getparent()
        if parent is not None:
            score[parent] = score.get(parent, 0.0) + len(line.text) / 2
    if not score:
        return [], None
    best = max(score, key=score.__getitem__)
    kept = [
        ln.text for ln in lines if ln.link_chars <= 0.5 * len(ln.text) and _inside(ln.owner, best)
    ]
    return kept, best


def _common_ancestor(elements: list[HtmlElement]) -> HtmlElement | None:
    if not elements:
        return None
    path = [elements[0], *elements[0].iterancestors()]
    for el in elements[1:]:
        seen = {el, *el.iterancestors()}
        path = [a for a in path if a in seen]
    if not path:
        return None
    return _container(path[0])


def _body_root(page: list[Line], lines: list[str]) -> HtmlElement | None:
    """The element holding the extracted paragraphs (for images and attachments)."""
    owners = {ln.text[:60]: ln.owner for ln in page if len(ln.text) >= 30}
    matched = [owners[t[:60]] for t in lines if len(t) >= 30 and t[:60] in owners]
    return _common_ancestor(matched[:80])


def byline_names(line: str) -> list[str]:
    """The person names of a closing byline line ("Hoàng Thị Tố Loan", "Bài, ảnh: Minh Anh")."""
    text = _BYLINE_SUFFIX.sub("", _BYLINE_PREFIX.sub("", line.strip())).strip(" .-–")
    if not text or len(text) > 60:
        return []
    names = []
    for part in re.split(r"\s*[,;&/–]\s*|\s+-\s+|\s+và\s+", text):
        words = part.split()
        if not 2 <= len(words) <= 5 or words[0].lower() in _ORG_WORDS:
            return []
        for word in words:
            core = word.rstrip(".")
            if not (
                core.isalpha() and core[0].isupper() and (core[1:].islower() or core.isupper())
            ):
                return []
        names.append(part)
    return names


def split_byline(lines: list[str]) -> tuple[list[str], list[str]]:
    """Split a closing byline (and the unit lines under it) off the body lines."""
    for k in range(len(lines) - 1, max(0, len(lines) - 4), -1):
        names = byline_names(lines[k])
        tail = lines[k + 1 :]
        if names and all(len(t) <= 60 and t[-1] not in ".!?…" for t in tail):
            return lines[:k], names
    return lines, []


def _strip_head(lines: list[str], title: str) -> list[str]:
    """Drop a repeated title (and the short lines above it), datelines and breadcrumbs at the start."""
    key = fold(title) if title else ""
    for i, line in enumerate(lines[:6]):
        if (
            key
            and abs(len(line) - len(title)) < 10
            and fold(line) == key
            and all(len(x) < 120 for x in lines[:i])
        ):
            lines = lines[i + 1 :]
            break
    head = [x for x in lines[:5] if not is_dateline(x) and not _BREADCRUMB_LINE.match(x)]
    return head + lines[5:]


def _trim_edges(lines: list[str], page: list[Line]) -> list[str]:
    """Drop menu lines (all link text) at both ends, footer and date lines at the end."""
    links = {ln.text: ln.link_chars >= 0.9 * len(ln.text) for ln in page}
    while lines and links.get(lines[0], False):
        lines = lines[1:]
    while lines and (
        links.get(lines[-1], False) or _FOOTER_LINE.match(lines[-1]) or is_dateline(lines[-1])
    ):
        lines = lines[:-1]
    return lines


def clean_lines(text: str) -> list[str]:
    """Split extracted text into squeezed, non-empty NFC lines."""
    return [x for x in (squeeze(nfc(t)) for t in text.split("\n")) if x]


def extract_body(root: HtmlElement, title: str = "", url: str | None = None) -> Body:
    """Body text of a pre-cleaned tree: trafilatura, else the densest block; head and byline cut."""
    try:
        raw = trafilatura.extract(root, url=url, include_comments=False, fast=True) or ""
    except Exception:  # trafilatura may fail on pathological trees: fall back below
        raw = ""
    lines = clean_lines(raw)
    dense_root = None
    if sum(map(len, lines)) < 250:
        dense, dense_root = densest_block(root)
        if sum(map(len, dense)) > sum(map(len, lines)):
            lines = dense
        else:
            dense_root = None
    page = block_lines(root)
    lines = _strip_head(_trim_edges(lines, page), title)
    lines, byline = split_byline(lines)
    body_root = dense_root if dense_root is not None else _body_root(page, lines)
    return Body("\n".join(lines), byline, body_root, page)


def main_text(html: str, url: str | None = None, title: str = "") -> str:
    """Body text of a page given as HTML (convenience for benchmarks and tests)."""
    root = parse_html(html)
    if root is None:
        return ""
    anchor = title_anchor(root, title)
    captions = [cap for _, _, cap in image_captions(root) if cap is not None]
    preclean(root, anchor, captions)
    return extract_body(root, title, url).text
