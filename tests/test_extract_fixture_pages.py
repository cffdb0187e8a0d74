"""extract()/is_article() straight on each fixture page's HTML, checked against expected.json.

No server and no crawl: the page file is read from disk (routes and path rewrites of site.json
resolved as the fixture server does), its {{base}} templating replaced by BASE, encoded in the
site's charset and decoded again by `decode_html`. Routes that inject network faults are skipped
(they test the crawler, not extraction).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from crawler.extract.decode import decode_html
from crawler.extract.page import extract, is_article
from vnlang.text import fold

try:
    from search_cli.demo.payloads import encode_text
    from search_cli.demo.sites_config import SITES_DIR, load_expected, load_sites, site_names
except ImportError:  # the fixture server is not there yet
    SITES_DIR, load_sites = Path(__file__).parent / "missing", None

BASE = "http://127.0.0.1:8000"
# {{base}} and {{base:OTHER}} templating in fixture files.
_TEMPLATE = re.compile(r"\{\{base(?::[^}]*)?\}\}")


def _sites() -> list[str]:
    if load_sites is None or not Path(SITES_DIR).is_dir():
        return []
    return [s for s in site_names(SITES_DIR) if (Path(SITES_DIR) / s / "expected.json").is_file()]


SITES = _sites()
pytestmark = pytest.mark.skipif(not SITES, reason="no fixture sites with expected.json yet")


def page_html(site_name: str, path_qs: str) -> str:
    """The page as the crawler would see it: the file encoded as the fixture server sends it
    (windows-1258 for legacy sites, charset in the header or not), then `decode_html`."""
    (site,) = load_sites(SITES_DIR, [site_name])
    path, _, query = path_qs.split("#")[0].partition("?")
    path = site.rewrite(path)
    if site.find(site.redirects, path, query):
        pytest.skip(f"{path_qs} is a redirect")
    found = site.find(site.routes, path, query)
    route = found[1] if found else {}
    if route.get("fault"):
        pytest.skip(f"{path_qs} is a network fault route ({route['fault']})")
    if "body" in route and "file" not in route:
        raw, suffix = route["body"].encode("utf-8"), ".html"
    else:
        file = site.resolve_file(route["file"]) if route.get("file") else site.file_for(path)
        assert file is not None, f"{site_name}: no file for {path_qs}"
        raw, suffix = file.read_bytes(), file.suffix.lower()
    header = None
    if suffix in (".html", ".htm", ".asp", ".aspx", ""):
        text = _TEMPLATE.sub(BASE, unicodedata.normalize("NFC", raw.decode("utf-8")))
        charset = route.get("charset") or site.config.get("charset") or "utf-8"
        raw = encode_text(text, charset)
        declare = route.get(
            "declare_charset_in_header", site.config.get("declare_charset_in_header", True)
        )
        header = f"text/html; charset={charset}" if declare else "text/html"
    return decode_html(raw, header)[0]


def _articles() -> list[tuple[str, dict]]:
    return [(s, a) for s in SITES for a in load_expected(s, SITES_DIR).get("articles", [])]


def _non_articles() -> list[tuple[str, str]]:
    out = []
    for s in SITES:
        for item in load_expected(s, SITES_DIR).get("non_articles", []):
            out.append((s, item if isinstance(item, str) else item["path"]))
    return out


def _id(value: object) -> str:
    return str(value.get("path", "")) if isinstance(value, dict) else str(value)


@pytest.mark.parametrize(("site", "exp"), _articles(), ids=_id)
def test_article_page(site: str, exp: dict) -> None:
    html = page_html(site, exp["path"])
    url = BASE + exp["path"]
    art = extract(url, html)
    where = f"{site}{exp['path']}"
    assert art.title == exp["title"], where
    if "published" in exp:
        assert art.published == exp["published"], where
    body = art.body
    if exp.get("body_starts_with"):
        assert body.startswith(exp["body_starts_with"]), (where, body[:200])
    if exp.get("body_ends_with"):
        assert body.rstrip().endswith(exp["body_ends_with"]), (where, body[-200:])
    for text in exp.get("body_contains", []):
        assert text in body, (where, text)
    for text in exp.get("body_excludes", []):
        assert text not in body, (where, text)
    if "body_paragraphs" in exp:
        assert len(body.split("\n")) == exp["body_paragraphs"], (where, body.split("\n"))
    if "authors" in exp:
        assert art.authors == exp["authors"], where
    files = {i.url.rsplit("/", 1)[-1] for i in art.images}
    for img in exp.get("images", []):
        assert not img.get("file") or img["file"] in files, (where, img["file"], files)
    captions = {fold(i.caption) for i in art.images}
    for img in exp.get("images", []):
        if img.get("caption"):
            assert fold(img["caption"]) in captions, (where, img["caption"], captions)
            assert img["caption"] not in body, (where, img["caption"])
    attachments = {(a.url, a.type) for a in art.attachments}
    for att in exp.get("attachments", []):
        assert (BASE + att["path"], att["type"]) in attachments, (where, att, attachments)
    verdict = is_article(url, html)
    assert verdict.is_article, (where, verdict.reason)


def _variants() -> list[tuple[str, dict, str]]:
    return [(s, a, p) for s, a in _articles() for p in a.get("other_paths", [])]


@pytest.mark.parametrize(("site", "exp", "path"), _variants(), ids=lambda v: _id(v))
def test_print_amp_and_alias_pages_give_the_same_article(site: str, exp: dict, path: str) -> None:
    art = extract(BASE + path, page_html(site, path))
    assert art.title == exp["title"], path
    assert art.published == exp["published"], path
    assert art.body.startswith(exp["body_starts_with"]), (path, art.body[:200])
    assert art.body.rstrip().endswith(exp["body_ends_with"]), (path, art.body[-200:])


@pytest.mark.parametrize(("site", "path"), _non_articles(), ids=lambda v: str(v))
def test_non_article_page(site: str, path: str) -> None:
    verdict = is_article(BASE + path, page_html(site, path))
    assert not verdict.is_article, (f"{site}{path}", verdict.reason)
