"""Is an article about training or conference work on spokesperson duties, information for the
press, foreign information or media-crisis handling (docs/interfaces.md `relevant`), and its topics.

Relevant: an event (training, course, conference, seminar, update) whose subject is one of the
four core topics: named in the title, or the title is a training on information or communication
work and the body covers a core topic (seed 004: a training on information work with a
crisis-handling module), or the body dwells on core topics (three or more mentions). The core
topics are named in many ways: working with reporters, handling a communication incident,
informing the press early, current-affairs and foreign-affairs updates for officials (the
foreign-information programme's "thông tin thời sự, đối ngoại").

Not relevant, whatever topic it names: what the article reports is not a training held but a
plan, directive or target for one (a "Kế hoạch", "sẽ tập huấn", "100% ... năm 2025"; a lead that
says a plan was issued), an inspection or survey visit, a year's review (tổng kết, sơ kết), the
announcement of a list of spokespeople, a press conference (họp báo), a journalism prize, a
meeting with the press; and a training for journalists or Party propagandists (báo cáo viên) that
does not cover the core topics, a generic meeting, other news.

Matching is on `fold_words` text (folded words, single spaces), by phrase.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crawler.evidence import PhraseFinder, derived, quote, whole
from indexer.model import Evidence
from vnlang.text import fold_words

# Topic (the CONTRACT vocabulary) -> folded phrases that name it.
_TOPICS: dict[str, tuple[str, ...]] = {
    "phát ngôn": ("phat ngon",),
    "cung cấp thông tin cho báo chí": (
        "cung cap thong tin cho bao chi", "cung cap thong tin bao chi",
        "cung cap va xu li thong tin bao chi", "cung cap thong tin cho cac co quan bao chi",
        "cung cap thong tin cho co quan bao chi", "tiep va lam viec voi bao chi",
        "lam viec voi bao chi", "lam viec voi phong vien", "ung xu voi bao chi",
        "phan hoi bao chi", "tra loi phong van", "thong cao bao chi", "cung cap thong tin som",
        "chu dong cung cap thong tin", "cung cap thong tin kip thoi",
    ),
    "thông tin đối ngoại": (
        "thong tin doi ngoai", "ttdn", "thoi su doi ngoai", "thoi su va doi ngoai",
        "ngoai giao cong chung",
    ),
    "khủng hoảng truyền thông": (
        "khung hoang truyen thong", "khung hoang thong tin", "xu li khung hoang",
        "tinh huong khung hoang", "su co truyen thong", "khung hoang tren mang",
        "thong tin sai su that", "thong tin tieu cuc",
    ),
    "chuyển đổi số": ("chuyen doi so",),
    "quản lý báo chí": (
        "quan li bao chi", "quan li nha nuoc ve bao chi", "quan li hoat dong bao chi",
        "quan li nha nuoc ve hoat dong bao chi", "quan li nha nuoc doi voi bao chi", "luat bao chi",
    ),
    "thông tin tuyên truyền": (
        "thong tin tuyen truyen", "tuyen truyen thong tin", "cong tac tuyen truyen",
    ),
    "mạng xã hội": ("mang xa hoi", "khong gian mang"),
}  # fmt: skip
# Phrases that contain a topic phrase without being about the topic: a unit's name ("Phòng
# Quản lý báo chí") or the spokesperson as someone's title ("Người phát ngôn Bộ Ngoại giao").
_NOT_TOPIC: dict[str, tuple[str, ...]] = {
    "quản lý báo chí": ("phong quan li bao chi", "vu quan li bao chi", "cuc quan li bao chi"),
    "phát ngôn": (
        "nguoi phat ngon bo", "nguoi phat ngon chinh phu", "nguoi phat ngon cua bo",
        "nguoi phat ngon ubnd", "nguoi phat ngon cua ubnd",
    ),
}  # fmt: skip
# The four topics that make an event relevant.
_CORE = (
    "phát ngôn",
    "cung cấp thông tin cho báo chí",
    "thông tin đối ngoại",
    "khủng hoảng truyền thông",
)
# An event of training or conference work.
_EVENT = re.compile(
    r"\b(?:tap huan|boi duong|lop hoc|khoa hoc|dao tao|hoi thao|toa dam|hoi nghi|quan triet|"
    r"chuyen de|hoi thi|dien tap|nghiep vu|ki nang|trien khai|cap nhat|trang bi|hoc vien)\b"
)
# A training, course or update in the title ("trang bị kỹ năng", "học cách", "cập nhật").
_TRAINING = re.compile(
    r"\b(?:tap huan|boi duong|lop|khoa|dao tao|hoi thao|toa dam|ki nang|cap nhat|trang bi|"
    r"hoc cach|hoc ki nang|dien tap|nang cao nang luc)\b"
)
# What the article reports is a plan, directive or target, an inspection or survey, a review
# of the year or an announcement: not a training held, whatever its topic.
_NOT_HELD_TITLE = re.compile(
    r"^(?:\w+ ){0,3}?ke hoach\b|^(?:chi thi|ket luan)\b|\bse (?:to chuc|tap huan|boi duong|mo)\b|"
    r"\b100 (?:phan tram )?(?:nguoi|can bo|co quan)|\b(?:doan )?kiem tra\b|\bkhao sat\b|"
    r"\bgiam sat\b|\btong ket\b|\bso ket\b|\bcong bo (?:danh sach )?nguoi phat ngon\b"
)
# Deploying a Party document: no training unless the lead says one was held too.
_DEPLOY_TITLE = re.compile(
    r"^(?:\w+ ){0,3}?(?:hoc tap )?(?:quan triet|trien khai (?:nghi quyet|ket luan|chi thi))\b"
)
# A training held, as the lead's first sentence reports it.
_LEAD_HELD = re.compile(r"\b(?:to chuc|khai mac|khai giang|mo)\b")
_LEAD_TRAINING = re.compile(
    r"\b(?:tap huan|boi duong|lop hoc|lop tap huan|lop boi duong|hoi nghi cap nhat|"
    r"hoi nghi thong tin|dien tap|hoi thao)\b"
)
# A lead that says a plan or directive was issued ("vừa ban hành Kế hoạch số 12/KH-UBND").
_PLAN_LEAD = re.compile(
    r"\b(?:ban hanh|phe duyet|trien khai) (?:ke hoach|chi thi|cong van|ket luan)\b"
)
# Information and communication work in a title.
_INFO_WORK = re.compile(r"\b(?:thong tin|truyen thong|bao chi|tuyen truyen)\b")
# Events that are not relevant in themselves: a press conference, a prize, a press briefing.
_NOT_EVENT_TITLE = re.compile(
    r"\b(?:hop bao|giai bao chi|trao giai|giao ban bao chi|le trao|cuoc thi|hoi bao xuan|"
    r"gap mat|hop mat|gap go)\b"
)
# Audiences whose trainings do not count unless they cover the core topics.
_JOURNALISTS = re.compile(
    r"\b(?:phong vien|bien tap vien|nguoi lam bao|hoi vien hoi nha bao|nha bao|bao cao vien|"
    r"tuyen truyen vien)\b"
)


def _counts(words: str) -> dict[str, int]:
    """Mentions of each topic in `fold_words` text."""
    padded = f" {words} "
    counts = {}
    for topic, phrases in _TOPICS.items():
        n = sum(padded.count(f" {p} ") for p in phrases)
        n -= sum(padded.count(f" {p} ") for p in _NOT_TOPIC.get(topic, ()))
        counts[topic] = max(n, 0)
    return counts


def judge(title: str, body: str, why: list[Evidence] | None = None) -> tuple[bool, list[str]]:
    """(relevant, topics in vocabulary order) for an article. With `why`, appends the evidence:
    each topic's first mention, the signals and the rule that decided."""
    t, b = fold_words(title), fold_words(body)
    in_title, in_body = _counts(t), _counts(b)
    topics = [name for name in _TOPICS if in_title[name] + in_body[name] > 0]
    relevant, rule, where = _decide(title, body, t, b, in_title, in_body)
    if why is not None:
        _explain(why, title, body, topics, in_title, in_body, relevant, rule, where)
    return relevant, topics


def _decide(
    title: str,
    body: str,
    t: str,
    b: str,
    in_title: dict[str, int],
    in_body: dict[str, int],
) -> tuple[bool, str, str]:
    """(relevant, the rule that decided, where it read: "title", "lead" or "both")."""
    core_title = sum(1 for name in _CORE if in_title[name])
    core_body = sum(in_body[name] for name in _CORE)
    training_title = _TRAINING.search(t)
    if (m := _NOT_EVENT_TITLE.search(t)) and not training_title:
        return False, f"not an event: the title names «{m.group(0)}» and no training", "title"
    if m := _NOT_HELD_TITLE.search(t):
        return False, f"not a training held: the title reports «{m.group(0)}»", "title"
    first = fold_words(body.split("\n", 1)[0][:400])
    lead_training = bool(_LEAD_HELD.search(first) and _LEAD_TRAINING.search(first))
    if (m := _DEPLOY_TITLE.search(t)) and not lead_training:
        return False, f"deploys a document («{m.group(0)}»), the lead reports no training", "title"
    if (m := _PLAN_LEAD.search(first)) and not re.search(
        r"\b(?:khai mac|da to chuc|to chuc hoi nghi)\b", first
    ):
        return False, f"the lead reports a plan or directive issued («{m.group(0)}»)", "lead"
    event = _EVENT.search(t) or _EVENT.search(b[:600])
    if not event:
        return False, "no training or conference word in the title or the lead", "both"
    if core_title:
        return True, f"an event («{event.group(0)}») with a core topic named in the title", "title"
    if lead_training and sum(_counts(first)[name] for name in _CORE):
        return True, "the lead reports a training held on a core topic", "lead"
    info = _INFO_WORK.search(t)
    if training_title and info and core_body >= 1:
        aimed_at_press = _JOURNALISTS.search(t) or _JOURNALISTS.search(b[:400])
        need = 2 if aimed_at_press else 1
        return (
            core_body >= need,
            f"a training on information work («{training_title.group(0)}», «{info.group(0)}») "
            f"whose body names core topics {core_body} times (threshold {need}"
            + (", aimed at journalists)" if aimed_at_press else ")"),
            "both",
        )
    ok = core_body >= 3 and bool(training_title)
    return (
        ok,
        f"body names core topics {core_body} times (threshold 3) and the title "
        + ("names a training" if training_title else "names no training"),
        "both",
    )


def _explain(
    why: list[Evidence],
    title: str,
    body: str,
    topics: list[str],
    in_title: dict[str, int],
    in_body: dict[str, int],
    relevant: bool,
    rule: str,
    where: str,
) -> None:
    finders = (("title", PhraseFinder(title)), ("body", PhraseFinder(body)))
    for name in topics:
        for src, finder in finders:
            text = finder.text
            span = finder.find(*_TOPICS[name])
            if span:
                s, e = span
                rule_text = (
                    f"topic phrase: {in_title[name]} in the title, {in_body[name]} in the body"
                    + (" (a core topic)" if name in _CORE else "")
                )
                why.append(quote("topics", name, src, text, s, e, rule_text))
                break
    if where == "lead":
        end = body.find("\n")
        why.append(
            quote("relevant", relevant, "body", body, 0, end if end > 0 else len(body), rule)
        )
    else:
        why.append(whole("relevant", relevant, "title", title, rule))
    core_t = ", ".join(f"{n} {in_title[n]}" for n in _CORE if in_title[n]) or "none"
    core_b = ", ".join(f"{n} {in_body[n]}" for n in _CORE if in_body[n]) or "none"
    why.append(
        derived(
            "relevant",
            relevant,
            f"signals: core topics in the title: {core_t}; in the body: {core_b}",
        )
    )


@dataclass(frozen=True)
class TopicSignals:
    """What short text (a headline, a teaser, URL words) says in this module's vocabulary: for
    guessing relevance before a page is fetched (`crawler.focus`), where only a listing's text
    is known. The verdict on a fetched article is `judge`'s."""

    core: int  # mentions of the four core topics (spokesperson, press, foreign info, crisis)
    training: bool  # a training, course, update or seminar ("tập huấn", "bồi dưỡng", "lớp")
    event: bool  # an event of training or conference work ("hội nghị", "hội thảo", ...)
    info_work: bool  # information and communication work ("thông tin", "truyền thông", ...)
    not_event: bool  # a press conference, a prize, a meeting with the press
    not_held: bool  # a plan, directive, inspection, review or announcement, not a training held


def topic_signals(words: str) -> TopicSignals:
    """`TopicSignals` of `fold_words` text."""
    counts = _counts(words)
    return TopicSignals(
        core=sum(counts[name] for name in _CORE),
        training=bool(_TRAINING.search(words)),
        event=bool(_EVENT.search(words)),
        info_work=bool(_INFO_WORK.search(words)),
        not_event=bool(_NOT_EVENT_TITLE.search(words)),
        not_held=bool(_NOT_HELD_TITLE.search(words) or _DEPLOY_TITLE.search(words)),
    )
