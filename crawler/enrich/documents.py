"""Legal and Party documents cited in a text, in canonical form, and the key search matches them by.

Canonical forms (vn_legal_and_admin.md): `09/2017/NĐ-CP`, `41/QĐ-UBND`, `7288/UBND-KGVX`,
`60-NQ/TW`, `103/2016/QH13`, `Luật Báo chí 2016` (`Luật Báo chí` when no year is given) and, for
a number cited without its code, `Nghị định 09` (no year is invented). Numbers under 10 take the
official leading zero; `ND`/`QD`/`TTG`/`HDND` become `NĐ`/`QĐ`/`TTg`/`HĐND`; dashes become `-`.

`match_key` gives search a normalised key, compared by token-bounded prefix: a document matches
a query when `doc_key == q or doc_key.startswith(q + "/") or doc_key.startswith(q + " ")`.
    match_key("09/2017/NĐ-CP") == match_key("Nghị định số 9/2017/ND–CP") == "9/2017/nd-cp"
    match_key("09/2017") == "9/2017"              (a prefix of the above, at a "/")
    match_key("Luật Báo chí 2016") == "luat bao chi 2016"
    match_key("Luật Báo chí") == "luat bao chi"   (a prefix of the above, at a " ")
"""

from __future__ import annotations

import re

from crawler.enrich.vietnamese import fold

# Dashes as written between code parts: hyphen, en dash, em dash, minus, with optional spaces.
_D = r"\s?[-–—−]\s?"
# One code part: letters (Vietnamese included), digits after a letter, "&" ("TT&TT").
_CODE = r"[A-ZĐa-zđ][A-ZĐa-zđ0-9&]*"
# A numbered document, in one of three shapes (a number first, so that the scan is quick; a
# number glued to a preceding letter, digit, slash or dot is rejected after the match):
#   N/YYYY/CODE(-CODE)*  09/2017/NĐ-CP, 103/2016/QH13, 05/2008/TTLT-BKHCN-BNV  (group "y")
#   N-CODE/CODE          60-NQ/TW, 08-CT/TW, 57-KL/TW, 35-NQ/TU (Party)        (group "p")
#   N/CODE-CODE(-CODE)*  41/QĐ-UBND, 366/QĐ-TTg, 7288/UBND-KGVX (no year)     (group "n")
_NUMBERED = re.compile(
    r"(\d{1,5})(?:"
    r"\s?/\s?(?P<year>(?:19|20)\d\d)\s?/\s?(?P<y>" + _CODE + r"(?:" + _D + _CODE + r")*)"
    r"|\s?[-–—]\s?(?P<p>" + _CODE + r")\s?/\s?(?P<issuer>" + _CODE + r")"
    r"|\s?/\s?(?P<n>" + _CODE + r"(?:" + _D + _CODE + r")+))"
)
# A document type word and its bare number: "Nghị định số 09", "Quyết định 1234".
_TYPED = re.compile(
    r"\b(Nghị định|Quyết định|Chỉ thị|Nghị quyết|Thông tư|Kết luận|Kế hoạch|Công văn|Quy định)"
    r"\s+(số\s+)?(\d{1,5})(?:\s?/\s?((?:19|20)\d\d))?(?![\d/–—-])"
)
# Laws by name, with an optional year or number: "Luật Báo chí năm 2016", "Luật An ninh mạng".
_LAW_NAMES = (
    "Báo chí|Tiếp cận thông tin|An ninh mạng|An toàn thông tin mạng|Bảo vệ bí mật nhà nước|"
    "Xuất bản|Quảng cáo|Viễn thông|Công nghệ thông tin|Giao dịch điện tử|Phòng, chống tham nhũng|"
    "Cán bộ, công chức|Ban hành văn bản quy phạm pháp luật|Sở hữu trí tuệ|Điện ảnh|Dữ liệu|"
    "Bảo vệ dữ liệu cá nhân|Tổ chức chính quyền địa phương|Thi đua, khen thưởng|Thư viện|"
    "Tín ngưỡng, tôn giáo|Dân chủ ở cơ sở|Thực hiện dân chủ ở cơ sở|Khiếu nại|Tố cáo|Trẻ em"
)
_LAW = re.compile(
    r"\bluật\s+(" + _LAW_NAMES + r")(?!\w)"
    r"(?:\s*(?:\(\s*sửa đổi\s*\)\s*)?(?:năm\s+)?((?:19|20)\d\d)(?!\d))?"
    r"(?:\s*\(?\s*(?:luật\s+)?(?:số\s+)?\d{1,4}\s?/\s?((?:19|20)\d\d)\s?/\s?QH\d+\s*\)?)?",
    re.IGNORECASE,
)
# Any other law, when its year closes the name: "Luật Lâm nghiệp năm 2017", "Luật Đất đai 2024".
_LAW_DATED = re.compile(
    r"\bLuật\s+([A-ZĐÂĂÊÔƠƯ][^\W\d_]*(?:\s+[a-zđ\u00e0-\u1ef9][^\W\d_]*){0,4}?)"
    r"\s+(?:năm\s+)?((?:19|20)\d\d)(?!\d)"
)
# Folded law name -> its spelling in canonical form ("luật báo chí" -> "Báo chí").
_LAW_CANON = {fold(n): n for n in _LAW_NAMES.split("|")}
# Code parts whose spelling varies (no đ, lower case) -> the official spelling.
_CODE_FIX = {
    "nd": "NĐ", "qd": "QĐ", "ttg": "TTg", "hdnd": "HĐND", "ubnd": "UBND", "cp": "CP",
    "tw": "TW", "tu": "TU", "hu": "HU", "du": "ĐU", "qh": "QH", "ubtvqh": "UBTVQH",
}  # fmt: skip
# Codes a Party document ends with ("/TW"), to tell "60-NQ/TW" from a phone or date.
_PARTY_ISSUERS = {"tw", "tu", "hu", "du", "bcsd", "btgtw", "vptw", "bct", "ubkttw"}
# Type word -> its code ("Nghị định 09/2017" is always 09/2017/NĐ-CP).
_TYPE_CODE = {
    "Nghị định": "NĐ", "Quyết định": "QĐ", "Chỉ thị": "CT", "Nghị quyết": "NQ",
    "Thông tư": "TT", "Kết luận": "KL", "Kế hoạch": "KH", "Công văn": "CV", "Quy định": "QĐ",
}  # fmt: skip


def _num(n: str) -> str:
    """Official numbering: leading zeros dropped, then numbers under 10 padded to two digits."""
    return n.lstrip("0").rjust(2, "0") if n.strip("0") else n


def _code(part: str) -> str:
    key = fold(part)
    if key in _CODE_FIX:
        return _CODE_FIX[key]
    m = re.fullmatch(r"(qh|ubtvqh)(\d+)", key)
    if m:
        return _CODE_FIX[m.group(1)] + m.group(2)
    return part.replace("đ", "Đ").upper() if part.islower() else part


def _codes(text: str) -> str:
    return "-".join(_code(p) for p in re.split(r"\s?[-–—−]\s?", text.strip()))


def _spans_overlap(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    return any(a < e and s < b for a, b in spans)


def extract_documents(text: str) -> list[str]:
    """Canonical names of the documents cited, deduplicated, in order of first mention."""
    # (position, canonical form, type code of a numbered document, for "Nghị định 09")
    found: list[tuple[int, str, str]] = []
    spans: list[tuple[int, int]] = []
    for m in _LAW.finditer(text):
        year = m.group(2) or m.group(3)
        name = _LAW_CANON[fold(m.group(1))]
        found.append((m.start(), f"Luật {name}" + (f" {year}" if year else ""), ""))
        spans.append(m.span())
    for m in _LAW_DATED.finditer(text):
        # "Công ước Liên hợp quốc về Luật Biển năm 1982": part of another document's name.
        if not _spans_overlap(spans, *m.span()) and not text[: m.start()].endswith("về "):
            found.append((m.start(), f"Luật {m.group(1)} {m.group(2)}", ""))
            spans.append(m.span())
    for m in _NUMBERED.finditer(text):
        before = text[m.start() - 1] if m.start() else " "
        if before.isalnum() or before in "/.,-_" or _spans_overlap(spans, *m.span()):
            continue
        number = _num(m.group(1))
        if m.group("y"):
            codes = _codes(m.group("y"))
            found.append((m.start(), f"{number}/{m.group('year')}/{codes}", codes.split("-")[0]))
        elif m.group("p"):
            if fold(m.group("issuer")) not in _PARTY_ISSUERS:
                continue
            found.append(
                (m.start(), f"{number}-{_code(m.group('p'))}/{_code(m.group('issuer'))}", "")
            )
        elif any(c.isupper() for c in m.group("n")):
            codes = _codes(m.group("n"))
            found.append((m.start(), f"{number}/{codes}", codes.split("-")[0]))
        else:
            continue
        spans.append(m.span())
    numbered = {(c, doc.split("/")[0].split("-")[0]) for _, doc, c in found if c}
    for m in _TYPED.finditer(text):
        if _spans_overlap(spans, *m.span()):
            continue
        kind, number, year = m.group(1), _num(m.group(3)), m.group(4)
        if len(m.group(3)) == 4 and not m.group(2) and m.group(3)[:2] in ("19", "20"):
            continue  # "Kế hoạch 2025": a year, not a number
        code = _TYPE_CODE[kind]
        if kind == "Nghị định" and year:
            found.append((m.start(), f"{number}/{year}/NĐ-CP", code))
        elif (code, number) not in numbered:
            found.append((m.start(), f"{kind} {number}" + (f"/{year}" if year else ""), ""))
    found.sort()
    out: list[str] = []
    for _, doc, _ in found:
        if doc not in out:
            out.append(doc)
    # "Luật Báo chí" and "Luật Báo chí 2016" are one law: keep the dated form where the first was.
    dated = {d.rsplit(" ", 1)[0]: d for d in out if d.startswith("Luật ") and d[-4:].isdigit()}
    result: list[str] = []
    for doc in out:
        doc = dated.get(doc, doc)
        if doc not in result:
            result.append(doc)
    return result


# Filler words of a citation that a key ignores ("Nghị định số 09/2017/NĐ-CP ngày ...").
_KEY_NOISE = re.compile(r"\b(?:so|ngay)\b")
# A numbered document inside folded text: 9/2017/nd-cp, 41/qd-ubnd, 60-nq/tw, 9/2017.
_KEY_NUMBERED = re.compile(r"\d+(?:\s?[/-]\s?[a-z0-9&]+)+")


def match_key(text: str) -> str | None:
    """The key search compares documents by (see the module docstring); None for empty text."""
    folded = fold(text).replace("–", "-").replace("—", "-").replace("−", "-")
    m = _KEY_NUMBERED.search(folded)
    if m:
        token = re.sub(r"\s", "", m.group(0))
        return re.sub(r"(?<![a-z0-9])0+(?=\d)", "", token)
    words = re.findall(r"[a-z0-9]+", _KEY_NOISE.sub(" ", folded))
    if not words:
        return None
    return " ".join(w.lstrip("0") or "0" if w.isdigit() else w for w in words)
