"""Load and validate a sources file (CONTRACT.md): one TOML table per site under [sources.KEY].

Every problem is reported as `SourcesError("FILE: [sources.KEY] what is wrong")`, one line.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from indexer.errors import PressnewsError

_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_KNOWN = {
    "name",
    "start_urls",
    "province",
    "sitemap_urls",
    "feed_urls",
    "allow",
    "deny",
    "selectors",
    "max_pages",
    "enabled",
    "focus",
    "focus_sample",
    "focus_band",
    "focus_band_sample",
    "focus_backlog",
}
# Per-source selector overrides, for the rare site generic extraction gets wrong.
_SELECTOR_KEYS = {"title", "body", "date", "article_links"}


class SourcesError(PressnewsError, ValueError):
    """A sources file that cannot be used; the message names the file, the key and the problem."""


@dataclass(frozen=True)
class Source:
    key: str
    name: str
    start_urls: tuple[str, ...]
    province: str | None = None
    sitemap_urls: tuple[str, ...] = ()
    feed_urls: tuple[str, ...] = ()
    allow: tuple[re.Pattern[str], ...] = ()
    deny: tuple[re.Pattern[str], ...] = ()
    selectors: dict[str, str] = field(default_factory=dict)
    max_pages: int = 5000
    # Budget mode (focused crawling): None leaves it to `--focus` / the PRESSNEWS_FOCUS* settings.
    focus: bool | None = None  # fetch likely-relevant articles and only a sample of the rest
    focus_sample: float | None = None  # the share of the other articles fetched (0 to 1)
    focus_band: float | None = None  # the score from which a link is in the band (0 to 1)
    focus_band_sample: float | None = None  # the share of the band's articles fetched (0 to 1)
    focus_backlog: int | None = None  # skipped articles a later run fetches, best first

    @property
    def trusted_netlocs(self) -> frozenset[str]:
        """Hosts the user configured: links there are fetched even on private addresses."""
        urls = (*self.start_urls, *self.sitemap_urls, *self.feed_urls)
        return frozenset(urlsplit(u).netloc.lower() for u in urls)

    def allows(self, url: str) -> bool:
        return not any(p.search(url) for p in self.deny)

    def is_declared_article(self, url: str) -> bool | None:
        """True/False when `allow` patterns are set (they name article URLs); None otherwise."""
        if not self.allow:
            return None
        return any(p.search(url) for p in self.allow)


def default_sources_path() -> Path:
    return Path(str(resources.files("crawler").joinpath("sources.toml")))


def load_sources(path: str | Path | None = None) -> dict[str, Source]:
    """Read and validate a sources file (default: the project's own registry)."""
    if path is not None and not str(path).strip():
        raise SourcesError("the sources file path is empty: give a file, or leave --sources out")
    p = Path(path) if path is not None else default_sources_path()
    try:
        raw = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourcesError(f"{p}: no such sources file") from None
    except UnicodeDecodeError:
        raise SourcesError(f"{p}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise SourcesError(f"{p}: not valid TOML: {exc}") from None
    except RecursionError:
        raise SourcesError(f"{p}: not valid TOML: arrays or tables nested too deep") from None
    except OSError as exc:
        raise SourcesError(f"{p}: cannot read: {exc.strerror}") from None
    return parse_sources(raw, str(p))


def select_sources(path: str | Path | None, keys: list[str]) -> dict[str, Source]:
    """The sources named by `keys` (all when empty) from a sources file; unknown keys are an error."""
    all_sources = load_sources(path)
    unknown = [k for k in keys if k not in all_sources]
    if unknown:
        raise SourcesError(
            f"unknown source key(s): {', '.join(unknown)} (known: {', '.join(all_sources)})"
        )
    return {k: v for k, v in all_sources.items() if not keys or k in keys}


def parse_sources(raw: dict[str, Any], where: str = "<sources>") -> dict[str, Source]:
    table = raw.get("sources")
    if not isinstance(table, dict) or not table:
        raise SourcesError(f"{where}: no [sources.KEY] tables found")
    out: dict[str, Source] = {}
    for key, entry in table.items():
        ctx = f"{where}: [sources.{key if _KEY.match(key) else repr(key)}]"
        if not _KEY.match(key):
            raise SourcesError(f"{ctx} the key may hold only letters, digits, '.', '_' and '-'")
        if not isinstance(entry, dict):
            raise SourcesError(f"{ctx} must be a table")
        enabled = entry.get("enabled", True)
        if not isinstance(enabled, bool):
            raise SourcesError(f"{ctx} 'enabled' must be true or false, not {enabled!r}")
        if not enabled:
            continue
        out[key] = _parse_entry(key, entry, ctx)
    if not out:
        raise SourcesError(f"{where}: every source is disabled")
    return out


def _parse_entry(key: str, e: dict[str, Any], ctx: str) -> Source:
    unknown = set(e) - _KNOWN
    if unknown:
        raise SourcesError(f"{ctx} unknown field(s): {', '.join(sorted(unknown))}")
    name = e.get("name")
    if not isinstance(name, str) or not name.strip():
        raise SourcesError(f"{ctx} 'name' is required and must be a non-empty string")
    starts = _urls(e, "start_urls", ctx, required=True)
    province = e.get("province")
    if province is not None and not isinstance(province, str):
        raise SourcesError(f"{ctx} 'province' must be a string")
    selectors = e.get("selectors", {})
    if not isinstance(selectors, dict) or set(selectors) - _SELECTOR_KEYS:
        raise SourcesError(f"{ctx} 'selectors' may set only {', '.join(sorted(_SELECTOR_KEYS))}")
    for sel_key, sel in selectors.items():
        if not isinstance(sel, str) or not sel.strip():
            raise SourcesError(f"{ctx} 'selectors.{sel_key}' must be a non-empty string")
    max_pages = e.get("max_pages", 5000)
    if isinstance(max_pages, bool) or not isinstance(max_pages, int) or max_pages < 1:
        raise SourcesError(f"{ctx} 'max_pages' must be a positive integer, not {max_pages!r}")
    focus = e.get("focus")
    if focus is not None and not isinstance(focus, bool):
        raise SourcesError(f"{ctx} 'focus' must be true or false, not {focus!r}")
    sample, band, band_sample = (
        _share(e, name, ctx) for name in ("focus_sample", "focus_band", "focus_band_sample")
    )
    backlog = e.get("focus_backlog")
    if backlog is not None and (
        isinstance(backlog, bool) or not isinstance(backlog, int) or backlog < 0
    ):
        raise SourcesError(
            f"{ctx} 'focus_backlog' must be a whole number, 0 or more, not {backlog!r}"
        )
    return Source(
        key=key,
        name=name.strip(),
        start_urls=starts,
        province=province or None,
        sitemap_urls=_urls(e, "sitemap_urls", ctx),
        feed_urls=_urls(e, "feed_urls", ctx),
        allow=_patterns(e, "allow", ctx),
        deny=_patterns(e, "deny", ctx),
        selectors={str(k): str(v) for k, v in selectors.items()},
        max_pages=max_pages,
        focus=focus,
        focus_sample=sample,
        focus_band=band,
        focus_band_sample=band_sample,
        focus_backlog=backlog,
    )


def _share(e: dict[str, Any], field_name: str, ctx: str) -> float | None:
    """An optional number from 0 to 1 (a share, a score)."""
    value = e.get(field_name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise SourcesError(f"{ctx} '{field_name}' must be a number from 0 to 1, not {value!r}")
    return float(value)


def _urls(e: dict[str, Any], field_name: str, ctx: str, required: bool = False) -> tuple[str, ...]:
    value = e.get(field_name, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SourcesError(f"{ctx} '{field_name}' must be a list of URLs")
    if required and not value:
        raise SourcesError(f"{ctx} '{field_name}' is required and must list at least one URL")
    for url in value:
        problem = _url_problem(url)
        if problem:
            raise SourcesError(f"{ctx} '{field_name}': {url!r} {problem}")
    return tuple(value)


def _url_problem(url: str) -> str | None:
    """Why `url` cannot be crawled, or None."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number in range
    except ValueError as exc:
        return f"is not a valid URL ({exc})"
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return "is not an http(s) URL"
    if not parts.hostname:
        return "is not a valid URL (no host name)"
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return "is not a valid URL (spaces or control characters; write them as %20 etc.)"
    return None


# A sources-file regex is matched against every URL of a crawl: keep it to what a URL pattern
# needs, so a typo cannot exhaust the stack or the memory of the regex compiler.
_MAX_PATTERN = 1000
_MAX_NESTING = 50


def _patterns(e: dict[str, Any], field_name: str, ctx: str) -> tuple[re.Pattern[str], ...]:
    value = e.get(field_name, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SourcesError(f"{ctx} '{field_name}' must be a list of regular expressions")
    out = []
    for pattern in value:
        shown = pattern if len(pattern) <= 60 else pattern[:57] + "..."
        if len(pattern) > _MAX_PATTERN:
            raise SourcesError(
                f"{ctx} '{field_name}': regex {shown!r} is longer than {_MAX_PATTERN} characters"
            )
        if _nesting(pattern) > _MAX_NESTING:
            raise SourcesError(
                f"{ctx} '{field_name}': regex {shown!r} nests groups more than {_MAX_NESTING} deep"
            )
        try:
            out.append(re.compile(pattern))
        except re.error as exc:
            raise SourcesError(f"{ctx} '{field_name}': bad regex {shown!r}: {exc}") from None
        except (OverflowError, RecursionError, MemoryError, ValueError) as exc:
            reason = str(exc) or type(exc).__name__
            raise SourcesError(
                f"{ctx} '{field_name}': regex {shown!r} cannot be used: {reason}"
            ) from None
    return tuple(out)


def _nesting(pattern: str) -> int:
    """How deep the parentheses of `pattern` nest (escapes and classes skipped roughly)."""
    depth = deepest = 0
    escaped = in_class = False
    for ch in pattern:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif ch == ")":
            depth = max(0, depth - 1)
    return deepest
