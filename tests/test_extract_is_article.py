"""is_article: article pages versus home, listing, tag, search, contact and intro pages."""

from __future__ import annotations

import pytest

from crawler.extract.page import is_article

PARA = (
    "<p>Sáng 6/4/2021, Sở Thông tin và Truyền thông Thanh Hóa phối hợp với Cục Báo chí, Bộ TTTT tổ "
    "chức Hội nghị tập huấn công tác phát ngôn, cung cấp và xử lý thông tin báo chí cho các sở, "
    "ban, ngành và UBND các huyện, thị xã, thành phố trong tỉnh.</p>"
)
MENU = (
    '<div class="menu"><ul>'
    + "".join(f'<li><a href="/c{i}.html">Chuyên mục {i}</a></li>' for i in range(12))
    + "</ul></div>"
)


def page(body: str, head: str = "") -> str:
    return f"<html><head><title>Trang</title>{head}</head><body>{MENU}{body}</body></html>"


ARTICLE = page(
    "<h1>Thanh Hóa: Tổ chức Hội nghị tập huấn công tác phát ngôn</h1><div>4/8/2021 3:02:00 AM</div>"
    f'<div class="content">{PARA * 6}</div>'
)
TEASERS = "".join(
    f'<div class="item"><a href="/tin-{i}-{1000 + i}.html"><img src="/t{i}.jpg"></a>'
    f'<h3><a href="/tin-{i}-{1000 + i}.html">Hội nghị tập huấn kỹ năng phát ngôn số {i} năm 2023</a></h3>'
    f"<p>Sáng nay, Sở Thông tin và Truyền thông tổ chức hội nghị tập huấn số {i} cho cán bộ.</p></div>"
    for i in range(15)
)
LISTING = page(f'<h1>Tin tức - Sự kiện</h1><div class="list">{TEASERS}</div>')


def test_article_by_text_shape_and_url():
    verdict = is_article("https://stttt.thanhhoa.gov.vn/tin-tuc/ArticleID/1234", ARTICLE)
    assert verdict.is_article and verdict.score >= 2
    assert "body" in verdict.reason and "published date" in verdict.reason


def test_article_by_structured_data_alone():
    head = (
        '<meta property="og:type" content="article"><script type="application/ld+json">'
        '{"@type":"NewsArticle","headline":"x","datePublished":"2023-06-12"}</script>'
    )
    verdict = is_article("https://baohanam.com.vn/x", page("<h1>Tin ngắn</h1>" + PARA * 2, head))
    assert verdict.is_article and "json-ld newsarticle" in verdict.reason


@pytest.mark.parametrize(
    ("url", "html"),
    [
        ("https://baohanam.com.vn/", page("<h1>Báo Hà Nam</h1>" + TEASERS)),
        ("https://baohanam.com.vn/chuyen-muc/thoi-su/", LISTING),
        ("https://stttt.hanam.gov.vn/Pages/tin-tuc.aspx", LISTING),
        ("https://sotttt.langson.gov.vn/tag/phat-ngon/", LISTING),
        ("https://sotttt.langson.gov.vn/page/2/", LISTING),
        (
            "https://sotttt.langson.gov.vn/?s=phat+ngon",
            page("<h1>Kết quả tìm kiếm</h1>" + TEASERS[:900]),
        ),
        (
            "https://stttt.hanam.gov.vn/lien-he",
            page("<h1>Liên hệ</h1><p>Địa chỉ: số 1 đường Trần Phú</p><form><input name=a></form>"),
        ),
        (
            "https://stttt.hanam.gov.vn/gioi-thieu/chuc-nang-nhiem-vu",
            page("<h1>Chức năng nhiệm vụ</h1>" + PARA * 4),
        ),
        (
            "https://stttt.hanam.gov.vn/dang-nhap",
            page("<h1>Đăng nhập</h1><form><input name=u></form>"),
        ),
    ],
)
def test_non_articles_are_rejected(url, html):
    verdict = is_article(url, html)
    assert not verdict.is_article, verdict.reason
    assert verdict.reason.startswith("not an article:")


@pytest.mark.parametrize("html", ["", "<html>", "\x00<<>>", "<div>" * 3000])
def test_broken_pages_are_not_articles(html):
    assert not is_article("https://x.vn/a", html).is_article
