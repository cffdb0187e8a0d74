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
