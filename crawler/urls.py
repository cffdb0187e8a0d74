"""URL hygiene: what to fetch, and the canonical URL (hence the id) an article is stored under.

Two levels:
- `clean_url`: for fetching and de-duplicating requests. Drops fragments, tracking parameters
  (utm_*, fbclid, ...), session ids (`;jsessionid=`, ASP.NET cookieless `/(S(...))/`, PHPSESSID)
  and sorts the query, but keeps everything a listing needs (page numbers, portlet cursors).
- `canonical_article_url`: the identity of an article. Also drops Liferay portlet plumbing
  (`p_p_*`, `_<portlet>_redirect`, ...) and maps print, AMP and mobile copies to the article,
  while keeping parameters that identify an article (SharePoint `ItemID`, `?id=`, ...).
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that only track a visit (analytics, social shares, campaign tags).
_TRACKING = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|msclkid|zarsrc|_ga|_gl|mc_cid|mc_eid|ref_src|igshid|"
    r"fb_action_ids|fb_action_types|fb_source|action_object_map|action_type_map|__twitter_impression|"
    r"at_medium|at_campaign|share|from_share|src_share|replytocom|relatedposts_\w+|"
    r"_rdc|_rdr|zoneid|itm_\w+|cmpid)$",
    re.IGNORECASE,
)
# Query parameters that carry a server session rather than content.
_SESSION = re.compile(r"^(jsessionid|phpsessid|sid|sessionid|aspsessionid\w*|cfid|cftoken)$", re.I)
# ;jsessionid=... path parameter (Java portals) and ASP.NET cookieless session segment /(S(...))/.
_PATH_SESSION = re.compile(r";jsessionid=[^/?#]*", re.IGNORECASE)
_ASPNET_COOKIELESS = re.compile(r"/\((?:[A-Z]\([^)]*\))+\)", re.IGNORECASE)
# Liferay portlet plumbing: p_p_id, p_p_lifecycle, p_p_state, p_p_mode, p_p_col_*, p_l_id, and
# namespaced return links such as _com_liferay_..._INSTANCE_AbCd_redirect. Other namespaced
# parameters (a listing's _..._cur page number, an asset id) are kept: they select content.
_LIFERAY = re.compile(r"^(p_p_\w+|p_l_\w+|p_r_p_\w+|_\w+_(redirect|backURL|mvcRenderCommandName))$")
# Copies of an article meant for printing or AMP: parameters that only switch the view.
_VIEW_PARAMS = re.compile(
    r"^(print|printable|amp|outputtype|view|mode|layout|output|format)$", re.I
)
_VIEW_VALUES = re.compile(r"^(1|true|yes|print|amp|printer|printable|mobile)$", re.I)
# Path forms of print/AMP copies: /amp/..., .../amp, .../amp.html, DotNetNuke /print/true/.
_AMP_PREFIX = re.compile(r"^/amp(?=/)", re.IGNORECASE)
_AMP_SUFFIX = re.compile(r"/amp/?$|\.amp(?=\.html?$)", re.IGNORECASE)
_DNN_PRINT = re.compile(r"/print/(true|1)(?=/)", re.IGNORECASE)
_PRINT_PREFIX = re.compile(r"^/(print|in|ban-in)(?=/)", re.IGNORECASE)
# Mobile hosts: m.example.vn and mobile.example.vn serve the same articles as the main host.
_MOBILE_HOST = re.compile(r"^(m|mobile|amp)\.", re.IGNORECASE)

_DEFAULT_PORTS = {"http": "80", "https": "443"}


def _netloc(scheme: str, netloc: str) -> str:
    netloc = netloc.lower()
    if "@" in netloc:  # never keep credentials in a stored URL
        netloc = netloc.rsplit("@", 1)[1]
    host, _, port = netloc.partition(":")
    if port and _DEFAULT_PORTS.get(scheme) == port:
        return host
    return netloc


def _filter_query(query: str, drop: re.Pattern[str] | None = None) -> str:
    kept = []
    for key, value in parse_qsl(query, keep_blank_values=True):
        if _TRACKING.match(key) or _SESSION.match(key):
            continue
        if drop is not None and drop.match(key):
            continue
        kept.append((key, value))
    kept.sort()
    return urlencode(kept, doseq=True)


def clean_url(url: str) -> str:
    """The URL to request: no fragment, no tracking or session parameters, sorted query."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    path = _ASPNET_COOKIELESS.sub("", _PATH_SESSION.sub("", parts.path)) or "/"
    return urlunsplit((scheme, _netloc(scheme, parts.netloc), path, _filter_query(parts.query), ""))


def canonical_article_url(url: str) -> str:
    """The identity of an article page: `clean_url`, then portal plumbing and copies removed."""
    parts = urlsplit(clean_url(url))
    path = parts.path
    path = _DNN_PRINT.sub("", path)
    path = _AMP_PREFIX.sub("", path)
    path = _AMP_SUFFIX.sub("", path) or "/"
    path = _PRINT_PREFIX.sub("", path)
    kept = []
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if _LIFERAY.match(key):
            continue
        if _VIEW_PARAMS.match(key) and (_VIEW_VALUES.match(value) or value == ""):
            continue
        kept.append((key, value))
    host = _MOBILE_HOST.sub("", parts.netloc) if parts.netloc.count(".") >= 2 else parts.netloc
    return urlunsplit((parts.scheme, host, path, urlencode(kept, doseq=True), ""))


def is_copy_url(url: str) -> bool:
    """A print, AMP or mobile copy of a page (its link is not followed: the original is)."""
    parts = urlsplit(url)
    path = parts.path
    if _DNN_PRINT.search(path) or _AMP_PREFIX.search(path) or _AMP_SUFFIX.search(path):
        return True
    if _PRINT_PREFIX.search(path) or (
        _MOBILE_HOST.match(parts.netloc) and parts.netloc.count(".") >= 2
    ):
        return True
    return any(
        _VIEW_PARAMS.match(k) and (_VIEW_VALUES.match(v) or v == "")
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
    )


# The last path segment without its extension, and long digit runs (article ids).
_EXT = re.compile(r"\.(html?|aspx?|php|jsp|htm)$", re.IGNORECASE)
_ID_RUN = re.compile(r"\d{3,}")


def _identity(url: str) -> tuple[str, set[str]]:
    parts = urlsplit(url)
    segments = [
        s for s in parts.path.split("/") if s and s.lower() not in ("default.aspx", "index.html")
    ]
    last = _EXT.sub("", segments[-1]).lower() if segments else ""
    ids = set(_ID_RUN.findall(parts.path + "?" + parts.query))
    return last, ids


def names_same_item(a: str, b: str) -> bool:
    """Whether two URLs plausibly name the same article: same final slug, or a shared long id.

    Used to vet rel=canonical: a canonical to another section of the same article is fine; one
    to `/thoi-su/undefined`, a listing or the home page is a broken template and is ignored.
    """
    last_a, ids_a = _identity(a)
    last_b, ids_b = _identity(b)
    return bool(last_a and last_a == last_b) or bool(ids_a & ids_b)


def article_id(canonical_url: str) -> str:
    """A stable id: the same for http/https and for a trailing slash; different URLs never collide."""
    parts = urlsplit(canonical_url)
    key = (
        parts.netloc + (parts.path.rstrip("/") or "/") + ("?" + parts.query if parts.query else "")
    )
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def is_home(url: str) -> bool:
    parts = urlsplit(url)
    return (
        parts.path in ("", "/")
        or bool(
            re.fullmatch(r"/(index|default|home|trang-chu)(\.\w+)?/?", parts.path, re.I)
            or re.fullmatch(r"/(web/guest|Pages/Home\.aspx|vi|vn)/?", parts.path, re.I)
        )
        and not parts.query
    )


def same_site(url: str, netloc: str) -> bool:
    """True when `url` is on the host `netloc` (port included) or a www/mobile variant of it."""
    other = urlsplit(url).netloc.lower()
    base = netloc.lower()
    strip = re.compile(r"^(www|m|mobile)\.")
    return other == base or strip.sub("", other) == strip.sub("", base)
