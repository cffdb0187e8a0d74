"""A real crawl of the fixture sites, checked against each site's expected.json."""

from __future__ import annotations

import pytest
from conftest import CLEAN_SITES, Crawl

from vnlang.text import fold


def by_url(crawl: Crawl, site: str) -> dict[str, dict]:
    base = crawl.server.base_urls[site]
    out: dict[str, dict] = {}
    for a in crawl.for_site(site):
        assert a["url"].startswith(base), a["url"]
        path = a["url"][len(base) :]
        assert path not in out, f"stored twice: {path}"
        out[path] = a
    return out


@pytest.mark.parametrize("site", CLEAN_SITES)
def test_every_article_found_exactly_once_and_nothing_else(crawl, expected, site):
    exp = expected(site)
    got = by_url(crawl, site)
    want = {a["path"] for a in exp["articles"]}
    assert sorted(got) == sorted(want)
    assert len({a["id"] for a in crawl.for_site(site)}) == len(want)


@pytest.mark.parametrize("site", CLEAN_SITES)
def test_titles_dates_bodies(crawl, expected, site):
    got = by_url(crawl, site)
    for e in expected(site)["articles"]:
        a = got.get(e["path"])
        if a is None:
            continue  # reported by the test above
        assert a["title"] == e["title"], e["path"]
        assert (a["published"] or None) == e["published"], e["path"]
        if e.get("body_starts_with"):
            assert a["body"].startswith(e["body_starts_with"]), (e["path"], a["body"][:120])
        if e.get("body_ends_with"):
            assert a["body"].rstrip().endswith(e["body_ends_with"]), (e["path"], a["body"][-120:])
        for text in e.get("body_contains", []):
            assert text in a["body"], (e["path"], text)
        for text in e.get("body_excludes", []):
            assert text not in a["body"], (e["path"], text)
        # `date` is published, else the event date, else null: never the crawl date.
        assert a["date"] == (a["published"] or a["event_date"] or "")[:10] or (
            a["date"] is None and not a["published"] and not a["event_date"]
        )
        assert a["first_seen"]


@pytest.mark.parametrize("site", CLEAN_SITES)
def test_authors_images_attachments(crawl, expected, site):
    got = by_url(crawl, site)
    base = crawl.server.base_urls[site]
    for e in expected(site)["articles"]:
        a = got.get(e["path"])
        if a is None:
            continue
        if "authors" in e:
            assert a["authors"] == e["authors"], e["path"]
        captions = {fold(i["caption"]) for i in a["images"]}
        for img in e.get("images", []):
            if img.get("caption"):
                assert fold(img["caption"]) in captions, (e["path"], img["caption"])
                assert img["caption"] not in a["body"]
        atts = {(x["url"], x["type"]) for x in a["attachments"]}
        for att in e.get("attachments", []):
            assert (base + att["path"], att["type"]) in atts, e["path"]


@pytest.mark.parametrize("site", CLEAN_SITES)
def test_robots_disallowed_never_requested(crawl, expected, site):
    requested = {r.path_qs for r in crawl.requests if r.site == site}
    for path in expected(site).get("never_requested", []):
        assert path not in requested


def test_crawl_prints_a_per_source_summary(crawl):
    out = crawl.result.stdout
    assert "source" in out and "pages" in out and "new" in out
    for site in CLEAN_SITES:
        assert site in out


def test_relevance_on_fixture_articles(crawl, expected):
    wrong = []
    for site in CLEAN_SITES:
        got = by_url(crawl, site)
        for e in expected(site)["articles"]:
            a = got.get(e["path"])
            if a is not None and "relevant" in e and a["relevant"] != e["relevant"]:
                wrong.append((site, e["path"], e["relevant"]))
    assert not wrong


def test_seed_articles_reproduce_their_labels(crawl, expected):
    import json

    from conftest import SHARED

    labels_file = SHARED / "seeds" / "labels.json"
    if not labels_file.exists():
        pytest.skip("../shared/seeds is not beside the repository")
    labels = {x["file"]: x for x in json.loads(labels_file.read_text(encoding="utf-8"))}
    seen = 0
    for site in CLEAN_SITES:
        got = by_url(crawl, site)
        for e in expected(site)["articles"]:
            if not e.get("seed") or e["path"] not in got:
                continue
            seen += 1
            a, lab = got[e["path"]], labels[e["seed"]]
            assert a["title"] == lab["title"]
            for key in ("province", "province_now", "event_date", "relevant", "decrees"):
                assert a[key] == lab[key], (e["seed"], key, a[key])
            assert a["published"] == lab["published"] or (a["published"] or "").startswith(
                lab["published"] or "@"
            )
            assert [(s["name"], s["role"]) for s in a["speakers"]] == [
                (s["name"], s["role"]) for s in lab["speakers"]
            ] or (
                sorted((s["name"], s["role"]) for s in a["speakers"])
                == sorted((s["name"], s["role"]) for s in lab["speakers"])
            ), e["seed"]
    assert seen == 5
