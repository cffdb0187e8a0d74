import pytest

from crawler.urls import article_id, canonical_article_url, clean_url, is_home, same_site


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("https://Example.gov.vn:443/a?utm_source=zalo&utm_medium=x#c", "https://example.gov.vn/a"),
        (
            "http://x.vn/(S(abc123xyz))/Pages/tin-tuc.aspx?ItemID=12",
            "http://x.vn/Pages/tin-tuc.aspx?ItemID=12",
        ),
        ("http://x.vn/web/guest/a;jsessionid=ABC0123?b=2&a=1", "http://x.vn/web/guest/a?a=1&b=2"),
        ("http://x.vn/a?fbclid=1&PHPSESSID=2&id=5", "http://x.vn/a?id=5"),
        ("http://user:secret@x.vn/a", "http://x.vn/a"),
    ],
)
def test_clean_url_drops_tracking_session_fragment_and_credentials(raw, clean):
    assert clean_url(raw) == clean


def test_article_identifying_parameters_are_kept():
    a = canonical_article_url("http://x.vn/Pages/tin-tuc.aspx?ItemID=12")
    b = canonical_article_url("http://x.vn/Pages/tin-tuc.aspx?ItemID=13")
    assert a != b and article_id(a) != article_id(b)
    assert canonical_article_url("http://x.vn/chitiet.asp?id=7") == "http://x.vn/chitiet.asp?id=7"


def test_liferay_plumbing_removed_but_listing_cursor_kept():
    url = (
        "http://x.vn/web/guest/tin-tuc/-/asset_publisher/AbCd/content/slug?p_p_id=P_INSTANCE_AbCd"
        "&p_p_lifecycle=0&p_p_state=normal&_P_INSTANCE_AbCd_redirect=%2Fweb"
    )
    assert (
        canonical_article_url(url)
        == "http://x.vn/web/guest/tin-tuc/-/asset_publisher/AbCd/content/slug"
    )
    page2 = "http://x.vn/web/guest/tin-tuc?p_p_id=P_INSTANCE_AbCd&_P_INSTANCE_AbCd_cur=2"
    assert "_cur=2" in canonical_article_url(page2)


@pytest.mark.parametrize(
    "copy",
    [
        "https://bao.vn/amp/thoi-su/slug-123.html",
        "https://bao.vn/thoi-su/slug-123.html?utm_source=facebook",
        "https://m.bao.vn/thoi-su/slug-123.html",
        "https://bao.vn/thoi-su/slug-123.html?print=1",
    ],
)
def test_print_amp_mobile_copies_map_to_the_article(copy):
    assert canonical_article_url(copy) == "https://bao.vn/thoi-su/slug-123.html"


def test_dnn_print_view_maps_to_article():
    assert (
        canonical_article_url("http://s.vn/tin-tuc/tabid/105/ArticleID/7/print/true/default.aspx")
        == "http://s.vn/tin-tuc/tabid/105/ArticleID/7/default.aspx"
    )


def test_id_ignores_scheme_and_trailing_slash():
    assert article_id("http://x.vn/a/b/") == article_id("https://x.vn/a/b")


def test_home_and_same_site():
    assert is_home("https://x.vn/") and is_home("https://x.vn/Pages/Home.aspx")
    assert not is_home("https://x.vn/tin-tuc/a.html")
    assert same_site("https://www.x.vn/a", "x.vn") and not same_site("https://y.vn/a", "x.vn")
    assert not same_site("http://127.0.0.1:8001/a", "127.0.0.1:8000")


def test_copies_are_recognised():
    from crawler.urls import is_copy_url

    assert is_copy_url("http://s.vn/tin-tuc/tabid/105/ArticleID/7/print/true/default.aspx")
    assert is_copy_url("https://bao.vn/amp/thoi-su/a-1.html")
    assert is_copy_url("https://m.bao.vn/thoi-su/a-1.html")
    assert is_copy_url("https://bao.vn/a-1.html?print=1")
    assert not is_copy_url("https://bao.vn/thoi-su/a-1.html?id=5")
    assert "replytocom" not in clean_url(
        "https://w.vn/2023/09/23/a/?replytocom=12&relatedposts_hit=1"
    )


def test_canonical_vetting():
    from crawler.urls import names_same_item

    assert names_same_item(
        "https://b.vn/thoi-su/a-b-123456.html", "https://b.vn/a-b-123456.html?x=1"
    )
    assert names_same_item("https://b.vn/c/slug-a/", "https://b.vn/d/slug-a")
    assert not names_same_item(
        "https://b.vn/thoi-su/undefined", "https://b.vn/thoi-su/slug-587204.html"
    )
    assert not names_same_item("https://b.vn/", "https://b.vn/thoi-su/slug-587204.html")
