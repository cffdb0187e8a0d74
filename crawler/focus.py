"""Focused crawling: how likely an article link is to report a training, before it is fetched.

A listing page shows a headline (the link's text, its `title` attribute), often a teaser (sapo)
beside it, and the article's URL, whose slug a CMS made from the headline. `link_score` reads
them in the relevance vocabulary (`crawler.enrich.relevance.topic_signals`: the same phrases
that judge a fetched article) and gives a score from 0 to 1; the spider uses it as the request
priority, and in budget mode (`focus`) fetches the links at or above `LIKELY` and only a
sample (`in_sample`) of the rest. Pure: no Scrapy, no I/O.

The score is a guess from a few words, not a verdict: the article is judged on its body once
fetched. A core topic named in the headline or the slug counts most, then one named only in
the teaser; a training, course or update and information or communication work add to it; a
press conference or prize (without a training), a plan, an inspection or a review take from it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from crawler.enrich.relevance import TopicSignals, topic_signals
from vnlang.text import fold_words

# At or above this score a link is "likely relevant": fetched first, and always in budget mode.
# A core topic named in the headline or slug reaches it alone; a core topic named only in the
# teaser reaches it with a training or information-work word; a training on information or
# communication work named in the headline reaches it without a core topic.
LIKELY = 0.4
# Score parts (see the module's docstring).
_CORE_HEADLINE = 0.6
_CORE_TEASER = 0.45
_TRAINING_HEADLINE = 0.25
_TRAINING_TEASER = 0.15
_INFO_HEADLINE = 0.1
_INFO_TEASER = 0.05
_EVENT = 0.05
_NOT_EVENT = 0.4  # factor: a press conference, a prize, a meeting with the press
_NOT_HELD = 0.6  # factor: a plan, a directive, an inspection, a review
# URL words that are not the slug: file extensions, CMS path words, ids.
_URL_NOISE = re.compile(r"\b(?:html?|aspx?|php|jsp|tin tuc|news|chi tiet|detail|\d+)\b")


@dataclass(frozen=True)
class LinkText:
    """What a listing shows of one article link."""

    url: str
    text: str = ""  # the anchor text
    title: str = ""  # the anchor's title attribute
    teaser: str = ""  # the text around the link in its listing item (sapo, date)


def url_words(url: str) -> str:
    """The folded words of a URL's path and query, without extensions, ids and CMS words."""
    parts = urlsplit(url)
    text = unquote(parts.path + " " + parts.query).replace("_", " ")
    return " ".join(_URL_NOISE.sub(" ", fold_words(text)).split())


def _parts(link: LinkText) -> tuple[TopicSignals, TopicSignals]:
    headline = fold_words(f"{link.text} . {link.title}") + " . " + url_words(link.url)
    return topic_signals(headline), topic_signals(fold_words(link.teaser))


def link_score(link: LinkText) -> float:
    """How likely the linked article reports a training (0 to 1), from the listing alone."""
    head, teaser = _parts(link)
    score = 0.0
    if head.core:
        score += _CORE_HEADLINE
    elif teaser.core:
        score += _CORE_TEASER
    if head.training:
        score += _TRAINING_HEADLINE
    elif teaser.training:
        score += _TRAINING_TEASER
    if head.info_work:
        score += _INFO_HEADLINE
    elif teaser.info_work:
        score += _INFO_TEASER
    if head.event or teaser.event:
        score += _EVENT
    if head.not_event and not head.training:
        score *= _NOT_EVENT
    if head.not_held:
        score *= _NOT_HELD
    return round(min(score, 1.0), 3)


def in_sample(url: str, share: float) -> bool:
    """Whether a link below `LIKELY` is in budget mode's sample of `share` (0 to 1) of them.

    Decided by a hash of the URL: the same link gets the same answer in every run, so a
    skipped article stays skipped (for the backlog to fetch) instead of being re-drawn."""
    if share >= 1:
        return True
    if share <= 0:
        return False
    digest = hashlib.blake2b(url.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64 < share
