"""Legal and Party document numbering: how citations are written, their canonical form, and the
key search matches them by. `crawler.enrich.documents` finds the citations in an article.

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

from vnlang.text import fold

# Dashes as written between code parts: hyphen, en dash, em dash, minus, with optional spaces.
_D = r"\s?[-–—−]\s?"
# One code part: letters (Vietnamese included), digits after a letter, "&" ("TT&TT").
_CODE = r"[A-ZĐa-zđ][A-ZĐa-zđ0-9&]*"
# A numbered document, in one of three shapes (a number first, so that the scan is quick; a
# number glued to a preceding letter, digit, slash or dot is rejected after the match):
#   N/YYYY/CODE(-CODE)*  09/2017/NĐ-CP, 103/2016/QH13, 05/2008/TTLT-BKHCN-BNV  (group "y")
#   N-CODE/CODE          60-NQ/TW, 08-CT/TW, 57-KL/TW, 35-NQ/TU (Party)        (group "p")
#   N/CODE-CODE(-CODE)*  41/QĐ-UBND, 366/QĐ-TTg, 7288/UBND-KGVX (no year)     (group "n")
NUMBERED = re.compile(
    r"(\d{1,5})(?:"
    r"\s?/\s?(?P<year>(?:19|20)\d\d)\s?/\s?(?P<y>" + _CODE + r"(?:" + _D + _CODE + r")*)"
    r"|\s?[-–—]\s?(?P<p>" + _CODE + r")\s?/\s?(?P<issuer>" + _CODE + r")"
    r"|\s?/\s?(?P<n>" + _CODE + r"(?:" + _D + _CODE + r")+))"
)
# A document type word and its bare number: "Nghị định số 09", "Quyết định 1234".
TYPED = re.compile(
    r"\b(Nghị định|Quyết định|Chỉ thị|Nghị quyết|Thông tư|Kết luận|Kế hoạch|Công văn|Quy định|"
    r"NĐ|ND)\s+(số\s+)?(\d{1,5})(?:\s?/\s?((?:19|20)\d\d))?(?![\d/–—-])"
)
# Laws by name, with an optional year or number: "Luật Báo chí năm 2016", "Luật An ninh mạng".
LAW_NAMES = (
    "Báo chí|Tiếp cận thông tin|An ninh mạng|An toàn thông tin mạng|Bảo vệ bí mật nhà nước|"
    "Xuất bản|Quảng cáo|Viễn thông|Công nghệ thông tin|Giao dịch điện tử|Phòng, chống tham nhũng|"
    "Cán bộ, công chức|Ban hành văn bản quy phạm pháp luật|Sở hữu trí tuệ|Điện ảnh|Dữ liệu|"
    "Bảo vệ dữ liệu cá nhân|Tổ chức chính quyền địa phương|Thi đua, khen thưởng|Thư viện|"
    "Tín ngưỡng, tôn giáo|Dân chủ ở cơ sở|Thực hiện dân chủ ở cơ sở|Khiếu nại|Tố cáo|Trẻ em"
)
LAW = re.compile(
    r"\bluật\s+(" + LAW_NAMES + r")(?!\w)"
    r"(?:\s*(?:\(\s*sửa đổi\s*\)\s*)?(?:năm\s+)?((?:19|20)\d\d)(?!\d))?"
    r"(?:\s*\(?\s*(?:luật\s+)?(?:số\s+)?\d{1,4}\s?/\s?((?:19|20)\d\d)\s?/\s?QH\d+\s*\)?)?",
    re.IGNORECASE,
)
# Any other law, when its year closes the name: "Luật Lâm nghiệp năm 2017", "Luật Đất đai 2024".
LAW_DATED = re.compile(
    r"\bLuật\s+([A-ZĐÂĂÊÔƠƯ][^\W\d_]*(?:\s+[a-zđ\u00e0-\u1ef9][^\W\d_]*){0,4}?)"
    r"\s+(?:năm\s+)?((?:19|20)\d\d)(?!\d)"
)
# Folded law name -> its spelling in canonical form ("luật báo chí" -> "Báo chí").
LAW_CANON = {fold(n): n for n in LAW_NAMES.split("|")}
# Code parts whose spelling varies (no đ, lower case) -> the official spelling.
_CODE_FIX = {
    "nd": "NĐ", "qd": "QĐ", "ttg": "TTg", "hdnd": "HĐND", "ubnd": "UBND", "cp": "CP",
    "tw": "TW", "tu": "TU", "hu": "HU", "du": "ĐU", "qh": "QH", "ubtvqh": "UBTVQH",
}  # fmt: skip
# Codes a Party document ends with ("/TW"), to tell "60-NQ/TW" from a phone or date.
PARTY_ISSUERS = {"tw", "tu", "hu", "du", "bcsd", "btgtw", "vptw", "bct", "ubkttw"}
# Type word -> its code ("Nghị định 09/2017" is always 09/2017/NĐ-CP).
TYPE_CODE = {
    "Nghị định": "NĐ", "Quyết định": "QĐ", "Chỉ thị": "CT", "Nghị quyết": "NQ",
    "Thông tư": "TT", "Kết luận": "KL", "Kế hoạch": "KH", "Công văn": "CV", "Quy định": "QĐ",
    "NĐ": "NĐ", "ND": "NĐ",
}  # fmt: skip


def is_party_issuer(code: str) -> bool:
    """Does a document's issuer code make it a Party document ("TW", "TU", "BTGTU", "HU")?"""
    key = fold(code)
    return key in PARTY_ISSUERS or key.endswith(("tw", "tu", "hu"))


def number_form(n: str) -> str:
    """Official numbering: leading zeros dropped, then numbers under 10 padded to two digits."""
    return n.lstrip("0").rjust(2, "0") if n.strip("0") else n


def code_form(part: str) -> str:
    key = fold(part)
    if key in _CODE_FIX:
        return _CODE_FIX[key]
    m = re.fullmatch(r"(qh|ubtvqh)(\d+)", key)
    if m:
        return _CODE_FIX[m.group(1)] + m.group(2)
    return part.replace("đ", "Đ").upper() if part.islower() else part


def codes_form(text: str) -> str:
    return "-".join(code_form(p) for p in re.split(r"\s?[-–—−]\s?", text.strip()))


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
