"""Page metadata read from the intact tree: meta tags, JSON-LD types and names, the headline."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from crawler.extract.html import own_text, title_anchor
from vnlang.text import fold, nfc, squeeze

# Separators between a headline and the site name in <title>/og:title.
_TITLE_SEP = re.compile(r"\s+[-|–—»«>/]\s+|\s+::\s+|\s*\|\s*")
# Folded title parts that name the site or a section, not the headline ("Sở ...", "Báo ...").
_SITE_PART = re.compile(
    r"^(?:bao|so|cong|trang|ubnd|uy ban|tap chi|dai|bo|tinh|thanh pho|portal|website|home|"
    r"trang chu|tin tuc|tin tuc su kien|chi tiet|chi tiet tin|tin bai|su kien)\b|\.(?:vn|com|net|org)\b"
)
_ARTICLE_TYPES = {"newsarticle", "article", "blogposting", "reportagenews", "analysisnewsarticle"}


def _metas(root: HtmlElement) -> dict[str, str]:
    out: dict[str, str] = {}
    for meta in root.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        value = squeeze(nfc(meta.get("content") or ""))
        if key and value and key not in out:
            out[key] = value
    return out


def _types(obj: dict) -> set[str]:
    kind = obj.get("@type", "")
    return {str(k).lower() for k in (kind if isinstance(kind, list) else [kind])}


def _ld_article(objects: list[dict]) -> dict:
    return next((o for o in objects if _types(o) & _ARTICLE_TYPES), {})


def _name_of(value: object) -> list[str]:
    if isinstance(value, list):
        return [n for v in value for n in _name_of(v)]
    if isinstance(value, dict):
        value = value.get("name", "")
    return [squeeze(nfc(value))] if isinstance(value, str) and value.strip() else []


def _site_like(part: str, site: str, host: str) -> bool:
    key = fold(part)
    return bool(
        (site and (key == site or key in site or site in key))
        or _SITE_PART.search(key)
        or (host and host.split(".")[0] in key.replace(" ", ""))
    )


def _strip_site(title: str, site_name: str, host: str) -> str:
    """A <title>/og:title without site-name or section parts at either end (the headline is
    what remains, and is kept only if it is longer than what was cut)."""
    site = fold(site_name)
    changed = True
    while changed:
        changed = False
        seps = list(_TITLE_SEP.finditer(title))
        for sep in reversed(seps):  # shortest site-like suffix first
            head, tail = title[: sep.start()], title[sep.end() :]
            if _site_like(tail, site, host) and len(head) >= len(tail) * 0.5:
                title, changed = head.strip(), True
                break
        if changed:
            continue
        for sep in seps:  # shortest site-like prefix first
            head, tail = title[: sep.start()], title[sep.end() :]
            if _site_like(head, site, host) and len(tail) > len(head):
                title, changed = tail.strip(), True
                break
    return title


def pick_title(root: HtmlElement, metas: dict[str, str], ld: dict, site_name: str, url: str) -> str:
    """The headline: the h1 that the page metadata agrees with, else a cleaned meta title."""
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    head = root.find(".//title")
    candidates = [
        metas.get("og:title", ""),
        _name_of(ld.get("headline"))[0] if _name_of(ld.get("headline")) else "",
        metas.get("twitter:title", ""),
        squeeze(nfc(head.text_content())) if head is not None else "",
    ]
    cleaned = [_strip_site(c, site_name, host) for c in candidates if c]
    folded = [fold(c) for c in cleaned]
    for h1 in root.iter("h1"):
        text = own_text(h1)
        key = fold(text) if 5 <= len(text) <= 400 else ""
        if key and any(key == c or (key in c and len(key) >= 0.6 * len(c)) for c in folded):
            return text
    parts = sorted(
        {p.strip() for c in candidates for p in _TITLE_SEP.split(c)}, key=len, reverse=True
    )
    for part in parts:  # the part of a "Site - Headline" title that the page shows on its own
        el = title_anchor(root, part) if len(part) >= 15 else None
        if el is not None and fold(own_text(el)) == fold(part):
            return part
    site = fold(site_name)
    for text in cleaned:  # a <title> that is only the site name is no headline
        if not (_site_like(text, site, host) and (len(text) <= 60 or fold(text) == site)):
            return text
    h1 = root.find(".//h1")
    return own_text(h1) if h1 is not None else ""
