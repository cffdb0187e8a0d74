"""What a training report says about the training itself: attendance, format, audience, organisers,
its last day and its phase ("đợt 2", a review conference). Pure functions of an article's text.

- attendance: the first number of attendees ("hơn 200 học viên", "120 đại biểu", "gần 100 cán
  bộ", "khoảng 1.200 người"), with "hơn"/"trên"/"gần"/"khoảng" kept as a qualifier; never the
  number of connection points ("30 điểm cầu"), days or years. None when the text gives none.
- format: "online" when the training is held "trực tuyến" (or over "điểm cầu" with no hall
  named as attended in person), "hybrid" when it is both ("trực tiếp kết hợp trực tuyến", people
  attending at the main site "tại điểm cầu chính có hơn 120 đại biểu" plus connection points, a
  conference "kết nối trực tuyến với các huyện" whose format is not named online), else
  "in_person".
- audience: who attended, as written ("cán bộ, công chức làm công tác truyền thông của các sở").
- organisers: the bodies that held it ("Sở Thông tin và Truyền thông phối hợp với Cục Báo chí
  tổ chức ..." gives both).
- end: the last day of a span ("trong 2 ngày 14 và 15/8", "từ ngày 3 đến 5/9").
- start: the first day; the date the report gives, moved back when the report is of a later day
  ("Chiều 19/4, lớp tập huấn ... bế mạc sau 2 ngày làm việc": from 18/4; "ngày học thứ hai").
- phase: the part of a series ("đợt 2", "lớp thứ hai", "sơ kết"), so that a training and its
  follow-up are never one event.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from indexer.event_model import Attendance, Format
from vnlang.text import fold, nfc

QUALIFIERS = ("hơn", "trên", "gần", "khoảng")


@dataclass(frozen=True)
class TrainingFacts:
    attendance: Attendance | None
    format: Format
    audience: str | None
    organisers: tuple[str, ...]
    start: str | None  # ISO date of the first day (the event date, or earlier: `first_day`)
    end: str | None  # ISO date of the last day when the text gives a span, else None
    phase: str | None  # "đợt 2", "sơ kết", ... (folded key), None for a plain training


# -- attendance -------------------------------------------------------------------------------
# Nouns that count people at a training.
_PEOPLE = (
    r"học viên|đại biểu|cán bộ|công chức|viên chức|người|đồng chí|thành viên|người phát ngôn|"
    r"phóng viên|lãnh đạo|cán bộ, công chức|cán bộ, công chức, viên chức|cán bộ, đảng viên|"
    r"lượt (?:học viên|người|cán bộ|đại biểu)|thí sinh|giáo viên|hiệu trưởng|trưởng thôn|"
    r"bí thư|chủ tịch|hội viên|đảng viên|sinh viên|tuyên truyền viên|báo cáo viên"
)
_QUALIFIER = (
    r"hơn|trên|gần|khoảng|xấp xỉ|ước khoảng|gần như|tới|lên tới|lên đến|đến|với|có|của|"
    r"tổng số|tổng cộng"
)
_ATTENDANCE = re.compile(
    rf"(?:(?P<q>{_QUALIFIER})\s+)?(?<![\d.,/])(?P<n>\d{{1,3}}(?:[.,]\d{{3}})+|\d{{1,5}})"
    rf"\s+(?P<noun>{_PEOPLE})\b",
    re.IGNORECASE,
)
# After the number: it counts something else ("100 cán bộ ... tại 30 điểm cầu" is fine; "20 năm").
_QUALIFIER_MAP = {
    "hơn": "hơn",
    "trên": "trên",
    "gần": "gần",
    "khoảng": "khoảng",
    "xấp xỉ": "khoảng",
}
_QUALIFIER_MAP["ước khoảng"] = "khoảng"
# "gần như" is "almost" as an adverb, not a qualifier of a number ("gần như 100%").
# Context that makes a count of people not the count of attendees ("20 năm", "30 điểm cầu" are
# excluded by the noun list; "5 báo cáo viên trình bày" are the trainers).
_NOT_ATTENDEES_AFTER = re.compile(
    r"^\s*(?:trình bày|thuyết trình|truyền đạt|giảng|đã trình bày)", re.IGNORECASE
)
# Words before a number of people that make it not this training's attendance: a plan's target
# ("phấn đấu", "mục tiêu"), a past total ("từ năm ... đến nay", "đã tổ chức ... lớp cho"), a whole
# body ("toàn bộ 500 cán bộ", but not "tới toàn bộ 99 xã, với khoảng 500 học viên").
_NOT_ATTENDEES_BEFORE = re.compile(
    r"(?:(?:phấn đấu|mục tiêu|chỉ tiêu|dự kiến|sẽ|lũy kế|từ năm \d{4}|đến nay|"
    r"trong năm|năm qua|đã tổ chức \d+ lớp)[^.;]{0,40}|toàn bộ\s*)$",
    re.IGNORECASE,
)


def _number(text: str) -> int:
    return int(re.sub(r"[.,]", "", text))


def attendance(text: str) -> Attendance | None:
    """The number of attendees the text gives first, with its qualifier; None when none."""
    for m in _ATTENDANCE.finditer(text):
        if _NOT_ATTENDEES_AFTER.match(text[m.end() : m.end() + 20]):
            continue
        if _NOT_ATTENDEES_BEFORE.search(text[max(0, m.start() - 80) : m.start()]):
            continue
        value = _number(m.group("n"))
        if value < 5 or (1900 <= value <= 2100 and "." not in m.group("n")):
            continue
        q = (m.group("q") or "").lower()
        return Attendance(value, _QUALIFIER_MAP.get(q, ""))
    return None


# -- format -----------------------------------------------------------------------------------
_ONLINE = re.compile(r"\b(?:truc tuyen|diem cau|online|zoom|ket noi (?:toi|den|voi) \d+)\b")
_HYBRID = re.compile(
    r"\b(?:truc tiep\b[^.;]{0,60}\b(?:ket hop|va) (?:voi )?(?:hinh thuc )?truc tuyen|"
    r"diem cau (?:chinh|trung tam)\b[^.;]{0,80}\b(?:ket hop|va) (?:voi )?(?:hinh thuc )?truc tuyen|"
    r"truc tiep va truc tuyen|"
    r"truc tuyen ket hop (?:voi )?truc tiep|truc tuyen va truc tiep|"
    r"ket hop (?:giua )?truc tiep (?:va|voi) truc tuyen|ket hop truc tuyen (?:va|voi) truc tiep)\b"
)
# People attending at the main site: "Tại điểm cầu chính có hơn 120 đại biểu", "hơn 2.000 đại
# biểu tham dự tại điểm cầu chính và 168 điểm cầu", "dự tại hội trường Sở" (with connection
# points elsewhere: hybrid). A speaker at the central site ("Tại điểm cầu trung tâm, bà ... phát
# biểu") is no attendance there.
_MAIN_SITE = r"(?:diem cau (?:chinh|trung tam|tinh)|hoi truong)"
_ATTENDED_AT_MAIN = re.compile(
    rf"\b(?:(?:tham du|du|co mat|hoc) (?:truc tiep )?tai {_MAIN_SITE}|"
    rf"tai {_MAIN_SITE}[^.;]{{0,40}}?\b(?:co|du|tham du) (?:hon |tren |gan |khoang )?\d)"
)
# The training (held somewhere) "kết nối trực tuyến với/tới" other sites, while the text never
# names its format as online ("hình thức trực tuyến", "tổ chức trực tuyến", "lớp tập huấn trực
# tuyến"): a hall connected to sites, hybrid.
_CONNECTED = re.compile(r"\bket noi truc tuyen (?:voi|toi|den)\b")
_NAMED_ONLINE = re.compile(
    r"\b(?:hinh thuc|to chuc|tap huan|boi duong|hoi nghi|lop|khoa|dien ra|nen tang(?: hop)?|"
    r"hoc|tham du|tham gia) truc tuyen\b"
)
# "không tổ chức trực tuyến": not online.
_NOT_ONLINE = re.compile(r"\b(?:khong|chua) (?:to chuc |hoc )?truc tuyen\b")


def training_format(text: str) -> Format:
    """online / hybrid / in_person, from "trực tuyến", "điểm cầu" and "trực tiếp kết hợp"; a
    training attended at its main site and over connection points is hybrid."""
    folded = _NOT_ONLINE.sub(" ", fold(text))
    if _HYBRID.search(folded):
        return "hybrid"
    if not _ONLINE.search(folded):
        return "in_person"
    if _ATTENDED_AT_MAIN.search(folded):
        return "hybrid"
    if _CONNECTED.search(folded) and not _NAMED_ONLINE.search(folded):
        return "hybrid"
    return "online"


# -- audience ---------------------------------------------------------------------------------
# "tập huấn ... cho <audience>", "học viên là <audience>", "tham dự có <audience>".
_AUDIENCE = re.compile(
    r"(?:(?:tập huấn|bồi dưỡng|hội nghị|lớp|khóa|khoá|chương trình|cập nhật)[^.;\n]{0,160}?"
    r"\bcho\s+(?:hơn\s+|gần\s+|trên\s+|khoảng\s+)?(?:\d[\d.]*\s+)?"
    r"|(?:học viên là|tham dự (?:lớp tập huấn |hội nghị |lớp học )?(?:có|gồm)|đối tượng (?:tham gia|tập huấn)(?: là|:)?|"
    r"thành phần (?:tham dự|tham gia)(?: là|:)?)\s+(?:hơn\s+|gần\s+|trên\s+|khoảng\s+)?(?:\d[\d.]*\s+)?)"
    r"(?P<aud>(?:đội ngũ|các|những|toàn thể|lãnh đạo|cán bộ|công chức|viên chức|người|"
    r"đại biểu|học viên|thành viên|phóng viên|giáo viên|hiệu trưởng|trưởng|bí thư|chủ tịch|"
    r"phó|công an|hội viên|đảng viên|lực lượng)[^.;:\n()]{2,160}?)"
    r"(?=\s*(?:[.;:\n(]|, (?:do|với|tại|nhằm|qua|từ|trong)\b| (?:do|nhằm|tại|trong (?:hai|2|ba|3) ngày)\b|$))",
    re.IGNORECASE,
)


def audience(text: str) -> str | None:
    m = _AUDIENCE.search(text)
    if not m:
        return None
    aud = m.group("aud").strip(" ,")
    return aud or None


# -- organisers -------------------------------------------------------------------------------
# The head word of a body's name.
_ORG_HEAD = (
    r"Sở|Cục|Bộ|Ban|UBND|Ủy ban nhân dân|Uỷ ban nhân dân|Văn phòng|Hội|Trung tâm|Báo|Đài|"
    r"Học viện|Trường|Tỉnh ủy|Tỉnh uỷ|Thành ủy|Thành uỷ|Huyện ủy|Huyện uỷ|Đảng ủy|Đảng uỷ|"
    r"Phòng|Vụ|Công an|Bộ Chỉ huy|Liên đoàn|Hội đồng|Viện|Tổng cục|Thông tấn xã|Đoàn"
)
_ORG = re.compile(rf"(?:{_ORG_HEAD})\b[^.;:\n]*", re.UNICODE)
# "<organisers> (phối hợp với <organisers>) (đã|vừa) tổ chức (lớp|hội nghị) ..."
_HELD = re.compile(
    r"(?P<who>[^.;\n]{3,220}?)\s+(?:đã\s+|vừa\s+|chính thức\s+)?(?:phối hợp\s+)?"
    r"(?:tổ chức|khai mạc|mở)\s+(?:lớp|hội nghị|khóa|khoá|chương trình|buổi|tập huấn|bồi dưỡng)",
    re.IGNORECASE,
)
# "... do <organisers> tổ chức"
_DONE_BY = re.compile(
    r"\bdo\s+(?P<who>[^.;\n]{3,200}?)\s+(?:phối hợp\s+[^.;\n]{3,160}?\s+)?(?:tổ chức|chủ trì)\b"
)
_SPLIT_ORGS = re.compile(
    r"\s*,?\s*(?:phối hợp với|phối hợp cùng|cùng với|và|,)\s+(?=(?:" + _ORG_HEAD + r")\b)"
)
# A leading date or time clause before the organisers ("Sáng 12/6, ").
_LEAD_CLAUSE = re.compile(r"^.*?,\s+(?=(?:" + _ORG_HEAD + r")\b)")
_ORG_END = re.compile(
    r"\s+(?:đã|vừa|tổ chức|khai mạc|mở|chủ trì|tại|cho|trong|nhằm|về|với)\b.*$", re.IGNORECASE
)


def _orgs_in(chunk: str) -> list[str]:
    chunk = _LEAD_CLAUSE.sub("", chunk)
    out: list[str] = []
    for part in _SPLIT_ORGS.split(chunk):
        part = _ORG_END.sub("", part.strip(" ,"))
        m = _ORG.match(part)
        if m and len(part.split()) >= 2 and part not in out:
            out.append(part.strip())
    return out


def organisers(text: str) -> tuple[str, ...]:
    """The bodies the text says held the training, as written, in order."""
    for rx in (_HELD, _DONE_BY):
        for m in rx.finditer(text):
            found = _orgs_in(m.group("who"))
            if found:
                return tuple(found)
    return ()


# -- span and phase ---------------------------------------------------------------------------
# "trong 2 ngày 14 và 15/8", "từ ngày 3 đến 5/9", "ngày 9-10/11", "từ 28/8 đến 30/8",
# "ngày 25 và 26 tháng 11"
# "trong 2 ngày 13 và 14-1", "ngày 24 và 25.9"
_SPAN = re.compile(
    r"(?<![\d/])(?P<d1>\d{1,2})(?:\s*/\s*(?P<m1>\d{1,2}))?\s*(?:-|–|đến|và|tới)\s*(?:ngày\s*)?"
    r"(?P<d2>\d{1,2})\s*(?:[/.-]|\s+tháng\s+)\s*(?P<m2>\d{1,2})(?![\d])"
    r"(?:\s*(?:[/.-]|\s+năm\s+)\s*(?P<y>\d{4}))?",
    re.IGNORECASE,
)


def span_end(text: str, start: str | None) -> str | None:
    """The last day of the training when the text gives a span starting on `start`."""
    if not start:
        return None
    try:
        first = date.fromisoformat(start[:10])
    except ValueError:
        return None
    for m in _SPAN.finditer(text[:3000]):
        d1, d2, m2 = int(m.group("d1")), int(m.group("d2")), int(m.group("m2"))
        m1 = int(m.group("m1")) if m.group("m1") else m2
        if (d1, m1) != (first.day, first.month):
            continue
        year = int(m.group("y")) if m.group("y") else first.year
        if m2 < m1:
            year += 1
        try:
            last = date(year, m2, d2)
        except ValueError:
            return None
        if first < last <= first + timedelta(days=10):
            return last.isoformat()
        return None
    return None


_ORDINALS = {
    "i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "mot": "1", "nhat": "1", "hai": "2",
    "ba": "3", "bon": "4", "tu": "4", "nam": "5",
}  # fmt: skip
_PHASE = re.compile(
    r"\b(?P<kind>dot|giai doan|lop thu|khoa thu|lop|khoa)\s+(?P<n>\d+|ii|iii|iv|i|v|hai|ba|bon|tu|nam|mot|nhat)\b"
    r"|\b(?P<review>so ket|tong ket|rut kinh nghiem)\b"
)


def phase(title: str, lead: str) -> str | None:
    """The part of a series the report is about ("đợt 2", "lớp 2", a review), folded; None for a
    plain training. The title decides when it names one, else the lead."""
    for text in (title, lead):
        m = _PHASE.search(fold(text))
        if not m:
            continue
        if m.group("review"):
            return "review"
        n = _ORDINALS.get(m.group("n"), m.group("n"))
        kind = "dot" if m.group("kind") in ("dot", "giai doan") else "lop"
        return f"{kind} {n}"
    return None


# "Sáng nay", "hôm nay": the publication day; "hôm qua", "chiều qua": the day before.
_TODAY = re.compile(r"\b(?:(?:sang|chieu|trua|toi) nay|hom nay|ngay hom nay)\b")
_YESTERDAY = re.compile(r"\b(?:hom qua|(?:sang|chieu|toi) hom qua|(?:sang|chieu|toi) qua)\b")


def relative_day(lead: str, published: str | None) -> str | None:
    """The day a lead's "sáng nay" / "hôm qua" names, from the publication date; else None."""
    if not published:
        return None
    try:
        pub = date.fromisoformat(published[:10])
    except ValueError:
        return None
    folded = fold(lead)
    if _TODAY.search(folded):
        return pub.isoformat()
    if _YESTERDAY.search(folded):
        return (pub - timedelta(days=1)).isoformat()
    return None


# -- the first day of a report of a later day ------------------------------------------------------
# A report of the closing day: "Chiều 19/4, lớp tập huấn ... đã bế mạc sau 2 ngày làm việc",
# "bế mạc chiều 14.6 sau 3 ngày học tập", "Sau 3 ngày học tập, chiều 7/9, ... bế giảng".
_CLOSING = re.compile(r"\b(?:be mac|ket thuc|be giang|khep lai|tong ket lop)\b")
_DAYS_AFTER = re.compile(r"\bsau (?P<n>\d{1,2}|hai|ba|bon|nam) ngay\b")
# A report of one later day of a longer training: "Trong ngày học thứ hai", "là ngày thứ hai
# của hội nghị" (lowercase: "ngày thứ Hai" is a Monday).
_NTH_DAY = re.compile(
    r"\b[Nn]gày (?:học |làm việc |tập huấn |thực hành )?thứ (?P<n>hai|ba|tư|2|3|4)\b(?! tuần)"
)
# A programme of several days described day by day: not the report of a later day.
_PROGRAMME = re.compile(r"\b(?:ngay dau tien|ngay thu nhat|ngay dau)\b|\bkhai mac\b")
_COUNTS = {"hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5}
# Sentences: a dot between digits ("14.6") does not end one.
_SENTENCE = re.compile(r"(?:[^.\n;]|(?<=\d)\.(?=\d))+")
# A day and month as written ("19/4", "5-3", "14.6", "ngày 8 tháng 4").
_DAY_MONTH = re.compile(
    r"(?<![\d/.-])(\d{1,2})\s*(?:[/.-]|\s+tháng\s+)\s*(\d{1,2})(?![\d])", re.IGNORECASE
)


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _COUNTS.get(fold(word), 0)


def _names_day(sentence: str, day: date) -> bool:
    return any(
        (int(m.group(1)), int(m.group(2))) == (day.day, day.month)
        for m in _DAY_MONTH.finditer(sentence)
    )


def _span_ending(text: str, last: date) -> date | None:
    """The first day of a span the text gives that ends on `last` ("kết thúc ngày 12/6 (từ
    10-12/6)" gives 10/6)."""
    for m in _SPAN.finditer(text):
        d1, d2, m2 = int(m.group("d1")), int(m.group("d2")), int(m.group("m2"))
        m1 = int(m.group("m1")) if m.group("m1") else m2
        if (d2, m2) != (last.day, last.month):
            continue
        try:
            first = date(last.year - (1 if m1 > m2 else 0), m1, d1)
        except ValueError:
            return None
        return first if last - timedelta(days=10) <= first < last else None
    return None


def first_day(text: str, start: str | None) -> tuple[str | None, str | None]:
    """(first day, last day) of the training when the report is of a later day of it: the
    closing day ("Chiều 19/4, lớp tập huấn ... bế mạc sau 2 ngày" gives 18/4 to 19/4) or a
    numbered day ("Trong ngày học thứ hai" on 24/11 gives 23/11 to 24/11), or the last day of a
    span the text gives ("Chiều 12/6 ... kết thúc (từ 10-12/6)"). `start` is the
    date the report gives; (start, None) when nothing says it is a later day, or when the text
    gives a span that starts on `start` ("từ 5-7/9")."""
    if not start:
        return start, None
    try:
        day = date.fromisoformat(start[:10])
    except ValueError:
        return start, None
    head = text[:2500]
    if span_end(head, start):
        return start, None
    begun = _span_ending(head, day)
    if begun:
        return begun.isoformat(), day.isoformat()
    n = 0
    for m in _SENTENCE.finditer(head):
        sentence = m.group(0)
        folded = fold(sentence)
        after = _DAYS_AFTER.search(folded)
        if after and _CLOSING.search(folded) and _names_day(sentence, day):
            n = _count(after.group("n"))
            break
    if not n and not _PROGRAMME.search(fold(head)):
        nth = _NTH_DAY.search(head)
        if nth:
            n = _count(nth.group("n"))
    if not 2 <= n <= 7:
        return start, None
    return (day - timedelta(days=n - 1)).isoformat(), day.isoformat()


def _lead(body: str) -> str:
    return "\n".join(body.split("\n")[:2])


def training_facts(title: str, body: str, start: str | None) -> TrainingFacts:
    """Everything above for one article; `start` is the date it reports (enrichment's
    `event_date`, else the day "sáng nay" names)."""
    title, body = nfc(title), nfc(body)
    text = f"{title}\n{body}"
    first, last = first_day(body, start)
    return TrainingFacts(
        attendance=attendance(text),
        format=training_format(text),
        audience=audience(text),
        organisers=organisers(body) or organisers(title),
        start=first,
        end=last or span_end(body, start),
        phase=phase(title, _lead(body)),
    )
