"""Evaluation articles rendered as the pages real portals serve, for the article-or-not check.

Each labelled article (tests/eval/v2) is wrapped in four page templates written to imitate the
CMSs of the fixture sites (a SharePoint Sở portal, a WordPress provincial paper, a DotNetNuke
district portal, a national news site with JSON-LD), chrome included: menus, a "Tin khác"
sidebar of linked headlines, a footer with the agency's address. The page carries the article's
own URL (as its writer gave it), and its date only when the article has one. A brief is also
rendered cut to its first paragraph, when that paragraph alone has 200 characters or more.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterator

_SIDEBAR = [
    "Hội nghị tổng kết công tác năm và triển khai nhiệm vụ năm mới",
    "Ra quân đảm bảo trật tự an toàn giao thông dịp cuối năm",
    "Khai mạc giải bóng đá thiếu niên nhi đồng cấp tỉnh",
    "Tăng cường công tác phòng, chống dịch bệnh trên gia súc, gia cầm",
    "Trao học bổng cho học sinh nghèo vượt khó học giỏi",
    "Đẩy mạnh chuyển đổi số trong cải cách hành chính",
]
_MENU = ["Trang chủ", "Giới thiệu", "Tin tức - Sự kiện", "Văn bản", "Thủ tục hành chính", "Liên hệ"]


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _paras(body: str) -> str:
    return "\n".join(f"<p>{_e(p)}</p>" for p in body.split("\n") if p.strip())


def _sidebar(base: str) -> str:
    items = "".join(
        f'<li class="news-item"><a href="{base}/tin-tuc/tin-khac-{i}">{_e(t)}</a></li>'
        for i, t in enumerate(_SIDEBAR)
    )
    return f'<aside class="sidebar"><h3>Tin khác</h3><ul>{items}</ul></aside>'


def _menu(base: str) -> str:
    items = "".join(f'<li><a href="{base}/m{i}">{_e(m)}</a></li>' for i, m in enumerate(_MENU))
    return f'<nav class="menu"><ul>{items}</ul></nav>'


def _vn_date(iso: str) -> str:
    y, m, d = iso[:10].split("-")
    return f"{d}/{m}/{y}"


def sharepoint(a: dict, base: str) -> str:
    date = (
        f'<div class="date">Ngày đăng: {_vn_date(a["published"])} 08:30</div>'
        if a["published"]
        else ""
    )
    return f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<title>{_e(a["title"])} - Cổng thông tin điện tử</title></head><body>
<div id="s4-ribbonrow">Skip Ribbon Commands</div>{_menu(base)}
<div id="contentBox"><div class="ms-rtestate-field">
<h1 class="title-news">{_e(a["title"])}</h1>{date}
<div class="news-content">{_paras(a["body"])}</div></div>
{_sidebar(base)}</div>
<footer><p>Cơ quan chủ quản: UBND tỉnh. Địa chỉ: số 1 đường Trần Hưng Đạo. Điện thoại: 0200 3822 000.</p></footer>
</body></html>"""


def wordpress(a: dict, base: str) -> str:
    meta = ""
    time_el = ""
    if a["published"]:
        meta = f'<meta property="article:published_time" content="{a["published"]}T07:00:00+07:00">'
        time_el = f'<time class="entry-date" datetime="{a["published"]}T07:00:00+07:00">{_vn_date(a["published"])}</time>'
    return f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<title>{_e(a["title"])} &#8211; Báo tỉnh</title><meta property="og:type" content="article">
<meta property="og:title" content="{_e(a["title"])}">{meta}</head><body class="single single-post">
<header class="site-header">{_menu(base)}</header>
<main id="main"><article class="post type-post"><header class="entry-header">
<h1 class="entry-title">{_e(a["title"])}</h1><div class="entry-meta">{time_el}</div></header>
<div class="entry-content">{_paras(a["body"])}</div></article>
<section class="related-posts"><h3>Bài viết liên quan</h3>{_sidebar(base)}</section></main>
<footer class="site-footer"><p>Giấy phép số 12/GP-BTTTT. Tòa soạn: 5 Lê Lợi.</p></footer></body></html>"""


def dnn(a: dict, base: str) -> str:
    date = (
        f'<span class="ArticleDate">Cập nhật: {_vn_date(a["published"])} 2:15:00 PM</span>'
        if a["published"]
        else ""
    )
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{_e(a["title"])}</title></head>
<body><form id="Form" method="post" action="#"><div id="dnn_ContentPane">{_menu(base)}
<table width="100%"><tr><td class="LeftPane">{_sidebar(base)}</td><td class="ContentPane">
<div class="ArticleTitle"><h2>{_e(a["title"])}</h2></div>{date}
<div class="ArticleContent">{_paras(a["body"])}</div>
<div class="ArticleTools"><a href="#">In trang</a> <a href="#">Gửi email</a></div>
</td></tr></table></div></form>
<div class="footer">Bản quyền thuộc UBND huyện. Ghi rõ nguồn khi phát hành lại thông tin từ website này.</div></body></html>"""


def newsjsonld(a: dict, base: str) -> str:
    ld: dict = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": a["title"]}
    if a["published"]:
        ld["datePublished"] = a["published"] + "T10:00:00+07:00"
    return f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{_e(a["title"])}</title>
<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script></head><body>
<header>{_menu(base)}</header><div class="container"><div class="detail">
<h1 class="detail-title">{_e(a["title"])}</h1>
<div class="detail-content">{_paras(a["body"])}</div></div>
<div class="box-related"><h3>Đọc thêm</h3>{_sidebar(base)}</div></div>
<footer>Tổng biên tập: Nguyễn Văn A. Giấy phép số 123/GP-BTTTT.</footer></body></html>"""


TEMPLATES = {"sharepoint": sharepoint, "wordpress": wordpress, "dnn": dnn, "newsjsonld": newsjsonld}


def variants(a: dict) -> Iterator[tuple[str, dict]]:
    """The article as written and, for a brief, cut to a first paragraph of 200+ characters."""
    yield "whole", a
    first = a["body"].split("\n")[0]
    if a.get("kind") == "brief" and len(first) >= 200 and first != a["body"]:
        yield "first paragraph", {**a, "body": first}


def pages(a: dict) -> Iterator[tuple[str, str, str]]:
    """(label, url, html) for every template and variant of one article."""
    url = a["url"]
    base = url.split("/", 3)[0] + "//" + url.split("/", 3)[2]
    for vname, v in variants(a):
        for tname, render in TEMPLATES.items():
            yield f"{tname}/{vname}", url, render(v, base)
