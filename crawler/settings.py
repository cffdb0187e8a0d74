"""Scrapy settings for pressnews: polite defaults for public-sector sites. No logic here."""

BOT_NAME = "pressnews"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# Identify ourselves and how to reach us; obey robots.txt.
USER_AGENT = "pressnews/0.1 (+https://github.com/pressnews/pressnews; research crawler of public press-training news)"
ROBOTSTXT_OBEY = True
# Scrapy's parser, keeping the Sitemap lines: sitemap discovery reuses the robots.txt that the
# middleware fetched, so robots.txt is fetched once per site per crawl.
ROBOTSTXT_PARSER = "crawler.middlewares.RobotsWithSitemaps"

# Politeness: a few requests at a time per site, adapting to how fast the site answers.
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
# Provincial portals often share one government data-centre server: the per-domain limits above
# (and DOWNLOAD_DELAY, AutoThrottle) hold per IP address too: host names that resolve to one
# address share one download slot (crawler.middlewares.ServerSlots). False: per host name only.
PRESSNEWS_SLOT_PER_IP = True
DOWNLOAD_DELAY = 0.25
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0

# Faults: retry 5xx, 429 and time-outs a few times; give up on slow or huge pages.
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
REDIRECT_MAX_TIMES = 8
DEPTH_LIMIT = 0
DNS_TIMEOUT = 15

# The frontier (pending requests) on disk, in a temporary folder for the length of the crawl:
# memory stays flat however many URLs sitemaps and listings add (crawler/frontier.py).
SCHEDULER = "crawler.frontier.DiskFrontierScheduler"

# No telnet console on a crawler of untrusted sites; logs without request headers (credentials).
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"
COOKIES_DEBUG = False

ITEM_PIPELINES = {
    "crawler.store_pipelines.ProcessPipeline": 300,
    "crawler.store_pipelines.StorePipeline": 800,
}
DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.PrivateAddressGuard": 50,
    "crawler.middlewares.ServerSlots": 60,
    # WARC records at fetch time (only with PRESSNEWS_WARC_DIR): next to the downloader, past
    # HttpCompression (590) and Redirect (600), so it sees raw bodies and every 3xx.
    "crawler.warc.WarcMiddleware": 950,
}
SPIDER_MIDDLEWARES: dict[str, int] = {}
EXTENSIONS = {
    "crawler.extensions.Progress": 500,
}

# Scrapy's own modern defaults.
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"

# pressnews: where articles go (the CLI sets it from --db / PRESSNEWS_DB) and what to crawl.
PRESSNEWS_DB = None
PRESSNEWS_SOURCES = None
PRESSNEWS_SOURCE_KEYS = None
PRESSNEWS_FULL = False
# Request order: "focused" (likely training reports first, then the archive walk, then the other
# articles, best first; crawler/focus.py) or "breadth" (every article as found, the order before).
PRESSNEWS_ORDER = "focused"
# Budget mode for every source (`pressnews crawl --focus`; a source's `focus` wins): fetch the
# likely-relevant articles, PRESSNEWS_FOCUS_BAND_SAMPLE of the band (links scoring at least
# PRESSNEWS_FOCUS_BAND: an event named without its subject) and PRESSNEWS_FOCUS_SAMPLE of the
# others; record the rest as skipped, for later runs to fetch PRESSNEWS_FOCUS_BACKLOG per source
# per run, best first. A source's focus_sample, focus_band, focus_band_sample win.
PRESSNEWS_FOCUS = False
PRESSNEWS_FOCUS_SAMPLE = 0.05  # crawler.focus.SAMPLE
PRESSNEWS_FOCUS_BAND = 0.25  # crawler.focus.BAND
PRESSNEWS_FOCUS_BAND_SAMPLE = 1.0  # crawler.focus.BAND_SAMPLE
PRESSNEWS_FOCUS_BACKLOG = 500
PRESSNEWS_PROGRESS = False
PRESSNEWS_PROGRESS_INTERVAL = 3.0  # seconds between progress lines
# Extraction worker processes (spawned). 0: in-process. `pressnews crawl` uses cores - 1 (max 4);
# a script calling crawler.crawl_runner.run_crawl with workers must guard its code with __main__.
PRESSNEWS_WORKERS = 0
# SQLite page cache of the crawl's writer, in MiB (the store's default, 64, is for bulk writes).
PRESSNEWS_STORE_CACHE_MB = 16
# Seconds a crawl waits for another crawl's lock on the same database before giving up (a
# killed run's workers may take a few seconds to end).
PRESSNEWS_LOCK_WAIT = 10.0
# `pressnews crawl --warc DIR`: write WARC 1.1 files of every request and response to DIR
# (None: none), a new file every PRESSNEWS_WARC_MAX_SIZE bytes.
PRESSNEWS_WARC_DIR = None
PRESSNEWS_WARC_MAX_SIZE = 1024**3
# Attached documents (PDF, DOC, DOCX) linked from articles and listing pages: fetched, read and
# understood when true (`pressnews crawl --documents`), each at most this many bytes.
PRESSNEWS_DOCUMENTS = False
PRESSNEWS_DOCUMENT_MAXSIZE = 20 * 1024 * 1024
