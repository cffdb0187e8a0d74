"""Focused crawling: how likely an article link is to report a training, before it is fetched.

A listing page shows a headline (the link's text, its `title` attribute), often a teaser (sapo)
beside it, and the article's URL, whose slug a CMS made from the headline. `link_score` reads
them in the relevance vocabulary (`crawler.enrich.relevance.topic_signals`: the same phrases
that judge a fetched article) and gives a score from 0 to 1; the spider uses it as the request
priority, and in budget mode (`focus`) fetches the links at or above `LIKELY`, a share of the
band below it and only a sample of the rest (`budget_share`, drawn by `in_sample`). Pure: no
Scrapy, no I/O. Matching is on folded text (no diacritics, đ as d, i/y unified), so both tone
placements ("khóa"/"khoá", "tọa"/"toạ") and unaccented slugs read alike.

The score is a guess from a few words, not a verdict: the article is judged on its body once
fetched. A core topic named in the headline or the slug counts most, then one named only in
the teaser; a training, course or update and information or communication work add to it; a
press conference or prize (without a training), a plan, an inspection or a review take from it.

Between "likely" and the rest lies a band (`BAND`): listing text that names a learning or
meeting event without naming its subject ("Khai mạc lớp học tại Trung tâm Chính trị huyện",
"Huyện ủy tổ chức hội nghị", "Hội nghị ngày 12/3"), or a headline that names no event of its
own over a teaser that tells of a class (its trainees, its lecturers, its opening or closing).
Such headlines are a small share of the news and far more often a training report than the
rest, so budget mode samples them at a much higher rate (`budget_share`). A training whose
headline names another subject ("Tập huấn phòng cháy chữa cháy") scores below the band: its
subject is known, and it is not ours.
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

# The band: at or above BAND (and below LIKELY) a link names a learning or meeting event without
# its subject; budget mode fetches BAND_SAMPLE of it (defaults of `focus_band`,
# `focus_band_sample`), and SAMPLE of the rest (`focus_sample`).
BAND = 0.25
BAND_SAMPLE = 1.0
SAMPLE = 0.05
_BAND_HEADLINE = 0.3  # the headline names an event without its subject
_BAND_TEASER = 0.25  # the headline names no event; the teaser tells of a class
_TRAINING_OTHER = 0.1  # replaces _TRAINING_HEADLINE when the headline names another subject
# A learning or meeting event by its name: a class or course (a "khóa học" only when it opens
# or closes: alone it is also "science"), a training, an update of knowledge or skills, a
# conference, seminar or talk, a study session. Not the work or quality of training in general
# ("công tác đào tạo, bồi dưỡng", "chất lượng đào tạo") nor a conference centre.
_EVENT_NAME = (
    r"(?<!cong tac )(?<!chat luong )(?<!co so )(?<!kinh phi )(?<!trung tam )(?<!dao tao )"
    r"(?:lop (?:hoc|tap huan|boi duong|dao tao)|khoa (?:tap huan|boi duong|dao tao)|"
    r"(?:khai giang|be giang|ket thuc|mo) khoa hoc|"
    r"tap huan|boi duong|nang cao nang luc|trang bi (?:kien thuc|ki nang)|"
    r"cap nhat kien thuc|hoi nghi|hoi thao|toa dam|chuyen de|buoi hoc|dot hoc(?: tap)?)"
)
# What may follow the event's name without naming its subject: how it is held, its opening or
# close, an ordinal, a word of praise; then nothing, or a time, a place, an organiser or an
# audience of officials.
_QUALIFIERS = (
    r"(?: (?:truc tuyen|truc tiep|dac biet|mo rong|thu \w+|lan thu \w+|khai mac|be mac|"
    r"khai giang|be giang|ket thuc|dien ra|thanh cong|bo ich|thiet thuc|hieu qua|soi noi|"
    r"y nghia|quan trong|thu vi))*"
)
_OFFICIALS = (
    r"(?:cac )?(?:can bo|lanh dao|cong chuc|vien chuc|dang vien|hoc vien|dai bieu|"
    r"chu tich|bi thu|truong phong|nguoi dung dau)"
)
_CONTEXT = (
    rf"(?:$| (?:ngay|nam|thang|quy|tuan|sang|chieu|toi|dot|khoa|tai|o|voi|theo|tu|trong|nay|"
    rf"dau tien|lan|cua|do|(?:danh )?cho {_OFFICIALS})\b(?!.*\bve\b))"
)
_SUBJECTLESS_EVENT = re.compile(rf"\b{_EVENT_NAME}{_QUALIFIERS}{_CONTEXT}")
# A class or course held, as a teaser tells of it: its trainees and lecturers, its opening or
# closing, a political school or centre (where officials' classes are held), a certificate of
# completion. Not a science ("nhà khoa học", "khoa học công nghệ") nor a school year.
_CLASS = re.compile(
    r"\b(?:hoc vien|giang vien|lop (?:hoc|tap huan|boi duong|dao tao)|khai giang|be giang|"
    r"khoa (?:tap huan|boi duong|dao tao)|truong chinh tri|trung tam chinh tri|"
    r"chung nhan hoan thanh|buoi hoc|dot hoc)\b(?! nam hoc)"
)
# Schools and pupils, sports teams: their classes, courses and training camps ("đội tuyển tập
# huấn") are not officials' trainings.
_NOT_OFFICIALS = re.compile(
    r"\b(?:hoc sinh|sinh vien|giao vien|nam hoc|mam non|tieu hoc|thcs|thpt|tuyen sinh|lop \d+|"
    r"doi tuyen|cau thu|van dong vien|huan luyen vien|bong da)\b"
)


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


def _headlines(link: LinkText) -> list[str]:
    """The folded headline texts of a link: its anchor text, its title attribute, its URL."""
    return [t for t in (fold_words(link.text), fold_words(link.title), url_words(link.url)) if t]


def _parts(link: LinkText) -> tuple[TopicSignals, TopicSignals]:
    return topic_signals(" . ".join(_headlines(link))), topic_signals(fold_words(link.teaser))


def subjectless_event(words: str) -> bool:
    """Whether folded text names a learning or meeting event without naming its subject
    ("khai mac lop hoc tai trung tam chinh tri", "huyen uy to chuc hoi nghi", "hoi nghi ngay
    12 3"): what follows the event's name is nothing, or a time, a place or an audience of
    officials. Pupils' and schools' classes and sports teams' camps are not counted."""
    return bool(_SUBJECTLESS_EVENT.search(words)) and not _NOT_OFFICIALS.search(words)


def tells_of_class(words: str) -> bool:
    """Whether folded text tells of a class or course held (its trainees or lecturers, its
    opening or closing, a political school), not a school's."""
    return bool(_CLASS.search(words)) and not _NOT_OFFICIALS.search(words)


def event_band(link: LinkText) -> float:
    """The band score of a link (0 when it is not in the band): `_BAND_HEADLINE` when a headline
    names an event without its subject, `_BAND_TEASER` when the headline names no event and it
    or the teaser tells of a class ("Học viên thảo luận sôi nổi"). Nothing when the headline
    reports a plan, a review, a press conference or a prize, or the teaser a plan."""
    heads = _headlines(link)
    head, teaser = _parts(link)
    if head.not_event or head.not_held:
        return 0.0
    if any(subjectless_event(h) for h in heads):
        return _BAND_HEADLINE
    if head.training:  # a training named with its subject or audience: that decides
        return 0.0
    if any(tells_of_class(h) for h in heads):
        return _BAND_TEASER
    if head.event or teaser.not_held:
        return 0.0
    return _BAND_TEASER if tells_of_class(fold_words(link.teaser)) else 0.0


def link_score(link: LinkText) -> float:
    """How likely the linked article reports a training (0 to 1), from the listing alone."""
    head, teaser = _parts(link)
    band = event_band(link)
    score = 0.0
    if head.core:
        score += _CORE_HEADLINE
    elif teaser.core:
        score += _CORE_TEASER
    if head.training:
        # a training on a subject the headline names, not ours: its subject is known
        other = not (head.core or teaser.core or head.info_work or band)
        score += _TRAINING_OTHER if other else _TRAINING_HEADLINE
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
    return round(min(max(score, band), 1.0), 3)


def budget_share(
    score: float, sample: float, band: float = BAND, band_sample: float = BAND_SAMPLE
) -> float:
    """The share of the links scoring `score` that budget mode fetches now (0 to 1): all the
    likely ones, `band_sample` of the band (`band` <= score < LIKELY), `sample` of the rest (a
    band sample below `sample` is raised to it: the band is never sampled less than the rest)."""
    if score >= LIKELY:
        return 1.0
    if score >= band:
        return max(band_sample, sample)
    return sample


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
