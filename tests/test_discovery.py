import gzip

from crawler import discovery

PAGE = """<html><head><link rel="canonical" href="/a-1.html">
<link rel="alternate" type="application/rss+xml" href="/feed/"></head><body>
<a href="/tin-tuc/tap-huan-phat-ngon-123.html">Tập huấn kỹ năng phát ngôn cho cán bộ</a>
<a href="?page=2">2</a><a href="/list?page=3">Trang sau</a>
<a href="javascript:__doPostBack('ctl00$m$g_1$pager','Page$2')">2</a>
<a href="javascript:__doPostBack('ctl00$btnLogin','')">Đăng nhập</a>
<button class="btn-more" data-url="/thoi-su/trang-2.html">Xem thêm</button>
<a href="mailto:a@b.vn">mail</a><a href="/files/kh.pdf">Kế hoạch</a>
<form id="aspnetForm" method="post"><input type="hidden" name="__VIEWSTATE" value="x"></form>
</body></html>"""


def test_links_pagination_and_buttons():
    tree = discovery.parse_html(PAGE)
    links = {link.url: link for link in discovery.page_links(tree, "http://x.vn/list")}
    assert links["http://x.vn/list?page=2"].pagination
    assert links["http://x.vn/list?page=3"].pagination
    assert links["http://x.vn/thoi-su/trang-2.html"].pagination
    assert not links["http://x.vn/tin-tuc/tap-huan-phat-ngon-123.html"].pagination
    assert not any(u.startswith("mailto") for u in links)


def test_only_pager_postbacks():
    tree = discovery.parse_html(PAGE)
    pbs = discovery.postbacks(tree)
    assert [(p.target, p.argument) for p in pbs] == [("ctl00$m$g_1$pager", "Page$2")]
    assert discovery.postback_form(tree).get("id") == "aspnetForm"


def test_feed_and_canonical_links():
    tree = discovery.parse_html(PAGE)
    assert discovery.feed_links(tree, "http://x.vn/list") == ["http://x.vn/feed/"]
    assert discovery.canonical_link(tree, "http://x.vn/list") == "http://x.vn/a-1.html"


def test_skip_reasons():
    assert discovery.skip_reason("http://x.vn/files/kh.pdf") == "document"
    assert discovery.skip_reason("http://x.vn/img/a.JPG") == "media"
    assert discovery.skip_reason("http://x.vn/tim-kiem?q=a") == "not news: search"
    assert discovery.skip_reason("http://x.vn/tin-tuc/a-1.html") is None
    assert discovery.skip_reason("http://x.vn/Pages/DangNhap.aspx") == "not news: login"
    assert discovery.skip_reason("http://x.vn/dang-nhap") == "not news: login"
    assert discovery.skip_reason("http://x.vn/dang-ky.html") == "not news: registration"
    assert discovery.skip_reason("http://x.vn/lien-he/") == "not news: contact"
    assert discovery.skip_reason("http://x.vn/tags/phat-ngon/") == "not news: tag or author list"
    assert discovery.skip_reason("http://x.vn/_layouts/15/start.aspx") == "not news: administration"
    assert discovery.skip_reason("mailto:a@x.vn") == "not a page"


def test_a_word_in_an_article_slug_never_drops_it():
    for url in (
        "http://x.vn/tin-tuc/huong-dan-dang-ky-tham-du-lop-tap-huan-phat-ngon-2024.html",
        "http://x.vn/tin-tuc/tang-cuong-lien-he-voi-bao-chi-trong-xu-ly-khung-hoang-123.html",
        "http://x.vn/thoi-su/tim-kiem-giai-phap-cung-cap-thong-tin-cho-bao-chi-456.html",
        "http://x.vn/2024/05/gop-y-du-thao-nghi-dinh-ve-phat-ngon/",
    ):
        assert discovery.skip_reason(url) is None, url


def test_sitemaps():
    robots = "User-agent: *\nDisallow: /admin/\nSitemap: /sitemap_index.xml\nsitemap: http://x.vn/s2.xml\n"
    assert discovery.sitemaps_from_robots(robots, "http://x.vn/robots.txt") == [
        "http://x.vn/sitemap_index.xml",
        "http://x.vn/s2.xml",
    ]
    index = b'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>http://x.vn/s-news.xml</loc></sitemap></sitemapindex>'
    assert discovery.parse_sitemap(index) == (
        "sitemapindex",
        [discovery.SitemapEntry("http://x.vn/s-news.xml", None)],
    )
    urlset = b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>http://x.vn/a.html</loc><lastmod>2023-01-02</lastmod></url></urlset>'
    assert discovery.parse_sitemap(urlset)[1] == [
        discovery.SitemapEntry("http://x.vn/a.html", "2023-01-02")
    ]
    assert discovery.parse_sitemap(b"<html><body>not a sitemap</body></html>") == (None, [])
    assert discovery.parse_sitemap(b"\x00\x01garbage") == (None, [])


def test_a_sitemap_is_read_as_a_stream_whatever_its_shape():
    ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    urls = "".join(
        f"<url><!-- c --><loc> http://x.vn/{i}.html </loc><priority>1</priority></url>"
        for i in range(3000)
    )
    body = f'<?xml version="1.0"?><urlset {ns}>{urls}<url><loc>ftp://x.vn/f</loc></url></urlset>'
    kind, entries = discovery.parse_sitemap(gzip.compress(body.encode()))
    assert kind == "urlset" and len(entries) == 3000
    assert entries[-1] == discovery.SitemapEntry("http://x.vn/2999.html", None)
    # Cut off mid-way (a dropped connection): the entries before the cut are read.
    kind, entries = discovery.parse_sitemap(body.encode()[: len(body) // 2])
    assert kind == "urlset" and 1000 < len(entries) < 1600
    assert discovery.parse_sitemap(b"") == (None, [])
    assert discovery.parse_sitemap(gzip.compress(b"<html><p>x</p></html>")) == (None, [])


def test_feeds():
    rss = b"<rss version='2.0'><channel><item><title>t</title><link>http://x.vn/a.html</link></item></channel></rss>"
    atom = b"<feed xmlns='http://www.w3.org/2005/Atom'><entry><link rel='alternate' href='http://x.vn/b.html'/></entry></feed>"
    assert discovery.parse_feed(rss) == ["http://x.vn/a.html"]
    assert discovery.parse_feed(atom) == ["http://x.vn/b.html"]
    assert discovery.parse_feed(b"<html></html>") is None


def test_unparseable_html_is_none():
    assert discovery.parse_html("") is None
    assert discovery.parse_html("   ") is None
