"""What an attached document says: its type, symbol, issuer, date, signer and province, and per
type the trainings a plan schedules, the trainings and totals a report counts, the spokespeople
a decision names, the course an official letter convenes. Pure: text in, `DocumentFacts` out;
every value comes with the line it was read from (`evidence`), and a value the text does not
give is left out, never invented.

The rules read the layout of administrative documents (Nghị định 30/2020/NĐ-CP): the issuing
body's name at the top, "Số: 45/KH-UBND", "<place>, ngày 15 tháng 01 năm 2024", the type in
capitals ("KẾ HOẠCH") with its subject below, numbered items, and the signature block at the end
("KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH" / name).
"""

from __future__ import annotations

import contextlib
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from crawler.enrich.documents import extract_documents
from crawler.enrich.relevance import judge
from vnlang import gazetteer
from vnlang.legaldocs import NUMBERED
from vnlang.names import SURNAMES, is_name_word, is_person_name, name_prefix
from vnlang.text import fold

TYPES = ("plan", "report", "decision", "official_letter", "other")
# The type heading, in capitals on a line of its own (folded).
_HEADINGS = {
    "ke hoach": "plan",
    "bao cao": "report",
    "quyet dinh": "decision",
    "cong van": "official_letter",
    # other administrative types (Nghị định 30/2020/NĐ-CP): the heading says which
    "chi thi": "other",
    "thong bao": "other",
    "nghi quyet": "other",
    "to trinh": "other",
    "huong dan": "other",
    "chuong trinh": "other",
    "phuong an": "other",
    "de an": "other",
    "bien ban": "other",
    "quy che": "other",
    "quy dinh": "other",
    "giay moi": "official_letter",
}
# The national motto that shares the first line when a PDF flattens the two-column header.
_MOTTO = re.compile(r"\s*CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM.*$|\s*CỘNG HOÀ XÃ HỘI.*$")
# The type code of a symbol (45/KH-UBND): KH plan, BC report, QĐ decision; an issuer-unit
# symbol without a type code (1520/UBND-KGVX) is an official letter.
_CODE_TYPES = {"kh": "plan", "bc": "report", "qd": "decision", "cv": "official_letter"}
_SYMBOL_LINE = re.compile(r"^\s*(?:số|so)\s*[:.]?\s*(\S.*)$", re.I)
_DATE_LINE = re.compile(
    r"(?:^|,\s*)ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+((?:19|20)\d\d)", re.I
)
_NUM_DATE = re.compile(r"\b(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*((?:19|20)\d\d)\b")
_ABOUT = re.compile(r"^(?:V/v|Về việc)\s*[:.]?\s*", re.I)
_VV = re.compile(r"^\s*(?:V/v|Về việc)\s*[:.]?\s*(.+)$", re.I)
_SIGN_MARK = re.compile(r"^(KT|K/T|TM|T/M|TL|T/L|TUQ|Q)\s*[.:]?\s+(.+)$")
_SIGNED = re.compile(r"^\(?\s*(?:đã ký|đã kí|ký|kí)\s*\)?\.?$", re.I)
# "1. ", "a) ", and the "1- " of party documents.
_ITEM = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2})*|[a-zđ])(?:[.)]|(?<=\d)-)\s+(.+?)\s*$")
# "Nội dung 1: Tập huấn ...", "Hoạt động 2. ...": an item named by its number.
_NAMED_ITEM = re.compile(
    r"^\s*(?:Nội dung|Hoạt động|Chuyên đề|Nhiệm vụ)\s+(\d{1,2})\s*[:.]\s*(.+?)\s*$", re.I
)
_FIELD = re.compile(
    r"^\s*(?:[-–+•*]|[a-zđ][.)])?\s*(Đối tượng|Thành phần|Thời gian|Địa điểm|Nội dung)"
    r"(?:\s+[a-zà-ỹđ]+){0,4}\s*:\s*(.+?)\s*\.?$",  # "Thời gian tổ chức:", "Nội dung tập huấn:"
    re.I,
)
_TRAINING_WORDS = re.compile(
    r"\b(?:tap huan|boi duong|lop|hoi nghi|hoi thao|toa dam|dao tao|cap nhat|dien tap)\b"
)
# Meetings that are not trainings, whatever else the item says.
_NOT_TRAINING = re.compile(r"\b(?:tong ket|so ket|giao ban|hop bao|trao giai|le ky niem)\b")


_TRAINING_START = re.compile(
    r"^(?:hoi nghi\s+)?(?:tap huan|boi duong|lop (?:tap huan|boi duong|dao tao)|dao tao)\b"
)


# Trainings named by reference, without a subject ("tổ chức các lớp tại điểm 4 Mục II",
# "các lớp nêu trên"): a duty of the plan's executing body, not a training of its own.
_REFERENCE = re.compile(
    r"\b(?:cac|nhung)\s+(?:lop|hoi nghi|khoa|dot|buoi)(?:\s+(?:tap huan|boi duong|dao tao))?"
    r"(?=\s+(?:tai|neu|theo|o|tren|da neu|noi tren|thuoc|trong ke hoach)\b|\s*[.;,]|\s*$)"
)


def _names_training(text: str) -> bool:
    """Does `text` name a training of its own (not one it refers to elsewhere)?"""
    return _is_training(_REFERENCE.sub(" ", fold(text)))


def _is_training(text: str) -> bool:
    folded = fold(text)
    if _TRAINING_START.match(folded):
        return True
    return bool(_TRAINING_WORDS.search(folded)) and not _NOT_TRAINING.search(folded)


_YEAR = re.compile(r"\bnăm\s+((?:19|20)\d\d)\b", re.I)
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
_PEOPLE = (
    r"(?:lượt\s+)?(?:học viên|đại biểu|cán bộ(?:,\s*(?:công chức|đảng viên))?|người|lượt người|"
    r"công chức|người phát ngôn|lượt cán bộ|đồng chí|đảng viên|báo cáo viên|tuyên truyền viên)"
)
_ATTENDANCE = re.compile(r"(\d{1,3}(?:[.,]\d{3})*|\d+)\s+" + _PEOPLE, re.I)
# "3 lớp tập huấn", "05 hội nghị, lớp tập huấn, bồi dưỡng".
_COUNT = re.compile(
    r"(\d{1,3})\s+(?:lớp|hội nghị|đợt|cuộc|khóa|khoá)[^.;\d]{0,30}?(?:tập huấn|bồi dưỡng|đào tạo)",
    re.I,
)
_PLACE_IN = re.compile(r"\btại\s+(.+?)(?=\s+cho\s|\s+với\s|,|;|\)|\.$|$)")
# A training that was not held: planned, postponed, not done.
# A sentence ends at a full stop after a lower-case letter, a digit or a bracket ("TP. Thanh
# Hóa" does not end one).
_SENTENCE_END = re.compile(r"(?<=[a-zà-ỹđ0-9)]\.)\s+(?=[A-ZĐÀ-Ỹ])")
_NOT_HELD = re.compile(r"\b(?:du kien|se to chuc|chua (?:thuc hien|to chuc)|hoan|chuyen sang)\b")
_TRAINING_HEAD = re.compile(r"(tập huấn|bồi dưỡng|hội nghị|lớp|hội thảo)", re.I)
_ROLE_WORDS = (
    ("chánh văn phòng", "Chánh Văn phòng"),
    ("chủ tịch", "Chủ tịch"),
    ("giám đốc", "Giám đốc"),
    ("trưởng ban", "Trưởng ban"),
    ("bí thư", "Bí thư"),
    ("văn phòng", "Văn phòng"),
    ("ủy ban nhân dân", "Ủy ban nhân dân"),
    ("uỷ ban nhân dân", "Ủy ban nhân dân"),
    ("sở thông tin và truyền thông", "Sở Thông tin và Truyền thông"),
    ("ubnd", "UBND"),
    ("tỉnh ủy", "Tỉnh ủy"),
    ("tỉnh uỷ", "Tỉnh ủy"),
    ("sở ", "Sở "),
)


@dataclass
class Planned:
    topic: str
    topics: list[str] = field(default_factory=list)  # core topics (crawler.enrich.relevance)
    audience: str | None = None
    period: str | None = None  # as written: "quý II năm 2024"
    start: str | None = None  # the period as dates (ISO), when it names a quarter or month
    end: str | None = None
    place: str | None = None
    evidence: str = ""  # the item's lines (or table row) as written


@dataclass
class Held:
    topic: str
    topics: list[str] = field(default_factory=list)
    date: str | None = None
    place: str | None = None
    attendance: int | None = None
    evidence: str = ""


@dataclass
class Person:
    name: str
    role: str | None = None
    evidence: str = ""


@dataclass
class DocumentFacts:
    type: str = "other"
    number: str | None = None
    symbol: str | None = None
    subject: str | None = None
    issuer: str | None = None
    date: str | None = None
    signer: str | None = None
    signer_role: str | None = None
    province: str | None = None
    province_now: str | None = None
    planned: list[Planned] = field(default_factory=list)
    held: list[Held] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)
    spokespeople: list[Person] = field(default_factory=list)
    convened: list[Held] = field(default_factory=list)
    cites: list[str] = field(default_factory=list)
    evidence: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


# A line that ends a sentence, an item or a heading; a line after one that does not, starting
# in lower case or with a number that is not an item's ("310 lượt cán bộ"), continues it.
_LINE_END = re.compile(r"[.:;!?…]$")
# A line ending in a name after "ông"/"bà"/"đồng chí": the name may go on on the next line.
_NAME_CUT = re.compile(r"(?<!\w)(?:ông|bà|đồng chí)(?:\s+[^\W\d_][^\s,.;:]*){1,4}$", re.I)
_CONTINUES = re.compile(r"^(?![a-zđ][.)]\s)(?:[a-zđà-ỹ(]|\d+(?!(?:\.\d{1,2})*[.)-]\s)(?!\d*/))")


def _lines(text: str) -> list[str]:
    """Non-empty lines, with the lines a PDF or an OCR wrapped joined again."""
    out: list[str] = []
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            continue
        cells = [c.strip() for c in line.split("\t") if c.strip()]
        # a table row typed with tabs reads as the readers give a table's: "a | b | c"
        line = " | ".join(cells) if len(cells) >= 3 else " ".join(cells)
        if out and _NAME_CUT.search(out[-1]) and is_name_word(line.split()[0].rstrip(",.;:")):
            out[-1] = f"{out[-1]} {line}"  # "... ông K' Brỏi Ha" / "Thương, Chủ tịch ...": a wrap
            continue
        if (
            out
            and not _LINE_END.search(out[-1])
            and _CONTINUES.match(line)
            and not _SIGNED.match(line)  # "(Đã ký)" under a title is the signature's
            and not line[0].isupper()  # "Đ" lies inside the range à-ỹ
            and "|" not in line + out[-1]  # table rows stay rows
        ):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def _iso(d: int, m: int, y: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def _role_case(text: str) -> str:
    """A title written in capitals, in ordinary case: "PHÓ CHỦ TỊCH" -> "Phó Chủ tịch"."""
    out = text.strip().lower()
    for low, proper in _ROLE_WORDS:
        out = out.replace(low, proper)
    return out[:1].upper() + out[1:]


def _issuer_case(line: str) -> str:
    """ "ỦY BAN NHÂN DÂN TỈNH QUẢNG BÌNH" -> "Ủy ban nhân dân tỉnh Quảng Bình"."""
    words = line.split()
    for i in range(len(words)):
        word, after = fold(words[i]), fold(words[i + 1]) if i + 1 < len(words) else ""
        if (
            word in ("tinh", "tp", "tp.")
            or (word == "thanh" and after == "pho")
            or (word == "pho" and i and fold(words[i - 1]) == "thanh")
        ):
            continue  # "TỈNH QUẢNG BÌNH": the province's name starts after "tỉnh"
        p = gazetteer.lookup(" ".join(words[i:]))
        if p is not None:
            head = _role_case(" ".join(words[:i]))
            return f"{head} {p.name}".strip()
    return _role_case(line)


_ROMAN_Q = r"(?:IV|I{1,3}|[1-4])"
_QUARTERS = re.compile(
    rf"quý\s+({_ROMAN_Q})\b(?:\s*(?:[-–,]|và|đến)\s*(?:quý\s+)?({_ROMAN_Q})\b)?"
    r"(?:\s*(?:năm|/)\s*((?:19|20)\d\d))?",
    re.I,
)
_MONTHS = re.compile(
    r"tháng\s+(\d{1,2})(?:\s*[-–]\s*(?:tháng\s+)?(\d{1,2}))?(?:\s*(?:năm|/)\s*((?:19|20)\d\d))?",
    re.I,
)
_HALF = re.compile(r"(?:6|sáu)\s+tháng\s+(đầu|cuối)\s+năm|nửa\s+(đầu|cuối)\s+năm", re.I)
_ANY_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")


def _month_end(year: int, month: int) -> date:
    return (date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)) - timedelta(days=1)


def period_span(text: str, year_hint: int | None) -> tuple[str | None, str | None]:
    """The first and last day a period names: a month ("tháng 8/2024"), a range of months ("từ
    tháng 5 đến tháng 7/2024", "tháng 5 - 6/2024"), a quarter or quarters ("Quý II/2024", "quý
    II - III"), a half-year ("6 tháng cuối năm"), a day ("15/5/2024"). Months win over quarters,
    quarters over half-years; a period without a year takes the year written in the text, else
    `year_hint`. (None, None) when it names none."""
    written = _ANY_YEAR.search(text)
    default = int(written.group(1)) if written else year_hint
    spans: list[tuple[date, date]] = []
    for m in _MONTHS.finditer(text):
        year = int(m.group(3)) if m.group(3) else default
        months = [int(g) for g in m.group(1, 2) if g and 1 <= int(g) <= 12]
        if year is None or not months:
            continue
        spans.append((date(year, min(months), 1), _month_end(year, max(months))))
    for d in _NUM_DATE.finditer(text) if not spans else ():
        day = _iso(int(d.group(1)), int(d.group(2)), int(d.group(3)))
        if day:
            spans.append((date.fromisoformat(day), date.fromisoformat(day)))
    if not spans:
        for q in _QUARTERS.finditer(text):
            year = int(q.group(3)) if q.group(3) else default
            if year is None:
                continue
            ns = [_ROMAN.get(g.upper()) or int(g) for g in q.group(1, 2) if g]
            spans.append((date(year, 3 * min(ns) - 2, 1), _month_end(year, 3 * max(ns))))
    if not spans:
        h = _HALF.search(text)
        if h and default is not None:
            first = (h.group(1) or h.group(2)).lower() == "đầu"
            spans.append(
                (date(default, 1, 1), date(default, 6, 30))
                if first
                else (date(default, 7, 1), date(default, 12, 31))
            )
    if not spans:
        return None, None
    return min(a for a, _ in spans).isoformat(), max(b for _, b in spans).isoformat()


def _period(text: str, year_hint: int | None) -> tuple[str | None, str | None]:
    return period_span(text, year_hint)


# The topics of the work pressnews follows (crawler.enrich.relevance's vocabulary).
_CORE_TOPICS = frozenset(
    {
        "phát ngôn",
        "cung cấp thông tin cho báo chí",
        "thông tin đối ngoại",
        "khủng hoảng truyền thông",
        "quản lý báo chí",
    }
)


def _core(topics: list[str]) -> bool:
    return bool(_CORE_TOPICS.intersection(topics))


def _topics(text: str) -> list[str]:
    return judge(text, "")[1]


def _header(lines: list[str], facts: DocumentFacts) -> int:
    """Symbol, date, type, subject and issuer from the first lines; the index of the type
    heading (or 0)."""
    top = lines[:20]
    for line in top:
        m = _SYMBOL_LINE.match(line)
        if m and facts.symbol is None:
            found = NUMBERED.search(m.group(1))
            cited = extract_documents(m.group(1)) if found else []
            if cited:
                facts.symbol = cited[0]
                facts.number = re.split(r"[/-]", facts.symbol)[0]
                facts.evidence["symbol"] = line
        d = _DATE_LINE.search(line)
        if d and facts.date is None:
            facts.date = _iso(int(d.group(1)), int(d.group(2)), int(d.group(3)))
            facts.evidence["date"] = line
            words = line[: d.start()].strip(" ,").split()
            for i in range(len(words)):  # "Số: 58/KH-UBND Thanh Hóa, ngày ...": the place last
                p = gazetteer.lookup(" ".join(words[i:]))
                if p is not None and facts.province is None:
                    facts.province = p.name
                    facts.evidence["province"] = line
                    break
    heading_at = 0
    facts.evidence.pop("type", None)
    for i, line in enumerate(top):
        key = fold(line).strip(" .:")
        if key in _HEADINGS and line.upper() == line:
            facts.type = _HEADINGS[key]
            facts.evidence["type"] = line
            heading_at = i
            if i + 1 < len(lines) and not _SYMBOL_LINE.match(lines[i + 1]):
                facts.subject = _ABOUT.sub("", lines[i + 1])
            break
    if facts.type == "other" and facts.symbol and "type" not in facts.evidence:
        parts = [fold(p) for p in re.split(r"[/-]", facts.symbol)[1:]]
        code = parts[0] if parts else ""
        if code in _CODE_TYPES:
            facts.type = _CODE_TYPES[code]
            facts.evidence["type"] = facts.evidence["symbol"]
    for line in top:
        vv = _VV.match(line)
        if vv:
            facts.subject = facts.subject or vv.group(1)
            if facts.type == "other" and "type" not in facts.evidence:
                facts.type = "official_letter"  # "V/v ..." under the number: a công văn
                facts.evidence["type"] = line
            break
    issuer, raw = _issuer(top)
    if issuer:
        facts.issuer = issuer
        facts.evidence["issuer"] = raw
        for part in raw.split(" / "):
            words = part.split()
            for i in range(len(words)):
                p = gazetteer.lookup(" ".join(words[i:]))
                if p is not None and facts.province is None:
                    facts.province = p.name
                    facts.evidence["province"] = raw
                    break
    return heading_at


# Lines of the header that are not the issuer: the motto, the party's name, rules, "DỰ THẢO".
_NOT_ISSUER = re.compile(
    r"^(?:CỘNG H[ÒO]A XÃ HỘI|ĐỘC LẬP|ĐẢNG CỘNG SẢN VIỆT NAM|DỰ THẢO|[-*_=\s]*$)", re.I
)
_MOTTO_TAIL = re.compile(r"\s*(?:Độc lập\s*[-–]\s*Tự do.*|ĐẢNG CỘNG SẢN VIỆT NAM.*)$")
# An issuing body's own name: the line under its parent ("UBND TỈNH X" / "SỞ NGOẠI VỤ").
_UNIT = re.compile(r"^(?:SỞ|BAN|VĂN PHÒNG|PHÒNG|TRUNG TÂM|ĐÀI|BỘ CHỈ HUY|CÔNG AN|CHI CỤC)\b")
_BARE_PEOPLES_COMMITTEE = re.compile(r"^(?:ỦY|UỶ) BAN NHÂN DÂN$|^UBND$")
_PARENT_PLACE = re.compile(
    r"^(?:(?:ỦY|UỶ) BAN NHÂN DÂN|UBND|ĐẢNG BỘ)\s+(.+)$|^((?:TỈNH|THÀNH|HUYỆN|THỊ|QUẬN)\s*ỦY.*)$"
)


def _issuer(top: list[str]) -> tuple[str | None, str]:
    """The issuing body from the header's lines in capitals above "Số:" (the national motto a
    PDF puts on the same lines taken off): one line ("ỦY BAN NHÂN DÂN TỈNH X"), a bare "ỦY BAN
    NHÂN DÂN" with its place below ("TỈNH X", "HUYỆN Y"), or a unit under its parent ("UBND
    TỈNH X" / "SỞ NGOẠI VỤ" -> "Sở Ngoại vụ tỉnh X"; "TỈNH ỦY X" / "BAN TUYÊN GIÁO" -> "Ban
    Tuyên giáo Tỉnh ủy X"); with the header lines as written."""
    head: list[str] = []
    for raw in top[:6]:
        if _SYMBOL_LINE.match(raw) or _VV.match(raw) or _DATE_LINE.search(raw):
            break
        line = _MOTTO_TAIL.sub("", _MOTTO.sub("", raw)).strip()
        if not line or _NOT_ISSUER.match(line):
            continue
        if line.upper() != line:
            break
        head.append(line)
    if not head:
        return None, ""
    shown = " / ".join(head)
    if len(head) >= 2 and _BARE_PEOPLES_COMMITTEE.match(head[0]):
        if len(head) >= 3 and _UNIT.match(head[2]):
            # "ỦY BAN NHÂN DÂN / THÀNH PHỐ CẦN THƠ / SỞ NGOẠI VỤ": the unit of that committee
            head = [f"{head[0]} {head[1]}", *head[2:]]
        else:
            return _issuer_case(f"{head[0]} {head[1]}"), shown
    if len(head) >= 2 and _UNIT.match(head[1]):
        unit, parent = head[1], _PARENT_PLACE.match(head[0])
        if parent and parent.group(1):  # "UBND TỈNH X", "ĐẢNG BỘ TỈNH X"
            place = parent.group(1)
            if unit == "VĂN PHÒNG" and not head[0].startswith("ĐẢNG BỘ"):
                place = f"UBND {place}"  # the committee's own office: "Văn phòng UBND tỉnh X"
            if re.search(r"(?:TỈNH|THÀNH PHỐ|HUYỆN|THỊ XÃ|QUẬN)\s*ỦY$", unit):
                place = re.sub(r"^(?:TỈNH|THÀNH PHỐ|HUYỆN|THỊ XÃ|QUẬN)\s+", "", place)
            return _issuer_case(f"{unit} {place}"), shown
        if parent and parent.group(2):  # "TỈNH ỦY X"
            return _issuer_case(f"{unit} {parent.group(2)}"), shown
        return _issuer_case(unit), shown
    if "ỦY BAN" in head[0] or "UBND" in head[0] or "SỞ " in head[0] or "ỦY" in head[0]:
        return _issuer_case(head[0]), shown
    return None, ""


def _title_above(lines: list[str], i: int) -> list[str]:
    """The title lines in capitals right above line i ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"), the
    signed mark "(Đã ký)" skipped."""
    above = [x for x in lines[max(0, i - 6) : i] if not _SIGNED.match(x)]
    out: list[str] = []
    for x in reversed(above):
        if x.isupper() and len(x) < 60:
            out.insert(0, x)
        else:
            break
    return out


def _signature(lines: list[str], facts: DocumentFacts) -> None:
    # The signature block: the last name under a title in capitals. An annex (a list of
    # names, a table) may follow it, so the whole text is searched from the end.
    for i in range(len(lines) - 1, 0, -1):
        if is_person_name(lines[i]) and not lines[i].isupper() and _title_above(lines, i):
            lines = lines[: i + 1]
            break
    tail = lines[-8:]
    for i in range(len(tail) - 1, -1, -1):
        line = tail[i]
        if is_person_name(line) and not line.isupper():
            facts.signer = line
            facts.evidence["signer"] = line
            above = [x for x in tail[:i] if not _SIGNED.match(x)]
            role_lines: list[str] = []
            for x in reversed(above):
                if x.isupper() and len(x) < 60:
                    role_lines.insert(0, x)
                else:
                    break
            if role_lines:
                last = role_lines[-1]
                mark = _SIGN_MARK.match(last)
                if mark and mark.group(1) == "Q":
                    # "Q. GIÁM ĐỐC": an acting head signs as such; the prefix is the role's
                    facts.signer_role = "Q. " + _role_case(mark.group(2))
                else:
                    facts.signer_role = _role_case(mark.group(2) if mark else last)
                facts.evidence["signer_role"] = " / ".join(role_lines)
            return


_PERIOD_IN = re.compile(
    r"(?:(?:từ\s+)?(?:quý\s+(?:I{1,3}|IV|[1-4])(?:\s*(?:[-–,]|và|đến)\s*(?:quý\s+)?(?:IV|I{1,3}|[1-4])\b)?"
    r"|tháng\s+\d{1,2}(?:\s*(?:[-–]|đến)\s*(?:tháng\s+)?\d{1,2})?)"
    r"|(?:6|sáu)\s+tháng\s+(?:đầu|cuối)\s+năm|nửa\s+(?:đầu|cuối)\s+năm)"
    r"(?:\s*(?:năm|/)\s*(?:19|20)\d\d)?",
    re.I,
)
# Where a prose item's topic ends: "..., dự kiến tổ chức trong tháng 6/2023 tại ...".
_TOPIC_END = re.compile(
    r",?\s+(?:dành cho|dự kiến|(?:trong|vào|từ) (?:tháng|quý|ngày)|tại)\s|,\s+(?:tháng|quý)\s"
)
# The verb a duty opens with before the training it organises.
_LEAD_VERB = re.compile(
    r"^(?:(?:Phối hợp|Chủ trì)[^,.;:]{0,60}?\s)?(?:tổ chức|mở)\s+(?:(?:\d{1,2}|các|một)\s+)?"
    r"(?=(?:lớp|hội nghị|hội thảo|tập huấn|bồi dưỡng|khóa|khoá|đợt|tọa đàm)\b)",
    re.I,
)
_AUDIENCE_IN = re.compile(r"\bdành cho\s+(.+?)(?=,|;|\s+dự kiến|\s+trong\s|\s+tại\s|\.$|$)")
_COLUMNS = {
    "topic": ("noi dung", "ten lop", "chuyen de", "ten hoat dong"),
    "audience": ("doi tuong", "thanh phan"),
    "period": ("thoi gian",),
    "place": ("dia diem",),
}


# The verb inside a sentence that opens with the time or the organiser ("Trong tháng 5/2022,
# Ban Tuyên giáo chủ trì, phối hợp với ... tổ chức 01 lớp bồi dưỡng ..."): the training after it.
_INNER_LEAD = re.compile(
    r"(?:^|(?<=[\s,]))(?:tổ chức|mở)\s+(?:(?:\d{1,2}|các|một)\s+)?"
    r"(?=(?:lớp|hội nghị|hội thảo|khóa|khoá|đợt|tọa đàm)\b)",
    re.I,
)
# The audience after a training named in a sentence ("... cho người phát ngôn của ..."),
# "cung cấp thông tin cho báo chí" kept whole.
_FOR_AUDIENCE = re.compile(r"\s+cho\s+(?!báo chí)", re.I)
_AUDIENCE_END = re.compile(_TOPIC_END.pattern + r"|,\s*(?:tổ chức|dự kiến)\b")
# "Tên lớp: đối tượng là ...; thời gian ...; địa điểm ...": the training's fields in its line.
_INLINE_FIELDS = re.compile(
    r"^(.+?)\s*:\s*(?=(?:đối tượng|thành phần|thời gian|địa điểm)\b)(.+)$", re.I
)
_INLINE_FIELD = re.compile(
    r"^(đối tượng|thành phần|thời gian|địa điểm)(?:\s+(?:là|tổ chức|dự kiến))?\s*:?\s*(.+)$",
    re.I,
)


def _fields_item(name: str, rest: str, year: int | None) -> Planned:
    """A training named before a colon with its fields after it, separated by semicolons."""
    item = Planned(topic=name.strip(), topics=_topics(name))
    for part in rest.split(";"):
        f = _INLINE_FIELD.match(part.strip().rstrip("."))
        if f is None:
            continue
        label, value = fold(f.group(1)), f.group(2).strip()
        if label in ("doi tuong", "thanh phan"):
            item.audience = value
        elif label == "thoi gian":
            item.period = value
            item.start, item.end = _period(value, year)
        else:
            item.place = value
    return item


def _item(topic: str, year: int | None) -> Planned:
    """A planned training from an item's text; a prose item ("Lớp bồi dưỡng ... dành cho ...,
    dự kiến tổ chức trong tháng 6/2023 tại thành phố Long Xuyên") gives its period, place and
    audience too; a sentence opening with the time or the organiser ("Trong tháng 5/2022, Ban
    ... chủ trì, phối hợp với ... tổ chức 01 lớp ... cho người phát ngôn ...") takes the
    training's own noun phrase as its topic; "Tên lớp: đối tượng là ...; thời gian ...; địa
    điểm ..." the name before the colon."""
    fields = _INLINE_FIELDS.match(topic)
    if fields is not None:
        return _fields_item(fields.group(1), fields.group(2), year)
    whole = topic
    sentence = False
    lead = _LEAD_VERB.match(topic)
    inner = None if lead else _INNER_LEAD.search(topic)
    if lead:  # "Tổ chức 01 lớp tập huấn ...", "Phối hợp ... tổ chức hội nghị ...": the training
        topic = topic[lead.end() :]
        topic = topic[:1].upper() + topic[1:]
    elif inner is not None and inner.start() > 0 and not _is_training(topic[: inner.start()]):
        topic = topic[inner.end() :]
        topic = topic[:1].upper() + topic[1:]
        sentence = True
    item = Planned(topic=topic, topics=_topics(topic))
    end = _TOPIC_END.search(topic)
    if sentence:
        cut = _FOR_AUDIENCE.search(topic)
        if cut is not None and (end is None or cut.start() < end.start()):
            tail = topic[cut.end() :]
            stop = _AUDIENCE_END.search(tail)
            item.audience = tail[: stop.start() if stop else None].strip(" ,.")
            end = cut
    period = _PERIOD_IN.search(whole if sentence else topic)
    if end is None and period is None:
        return item
    if end is not None:
        item.topic = topic[: end.start()].rstrip(" ,")
        item.topics = _topics(item.topic) if sentence else item.topics
    if period is not None:
        item.period = period.group(0)
        item.start, item.end = _period(item.period, year)
    place = _PLACE_IN.search(topic)
    if place is not None:
        item.place = place.group(1).strip()
    audience = _AUDIENCE_IN.search(topic)
    if audience is not None:
        item.audience = audience.group(1).strip()
    return item


_CELL = re.compile(r"\s*\|\s*")


def _table_rows(lines: list[str]) -> list[tuple[list[str], str]]:
    """The rows of "a | b | c" tables as cell lists with the row as written; a row a PDF
    wrapped onto several lines (fewer cells than the header) is joined back."""
    rows: list[tuple[list[str], str]] = []
    width, pending, raw = 0, None, ""
    for line in lines:
        if "|" not in line and pending is None:
            if rows and width and rows[-1][1].rstrip().endswith("|") and not rows[-1][0][-1]:
                # "... | Thành phố Thanh Hóa |" then "120 người": the last cell wrapped
                rows[-1][0][-1] = line.strip()
                rows[-1] = (rows[-1][0], f"{rows[-1][1]}\n{line}")
                continue
            width = 0
            continue
        cells = [c.strip() for c in _CELL.split(line)] if "|" in line else [line.strip()]
        if pending is not None:  # the row's wrapped rest: its first piece ends the last cell
            pending[-1] = f"{pending[-1]} {cells[0]}".strip()
            pending += cells[1:]
            raw += "\n" + line
            cells = pending
        if width and len(cells) < width:
            pending = cells
            raw = raw if raw else line
            continue
        rows.append((cells, raw or line))
        width = width or len(cells)
        pending, raw = None, ""
    return rows


def _line_above_tables(lines: list[str]) -> dict[str, str]:
    """Each table row (as written) -> the last line above its table that is not a row."""
    out: dict[str, str] = {}
    last = ""
    for line in lines:
        if "|" in line:
            out.setdefault(line, last)
        else:
            last = line
    return out


# The header of a table whose cells a PDF flattened into words ("STT Nội dung Đối tượng Thời
# gian Địa điểm"), and where a row's audience cell starts ("1 Kỹ năng phát ngôn ... Người phát
# ngôn cấp huyện Tháng 5/2023 TP. Pleiku").
_FLAT_HEADER = re.compile(
    r"^(?:stt\s+)?(?:noi dung|ten lop|chuyen de|ten hoat dong)\b.*\bthoi gian\b"
)
_AUDIENCE_START = re.compile(
    r"\s(?=(?:Người|Cán bộ|Lãnh đạo|Chủ tịch|Phó Chủ tịch|Công chức|Đại biểu|Phóng viên|Báo cáo viên|"
    r"Thành viên|Trưởng|Phó trưởng|Đội ngũ|Toàn thể|Các)\s)"
)


_FLAT_LAST_COLUMN = re.compile(
    r"\b(?:Ghi chú|Địa điểm|Đơn vị (?:chủ trì|thực hiện)|Kinh phí|Thời gian(?: thực hiện| tổ chức)?)"
    r"(?!.*\b(?:Ghi chú|Địa điểm|Đơn vị (?:chủ trì|thực hiện)|Kinh phí|Thời gian)\b)",
    re.I,
)
_FLAT_END = re.compile(r"^(?:[IVX]+\.|Nơi nhận|[A-ZĐ ]{12,}$)")


def _flat_table_planned(lines: list[str], year: int | None) -> list[Planned]:
    """Planned trainings in a table a PDF flattened (no cell marks, rows run together): the
    words after a header naming the topic and time columns, cut at the rows' numbers (1, 2,
    ...), each row read as the topic (and the audience, from an audience word in capitals),
    the time, then the place."""
    streams: list[tuple[str, bool]] = []  # the rows' words; a table of trainings?
    inside, previous = False, ""
    for line in lines:
        if "|" in line or _FLAT_END.match(line):
            inside = False
        elif _FLAT_HEADER.match(fold(line)):
            last = _FLAT_LAST_COLUMN.search(line)
            header = line[: last.end()] if last else line
            of_trainings = _is_training(header) or _is_training(previous)
            streams.append((line[last.end() :] if last else "", of_trainings))
            inside = True
        elif inside:
            streams[-1] = (f"{streams[-1][0]} {line}", streams[-1][1])
        previous = line
    out: list[Planned] = []
    for stream, of_trainings in streams:
        for row in _numbered_rows(stream):
            period = _PERIOD_IN.search(row)
            if period is None:
                continue
            head, place = row[: period.start()].strip(" ,"), row[period.end() :].strip(" ,.;")
            parts = _AUDIENCE_START.split(head, maxsplit=1)
            topic = parts[0].strip(" ,")
            if not topic or _NOT_TRAINING.search(fold(topic)):
                continue
            if not (of_trainings or _is_training(topic)):
                continue
            item = Planned(topic=topic, topics=_topics(topic), evidence=row)
            item.audience = parts[1].strip() if len(parts) == 2 else None
            item.period = period.group(0)
            item.start, item.end = _period(item.period, year)
            item.place = place or None
            out.append(item)
    return out


def _table_planned(lines: list[str], year: int | None) -> list[Planned]:
    """Planned trainings in a table: a header row naming the columns (Nội dung, Đối tượng,
    Thời gian, Địa điểm), then one row per training (a DOCX table reads as "a | b | c")."""
    out: list[Planned] = []
    columns: dict[str, int] | None = None
    width = 0
    above = _line_above_tables(lines)
    # rows whose topic names no training count when the table is one of trainings: its topic
    # column says so ("Nội dung tập huấn", "Tên lớp") or the heading above it does
    of_trainings = False
    for cells, line in _table_rows(lines):
        keys = [fold(c) for c in cells]
        named = {
            name: i
            for name, words in _COLUMNS.items()
            for i, k in enumerate(keys)
            if any(w in k for w in words)
        }
        if "topic" in named and "period" in named:
            columns, width = named, len(cells)
            heading = above.get(line, "")
            of_trainings = _is_training(cells[named["topic"]]) or (
                bool(heading) and _is_training(heading)
            )
            continue
        if columns is None or len(cells) != width:
            continue
        topic = cells[columns["topic"]].rstrip(".;")
        if not (
            _is_training(topic) or of_trainings and topic and not _NOT_TRAINING.search(fold(topic))
        ):
            continue
        item = Planned(topic=topic, topics=_topics(topic), evidence=line)
        if "audience" in columns:
            item.audience = cells[columns["audience"]] or None
        item.period = cells[columns["period"]] or None
        if item.period:
            item.start, item.end = _period(item.period, year)
        if "place" in columns:
            item.place = cells[columns["place"]] or None
        out.append(item)
    return out


# A class of a training listed under it, each with its own time and place ("- Lớp 1: khu
# vực Đà Lạt, tổ chức trong tháng 11/2025, tại Hội trường ...").
_CLASS_ROW = re.compile(
    r"^\s*(?:[-–+•*]\s*)?((?:Lớp|Đợt|Khóa|Khoá)\s+(?:thứ\s+\w+|\d{1,2}|[IVX]{1,4}))\s*[:.–-]\s*(.+)$",
    re.I,
)
_BULLET = re.compile(r"^\s*[-–+•*]\s+(.+?)\s*$")
_SECTION = re.compile(r"^\s*[IVX]{1,4}\s*[.)/-]\s*\S")
# Sections of a plan that are not its trainings.
_NOT_PLANS = re.compile(r"\b(?:to chuc thuc hien|kinh phi|muc dich|yeu cau|danh gia|ket qua)\b")


def _class_item(head: Planned, ordinal: str, rest: str, year: int | None) -> Planned:
    """One class of a training whose classes are listed under it: the training's topic with the
    class ("... (Lớp 1, khu vực Đà Lạt)"), the class's own period and place, else the
    training's."""
    first = re.split(r"[,;]", rest, maxsplit=1)[0].strip(" .")
    describes = (
        first and not _PERIOD_IN.search(first) and not re.match(r"(?:tổ chức|tại)\b", first, re.I)
    )
    label = f"{ordinal}, {first}" if describes else ordinal
    item = Planned(topic=f"{head.topic} ({label})", topics=head.topics, audience=head.audience)
    period = _PERIOD_IN.search(rest)
    if period is not None:
        item.period = period.group(0)
        item.start, item.end = _period(item.period, year)
    else:
        item.period, item.start, item.end = head.period, head.start, head.end
    place = _PLACE_IN.search(rest)
    item.place = place.group(1).strip() if place else head.place
    return item


def _planned(lines: list[str], year: int | None) -> list[Planned]:
    """Planned trainings: table rows (`_table_planned`), numbered items ("1.", "2.1.", "a)",
    "Nội dung 1:") naming a training, with their fields below ("Đối tượng:", "Thời gian:",
    "Địa điểm:", lettered or not) or their time and place in the item's own sentence; bullets
    naming a training with its time (a plan mixing trainings with other duties); and the
    classes listed under a training, one item each."""
    out: list[Planned] = _table_planned(lines, year) or _flat_table_planned(lines, year)
    current: Planned | None = None
    active = False  # current is a training being read
    with_classes: list[Planned] = []
    of_trainings = False  # under a section heading that names trainings ("II. CÁC LỚP TẬP HUẤN")
    for line in lines:
        if "|" in line:
            continue
        if _SECTION.match(line) or (line.isupper() and len(line) > 8):
            of_trainings = _is_training(line) and not _NOT_PLANS.search(fold(line))
        cls = _CLASS_ROW.match(line)
        if cls and active and current is not None:
            out.append(_class_item(current, cls.group(1), cls.group(2), year))
            if not any(current is h for h in with_classes):
                with_classes.append(current)
            continue
        item = _ITEM.match(line) or _NAMED_ITEM.match(line)
        f = _FIELD.match(line)
        if item and not f:
            current = _item(item.group(2).rstrip(".:;"), year)
            current.evidence = line
            # an item under a heading of trainings is one, named by its subject only ("1. Kỹ
            # năng phát ngôn cho lãnh đạo cấp huyện"), when it is numbered, not lettered
            named = of_trainings and item.group(1)[0].isdigit()
            own = _names_training(item.group(2))  # not "tổ chức các lớp tại mục 1"
            active = (own and _is_training(current.topic)) or named
            if active:
                out.append(current)
            continue
        bullet = _BULLET.match(line)
        if (
            bullet
            and not f
            and _PERIOD_IN.search(bullet.group(1))
            and _is_training(bullet.group(1))
        ):
            current = _item(bullet.group(1).rstrip(".:;"), year)
            current.evidence = line
            active = True
            out.append(current)
            continue
        if f and active and current is not None:
            current.evidence += "\n" + line
            label, value = fold(f.group(1)), f.group(2).strip()
            if label in ("doi tuong", "thanh phan"):
                current.audience = value
            elif label == "thoi gian":
                current.period = value
                current.start, current.end = _period(value, year)
            elif label == "dia diem":
                current.place = value
    return [
        p
        for p in out
        if (p.period or p.place or p.audience) and not any(p is h for h in with_classes)
    ]


# "09 - 10/8/2023": the first day of a range ending in a full date.
# "09 - 10/8/2023", "từ ngày 10 đến ngày 14/6/2024", "ngày 19 và 20/8/2025": the first day of a
# range (or of consecutive days) ending in a full date.
_RANGE_START = re.compile(r"\b(\d{1,2})\s*(?:[-–,]|và|đến|tới)\s*(?:ngày\s*)?$", re.I)
# Where a held training's topic ends, "cung cấp thông tin cho báo chí" kept whole.
_TOPIC_CUT = re.compile(r"\s+(?:tại|với|cho(?!\s+báo chí))\s+|,\s+(?:thu hút|có|gồm|với)\s+", re.I)
# A class named by its number only ("Lớp 1", "Lớp thứ hai").
_ORDINAL = re.compile(r"^((?:Lớp|Đợt|Khóa|Khoá)\s+(?:thứ\s+)?\w+)$", re.I)
_LEAD_COUNT = re.compile(r"^(?:Tổ chức|Mở|Phối hợp tổ chức)\s+\d{1,2}\s+", re.I)


_DAY_MONTH = re.compile(r"(?<=ngày )\d{1,2}\s*/\s*\d{1,2}(?![\d/])", re.I)
# "Trong tháng 10/2023", "Từ tháng 9 đến tháng 11/2022": a held training dated by month only.
_MONTH_OPENING = re.compile(
    r"^\W*(?:[a-zđ][.)]\s*)?(?:trong|từ|vào)\s+(?:\d{1,2}\s+)?tháng\s+\d{1,2}", re.I
)


def _held_in_month(sentence: str, folded: str) -> Held | None:
    """A sentence opening with a month ("Trong tháng 10/2023, ... tổ chức 02 lớp tập huấn ...,
    thu hút 215 lượt học viên"): a training held, without a day, when it says it was organised
    and how many took part."""
    if not _MONTH_OPENING.match(sentence) or "to chuc" not in folded:
        return None
    if not _is_training(sentence) or _NOT_HELD.search(folded):
        return None
    people = _ATTENDANCE.search(sentence)
    at = folded.find("to chuc")
    m = _TRAINING_HEAD.search(sentence, at)
    if people is None or m is None:
        return None
    start = m.start()
    count = re.search(r"(\d{1,2})\s+$", sentence[:start])
    if count:  # "02 lớp tập huấn"
        start = count.start()
    topic = _TOPIC_CUT.split(sentence[start:])[0].rstrip(" .,;:")
    place = _PLACE_IN.search(sentence[start:])
    return Held(
        topic=topic[:1].upper() + topic[1:],
        topics=_topics(topic),
        date=None,
        place=place.group(1).strip() if place else None,
        attendance=int(re.sub(r"[.,]", "", people.group(1))),
        evidence=sentence,
    )


_HELD_COLUMNS = {
    "topic": ("noi dung", "ten lop", "ten hoi nghi", "chuyen de", "ten hoat dong", "lop tap huan"),
    "date": ("thoi gian", "ngay"),
    "place": ("dia diem",),
    "attendance": ("so luong", "so hoc vien", "so nguoi", "so dai bieu", "so luot", "tham du"),
}


def _table_held(lines: list[str]) -> list[Held]:
    """Trainings held, in a table: a header naming the topic and the date columns (and the
    number who attended), then one row per training with a full date (a range's first day)."""
    out: list[Held] = []
    columns: dict[str, int] | None = None
    for cells, raw in _table_rows(lines):
        keys = [fold(c) for c in cells]
        named: dict[str, int] = {}
        for name, words in _HELD_COLUMNS.items():
            for i, k in enumerate(keys):
                if name not in named and i not in named.values() and any(w in k for w in words):
                    named[name] = i
        if "topic" in named and "date" in named:
            columns = named
            continue
        if columns is None or max(columns.values()) >= len(cells):
            continue
        topic = cells[columns["topic"]].rstrip(".;")
        when_cell = cells[columns["date"]]
        d = _NUM_DATE.search(when_cell)
        if not topic or d is None or _NOT_TRAINING.search(fold(topic)):
            continue
        first = _RANGE_START.search(when_cell[: d.start()])
        day = int(first.group(1)) if first else int(d.group(1))
        attendance = None
        if "attendance" in columns:
            n = re.match(r"\s*(\d{1,3}(?:[.,]\d{3})*|\d+)\b", cells[columns["attendance"]])
            attendance = int(re.sub(r"[.,]", "", n.group(1))) if n else None
        place = cells[columns["place"]] if "place" in columns else None
        out.append(
            Held(
                topic=topic,
                topics=_topics(topic),
                date=_iso(day, int(d.group(2)), int(d.group(3))),
                place=place or None,
                attendance=attendance,
                evidence=raw,
            )
        )
    return out


def _held(lines: list[str], doc_year: int | None, doc_date: str | None = None) -> list[Held]:
    """Trainings a report says were held: a sentence or bullet with a full date and a
    training ("Ngày 23/5/2024, tổ chức Hội nghị tập huấn ... cho 120 học viên", "- Hội nghị
    tập huấn ... (ngày 16/5/2024, tại TP. Thanh Hóa) với 210 đại biểu")."""
    out = []
    lead = ""  # the last line introducing a list ("Tổ chức 03 lớp bồi dưỡng ...:")
    for line in lines:
        if line.rstrip().endswith(":") and _is_training(line):
            lead = _LEAD_COUNT.sub("", re.sub(r"^\W*(?:[a-zđ\d][.)]\s*)?", "", line)).rstrip(" :")
        for written in _SENTENCE_END.split(line):
            sentence = written
            if doc_year and not _NUM_DATE.search(sentence):
                # "Ngày 15/3, tổ chức ...": a day of the report's year (of the year before, for
                # a day after the report's date)
                day_month = _DAY_MONTH.search(sentence)
                if day_month:
                    dm = [int(x) for x in re.findall(r"\d+", day_month.group(0))]
                    on = _iso(dm[0], dm[1], doc_year)
                    y = doc_year - 1 if doc_date and on and on > doc_date else doc_year
                    sentence = _DAY_MONTH.sub(rf"\g<0>/{y}", sentence)
            folded = fold(sentence)
            d = _NUM_DATE.search(sentence)
            if d is None:
                month_only = _held_in_month(sentence, folded)
                if month_only is not None:
                    out.append(month_only)
                continue
            if not _is_training(sentence) or _NOT_HELD.search(folded):
                continue
            bullet = sentence.lstrip().startswith(("-", "+", "•", "*"))
            if not (bullet or d.start() < 12 or "to chuc" in folded):
                continue
            first = _RANGE_START.search(sentence[: d.start()])
            day = int(first.group(1)) if first else int(d.group(1))  # "09 - 10/8/2023"
            when = _iso(day, int(d.group(2)), int(d.group(3)))
            head, before = sentence[d.end() :], sentence[: d.start()]
            m = _TRAINING_HEAD.search(head)
            if m:
                start = m.start()
                count = re.search(r"(?<![\d/])(\d{1,2})\s+$", head[:start])
                if count:  # "tổ chức 03 lớp tập huấn ...": the count is the topic's
                    start = count.start()
                topic = _TOPIC_CUT.split(head[start:])[0]
            else:
                m = _TRAINING_HEAD.search(before)
                if not m:
                    continue
                topic = re.split(r"\s*\(|\s+(?:ngày|tại|cho|với)\s+", before[m.start() :])[0]
            topic = topic.rstrip(" .,;:")
            ordinal = _ORDINAL.match(topic)
            if ordinal and lead:  # "- Lớp 1: ngày 10/9/2024 ..." under its list's lead
                topic = f"{lead} ({ordinal.group(1)})"
            place = _PLACE_IN.search(head) or _PLACE_IN.search(before)
            people = _ATTENDANCE.search(head)
            out.append(
                Held(
                    topic=topic[:1].upper() + topic[1:],
                    topics=_topics(topic),
                    date=when,
                    place=place.group(1).strip() if place else None,
                    attendance=int(re.sub(r"[.,]", "", people.group(1))) if people else None,
                    evidence=written,
                )
            )
    return out


_TOTAL_WORDS = re.compile(r"\b(?:tong so|tong cong|tinh chung|tong)\b")


def _totals(lines: list[str], facts: DocumentFacts) -> None:
    # A line that states a total ("Tổng số ... 1.150 lượt cán bộ", "Tổng cộng ... cho 355 lượt
    # người") wins over a line that counts classes of one item.
    stated = [x for x in lines if _TOTAL_WORDS.search(fold(x))]
    # a sentence that opens with the total first ("Tổng số năm 2022, ...") over an item's
    # "..., tổng số 579 học viên"
    stated.sort(key=lambda x: not _TOTAL_WORDS.match(fold(re.sub(r"^\W+", "", x))))
    for line in stated:
        people = list(_ATTENDANCE.finditer(line))
        count = _COUNT.search(line)
        if not people:
            continue
        if count:
            facts.totals["trainings"] = int(count.group(1))
        facts.totals["attendees"] = int(re.sub(r"[.,]", "", people[-1].group(1)))
        facts.evidence["totals"] = line
        return
    for line in lines:
        count = _COUNT.search(line)
        if count is None:
            continue
        facts.totals["trainings"] = int(count.group(1))
        people = _ATTENDANCE.search(line, count.end())
        if people:
            facts.totals["attendees"] = int(re.sub(r"[.,]", "", people.group(1)))
        facts.evidence["totals"] = line
        return


def _table_people(lines: list[str]) -> list[Person]:
    """People listed in a table with a "Họ và tên" column (and "Chức vụ" for the role)."""
    out: list[Person] = []
    name_at = role_at = None
    for cells, raw in _table_rows(lines):
        keys = [fold(c) for c in cells]
        if any(k in ("ho va ten", "ho ten") for k in keys):
            name_at = next(i for i, k in enumerate(keys) if k in ("ho va ten", "ho ten"))
            role_at = next((i for i, k in enumerate(keys) if k.startswith("chuc vu")), None)
            continue
        if name_at is None or name_at >= len(cells):
            continue
        name = re.sub(r"^(?:Ông|Bà|Đồng chí)\s+", "", cells[name_at].strip())
        if is_person_name(name):
            role = cells[role_at].strip() if role_at is not None and role_at < len(cells) else None
            out.append(Person(name, role or None, raw))
    return out or _flat_table_people(lines)


_ROLE_START = re.compile(
    r"(?<!\w)(?:Q\.\s*)?(?:Phó\s+)?(?:Giám đốc|Chủ tịch|Trưởng|Chánh|Bí thư|Tổng biên tập|Thủ trưởng|Phó)\b"
)


def _numbered_rows(stream: str) -> list[str]:
    """A flattened table's words cut at its rows' numbers 1, 2, 3 ... in order."""
    marks, at, n = [], 0, 1
    while (m := re.compile(rf"(?:^|\s){n}\.?\s").search(stream, at)) is not None:
        marks.append(m)
        at, n = m.end(), n + 1
    return [
        stream[m.end() : marks[i + 1].start() if i + 1 < len(marks) else None].strip()
        for i, m in enumerate(marks)
    ]


def _flat_table_people(lines: list[str]) -> list[Person]:
    """People in a table a PDF flattened ("STT Cơ quan Họ và tên Chức vụ 1 Sở Tài chính Y Wam
    Knul Giám đốc Sở 2 ..."): under a header naming "Họ và tên", in each numbered row, the
    first run of name words that starts with a surname (or the "Y", "H'", "K'" of Tây Nguyên
    names) and ends before a title, the rest of the row its role."""
    streams: list[str] = []
    inside = False
    for line in lines:
        if "|" in line or _FLAT_END.match(line):
            inside = False
        elif re.search(r"\bho (?:va )?ten\b", fold(line)):
            last = list(re.finditer(r"Chức vụ|Ghi chú|Họ (?:và )?tên", line, re.I))
            streams.append(line[last[-1].end() :])
            inside = True
        elif inside:
            streams[-1] += " " + line
    out: list[Person] = []
    for stream in streams:
        for row in _numbered_rows(stream):
            words = row.split()
            for i, word in enumerate(words):
                if word not in SURNAMES and not re.match(r"^[A-ZĐ]['’]", word):
                    continue
                rest = " ".join(words[i:])
                role = _ROLE_START.search(rest, 1)
                named = rest[: role.start()] if role else rest
                n = name_prefix(named.split())
                if n:
                    name = " ".join(w.rstrip(",.;:") for w in named.split()[:n])
                    out.append(
                        Person(name, rest[role.start() :].strip(" ,;.") if role else None, row)
                    )
                    break
    return out


# "Ông", "bà", "đồng chí" before a name, wherever it stands in the line.
_HONORIFIC = re.compile(r"(?<!\w)(?:ông|bà|đồng chí)\s+", re.I)
_ITEM_MARK = re.compile(r"^\s*(?:Điều\s+\d+\s*[.:]|\d{1,2}[.)]|[a-zđ][.)]|[-–+•])\s*", re.I)
# Where a role after a name ends: a bracket ("(lĩnh vực ...)"), "là ...", a semicolon, the end.
_ROLE_AFTER = re.compile(
    r"^\s*[,–:-]\s*(.+?)\s*(?=\(|,?\s+(?:là|làm)\s|:|;|\s[-–]\s*người|\.\s*$|$)"
)
# A sentence that takes the duty away or says the person does not speak: "Thôi giao nhiệm vụ
# phát ngôn đối với ông X, nguyên Chánh Văn phòng", "ông X không thực hiện phát ngôn".
_NOT_SPOKESPERSON = re.compile(
    r"\b(?:thoi giao|thoi (?:lam|thuc hien)|mien nhiem|bai bo|"
    r"khong (?:thuc hien|lam|con la|duoc giao|phai la)\s+(?:nhiem vu\s+|nguoi\s+)?phat ngon)"
)
_FORMER = re.compile(r"(?<!\w)nguyên\s")
# The duty given in a sentence (folded): "là người phát ngôn", "là người được ủy quyền phát
# ngôn", "Người phát ngôn của Sở ... là", "giao nhiệm vụ phát ngôn" (not "giúp người phát ngôn").
_DUTY = re.compile(
    r"\b(?:la|lam) nguoi (?:duoc )?(?:giao )?(?:nhiem vu |uy quyen )?phat ngon"
    r"|\bnguoi (?:duoc (?:giao nhiem vu |uy quyen )?)?phat ngon\b[^;.]{0,60}?\b(?:la\b|:)"
    r"|\b(?:uy quyen|giao nhiem vu|chi dinh|cong bo)\b[^;.]{0,40}?phat ngon"
)


def _role_before(before: str) -> str | None:
    """The role written before a name: "Giám đốc Sở - ông X", "Chủ tịch UBND huyện là người
    phát ngôn: ông X" (the part that names an office, not the spokesperson's duty)."""
    text = _ITEM_MARK.sub("", before).strip(" -–,:")
    for part in reversed(re.split(r"\s+là\s+|:\s*", text)):
        part = part.strip(" -–,:")
        if part and "phat ngon" not in fold(part) and len(part) < 80:
            return part
    return None


def _spokespeople(lines: list[str]) -> list[Person]:
    """The people a decision names: a table with a "Họ và tên" column, or "ông"/"bà"/"đồng
    chí" and a name anywhere in its articles (numbered, lettered, in a sentence), with the role
    written after the name ("- Phó Chủ tịch UBND phường (lĩnh vực ...)", ", Chánh Văn phòng
    ..., là ...") or before it ("Giám đốc Sở - ông ..."); the recipients' list ends them."""
    out = _table_people(lines)
    seen = {p.name for p in out}
    for line in lines:
        if fold(line).startswith("noi nhan"):
            break
        if re.match(r"^\s*(?:Căn cứ|Xét đề nghị|Theo đề nghị)", line, re.I):
            continue
        for m in _HONORIFIC.finditer(line):
            words = line[m.end() :].split()
            n = name_prefix(words, titled=True)
            if not n:
                continue
            name = " ".join(w.rstrip(",.;:)") for w in words[:n])
            if name in seen:
                continue
            # a person heading a list item or a line is listed; one inside a sentence must be
            # given the duty there
            listed = not _ITEM_MARK.sub("", line[: m.start()]).strip()
            duty = fold(line)
            if not listed and (not _DUTY.search(duty) or _NOT_SPOKESPERSON.search(duty)):
                continue
            if _FORMER.search(line[m.end() :]) or _NOT_SPOKESPERSON.search(duty):
                continue
            after = line[m.end() :].split(name, 1)[-1] if name in line else ""
            role_m = _ROLE_AFTER.match(after)
            role = role_m.group(1).strip().rstrip(".;,") if role_m else None
            role = role or _role_before(line[: m.start()])
            seen.add(name)
            out.append(Person(name, role or None, line))
    return out


def _convened(lines: list[str], facts: DocumentFacts) -> list[Held]:
    when = place = None
    for line in lines:
        f = _FIELD.match(line)
        if not f:
            continue
        label = fold(f.group(1))
        if label == "thoi gian":
            d = _NUM_DATE.search(f.group(2))
            if d:
                when = _iso(int(d.group(1)), int(d.group(2)), int(d.group(3)))
        elif label == "dia diem":
            place = f.group(2).strip()
    if facts.subject and _TRAINING_WORDS.search(fold(facts.subject)) and (when or place):
        topic = re.sub(r"^cử cán bộ tham dự\s+", "", facts.subject, flags=re.I)
        evidence = "\n".join(x for x in lines if _FIELD.match(x) or _VV.match(x))
        return [Held(topic[:1].upper() + topic[1:], _topics(topic), when, place, None, evidence)]
    return []


# The words of a training plan's title that name no subject ("Tập huấn nghiệp vụ năm 2023").
_GENERIC_TITLE = re.compile(
    r"\b(?:tap huan|boi duong|dao tao|to chuc|lop|hoi nghi|nghiep vu|chuyen mon|kien thuc|"
    r"ky nang|cho|can bo|cong chuc|vien chuc|nam (?:19|20)\d\d|giai doan|ke hoach|cac|va)\b"
    r"|[\d,.;:/()–-]"
)


def _names_a_subject(title: str) -> bool:
    """Does a training plan's title name what its trainings are about ("... kỹ năng số và an
    toàn thông tin ..."), not only that they are trainings ("Tập huấn nghiệp vụ năm 2023")?"""
    return len(_GENERIC_TITLE.sub(" ", fold(title)).split()) >= 2


def understand(text: str) -> DocumentFacts:
    """The facts of one document's text (NFC)."""
    facts = DocumentFacts()
    lines = _lines(text)
    if not lines:
        return facts
    heading_at = _header(lines, facts)
    _signature(lines, facts)
    if facts.province is None:
        # A district's, a commune's or a party body's document names its province in the
        # text ("Sở TT&TT tỉnh Hà Tĩnh" among the recipients): the one named most, preferring
        # the administrative mentions ("tỉnh X").
        named = Counter((not m.admin, m.name) for m in gazetteer.mentions(text))
        if named:
            (_, name), _ = min(named.items(), key=lambda kv: (kv[0][0], -kv[1]))
            facts.province = name
            facts.evidence["province"] = f"named in the text: {name}"
    if facts.province:
        when = facts.date
        with contextlib.suppress(KeyError):
            facts.province, facts.province_now = gazetteer.province_at(facts.province, when)
    year = int(facts.date[:4]) if facts.date else None
    if facts.date is None:
        y = _YEAR.search(text)
        year = int(y.group(1)) if y else None
    body = lines[heading_at + 1 :]
    own = facts.symbol
    facts.cites = [d for d in extract_documents(text) if d != own]
    if facts.type == "plan":
        facts.planned = _planned(body, year)
    elif facts.type == "report":
        facts.held = _held(body, year, facts.date) + _table_held(body)
        _totals(body, facts)
    subject = facts.subject or ""
    if subject and not _core(_topics(subject)) and not _is_training(subject):
        # A plan or report on another subject (administrative reform, digital transformation)
        # keeps only the trainings whose own text names the work pressnews follows.
        facts.planned = [p for p in facts.planned if _core(_topics(f"{p.topic} {p.evidence}"))]
        facts.held = [h for h in facts.held if _core(_topics(f"{h.topic} {h.evidence}"))]
        if facts.type in ("plan", "report") and not facts.planned and not facts.held:
            # A plan or report about another subject, with no training of the work pressnews
            # follows, is a near-miss: "other" (the relevance rule's vocabulary decides).
            facts.type = "other"
            facts.totals = {}
            facts.evidence["type"] = f"{facts.evidence.get('type', '')} (subject: {subject})"
    elif (
        subject
        and not _core(_topics(subject))
        and _names_a_subject(subject)
        and facts.type in ("plan", "report")
        and (facts.planned or facts.held)
        and not any(_core(_topics(f"{t.topic} {t.evidence}")) for t in facts.planned + facts.held)
    ):
        # A plan or report of trainings on another subject only (digital skills, information
        # security): no training of the work pressnews follows, a near-miss: "other".
        facts.type = "other"
        facts.planned, facts.held, facts.totals = [], [], {}
        facts.evidence["type"] = f"{facts.evidence.get('type', '')} (subject: {subject})"
    for p in facts.planned:
        # A training named without its subject ("Hội nghị bồi dưỡng cho báo cáo viên") takes the
        # topics of its item's lines ("Nội dung: ..."), else of the plan's subject, so that it
        # can be linked to the articles that report it.
        if not _core(p.topics):
            p.topics = _topics(p.evidence) if _core(_topics(p.evidence)) else _topics(subject)
    if facts.type == "decision" and "phat ngon" in fold(text):
        facts.spokespeople = _spokespeople(body)
    elif facts.type == "official_letter":
        facts.convened = _convened(lines, facts)
    return facts


def fill_from_link_title(facts: DocumentFacts, title: str) -> DocumentFacts:
    """A document read without text (scanned and not OCR'd, unreadable) or without a number in
    it: the symbol and type the link's title gives ("Tải về: Kế hoạch số 186/KH-STTTT ..."),
    with the title as evidence. Values the text gave are kept."""
    if not title or facts.symbol:
        return facts
    cited = [d for d in extract_documents(title) if NUMBERED.search(d)]
    if not cited:
        return facts
    facts.symbol = cited[0]
    facts.number = re.split(r"[/-]", facts.symbol)[0]
    facts.evidence["symbol"] = f"link title: {title}"
    code = fold(re.split(r"[/-]", facts.symbol)[1]) if "/" in facts.symbol else ""
    if facts.type == "other" and code in _CODE_TYPES:
        facts.type = _CODE_TYPES[code]
        facts.evidence["type"] = f"link title: {title}"
    return facts
