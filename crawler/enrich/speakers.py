"""Who spoke, opened, concluded, presented or trained, with the role of their fullest mention.

A person is a capitalised run of two to five syllables, surname first, introduced by an honorific
("đồng chí", "ông", "bà"), a role before it ("Thứ trưởng Bộ Ngoại giao Lê Thị Thu Hằng") or a role
after it ("Nguyễn Văn Hiếu - Phó Cục trưởng Cục Báo chí, Bộ ..."). A person is a speaker when one
of their mentions (later ones by given name, "đồng chí Hiếu", included) is the subject of a speech
verb ("phát biểu", "truyền đạt", "nhấn mạnh"), follows "nghe" or an opening participle ("Phát
biểu khai mạc hội nghị, đồng chí ..."), or stands in a list of presenters ("báo cáo viên"). Lists
of attendees ("Dự hội nghị có các đồng chí: ..."), bylines and photographers are not speakers.

Roles: parts separated by " - ", " – ", "-" or ", " are joined with ", "; a dash inside a unit's
name ("Phòng Thông tin – Báo chí – Xuất bản") stays. An abbreviation the article defines
("Bộ Thông tin và Truyền thông (TTTT)") is written out. The longest role wins; on a tie, a
speaking mention, then the better capitalised one, then the earliest.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from crawler.evidence import quote
from indexer.model import Evidence, Speaker
from vnlang.gazetteer import all_provinces, lookup
from vnlang.names import COUNTRIES, NATIONALITIES, ORG_WORDS, SURNAMES, is_foreign_word
from vnlang.text import fold_fast, squeeze

# Upper- and lower-case letters of Vietnamese (Latin with diacritics), for name patterns.
_UP = "".join(c for c in map(chr, range(0x41, 0x1EFA)) if c.isalpha() and c.isupper())
_LO = "".join(c for c in map(chr, range(0x61, 0x1EFA)) if c.isalpha() and c.islower())
# One capitalised syllable or word; an apostrophe or hyphen may join pieces ("H’Linh", "Sung-ho").
_CAP_WORD = rf"[{_UP}][{_LO}]*(?:['’-][{_UP}{_LO}][{_LO}]*)*"
# A run of capitalised words on one line: a name, maybe with a province or unit name before it;
# a foreign name may hold a lower-case particle ("Pieter van Wijk").
_CAP_RUN = re.compile(
    rf"(?<![\w'’-]){_CAP_WORD}(?:[ \u00a0](?:(?:van|von|de|der|den|da|del|di|du|le|la) )?{_CAP_WORD})+"
    rf"(?![\w'’])"
)
# Words that end a name inside a capitalised run (role and unit words, never a syllable of one).
# fmt: off
_NOT_NAME = frozenset([
    "Giám", "Phó", "Chủ", "Bí", "Thứ", "Bộ", "Sở", "Cục", "Ủy", "Uỷ", "Tỉnh", "Vụ", "Tổng",
    "Báo", "Đài", "Viện", "Cổng", "Tạp", "Người", "Huyện", "Xã", "Ảnh", "Tin", "Bài", "Nguồn",
    "Theo", "Trưởng"
])
# fmt: on
# First words of province names: a run starting with one may name a province, not a person.
_PROVINCE_FIRST = frozenset(p.name.split()[0] for p in all_provinces()) | {"TP", "Tp", "Thừa"}
# Capitalised pairs that look like names but are not people.
_NOT_PERSON = COUNTRIES
# Honorifics and titles before a name ("đồng chí", "ông", "bà", "TS.", "nhà báo", "Đại tá").
_HONORIFIC = re.compile(
    r"(?:(?<!\w)(?:[Đđ]ồng chí|[Đđ]/[Cc]|[Ôô]ng|[Bb]à|(?<!Hội )[Nn]hà báo|[Ll]uật sư|[Cc]huyên gia|"
    r"[Tt]iến sĩ|[Tt]hạc sĩ|(?:[Đđ]ại|[Tt]hượng|[Tt]rung|[Tt]hiếu) (?:tá|tướng))|"
    r"(?:PGS|GS|TS|ThS|BS)\.?\s?(?:TS|ThS)?\.?)\s*$"
)
# An honorific and a given name alone: a later mention ("đồng chí Hiếu", "bà Hằng").
_SHORT = re.compile(
    rf"(?<!\w)(?:[Đđ]ồng chí|[Đđ]/[Cc]|[Ôô]ng|[Bb]à)\s([{_UP}][{_LO}]+)(?!\w)(?!\s[{_UP}])"
)
# Role words a role starts with (title-first or after the name).
_ROLE_HEAD = re.compile(
    r"(?:(?:Phó|Quyền|Nguyên)\s){0,2}(?:Thứ trưởng|Bộ trưởng|Giám đốc|Chủ tịch|"
    r"Bí thư|Trưởng|Cục trưởng|Vụ trưởng|Viện trưởng|Tổng cục trưởng|Chánh|Tổng [Bb]iên tập|"
    r"Tổng [Gg]iám đốc|Tổng [Tt]hư ký|Tổng [Ll]ãnh sự|Chủ nhiệm|Hiệu trưởng|Đại sứ(?! quán)|[ỦUủu][ỷy] viên|"
    r"Tỉnh [uủ][ỷy] viên|Thành [uủ][ỷy] viên|Huyện [uủ][ỷy] viên|[Nn]gười phát ngôn|Thành viên|"
    r"[Gg]iảng viên|[Cc]huyên viên|[Bb]áo cáo viên|[Pp]hóng viên|[Bb]iên tập viên|Thư ký|"
    r"Chỉ huy trưởng|Thủ trưởng|Trợ lý|Kiểm sát viên|Thẩm phán|Đại biểu Quốc hội|Chuyên gia|kiêm|"
    r"Chính ủy|Chính uỷ|Chính trị viên|Tham tán|Lãnh sự|Cố vấn|Trưởng khoa|Trưởng đoàn|Cán bộ|"
    r"Nghệ nhân|Điều phối viên|Trưởng ban|Trưởng phòng|Phó phòng)"
    r"(?!\w)",
    re.IGNORECASE,
)
# Role words that may start a role in lower case ("người phát ngôn Bộ Ngoại giao").
_LOWER_HEADS = (
    "người phát ngôn", "kiêm", "nguyên", "giảng viên", "chuyên viên", "phóng viên", "chuyên gia",
    "cố vấn", "cán bộ", "tham tán", "chính trị viên", "trưởng", "phó", "chủ tịch", "giám đốc",
    "nghệ nhân", "điều phối viên",
)  # fmt: skip
# Unit words a role part may start with ("Bộ Thông tin và Truyền thông", "Cục Báo chí").
_ORG_HEAD = re.compile(
    r"(?:Bộ|Sở|Cục|Tổng cục|Ban|Vụ|Văn phòng|Phòng|UBND|Ủy ban|Uỷ ban|HĐND|Hội đồng|Tỉnh [uủ][ỷy]|"
    r"Thành [uủ][ỷy]|Huyện [uủ][ỷy]|Đảng [uủ][ỷy]|Học viện|Trường|Đại học|Đài|Tạp chí|Hội|"
    r"Báo(?! chí)|Trung tâm|Viện|Công an|Thông tấn xã|Cổng|Liên đoàn|Mặt trận|MTTQ|Đoàn|Công ty|Tập đoàn|"
    r"Bệnh viện|Ngân hàng|Quân khu|Bộ Chỉ huy|Chi cục|Trang)(?!\w)"
)
# Where a mention's clause ends: punctuation that closes it, a quote, a bracket.
_TERM = re.compile(r"[;:\n(“”\"!?]|(?<!TP)(?<!Tp)(?<!TS)(?<!ThS)(?<!GS)\.(?=\s|$)")
# Speech verbs: a mention followed by one of these (soon, in its clause) spoke.
_VERBS = (
    r"phát biểu|khai mạc|bế mạc|kết luận|nhấn mạnh|truyền đạt|trình bày|chia sẻ|phổ biến|"
    r"giới thiệu|hướng dẫn|quán triệt|cho biết|khẳng định|đề nghị|yêu cầu|nêu|đánh giá|"
    r"thông tin (?:về|tại|cho|thêm)|giải đáp|trao đổi|trả lời|nói|lưu ý|đặt vấn đề|phân tích|"
    r"nhận định|nhận xét|có bài|(?<!ban )chỉ đạo|báo cáo(?! viên)|đề cập|tham luận|"
    r"(?<!thỉnh )giảng(?! viên)|thuyết trình|dặn dò|cảnh báo|khuyến cáo|chỉ rõ|đưa ra|đề xuất|mong muốn|"
    r"bày tỏ|làm rõ|hoan nghênh|biểu dương|ghi nhận|cảm ơn|chúc mừng|tổng kết|kiến nghị|"
    r"giải thích|thông báo|công bố|cho rằng|tin tưởng|định hướng|"
    r"(?:đồng )?chủ trì|khai giảng|bế giảng|điều hành|cập nhật|đảm nhận|điểm lại|thông qua|"
    r"thông tin(?=(?:\s+[^\s:]+){0,2}\s*:)|dẫn dắt|hướng dẫn|tổng hợp ý kiến|giải đáp|dẫn đầu"
)
_VERB_AT_END = re.compile(rf"\s(?:{_VERBS}|thông tin)(?:\s+\S+){{0,2}}\s*$", re.IGNORECASE)
_SPEECH = re.compile(rf"(?<!\w)(?:{_VERBS}|gợi mở|hệ thống hóa|cung cấp)(?!\w)", re.IGNORECASE)
# Words that end a role: a speech verb, another verb, or the start of the next clause.
_STOP = re.compile(
    rf"(?<!\w)(?:{_VERBS}|chủ trì|điều hành|dự(?! án| thảo| báo| toán| phòng| kiến| trữ| bị)|tới|(?<!điểm )đến|tham dự|đã|"
    rf"cũng|còn|đồng thời|tại(?!\s[{_UP}])|trong|khi|với|là|cùng|được|thay mặt|làm|tham gia|tặng|trao|"
    r"nhận|tiếp|(?<!thư )ký|(?<!văn phòng )đại diện|phụ trách|trực tiếp|như|gửi|cung cấp|"
    r"và(?= (?:ông|bà|đồng chí|các|nhà báo|ThS|TS|PGS|GS|Đại tá|Thượng tá|Trung tá|Thiếu tá|"
    r"Thiếu tướng|Phó |Trưởng |Giám đốc|Chủ tịch)))(?!\w)",
    re.IGNORECASE,
)
# Sentence openers that make the following subject a speaker ("Phát biểu khai mạc ..., ông A").
_OPENER = re.compile(
    r"^\s*(?:Phát biểu|Khai mạc|Bế mạc|Kết luận|Chia sẻ|Trao đổi|Truyền đạt|Trình bày|Nhấn mạnh|"
    r"Theo|Giải đáp|Trả lời|Quán triệt)(?!\w)[^.;:]*$"
)
# "được nghe ông A", "nghe Thứ trưởng ... A": the mention that follows spoke.
_HEARD = re.compile(r"(?<!\w)nghe\s*(?:các\s)?$", re.IGNORECASE)
# List heads: presenters ("các báo cáo viên", "giảng viên") or attendees ("Dự hội nghị có").
_PRESENTERS = re.compile(
    r"báo cáo viên|giảng viên|trình bày|truyền đạt|giảng dạy|chuyên đề|phát biểu|hướng dẫn|"
    r"chia sẻ|diễn giả",
    re.IGNORECASE,
)
_ATTENDEES = re.compile(r"^\s*(?:Dự|Tham dự|Đến dự|Cùng dự|Tới dự|Tham gia|Có mặt)\b|tham dự")
# "(TTTT)": an abbreviation in brackets; the words before it may define it.
_ABBR_DEF = re.compile(rf"\(([{_UP}&]{{2,8}})\)")
# What opens a role after a name: a separator, or a bracket that closes soon ("A (Phó ...)").
_ROLE_OPEN = re.compile(r"\s*(?:[-–—,]|\((?=[^()]{3,160}\)))\s*")
# Separators between role parts, kept so that a unit's own dashes can be put back.
_PART_SEP = re.compile(r"(\s*[-–—]\s*|\s*,\s*)")
# Where a clause starts (for openers) and where a sentence starts (for list heads).
_ABBR_DOT = r"(?<!TP\.)(?<!Tp\.)(?<!TS\.)(?<!ThS\.)(?<!GS\.)(?<!BS\.)(?<!CKII\.)(?<!CKI\.)"
_SENT_END = re.compile(rf"[!?;\n](?=\s)|\.{_ABBR_DOT}(?=\s)|\n")
_LIST_START = re.compile(rf"[!?](?=\s)|\.{_ABBR_DOT}(?=\s)|\n")
# Where the clause before a title-first role starts.
_BOUNDARY = re.compile(
    r"[;:\n!?“”\"]|\((?![A-ZĐ&]{2,10}\))|(?<!TP)(?<!Tp)(?<!TS)(?<!ThS)(?<!GS)\.(?=\s)"
)
# A role part ending in "phòng" before ", chống": "An ninh mạng và phòng, chống tội phạm".
_KEEP_COMMA = re.compile(r"(?<!\w)phòng$")
# "Báo cáo viên ... là ông A", "Giảng viên lớp học là TS. B", "Chủ trì buổi học là ROLE A": the
# named person presents or chairs.
_PRESENTER_IS = re.compile(
    r"(?:[Bb]áo cáo viên|[Gg]iảng viên|[Dd]iễn giả|(?:[Đđ]ồng )?[Cc]hủ trì|[Đđ]iều hành|"
    r"[Dd]ẫn dắt)[^.;:]{0,50}\slà\s*$"
)
# A sentence that opens with the work of chairing, presenting or training and then lists people
# ("Đồng chủ trì hội nghị có bà A, ... và ông B, ...", "Báo cáo viên của lớp gồm TS. A, ...",
# "Truyền đạt tại lớp có ...", "Giảng viên là các chuyên gia như ..."): everyone listed speaks.
_LIST_HEAD = re.compile(
    r"^\s*(?:(?:Tiếp đó|Sau đó|Tại (?:hội nghị|lớp[^,]{0,30}|buổi[^,]{0,30}))\s*,\s*)?"
    r"(?:(?:[Đđ]ồng )?[Cc]hủ trì|[Bb]áo cáo viên|[Gg]iảng viên|[Tt]ruyền đạt|[Tt]rình bày|"
    r"[Dd]iễn giả|[Hh]ướng dẫn|[Đđ]iều hành|[Dd]ẫn dắt|[Cc]ác chuyên gia|[Cc]hia sẻ|"
    r"[Pp]hát biểu|[Gg]iảng dạy|(?:[Đđ]ến |[Tt]ới )?[Dd]ự và (?:chỉ đạo|phát biểu))(?!\w)"
    r"[^.!?:]{0,100}?(?:\s(?:có|gồm|là|như)(?!\w)|:)"
)
# "Đến dự và chỉ đạo ... có đồng chí A": attendance that directed is speech.
_DIRECTED = re.compile(r"dự và (?:chỉ đạo|phát biểu)", re.IGNORECASE)
# "Theo báo cáo của ông A", "Theo ông A": what follows is the person's own account.
_ACCORDING = re.compile(r"(?<!\w)[Tt]heo (?:báo cáo|thông tin|chia sẻ|đánh giá) của\s*$")
# Institutions and streets named after a person ("Trường Chính trị Hoàng Văn Thụ", "đường Trần
# Phú"): the name that follows is part of the institution's name.
_NAMED_AFTER = re.compile(
    r"(?<!\w)(?:Trường(?: Chính trị| Đại học| Cao đẳng| Trung cấp| THPT| THCS| Tiểu học)?|[Đđ]ường|"
    r"(?<!thành )[Pp]hố|Quỹ|Giải(?: thưởng)?|Bệnh viện|Khu di tích|Nhà văn hóa|Cầu|Công ty|Tập đoàn|"
    rf"Dự án|Hãng|BBC|CNN)(?: (?!và |ông |bà |đồng chí|là |của )(?:[{_LO}]+|[{_UP}]{{2,6}})){{0,3}}\s$"
)
# A place word before a two-word run: the run is a place ("TP. Đồng Hới", "xã Ea Súp"); a
# longer run after it is a person ("Phó Chủ tịch UBND xã Nguyễn Văn A").
_PLACE_BEFORE = re.compile(
    r"(?<!\w)(?:TP\.?|Tp\.?|thành phố|thị xã|thị trấn|huyện|quận|xã|phường|tỉnh|làng|thôn|"
    r"bản|buôn|đặc khu|cửa khẩu|sông|núi|đèo|chợ|đảo|cao tốc|quốc lộ|tuyến|cảng|sân bay|hồ|"
    r"Báo|Tạp chí|Đài)\s?$"
)
# Acts that are not speech and end what a mention did ("do ông A ký", "cố nhà báo A từng viết").
_NOT_SPEECH_ACT = re.compile(r"(?<!\w)(?:ký|từng|đã từng|qua đời|từ trần)(?!\w)")
# Where the words after a mention stop belonging to it: the clause ends, or another person.
_WINDOW_END = re.compile(r"[;!?\n“\"]|\.(?=\s|$)|(?<!\w)(?:ông|bà|đồng chí)\s")
# A clause opener followed by another person ("Phát biểu khai mạc, đồng chí B").
_OPENS_NEXT = re.compile(rf",\s*(?:đồng chí|ông|bà|[{_UP}][{_LO}]+\s[{_UP}])")
# Quotation marks that open a person's words.
_QUOTE_OPEN = "“\"«'"


@dataclass
class _Person:
    name: str
    roles: list[tuple[int, bool, int, int, str]] = field(default_factory=list)
    first_spoke: int = -1
    spoke_rule: str = ""  # the pattern family of the first speaking mention
    # mention start -> (name end, how the role was read), for the role's evidence
    mentions: dict[int, tuple[int, str]] = field(default_factory=dict)


class _Bounds:
    """Where clauses and sentences end in a text, found once, looked up by bisection."""

    def __init__(self, text: str) -> None:
        self.clauses = [m.end() for m in _SENT_END.finditer(text)]
        self.sentences = [m.end() for m in _LIST_START.finditer(text)]

    @staticmethod
    def _before(ends: list[int], pos: int) -> int:
        i = bisect_right(ends, pos)
        return ends[i - 1] if i else 0

    def clause_start(self, pos: int) -> int:
        return self._before(self.clauses, pos)

    def sentence_start(self, pos: int) -> int:
        return self._before(self.sentences, pos)


def _abbreviations(text: str) -> dict[str, str]:
    """{"TTTT": "Thông tin và Truyền thông"} for "Bộ Thông tin và Truyền thông (TTTT)"."""
    out: dict[str, str] = {}
    for m in _ABBR_DEF.finditer(text):
        abbr, words = m.group(1), text[max(0, m.start() - 80) : m.start()].split()[-8:]
        letters = abbr.replace("&", "")
        for k in range(1, len(words) + 1):
            tail = words[-k:]
            initials = "".join(w[0].upper() for w in tail if w not in ("và", "&"))
            if initials == letters and tail[0][0].isupper():
                out[abbr] = " ".join(tail)
                break
    return out


def _foreign_tail(words: list[tuple[int, int, str]]) -> tuple[int, int] | None:
    """The foreign name a run ends with ("Tổng Lãnh sự ... Andrew Pemberton", "Đức Thomas K"):
    two to four Latin words at its end, one of them spelled as no Vietnamese syllable is."""
    i = len(words)
    while i > 0 and (
        re.fullmatch(r"[A-Za-z'’-]+", words[i - 1][2]) and words[i - 1][2] not in NATIONALITIES
    ):
        i -= 1
    tail = words[i:]
    if not 2 <= len(tail) <= 4 or not any(is_foreign_word(w[2]) for w in tail):
        return None
    if not tail[0][2][0].isupper() or any(w[2] in ORG_WORDS for w in tail):
        return None
    return tail[0][0], tail[-1][1]


def _name_in_run(run: str, honorific: bool) -> tuple[int, int] | None:
    """(start, end) of a person's name inside a capitalised run, or None."""
    words = [(m.start(), m.end(), m.group(0)) for m in re.finditer(r"\S+", run)]
    if run.startswith("Hồ Chí Minh ") and len(words) > 4:  # "tại TP. Hồ Chí Minh Nguyễn A"
        words = words[3:]
    foreign = _foreign_tail(words)
    if foreign is not None:
        return foreign
    i = 0
    while i < len(words) and words[i][2] in ("Ông", "Bà"):
        i += 1
        honorific = True
    first = i
    start = None
    while i < len(words):
        w = words[i][2]
        for k in (3, 2):  # a province name before the person ("UBND tỉnh Kiên Giang Nguyễn ...")
            if (
                i + k <= len(words)
                and w in _PROVINCE_FIRST
                and lookup(" ".join(x[2] for x in words[i : i + k]))
            ):
                i += k
                break
        else:
            if w in SURNAMES or (honorific and i == first and w not in _NOT_NAME):
                start = i
                break
            i += 1
    if start is None:
        return None
    end = start + 1
    while end < len(words) and end - start < 5 and words[end][2] not in _NOT_NAME:
        end += 1
    n = end - start
    toks = [x[2] for x in words[start:end]]
    if n < 2 or any(len(t) > 7 and not re.search(r"['’-]", t) for t in toks):
        return None
    name = " ".join(toks)
    if name in _NOT_PERSON or name.startswith("Hồ Chí Minh") or lookup(name):
        return None
    return words[start][0], words[end - 1][1]


def _is_head(chunk: str) -> bool:
    """Does a role start here: a role word, capitalised unless it may be written in lower case?"""
    return bool(_ROLE_HEAD.match(chunk)) and (
        chunk[0].isupper() or chunk.lower().startswith(_LOWER_HEADS)
    )


def _next_is_part(pieces: list[str], idx: int) -> bool:
    """Does the chunk after pieces[idx] start a role part (a role or unit word)?"""
    if idx + 2 >= len(pieces):
        return False
    nxt = pieces[idx + 2].strip()
    return bool(nxt) and (_is_head(nxt) or bool(_ORG_HEAD.match(nxt)))


def _role_parts(segment: str) -> tuple[str, int]:
    """(role at the start of `segment`, after the name and its separator; its length there)."""
    m = _TERM.search(segment)
    segment = segment[: m.start()] if m else segment
    if m and m.group(0) == ":":  # "A, ROLE thông tin: ...": the verb before the colon
        verb = _VERB_AT_END.search(segment)
        if verb:
            segment = segment[: verb.start()]
    pieces = _PART_SEP.split(segment)
    parts: list[str] = []
    sep, pos, end = "", 0, 0
    for idx in range(0, len(pieces), 2):
        chunk = pieces[idx]
        stop = _STOP.search(chunk)
        if stop:
            chunk = chunk[: stop.start()]
        text = chunk.strip()
        if not text:
            break
        if parts and _KEEP_COMMA.search(parts[-1]) and sep.strip() == ",":
            parts[-1] += sep + text  # "phòng, chống ...": one unit name
        elif _is_head(text) or _ORG_HEAD.match(text):
            parts.append(text)
        elif parts and text[0].isupper():
            parts[-1] += sep + text  # a dash or comma inside a unit's name
        elif parts and not stop and len(text.split()) <= 4 and _next_is_part(pieces, idx):
            parts[-1] += sep + text  # "Quản lý báo in, báo điện tử – Cục Báo chí"
        else:
            break
        end = pos + len(chunk.rstrip())
        if stop:
            break
        sep = pieces[idx + 1] if idx + 1 < len(pieces) else ""
        pos += len(pieces[idx]) + len(sep)
    return ", ".join(squeeze(p) for p in parts).rstrip(" .,;"), end


def _role_after(text: str, end: int) -> tuple[str, int]:
    """(role written after the name, end offset of the role or of the name)."""
    if text[end : end + 1] == "\n":  # NAME on its own line, ROLE: on the next (a quote card)
        line = text[end + 1 : end + 200].split("\n", 1)[0]
        if _is_head(line) and line.rstrip().endswith(":"):
            role, _ = _role_parts(line.rstrip()[:-1])
            return (role, end) if role else ("", end)
    m = _ROLE_OPEN.match(text, end, end + 170)
    if not m:
        return "", end
    start = m.end()
    segment = text[start : start + 260]
    if m.group(0).strip().startswith("("):
        segment = segment[: segment.find(")")]
    role, length = _role_parts(segment)
    return (role, start + length) if role else ("", end)


def _role_before(text: str, start: int) -> tuple[str, int]:
    """(role written before the name, its start), for "Thứ trưởng Bộ Ngoại giao Lê Thị Thu Hằng"."""
    seg = text[max(0, start - 220) : start]
    base = start - len(seg)
    h = _HONORIFIC.search(seg)
    if h:
        seg = seg[: h.start()]
    seg = re.sub(r"[ \t,–—-]+$", "", seg)  # "ROLE – NAME": the dash belongs to neither
    cut = max((m.start() for m in _BOUNDARY.finditer(seg)), default=-1)
    clauses = seg[cut + 1 :].split(",")
    role, first, tail = "", -1, ""
    for i in range(len(clauses) - 1, -1, -1):
        clause = clauses[i] + tail
        heads = [
            m
            for m in _ROLE_HEAD.finditer(clause)
            if _is_head(clause[m.start() :]) and not _STOP.search(clause[m.start() :])
        ]
        if not heads:
            if role or not clause.strip()[:1].isupper() or _STOP.search(clause):
                break
            tail = "," + clause  # "Sở Văn hóa, Thể thao và Du lịch": a comma inside a name
            continue
        tail = ""
        h0 = heads[0]
        piece = clause[h0.start() :].strip()
        role = piece + (", " + role if role else "")
        first = base + cut + 1 + sum(len(c) + 1 for c in clauses[:i]) + h0.start()
        if h0.start() > 0 and clause[: h0.start()].strip():
            break  # the role starts inside this clause: nothing before it belongs to it
    return squeeze(role), first


def _speaking(
    text: str, start: int, end: int, bounds: _Bounds, with_role: bool = True
) -> str | None:
    """Is the mention spanning text[start:end] (with its role) the one who speaks? The pattern
    family that says so (for the evidence), or None.

    `with_role` False: no role was read after the name, so an unrecognised description
    ("cố vấn truyền thông của Công ty X") may stand between the name and its verb."""
    window = text[end : end + (80 if with_role else 180)]
    other = _NOT_SPEECH_ACT.search(window)
    if other is not None:
        window = window[: other.start()]
    t = _WINDOW_END.search(window)
    if verb := _SPEECH.search(window[: t.start()] if t else window):
        return f"speech verb after the mention «{verb.group(0)}»"
    if (
        t is not None
        and t.group(0)[0] not in '.;!?\n“"'
        and window[: t.start()].rstrip().endswith(" và")
    ):
        # "A, ROLE và ông B, ROLE đồng chủ trì": coordinated subjects share the verb
        longer = text[end : end + 320]
        cut = re.search(r"[;!?\n]|\.(?=\s|$)", longer)
        if verb := _SPEECH.search(longer[: cut.start()] if cut else longer):
            return f"coordinated subjects share the speech verb «{verb.group(0)}»"
    stop = re.search(r"[:.;!?\n]", window)
    if stop is not None and _spoke_next(text, end + stop.start()):
        return "own words follow the mention (a colon or line, then a quotation or speech verb)"
    s = bounds.clause_start(start)
    prefix = text[s:start]
    h = _HONORIFIC.search(prefix)
    bare = prefix[: h.start()] if h else prefix
    if _HEARD.search(bare):
        return "heard: the mention follows «nghe»"
    if _PRESENTER_IS.search(bare):
        return "presenter or chair named: «... là» before the mention"
    if _ACCORDING.search(bare):
        return "an account of their own: «Theo ... của» before the mention"
    if _OPENER.match(bare) and (bare.rstrip().endswith(",") or bare.strip() == "Theo"):
        return f"a speech opener starts the clause «{bare.split(',')[0].strip()[:40]}»"
    s = bounds.sentence_start(start)
    sentence = text[s:start]
    if (head := _LIST_HEAD.match(sentence)) and (
        not _ATTENDEES.search(sentence) or _DIRECTED.search(sentence)
    ):
        return f"listed after a presenters' or chairs' head «{head.group(0).strip()[:60]}»"
    colon = sentence.find(":")
    if colon >= 0:
        head_text = sentence[:colon]
        if (found := _PRESENTERS.search(head_text)) and not _ATTENDEES.search(head_text):
            return f"in a list after «{found.group(0)}...:»"
    return None


def _spoke_next(text: str, at: int) -> bool:
    """After a mention's clause ends at `at`: does the person's own speech follow? A colon then
    a quotation ("A, ROLE: “...”"), or the end of a line whose next line is a quotation or
    starts with a speech verb (a name and role on a line of their own, a caption)."""
    rest = text[at : at + 4]
    if rest[:1] == ":":
        nxt = rest[1:].lstrip(" \n")
        return bool(nxt) and nxt[0] in _QUOTE_OPEN
    if rest[:1] == "\n":
        line = text[at + 1 : at + 200]
        head = line.lstrip()
        if head[:1] in _QUOTE_OPEN:
            return True
        own = head.split("\n", 1)
        if len(own) == 2 and _is_head(own[0]) and own[0].rstrip().endswith(":"):
            return own[1].lstrip()[:1] in _QUOTE_OPEN  # NAME / ROLE: / “quotation”
        m = _SPEECH.match(head)
        if not m:
            return False
        # "Phát biểu khai mạc, đồng chí B ...": an opener that belongs to the next person
        first = re.split(r"[.;!?\n]", head, maxsplit=1)[0]
        return head[:1].islower() or not _OPENS_NEXT.search(first)
    return False


def _merge_short_names(people: dict[str, _Person]) -> None:
    """Fold "bà Thu Hà" (no surname) into the one person whose full name ends that way; also a
    two-word "Kim Oanh" (Kim is a surname too) that ends exactly one longer name of the text."""
    for key in [
        k for k, p in people.items() if p.name.split()[0] not in SURNAMES or len(k.split()) == 2
    ]:
        full = [k for k in people if k != key and k.endswith(" " + key)]
        if len(full) != 1:
            continue
        short, person = people.pop(key), people[full[0]]
        if short.first_spoke >= 0 and (
            person.first_spoke < 0 or short.first_spoke < person.first_spoke
        ):
            person.first_spoke = short.first_spoke
            person.spoke_rule = short.spoke_rule


# An organisation named just before (no comma between): a foreign run is part of its name.
_ORG_BEFORE = re.compile(
    r"(?:Công ty|Tập đoàn|Tổ chức|Quỹ|Dự án|Khách sạn|Khu du lịch|Hãng|Hiệp hội)[^,;.()]{0,40}$"
)


def _titled_name(text: str, run: re.Match[str]) -> tuple[int, int] | None:
    """A Central Highlands name with no surname of the list right after a title-first role
    ("Phó Chủ tịch UBND huyện H’Nga Byă"): two to four capitalised words, the first H’ or K’."""
    words = run.group(0).split()
    if not 2 <= len(words) <= 4 or any(w in _NOT_NAME or len(w) > 8 for w in words):
        return None
    if not re.match(r"[A-ZĐ]['’]", words[0]):  # H’Nga, K’Brơi: Central Highlands names
        return None
    if run.group(0) in _NOT_PERSON or lookup(run.group(0)):
        return None
    role, _ = _role_before(text, run.start())
    if not role or not _ROLE_HEAD.match(role):
        return None
    return 0, len(run.group(0))


def extract_speakers(
    body: str, captions: list[str], why: list[Evidence] | None = None
) -> list[Speaker]:
    """Speakers in order of their first speaking mention (body first, then captions). With
    `why`, appends each speaker's speaking mention and the mention their role was read from."""
    text = body + "".join("\n" + c for c in captions if c)
    abbrs = _abbreviations(text)
    bounds = _Bounds(text)
    people: dict[str, _Person] = {}
    for run in _CAP_RUN.finditer(text):
        prev = text[max(0, run.start() - 40) : run.start()]
        h = _HONORIFIC.search(prev)
        honorific = bool(h) or run.group(0).startswith(("Ông ", "Bà "))
        span = _name_in_run(run.group(0), honorific)
        if span is None:
            span = _titled_name(text, run)
        if span is None:
            continue
        s, e = run.start() + span[0], run.start() + span[1]
        if is_foreign_word(text[s:e].split()[-1]) and _ORG_BEFORE.search(prev):
            continue  # "Công ty Lữ hành X Cave Trail": an organisation's name
        if _NAMED_AFTER.search(text[max(0, s - 30) : s]) or re.search(
            r"(?<!\w)cố\s(?:\w+\s){0,2}$", text[max(0, s - 30) : s]
        ):
            continue  # "Trường Chính trị Hoàng Văn Thụ", "Công ty X Y", "cố nhà báo A"
        if (
            len(text[s:e].split()) == 2
            and not re.match(r"[A-ZĐ]['’]", text[s:e])
            and _PLACE_BEFORE.search(text[max(0, s - 12) : s])
        ):
            continue  # "TP. Đồng Hới"
        if span[0] > 0 and run.group(0)[: span[0]].strip() in ("Ông", "Bà"):
            honorific = True
        elif span[0] > 0:
            honorific = False
        after, role_end = _role_after(text, e)
        before, before_start = _role_before(text, s) if not after else ("", -1)
        if not (honorific or after or before):
            continue
        role = after or before
        for abbr, full in abbrs.items():
            if abbr in role:
                role = re.sub(rf"(?<!\w){re.escape(abbr)}(?!\w)", full, role)
        at_honorific = run.start() - len(prev) + h.start() if h and span[0] == 0 else s
        mstart = before_start if before else at_honorific
        spoke = _speaking(text, mstart, role_end if after else e, bounds, with_role=bool(after))
        name = squeeze(text[s:e])
        person = people.setdefault(fold_fast(name), _Person(name))
        upper = sum(map(str.isupper, role))
        person.roles.append((len(role), bool(spoke), upper, -s, role))
        person.mentions[s] = (e, "after the name" if after else "before the name")
        if spoke and (person.first_spoke < 0 or s < person.first_spoke):
            person.first_spoke = s
            person.spoke_rule = spoke
    _merge_short_names(people)
    given: dict[str, list[str]] = {}
    for key in people:
        given.setdefault(key.split()[-1], []).append(key)
    for m in _SHORT.finditer(text):
        keys = given.get(fold_fast(m.group(1)), [])
        if len(keys) != 1:
            continue
        person = people[keys[0]]
        if (person.first_spoke < 0 or m.start() < person.first_spoke) and (
            spoke := _speaking(text, m.start(), m.end(), bounds)
        ):
            person.first_spoke = m.start()
            person.spoke_rule = "later mention by given name; " + spoke
    speakers = sorted(
        (p for p in people.values() if p.first_spoke >= 0), key=lambda p: p.first_spoke
    )
    out = [Speaker(p.name, _best_role(p)) for p in speakers]
    if why is not None:
        _explain(why, text, len(body), captions, speakers, out)
    return out


def _explain(
    why: list[Evidence],
    text: str,
    body_len: int,
    captions: list[str],
    people: list[_Person],
    speakers: list[Speaker],
) -> None:
    """Evidence for each speaker: the speaking mention's sentence and the role's mention."""
    for person, speaker in zip(people, speakers, strict=True):
        end = person.first_spoke + len(person.name)
        why.append(
            _at(
                text,
                body_len,
                captions,
                "speakers",
                speaker.name,
                person.first_spoke,
                end,
                person.spoke_rule,
            )
        )
        if not speaker.role:
            continue
        chosen = [r for r in person.roles if r[4] == speaker.role]
        start = -max(chosen)[3] if chosen else person.first_spoke
        name_end, how = person.mentions.get(start, (start + len(person.name), "after the name"))
        rule = f"role {how}; the fullest of {len(person.roles)} mention(s)"
        why.append(_at(text, body_len, captions, "speakers.role", speaker.role, start,
                       name_end, rule + f" (speaker {speaker.name})"))  # fmt: skip


def _at(
    text: str,
    body_len: int,
    captions: list[str],
    field_name: str,
    value: str,
    start: int,
    end: int,
    rule: str,
) -> Evidence:
    """Evidence at text[start:end] of `body + "\\n" + captions`: in the body or a caption."""
    if start < body_len:
        return quote(field_name, value, "body", text[:body_len], start, min(end, body_len), rule)
    pos = body_len
    for i, caption in enumerate(captions):
        if not caption:
            continue
        pos += 1
        if start < pos + len(caption):
            s, e = start - pos, min(end - pos, len(caption))
            return quote(field_name, value, "caption", caption, s, e, rule, image=i)
        pos += len(caption)
    return quote(field_name, value, "body", text[:body_len], 0, 0, rule)


def _best_role(person: _Person) -> str:
    """The fullest role; among spellings of the same role ("Uỷ"/"Ủy", "Phó trưởng"/"Phó
    Trưởng"), the better capitalised, the modern tone placement, then the earliest."""
    if not person.roles:
        return ""
    best = fold_fast(max(person.roles)[4])
    same = [r for r in person.roles if fold_fast(r[4]) == best]
    # better capitalised, then the modern tone placement ("Ủy", "Hóa"), then the earliest
    return max(same, key=lambda r: (r[2], -len(_OLD_TONES.findall(r[4])), r[3]))[4]


# Tone marks placed the old way ("uỷ", "hoà"): where an article writes a role both ways, the
# modern placement is kept.
_OLD_TONES = re.compile(r"(?i)u[ỷýỳũụ](?!\w)|o[àáảãạ](?!\w)|u[ỷýỳ](?=\s)")
