"""`pressnews probe URL`: what the crawler would make of a new site, from a few polite requests.

`probe` runs the crawl's own spider (`crawler.spiders.probe.ProbeSpider`, a bounded
`PortalSpider`) with the crawl's settings: the same User-Agent, robots.txt, private-address
guard, retries, discovery, article verdict and extraction. A request budget
(`PRESSNEWS_REQUEST_BUDGET`, counted at the downloader: robots.txt, sitemaps and retries
included) bounds it. Nothing goes down the item pipelines, no database is opened and no file is
written. What it saw becomes a `ProbeReport`: robots rules that matter, sitemaps and feeds, the
listing pages and their kind of pagination, a sample of links with what the crawl does with them
and why, one extracted article, a sources-file entry to paste, and, when no article was found,
the likely cause.

Scrapy's reactor starts once per process, so `probe` is for a process of its own (the CLI).
"""

from __future__ import annotations

import ipaddress
import json
import re
import tomllib
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from crawler.article_from_page import NotAnArticle, process_page
from crawler.crawl_runner import SettingsError, check_settings
from crawler.discovery import is_page_n, skip_reason
from crawler.extract.page import extract
from crawler.middlewares import REQUEST_LOG_STAT
from crawler.sources import _url_problem, parse_sources
from crawler.urls import clean_url
from indexer.errors import PressnewsError
from vnlang.gazetteer import mentions

DEFAULT_MAX_PAGES = 30
# Set by the probe itself, never by -s.
_RESERVED = {
    "PRESSNEWS_REQUEST_BUDGET": "--max-pages",
    "ITEM_PIPELINES": "(the probe stores nothing)",
    "PRESSNEWS_DB": "(the probe opens no database)",
}
# How many links the report samples, of each verdict.
SAMPLE_LINKS = 6
_TITLE_SPLIT = re.compile(r"\s+[|–—>»:-]\s+|\s*[|>»]\s*")
_HOST_SUFFIX = re.compile(r"\.(?:gov|org|com|edu|net|ac|info)?\.?vn$|\.(?:com|net|org|info)$")


class ProbeError(PressnewsError, ValueError):
    """A probe that cannot start: a URL that is not http(s), a bad -s setting."""


@dataclass
class RobotsRule:
    rule: str  # "Disallow: /admin/"
    blocks: int = 0  # links seen on the site's pages that this rule forbids
    example: str | None = None


@dataclass
class RobotsInfo:
    url: str | None
    status: int | None  # None: not fetched (or the fetch failed)
    rules: list[RobotsRule] = field(default_factory=list)  # the group that applies to us
    crawl_delay: float | None = None
    sitemaps: list[str] = field(default_factory=list)
    start_allowed: bool = True


@dataclass
class XmlSource:
    url: str
    kind: str  # urlset | sitemapindex | feed | bad | ? (not fetched within the budget)
    entries: int
    found_in: str


@dataclass
class Listing:
    url: str
    article_links: int
    pagination: str  # postback | load-more | links | none
    examples: list[str] = field(default_factory=list)
    via: str = ""


@dataclass
class LinkVerdict:
    url: str
    text: str
    article: bool
    reason: str
    fetched: bool


@dataclass
class ArticleSample:
    url: str
    title: str
    date: str | None
    published: str | None
    province: str | None
    speakers: list[dict[str, str]]  # {"name", "role"}, as in the article
    decrees: list[str]
    relevant: bool
    body_start: str


@dataclass
class SuggestedEntry:
    key: str
    name: str
    start_urls: list[str]
    province: str | None = None
    sitemap_urls: list[str] = field(default_factory=list)
    feed_urls: list[str] = field(default_factory=list)

    def toml(self) -> str:
        lines = [f"[sources.{self.key}]", f"name = {_toml_str(self.name)}"]
        lines.append(f"start_urls = [{', '.join(_toml_str(u) for u in self.start_urls)}]")
        if self.province:
            lines.append(f"province = {_toml_str(self.province)}")
        if self.sitemap_urls:
            lines.append(f"sitemap_urls = [{', '.join(_toml_str(u) for u in self.sitemap_urls)}]")
        if self.feed_urls:
            lines.append(f"feed_urls = [{', '.join(_toml_str(u) for u in self.feed_urls)}]")
        return "\n".join(lines) + "\n"


@dataclass
class ProbeReport:
    url: str
    max_pages: int
    requests: int  # downloads made (robots.txt, sitemaps, retries and redirects included)
    robots: RobotsInfo
    sitemaps: list[XmlSource]
    feeds: list[XmlSource]
    listings: list[Listing]
    pagination: str  # the kind of the best listing: postback | load-more | links | none
    links: list[LinkVerdict]
    articles: list[str]  # article URLs found
    article: ArticleSample | None
    entry: SuggestedEntry
    cause: str | None  # when no article was found: the likely reason
    notes: list[str] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    held_back: dict[str, int] = field(default_factory=dict)  # not fetched: over the budget

    @property
    def found(self) -> bool:
        return bool(self.articles)

    @property
    def exit_status(self) -> int:
        return 0 if self.found else 1

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["found"] = self.found
        out["entry_toml"] = self.entry.toml()
        return out

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)


def _toml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def check_url(url: str) -> str:
    """The URL to probe, or a `ProbeError` saying why it cannot be."""
    problem = _url_problem(url)
    if problem:
        raise ProbeError(f"{url!r} {problem}")
    return url


def probe_settings(
    max_pages: int, overrides: dict[str, Any] | None = None, log: bool = False
) -> Any:
    """The crawl's settings (User-Agent, robots.txt, guards, retries, politeness) with a request
    budget, no item pipelines, no database and no progress lines."""
    from scrapy.settings import Settings

    for name in overrides or {}:
        if name in _RESERVED:
            raise SettingsError(f"-s {name}: set by the probe itself {_RESERVED[name]}")
    checked = check_settings(dict(overrides or {}))
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("ITEM_PIPELINES", {}, priority="cmdline")
    settings.set("PRESSNEWS_DB", None, priority="cmdline")
    settings.set("PRESSNEWS_PROGRESS", False, priority="cmdline")
    settings.set("PRESSNEWS_REQUEST_BUDGET", max_pages, priority="cmdline")
    middlewares = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"))
    middlewares["crawler.middlewares.RequestBudget"] = 950  # counts real downloads only
    settings.set("DOWNLOADER_MIDDLEWARES", middlewares, priority="cmdline")
    for name, value in checked.items():
        settings.set(name, value, priority="cmdline")
    settings.set("LOG_ENABLED", log, priority="cmdline")
    settings.set("LOG_INSTALL_ROOT_HANDLER", log, priority="cmdline")
    return settings


def suggest_key(url: str) -> str:
    """A short source key from the host name: `stttt.hanam.gov.vn` -> `stttt-hanam`."""
    parts = urlsplit(url)
    host = (parts.hostname or "site").lower().removeprefix("www.")
    try:
        ipaddress.ip_address(host)
        is_ip = True
    except ValueError:
        is_ip = False
    if not is_ip:
        host = _HOST_SUFFIX.sub("", host) or host
    key = re.sub(r"[^a-z0-9]+", "-", host).strip("-") or "site"
    if parts.port and (is_ip or host == "localhost"):
        key += f"-{parts.port}"
    return key


def probe(
    url: str,
    max_pages: int = DEFAULT_MAX_PAGES,
    overrides: dict[str, Any] | None = None,
    key: str | None = None,
    log: bool = False,
) -> ProbeReport:
    """Probe the site at `url` with at most `max_pages` requests; blocks until done. `log`
    shows Scrapy's log on stderr."""
    from scrapy.crawler import CrawlerProcess

    from crawler.spiders.probe import ProbeSpider

    check_url(url)
    if max_pages < 1:
        raise ProbeError(f"--max-pages must be at least 1, not {max_pages}")
    key = key or suggest_key(url)
    settings = probe_settings(max_pages, overrides, log)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(ProbeSpider)
    process.crawl(crawler, url=url, key=key, max_pages=max_pages)
    process.start()
    spider = crawler.spider
    stats = crawler.stats.get_stats() if crawler.stats else {}
    return build_report(spider, url, key, max_pages, stats, settings.get("USER_AGENT"))


# -- from what the spider saw to the report -------------------------------------------------
def build_report(
    spider: Any, url: str, key: str, max_pages: int, stats: dict[str, Any], user_agent: str
) -> ProbeReport:
    log = stats.get(REQUEST_LOG_STAT) or []
    robots = _robots(spider, log, user_agent, url)
    articles, sample, site_name = _articles(spider, key)
    listings = _listings(spider)
    paginated = [x for x in listings if x.pagination != "none"]
    sitemaps = [XmlSource(r.url, r.kind, r.entries, r.found_in) for r in spider.sitemaps.values()]
    feeds = [XmlSource(r.url, r.kind, r.entries, r.found_in) for r in spider.feeds.values()]
    errors = {
        k.rsplit("/errors/", 1)[1]: int(v)
        for k, v in stats.items()
        if isinstance(v, int) and "/errors/" in k
    }
    start = _start_page(spider, url)
    cause = None if articles else _cause(spider, url, start, robots)
    notes = _notes(spider, start, listings, articles)
    entry = _entry(spider, url, key, site_name, listings, sitemaps, feeds)
    parse_sources(tomllib.loads(entry.toml()), "the suggested entry")  # never print an invalid one
    return ProbeReport(
        url=url,
        max_pages=max_pages,
        requests=len(log),
        robots=robots,
        sitemaps=sitemaps,
        feeds=feeds,
        listings=listings,
        pagination=paginated[0].pagination if paginated else "none",
        links=_link_sample(spider),
        articles=articles,
        article=sample,
        entry=entry,
        cause=cause,
        notes=notes,
        errors=errors,
        held_back={k: v for k, v in spider.held_back.items() if v},
    )


def _robots(spider: Any, log: list[Any], user_agent: str, url: str) -> RobotsInfo:
    from protego import Protego

    robots_url = spider.robots_url or clean_url(
        f"{urlsplit(url).scheme}://{urlsplit(url).netloc}/robots.txt"
    )
    status = next((s for m, u, s in log if u == robots_url and m == "GET"), None)
    parser = spider.robots
    if parser is None:
        return RobotsInfo(robots_url, status)
    rules = []
    for line in _our_group(parser.text, user_agent):
        rule = RobotsRule(line)
        field_name, _, value = line.partition(":")
        if field_name.lower() == "disallow" and value.strip():
            one = Protego.parse(f"User-agent: *\n{line}\n")

            def blocked(target: str, rule_alone: Any = one) -> bool:
                # Forbidden by this rule, and by the whole file (an Allow may open it again).
                return not rule_alone.can_fetch(target, "*") and not parser.allowed(
                    target, user_agent
                )

            seen = [link.url for link in spider.links.values() if link.reason != "another site"]
            wanted = [f.url for f in spider.failures if f.kind == "robots_disallowed"]
            hits = [u for u in dict.fromkeys([*seen, *wanted]) if blocked(u)]
            rule.blocks = len(hits)
            rule.example = hits[0] if hits else None
        rules.append(rule)
    rules.sort(key=lambda r: -r.blocks)
    try:
        delay = parser.rp.crawl_delay(user_agent)
    except Exception:  # a parser without crawl-delay support
        delay = None
    return RobotsInfo(
        robots_url,
        status,
        rules,
        float(delay) if delay is not None else None,
        parser.sitemaps(robots_url),
        bool(parser.allowed(url, user_agent)),
    )


def _our_group(text: str, user_agent: str) -> list[str]:
    """The Allow/Disallow/Crawl-delay lines of the robots.txt group that applies to us (our
    product token, else `*`), as written."""
    token = user_agent.split("/", 1)[0].lower()
    groups: list[tuple[list[str], list[str]]] = []
    agents: list[str] = []
    rules: list[str] = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if ":" not in line:
            continue
        name, _, value = line.partition(":")
        name = name.strip().lower()
        if name == "user-agent":
            if rules:
                groups.append((agents, rules))
                agents, rules = [], []
            agents.append(value.strip().lower())
        elif name in ("allow", "disallow", "crawl-delay") and agents:
            rules.append(f"{name.capitalize()}: {value.strip()}")
    if agents:
        groups.append((agents, rules))
    for wanted in (lambda a: a != "*" and a in token, lambda a: a == "*"):
        chosen = [r for ags, rs in groups if any(wanted(a) for a in ags) for r in rs]
        if chosen:
            return chosen
    return []


def _articles(spider: Any, key: str) -> tuple[list[str], ArticleSample | None, str]:
    now = datetime.now(UTC).replace(microsecond=0).isoformat()
    found: list[str] = []
    best = None
    site_name = ""
    for item in spider.found:
        try:
            article = process_page(
                item.url, item.text, source=key, fetched_at=now, source_province=None
            )
        except NotAnArticle:
            continue
        if item.url in found:
            continue
        found.append(item.url)
        if best is None or (article.relevant and not best.relevant):
            best = article
            site_name = extract(item.url, item.text).site_name or site_name
    if best is None:
        return found, None, site_name
    body = best.body.replace("\n", " ")
    sample = ArticleSample(
        url=best.url,
        title=best.title,
        date=best.date,
        published=best.published,
        province=best.province,
        speakers=[{"name": s.name, "role": s.role or ""} for s in best.speakers],
        decrees=list(best.decrees),
        relevant=best.relevant,
        body_start=body[:240] + ("…" if len(body) > 240 else ""),
    )
    return found, sample, site_name


def _listings(spider: Any) -> list[Listing]:
    """Non-article pages that list articles or page through a list, best first."""
    out = []
    for page in spider.pages:
        if page.article or page.status != 200 or page.blocked:
            continue
        if page.pagination.kind == "none" and (page.article_links < 3 or page.via != "start"):
            continue  # a page with a sidebar of headlines is not a listing
        out.append(
            Listing(
                clean_url(page.url),
                page.article_links,
                page.pagination.kind,
                list(page.pagination.examples),
                page.via,
            )
        )
    # A URL read both as a page and as a postback answer (pager pages share the listing's URL) is
    # listed as the page: that is the URL a crawl can start from.
    out.sort(
        key=lambda x: (
            x.pagination == "none",
            is_page_n(x.url),
            x.via == "postback",
            -x.article_links,
        )
    )
    seen: set[str] = set()
    unique = []
    for x in out:
        if x.url not in seen:
            seen.add(x.url)
            unique.append(x)
    return unique


def _link_sample(spider: Any) -> list[LinkVerdict]:
    """Links of the pages seen, article and not, each with the reason: for a fetched page the
    article verdict and its signals, otherwise what the crawl does with the link."""
    pages = {clean_url(p.url): p for p in spider.pages}
    for p in spider.pages:
        for r in p.redirects:
            pages.setdefault(clean_url(r), p)
    articles, others = [], []
    shown: set[int] = set()  # each fetched page once, whatever link (utm, #comments) led to it
    for link in spider.links.values():
        page = pages.get(clean_url(link.url))
        if page is not None and id(page) in shown:
            continue
        if page is not None and page.status == 200:
            shown.add(id(page))
            verdict = LinkVerdict(link.url, link.text, page.article, page.reason, True)
        else:
            verdict = LinkVerdict(link.url, link.text, False, f"{link.role}: {link.reason}", False)
            if link.role == "article":
                verdict.reason = f"article link, not fetched: {link.reason}"
        (articles if verdict.article else others).append(verdict)
    # Variety among the others: one per reason first.
    by_reason: dict[str, LinkVerdict] = {}
    for v in others:
        by_reason.setdefault(v.reason.split(":")[0] + v.reason[:40], v)
    picked = list(by_reason.values())[:SAMPLE_LINKS]
    return articles[:SAMPLE_LINKS] + picked


def _start_page(spider: Any, url: str) -> Any:
    """The record of the start page (after its redirects), or None when it failed."""
    return next((p for p in spider.pages if p.via == "start"), None)


def _start_failure(spider: Any, url: str) -> Any:
    return next((f for f in spider.failures if f.via == "start"), None)


def _cause(spider: Any, url: str, start: Any, robots: RobotsInfo) -> str:
    """Why no article was found: the most likely cause, in one sentence."""
    failure = _start_failure(spider, url)
    if failure is not None and start is None:
        if failure.kind == "robots_disallowed" or not robots.start_allowed:
            rule = next((r.rule for r in robots.rules if r.blocks), None)
            return "blocked by robots.txt: it forbids the start page" + (
                f" ({rule})" if rule else ""
            )
        if failure.kind == "http_401":
            return "login wall: the start page answers 401 (authentication required)"
        if failure.kind == "http_403":
            what = "with a login form" if failure.login else "Forbidden"
            return f"login wall or access denied: the start page answers 403 {what}"
        if failure.kind == "forbidden_address":
            return "refused: the address is not public"
        return f"unreachable: the start page failed ({failure.kind})"
    if start is None:
        return "the start page was not fetched within the request budget"
    if start.redirects and (start.login or skip_reason(start.url) == "not news: login"):
        return f"login wall: the start page redirects to a login form at {start.url}"
    if start.login and start.article_links == 0 and start.words < 300:
        return "login wall: the start page is a login form"
    if start.blocked:
        return f"blocked: the site answers with an anti-bot challenge ({start.blocked})"
    if start.script and start.article_links < 3:
        return (
            f"script-rendered page: {start.script}; the articles are not in the HTML "
            "(look for a sitemap, a feed or the site's data API)"
        )
    robots_blocked = sum(1 for f in spider.failures if f.kind == "robots_disallowed")
    if robots_blocked and robots_blocked >= len(spider.pages):
        return f"blocked by robots.txt: {robots_blocked} of the pages wanted are disallowed"
    return (
        f"no page looked like an article: the start page has {start.links} links, "
        f"{start.article_links} of them like article links; probe a news listing page, "
        "or raise --max-pages"
    )


def _notes(spider: Any, start: Any, listings: list[Listing], articles: list[str]) -> list[str]:
    notes = []
    scripted = [
        p
        for p in spider.pages
        if p.script and p.article_links < 3 and not p.article and not p.blocked
    ]
    if scripted and articles:
        notes.append(
            f"{len(scripted)} page(s) drawn by JavaScript ({scripted[0].url}: "
            f"{scripted[0].script}); the crawl finds the articles elsewhere (sitemaps, feeds, "
            "other pages)"
        )
    robots_blocked = [f.url for f in spider.failures if f.kind == "robots_disallowed"]
    if robots_blocked:
        notes.append(
            f"{len(robots_blocked)} request(s) skipped by robots.txt, e.g. {robots_blocked[0]}"
        )
    if start is not None and start.redirects:
        notes.append(f"the start URL redirects to {start.url}")
    if not listings and articles:
        notes.append("no listing page found: the crawl relies on sitemaps and feeds")
    return notes


def _entry(
    spider: Any,
    url: str,
    key: str,
    site_name: str,
    listings: list[Listing],
    sitemaps: list[XmlSource],
    feeds: list[XmlSource],
) -> SuggestedEntry:
    """The sources-file entry for the site: its paginated listings (the probed URL when there
    are none), its sitemaps and feeds when the listings do not lead to the articles."""
    starts = [
        x.url
        for x in listings
        if x.pagination != "none" and x.via != "postback" and not is_page_n(x.url)
    ]
    if not starts:
        start = _start_page(spider, url)
        starts = [clean_url(start.url) if start is not None else url]
    name = site_name or _site_name(spider) or key
    province = next((m.name for m in mentions(name) if m.admin), None)
    entry = SuggestedEntry(key, name, starts[:3], province)
    if not any(x.pagination != "none" for x in listings):
        entry.sitemap_urls = [
            s.url
            for s in sitemaps
            if s.found_in != "a sitemap index" and s.kind in ("urlset", "sitemapindex")
        ]
        entry.feed_urls = [f.url for f in feeds if f.kind == "feed" and f.entries]
    return entry


def _site_name(spider: Any) -> str:
    """The site's name from the start page's title: its longest part."""
    start = next((p for p in spider.pages if p.via == "start" and p.title), None)
    if start is None:
        return ""
    parts = [p.strip() for p in _TITLE_SPLIT.split(start.title) if p.strip()]
    return max(parts, key=len) if parts else ""
