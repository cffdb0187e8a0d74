"""Publication dates: metadata order, Vietnamese datelines, ASP.NET en-US dates, never invented."""

from __future__ import annotations

import pytest

from crawler.extract.dates import find_published, parse_vn_datetime

BODY = (
    "<p>Sáng 6/4/2021, Sở Thông tin và Truyền thông Thanh Hóa phối hợp với Cục Báo chí, Bộ TTTT tổ "
    "chức Hội nghị tập huấn công tác phát ngôn, cung cấp và xử lý thông tin báo chí. Hội nghị được "
    "triển khai trực tuyến từ điểm cầu Trung tâm của tỉnh đến 27 điểm cầu.</p>"
)
TITLE = (
    "Thanh Hóa: Tổ chức Hội nghị tập huấn công tác phát ngôn, cung cấp và xử lý thông tin báo chí"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09/12/2021", "2021-12-09"),
        ("Thứ năm, 09/12/2021", "2021-12-09"),
        ("Cập nhật: 27/09/2022 16:05", "2022-09-27T16:05:00+07:00"),
        ("Thứ Hai, 12/06/2023 - 08:30", "2023-06-12T08:30:00+07:00"),
        ("Ngày đăng: 15/03/2023 09:12", "2023-03-15T09:12:00+07:00"),
        ("ngày 12 tháng 3 năm 2025", "2025-03-12"),
        ("4/8/2021 3:02:00 AM", "2021-04-08T03:02:00+07:00"),
        ("4/8/2021 3:02:00 PM", "2021-04-08T15:02:00+07:00"),
        ("25/8/2021 3:02 PM", "2021-08-25T15:02:00+07:00"),  # month-first impossible
        ("08/04/2021 3:02:00 CH", "2021-04-08T15:02:00+07:00"),  # vi-VN culture: day first
        ("16h05 ngày 27/09/2022", "2022-09-27T16:05:00+07:00"),
        ("12/06/2023 08:30 (GMT+7)", "2023-06-12T08:30:00+07:00"),
        ("2021-04-08T03:02:00+0700", "2021-04-08T03:02:00+07:00"),
        ("2021-04-08T03:02:00", "2021-04-08T03:02:00+07:00"),
        ("2021-04-08T03:02:00Z", "2021-04-08T10:02:00+07:00"),
        ("2023-11-08T08:00:00+00:00", "2023-11-08T15:00:00+07:00"),
        ("Thu, 08 Apr 2021 20:02:00 GMT", "2021-04-09T03:02:00+07:00"),
        ("06 May, 08:09 PM", None),  # a teaser without a year
        ("Sáng 23/9/204", None),  # a typo'd year
        ("31/02/2021", None),
        ("01/01/1990", None),
        ("01/01/2099", None),
        ("", None),
    ],
)
def test_parse_vn_datetime(text, expected):
    assert parse_vn_datetime(text) == expected


def test_dnn_us_style_dateline_under_title():
    html = (
        '<html><body><div class="dnnModule"><div class="news-detail">'
        f'<span class="Head">{TITLE}</span><br><span class="date">4/8/2021 3:02:00 AM</span>'
        f"{BODY}</div></div></body></html>"
    )
    assert find_published(html, "https://x.gov.vn/tin-tuc/ArticleID/1234", TITLE) == (
        "2021-04-08T03:02:00+07:00"
    )


def test_jsonld_graph_wins_over_meta_and_dateline():
    html = (
        '<html><head><script type="application/ld+json">{"@context":"https://schema.org","@graph":'
        '[{"@type":"WebSite","name":"Báo X"},{"@type":"NewsArticle","headline":"t",'
        '"datePublished":"2023-06-12T08:30:00+07:00"}]}</script>'
        '<meta property="article:published_time" content="2023-06-11T01:00:00+07:00"></head>'
        f"<body><h1>{TITLE}</h1><p>Thứ Hai, 10/06/2023 - 08:30</p>{BODY}</body></html>"
    )
    assert find_published(html, "") == "2023-06-12T08:30:00+07:00"


def test_meta_then_time_element():
    meta = '<html><head><meta name="pubdate" content="15/03/2023 09:12"></head><body><h1>A</h1></body></html>'
    assert find_published(meta, "") == "2023-03-15T09:12:00+07:00"
    timed = (
        f'<html><body><article><header><h1>{TITLE}</h1><time datetime="2022-09-27">27/9</time>'
        f'</header>{BODY}</article><div class="related"><time datetime="2024-01-01">x</time></div>'
        "</body></html>"
    )
    assert find_published(timed, "") == "2022-09-27"


def test_event_dates_in_body_are_not_published():
    # seed 004: the first paragraph starts with the event date; no dateline
    html = (
        f"<html><body><h1>Hội nghị tập huấn nghiệp vụ năm 2022</h1><p>Ngày 27/9/2022, Bộ Thông tin "
        f"và Truyền thông đã tổ chức Hội nghị tập huấn nghiệp vụ công tác thông tin, tuyên truyền "
        f"theo hình thức trực tiếp và trực tuyến cho các cơ quan, đơn vị thuộc Bộ.</p>{BODY}</body></html>"
    )
    assert find_published(html, "") is None


def test_teasers_and_site_header_dates_are_not_published():
    # seed 002: "06 May, 08:09 PM" teasers; a site header that shows today's date
    html = (
        '<html><body><div class="topbar"><span>Thứ Năm, 08/05/2025</span></div>'
        '<div class="menu"><a href="/">Trang chủ</a></div><div class="main"><div class="detail">'
        "<h1>Phát ngôn, cung cấp thông tin cho báo chí là trách nhiệm người đứng đầu</h1>"
        "<p>Kinhtedothi - Sáng 8/8, UBND tỉnh Kiên Giang tổ chức Hội nghị tập huấn, bồi dưỡng kiến "
        "thức, nghiệp vụ về thông tin đối ngoại, công tác phát ngôn và cung cấp thông tin báo chí. "
        "Thứ trưởng Bộ Ngoại giao Lê Thị Thu Hằng tới dự và trình bày quan điểm về phát ngôn...</p>"
        '</div><div class="dont-miss"><h3>Đừng bỏ lỡ</h3><p>Quảng Ngãi kiểm soát chặt chẽ tốc độ '
        "tăng trưởng</p><p>06 May, 08:09 PM</p></div></div></body></html>"
    )
    assert find_published(html, "") is None


def test_dateline_above_title_in_article_header():
    html = (
        '<html><body><div class="menu"><a href="/">Trang chủ</a></div><div class="article">'
        f'<div class="meta"><span>Ngày đăng: 15/03/2023 09:12</span></div><h1>{TITLE}</h1>'
        f"{BODY}</div></body></html>"
    )
    assert find_published(html, "") == "2023-03-15T09:12:00+07:00"


@pytest.mark.parametrize("html", ["", "<html>", "<<<>>>", "<p>" * 5000, "\x00\x01"])
def test_find_published_never_raises(html):
    assert find_published(html, "") is None
