"""Every setting newsarchive invents, and the Scrapy settings it chooses, in one place.

The add-on (:mod:`crawler.addon`) applies these at add-on priority, so ``settings.py``,
spider ``custom_settings`` (built from outlet configs) and ``-s NAME=VALUE`` all override
them. Each value carries one comment saying what it is and how it was chosen. No other
module repeats a default: code reads ``settings.get*("NAME")`` without a literal fallback.
"""

from __future__ import annotations

from typing import Any

from crawler import __version__

# --- Settings newsarchive invents -------------------------------------------------------

NEWSARCHIVE_SETTINGS: dict[str, Any] = {
    # Directory holding outlets/*.yaml; None means: env NEWSARCHIVE_CONFIG, then ./config,
    # then the config bundled with the package (see crawler.outlets.resolve_config_dir).
    "OUTLETS_DIR": None,
    # Where crawl output goes: a plain path or file://PATH (the embedded default archive),
    # or s3://BUCKET/PREFIX on any S3-compatible service (see crawler.store).
    "ARCHIVE_URI": "./archive",
    # Upload finished files to the store and write crawls/<crawl-id>.json manifests.
    "ARCHIVE_STORE_ENABLED": True,
    # Local directory where files for an s3:// archive are written and wait until the
    # store has confirmed them (s3://b/p spools under ARCHIVE_SPOOL_DIR/b/p).
    "ARCHIVE_SPOOL_DIR": "./archive-spool",
    # Bound on the spool (bytes): past it the crawl stops with an error and keeps every
    # file. 20 GiB: about a day of a busy outlet's WARCs during a store outage.
    "ARCHIVE_SPOOL_MAX_BYTES": 20 * 1024**3,
    # Parallel uploads (threads). 4 saturates a local S3 gateway on 2 cores
    # (tests/bench/bench_store.py) without starving the crawl.
    "ARCHIVE_UPLOAD_CONCURRENCY": 4,
    # Attempts per file after the first, and the first back-off (doubles each time), on top
    # of botocore's own retries: a file that still fails stays in the spool for `sync`.
    "ARCHIVE_UPLOAD_RETRIES": 2,
    "ARCHIVE_UPLOAD_BACKOFF": 1.0,
    # Files at least this large (bytes) go up as multipart uploads (S3's minimum part is
    # 5 MiB; 64 MiB keeps WARCs of the default size to one PUT).
    "ARCHIVE_MULTIPART_THRESHOLD": 64 * 1024**2,
    # S3 client: endpoint (None: AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL / AWS), region,
    # profile (None: the default credential chain), addressing style ("auto", "path",
    # "virtual"), botocore attempts and timeouts (seconds; short connect timeout so an
    # outage spools quickly instead of stalling uploads).
    "ARCHIVE_S3_ENDPOINT_URL": None,
    "ARCHIVE_S3_REGION": None,
    "ARCHIVE_S3_PROFILE": None,
    "ARCHIVE_S3_ADDRESSING_STYLE": "auto",
    "ARCHIVE_S3_MAX_ATTEMPTS": 3,
    "ARCHIVE_S3_CONNECT_TIMEOUT": 5.0,
    "ARCHIVE_S3_READ_TIMEOUT": 60.0,
    # Identifier of this crawl run; None generates "<outlet>-<UTC timestamp>-<random>".
    "CRAWL_ID": None,
    # Contact URL named in the User-Agent so site operators can reach the archive's operator.
    "POLITENESS_CONTACT_URL": "https://github.com/newsarchive/newsarchive#operators",
    # Honour robots.txt Crawl-delay per host (as a floor under DOWNLOAD_DELAY/AutoThrottle).
    "POLITENESS_CRAWL_DELAY_ENABLED": True,
    # Largest robots.txt Crawl-delay obeyed, in seconds; a larger one is capped and logged
    # (a site asking 3600 s would otherwise stall a crawl for days; 60 s is the slowest
    # rate we consider still archiving).
    "POLITENESS_CRAWL_DELAY_MAX": 60.0,
    # Wait for Retry-After on 429/503 responses before retrying (bounded, below).
    "POLITENESS_RETRY_AFTER_ENABLED": True,
    # Longest Retry-After we wait, in seconds; longer ones give up on the URL (logged):
    # 5 minutes keeps a crawl moving while respecting typical rate-limit windows.
    "POLITENESS_RETRY_AFTER_MAX": 300.0,
    # Status codes whose Retry-After header is honoured (RFC 9110 defines it for these).
    "POLITENESS_RETRY_AFTER_CODES": [429, 503],
    # Refuse requests to loopback/private/link-local/metadata addresses unless the outlet
    # config allows private addresses (checked on the address actually resolved).
    "SAFETY_ENABLED": True,
    # Scheduler priority of discovery requests (feeds, sitemaps, sections): above articles,
    # so an article's provenance lists every source that names it before it is fetched.
    "DISCOVERY_SOURCE_PRIORITY": 10,
    # Scheduler priority of article requests.
    "DISCOVERY_ARTICLE_PRIORITY": 0,
    # Deepest sitemap-index nesting followed (sitemaps.org allows one level; real sites
    # use two or three; deeper is almost always a loop).
    "DISCOVERY_SITEMAP_MAX_DEPTH": 4,
    # Keep pending requests in a per-crawl disk queue (Scrapy JOBDIR under
    # <local root>/state/queues, removed when the crawl ends) so memory does not grow with
    # the number of URLs discovery finds. A JOBDIR set by the user is used as given.
    "CRAWL_QUEUE_ON_DISK": True,
    # Write the discovery ledger (every candidate URL, its sources and its fate) per crawl.
    "DISCOVERY_LEDGER_ENABLED": True,
    # Ledger entries kept in memory; older ones wait in a private SQLite file under
    # <local root>/state/ledger (unlinked at once), so memory does not grow with the outlet.
    "LEDGER_MEMORY_ENTRIES": 2000,
    # Read a UTF-8 page served as ISO-8859-1/windows-1252 as UTF-8 (the WARC keeps the
    # bytes as they came; crawler/middlewares/charset.py says why this is safe).
    "CHARSET_SNIFF_ENABLED": True,
    # Capture every HTTP exchange into WARC files.
    "WARC_ENABLED": True,
    # WARC format version: "1.1" (microsecond dates) or "1.0" for older tools.
    "WARC_VERSION": "1.1",
    # First part of WARC file names.
    "WARC_PREFIX": "newsarchive",
    # Rotate a WARC at this size: 1 GB, the customary web-archive file size.
    "WARC_MAX_SIZE": 1_000_000_000,
    # ... or at this age in seconds: an hour, so a slow crawl still closes files.
    "WARC_MAX_AGE": 3600.0,
    # zlib level of each record's gzip member. warcio's writer always uses 9; 6 gives
    # files ~1% larger for far less CPU (measured on the 2,000-article fixture crawl:
    # capture on/off throughput 0.91 at level 9, see tests/bench/bench_warc.py).
    "WARC_GZIP_LEVEL": 6,
    # Operator named in each warcinfo record (an organisation or contact).
    "WARC_OPERATOR": "",
    # Archive robots.txt exchanges too.
    "WARC_ARCHIVE_ROBOTS": True,
    # HTTP statuses not archived (empty: redirects, 4xx and 5xx are archived too).
    "WARC_SKIP_STATUS": [],
    # Request headers whose values are replaced by REDACTED in request records.
    "WARC_REDACT_HEADERS": ["Authorization", "Proxy-Authorization", "Cookie"],
    # Write revisit records for payloads already archived (this or an earlier crawl).
    "WARC_DEDUP_ENABLED": True,
    # Digest index file; None: <archive>/state/dedup.sqlite3.
    "WARC_DEDUP_PATH": None,
    # Turn each fetched article into a parsed record (text, metadata, comments).
    "EXTRACT_ENABLED": True,
    # Extraction worker processes; 0: one per CPU core.
    "EXTRACT_WORKERS": 0,
    # Seconds one page may take to extract before its workers are killed and restarted
    # (trafilatura needs well under a second for news pages; 60 s only stops runaways).
    "EXTRACT_TIMEOUT": 60.0,
    # Address-space cap per extraction worker, MB (0: none): a 50 MB page with a
    # pathological DOM fails inside its worker instead of exhausting the machine.
    "EXTRACT_MEMORY_MB": 4096,
    # Follow each article's further comment pages: WordPress comment pagination
    # (comment-page-N) and a forum thread's next pages.
    "COMMENTS_FOLLOW_PAGES": True,
    # Fetch /wp-json/wp/v2/comments?post=ID for WordPress articles: authoritative parents.
    "COMMENTS_REST_ENABLED": True,
    # At most this many further comment pages, and REST pages of 100, per article.
    "COMMENTS_MAX_PAGES": 20,
    # Rotate record files at this many records, this many compressed bytes, or this age.
    "RECORDS_MAX_COUNT": 10_000,
    "RECORDS_MAX_BYTES": 100_000_000,
    "RECORDS_MAX_AGE": 3600.0,
    # Serve every http(s) request from recorded WARCs (.warc.gz, .wacz or a directory);
    # None: fetch from the network.
    "REPLAY_SOURCE": None,
    # In replay, answer a request with no capture by a 404 instead of failing it.
    "REPLAY_MISSING_404": False,
    # "Now" for time-relative rules (max_age_days), ISO 8601; None: the real time, or in
    # replay the time the source was recorded, so a replayed crawl decides as it did.
    "DISCOVERY_NOW": None,
    # Capture catalog (SQLite) for snapshots/get/export/search; None:
    # <local root>/state/catalog.sqlite3 (the archive, or the s3 spool directory).
    "CATALOG_PATH": None,
    # Add each finished crawl's indexes and records to the catalog when the crawl ends.
    "CATALOG_UPDATE_AFTER_CRAWL": True,
}

# --- Scrapy's own settings, as newsarchive chooses them ----------------------------------

SCRAPY_SETTINGS: dict[str, Any] = {
    # Obey robots.txt (per-agent rules via Protego).
    "ROBOTSTXT_OBEY": True,
    # Adapt the delay to the server's latency; never below DOWNLOAD_DELAY or Crawl-delay.
    "AUTOTHROTTLE_ENABLED": True,
    # First delay before AutoThrottle has measured anything: Scrapy's recommended 5 s is
    # slow for small outlets; 1 s matches DOWNLOAD_DELAY below.
    "AUTOTHROTTLE_START_DELAY": 1.0,
    # One request in flight per server on average: the polite target.
    "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
    # Minimum delay between requests to one host, in seconds (outlets may override).
    "DOWNLOAD_DELAY": 1.0,
    # At most two parallel requests to one host (outlets may override).
    "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
    # Largest response accepted, wire and decompressed (Scrapy checks both): 32 MiB holds
    # any real article page or sitemap file (the sitemap limit is 50 MB uncompressed,
    # rarely reached) while bounding memory per request.
    "DOWNLOAD_MAXSIZE": 32 * 1024 * 1024,
    # Warn above 8 MiB: unusual for a news page.
    "DOWNLOAD_WARNSIZE": 8 * 1024 * 1024,
    # Bounded redirect chains: browsers allow 20; news sites need 2-3 (http->https->www).
    "REDIRECT_MAX_TIMES": 8,
    # Two retries for transient errors (5xx, timeouts); 429/503 with Retry-After wait first.
    "RETRY_TIMES": 2,
    # A slow server gets 60 s per request; Scrapy's 180 s holds slots too long.
    "DOWNLOAD_TIMEOUT": 60,
    # Scrapy starts this many asyncio tasks for the output of every response, however
    # little it is; our callbacks yield one item per page, so Scrapy's 100 only costs
    # CPU (measured: 217 -> 249 pages/s on the 2,000-article benchmark with 8).
    "CONCURRENT_ITEMS": 8,
    # Items as UTF-8 in any feed export.
    "FEED_EXPORT_ENCODING": "utf-8",
    # The telnet console listens on a port: off by default for an archival crawler.
    "TELNETCONSOLE_ENABLED": False,
    # Scrapy's pickle LIFO disk queue (used with JOBDIR: CRAWL_QUEUE_ON_DISK) without its
    # per-request walk of the spider's attributes to name callbacks (crawler/queues.py).
    "SCHEDULER_DISK_QUEUE": "crawler.queues.PickleLifoDiskQueue",
}

# Components the add-on registers, with their order (see crawler/addon.py for why).
DOWNLOADER_MIDDLEWARES: dict[str, int | None] = {
    # After OffsiteMiddleware (50): refuse private addresses before anything is fetched.
    "crawler.middlewares.safety.AddressSafetyMiddleware": 60,
    # Scrapy's robots.txt middleware, fixed to hold every request that waits for the file.
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.robots.SharedRobotsTxtMiddleware": 100,
    # Let the spider drop an article that discovery has since ruled out (max age).
    "crawler.middlewares.gate.AdmissionGateMiddleware": 70,
    # Response side before RetryMiddleware (550): wait for Retry-After, then retry.
    "crawler.middlewares.retry_after.RetryAfterMiddleware": 560,
    # Response side before HttpCompressionMiddleware (590): flag truncated gzip/br bodies.
    "crawler.middlewares.encoding.ContentEncodingCheckMiddleware": 595,
    # Response side after HttpCompressionMiddleware (590) has decoded the body: a UTF-8
    # page served as ISO-8859-1/windows-1252 is read as UTF-8.
    "crawler.middlewares.charset.CharsetSniffMiddleware": 585,
    # Response side before RedirectMiddleware (600): loops, off-domain, chain length.
    "crawler.middlewares.redirects.RedirectPolicyMiddleware": 610,
    # First on the response path, next to the download handler: the raw exchange.
    "crawler.middlewares.warc.WarcCaptureMiddleware": 950,
}

EXTENSIONS: dict[str, int | None] = {
    # robots.txt Crawl-delay -> per-slot delay floor.
    "crawler.extensions.CrawlDelay": 0,
    # Scrapy's AutoThrottle may lower a slot's delay below robots.txt Crawl-delay;
    # ours never goes below the slot's floor.
    "scrapy.extensions.throttle.AutoThrottle": None,
    "crawler.extensions.PoliteAutoThrottle": 0,
    # Removes the crawl's own disk queue (CRAWL_QUEUE_ON_DISK) when the engine stops.
    "crawler.queues.QueueDirCleanup": 0,
    # Uploads finished files to the archive store; writes the crawl manifest last.
    "pipelines.store.ArchiveStoreExtension": 0,
    # memusage/* stats (and MEMUSAGE_LIMIT_MB) from this process's own peak RSS: Scrapy's
    # reading also counts the peak of whatever process started the crawl.
    "scrapy.extensions.memusage.MemoryUsage": None,
    "crawler.memusage.ProcessMemoryUsage": 0,
}

ITEM_PIPELINES: dict[str, int | None] = {
    # Extracts parsed records in worker processes and writes record files.
    "pipelines.records.RecordsPipeline": 500,
    # Writes the discovery ledger of the crawl into the archive.
    "pipelines.ledger.DiscoveryLedgerPipeline": 900,
}

# HTTP(S) through Scrapy's HTTP/1.1 handler with wire capture (crawler/capture).
DOWNLOAD_HANDLERS: dict[str, str] = {
    "http": "crawler.capture.handler.CapturingDownloadHandler",
    "https": "crawler.capture.handler.CapturingDownloadHandler",
}

# HTTP(S) handler when REPLAY_SOURCE is set.
REPLAY_HANDLER = "crawler.replay.ReplayDownloadHandler"

# Classes Scrapy needs before the crawler exists.
PRE_CRAWLER_SETTINGS: dict[str, Any] = {
    # One spider per configured outlet, built from config/outlets/*.yaml.
    "SPIDER_LOADER_CLASS": "crawler.spiderloader.OutletSpiderLoader",
    # DNS resolver that refuses private addresses for hosts not allowed to have them.
    "TWISTED_DNS_RESOLVER": "crawler.safety.SafeResolver",
}


def user_agent(contact_url: str) -> str:
    """The User-Agent: project name, version and a contact URL, as crawler etiquette asks."""
    return f"newsarchive/{__version__} (+{contact_url})"
