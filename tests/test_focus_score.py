"""The link scorer of focused crawling (crawler/focus.py): a guess from a listing's text."""

from __future__ import annotations

from crawler.focus import LIKELY, LinkText, in_sample, link_score, url_words


def score(text: str, url: str = "https://x.vn/a.html", teaser: str = "", title: str = "") -> float:
    return link_score(LinkText(url, text, title, teaser))


def test_a_training_named_in_the_headline_is_likely() -> None:
    assert score("Tập huấn kỹ năng phát ngôn và cung cấp thông tin cho báo chí") >= LIKELY
    assert score("Hội nghị thông tin đối ngoại năm 2023") >= LIKELY


def test_slug_words_count_like_the_headline() -> None:
    assert (
        score("Xem chi tiết", url="https://x.vn/tin/tap-huan-ky-nang-phat-ngon-123.html") >= LIKELY
    )
    assert url_words("https://x.vn/tin-tuc/tap-huan-ky-nang-123.html") == "tap huan ki nang"


def test_a_teaser_can_lift_a_dull_headline() -> None:
    dull = score("Hội nghị ngày 12/3")
    hinted = score("Hội nghị ngày 12/3", teaser="Cán bộ được bồi dưỡng kỹ năng phát ngôn.")
    assert dull < LIKELY <= hinted


def test_title_attribute_is_read() -> None:
    assert score("Xem", title="Bồi dưỡng nghiệp vụ thông tin đối ngoại") >= LIKELY


def test_ordinary_news_and_press_conferences_score_low() -> None:
    assert score("Giá lúa tăng mạnh trong tháng Ba") == 0
    assert score("Họp báo công bố kết quả kinh tế quý I") < LIKELY
    assert score("Tập huấn phòng cháy chữa cháy") < LIKELY


def test_a_plan_scores_below_the_training_it_orders() -> None:
    held = score("Tập huấn thông tin đối ngoại năm 2025")
    assert score("Kế hoạch tập huấn thông tin đối ngoại năm 2025") < held


def test_the_sample_is_stable_and_about_its_share() -> None:
    urls = [f"https://x.vn/tin/{i}.html" for i in range(5000)]
    chosen = [u for u in urls if in_sample(u, 0.1)]
    assert 400 < len(chosen) < 600
    assert chosen == [u for u in urls if in_sample(u, 0.1)]
    assert all(in_sample(u, 1) for u in urls[:10]) and not any(in_sample(u, 0) for u in urls[:10])


def test_listing_links_carry_their_title_attribute_and_teaser() -> None:
    from crawler.discovery import page_links, parse_html

    tree = parse_html(
        '<html><body><ul><li><a href="/a.html"><img src="a.jpg"></a>'
        '<h3><a href="/a.html" title="Lớp bồi dưỡng">Hội nghị ngày 12/3</a></h3>'
        '<p>Cán bộ được bồi dưỡng kỹ năng phát ngôn.</p><a href="/muc/">Thời sự</a></li>'
        '<li><h3><a href="/b.html">Giá lúa tăng</a></h3><p>Nông dân phấn khởi.</p></li></ul>'
        '<a href="/?page=2">2</a></body></html>'
    )
    links = {link.url: link for link in page_links(tree, "http://x.vn/")}
    a = links["http://x.vn/a.html"]
    assert a.title == "Lớp bồi dưỡng" and "bồi dưỡng kỹ năng phát ngôn" in a.teaser
    assert "Nông dân" not in a.teaser and "Nông dân phấn khởi" in links["http://x.vn/b.html"].teaser
    assert links["http://x.vn/?page=2"].teaser == ""
    assert link_score(LinkText(a.url, a.text, a.title, a.teaser)) >= LIKELY


def test_focus_settings_are_checked_before_a_crawl() -> None:
    import pytest

    from crawler.crawl_runner import SettingsError, check_settings

    assert check_settings({"PRESSNEWS_ORDER": "Breadth"}) == {"PRESSNEWS_ORDER": "breadth"}
    assert check_settings({"PRESSNEWS_FOCUS_SAMPLE": "0.25"}) == {"PRESSNEWS_FOCUS_SAMPLE": 0.25}
    for bad in (
        {"PRESSNEWS_ORDER": "random"},
        {"PRESSNEWS_FOCUS_SAMPLE": "1.5"},
        {"PRESSNEWS_FOCUS_BACKLOG": "-1"},
        {"PRESSNEWS_FOCUS": "true"},  # reserved: --focus
    ):
        with pytest.raises(SettingsError):
            check_settings(bad)


def test_sources_file_focus_fields() -> None:
    import pytest

    from crawler.sources import SourcesError, parse_sources

    entry = {"name": "A", "start_urls": ["https://a.vn/"]}
    src = parse_sources(
        {"sources": {"a": {**entry, "focus": True, "focus_sample": 0, "focus_backlog": 50}}}
    )["a"]
    assert (src.focus, src.focus_sample, src.focus_backlog) == (True, 0.0, 50)
    assert parse_sources({"sources": {"a": entry}})["a"].focus is None
    for bad in (
        {"focus": "yes"},
        {"focus_sample": 2},
        {"focus_backlog": -3},
        {"focus_sample": True},
    ):
        with pytest.raises(SourcesError):
            parse_sources({"sources": {"a": {**entry, **bad}}})
