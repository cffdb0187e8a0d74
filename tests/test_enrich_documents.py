"""Documents: canonical forms in order of first mention, and the search key."""

from __future__ import annotations

import pytest

from crawler.enrich.documents import extract_documents
from vnlang.legaldocs import match_key


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("theo Nghị định số 09/2017/NĐ-CP của Chính phủ", ["09/2017/NĐ-CP"]),
        ("Nghị định 9/2017/ND-CP", ["09/2017/NĐ-CP"]),
        ("Nghị định 09/2017/NĐ–CP", ["09/2017/NĐ-CP"]),
        ("Nghị định 09 / 2017 / NĐ - CP", ["09/2017/NĐ-CP"]),
        ("Nghị định số 09/2017", ["09/2017/NĐ-CP"]),
        ("Nghị định số 09 của Chính phủ", ["Nghị định 09"]),
        ("Quyết định số 41/QĐ-UBND ngày 5/1/2023", ["41/QĐ-UBND"]),
        ("Quyết định 366/QD-TTG", ["366/QĐ-TTg"]),
        ("Công văn số 7288/UBND-KGVX", ["7288/UBND-KGVX"]),
        ("Nghị quyết 60-NQ/TW", ["60-NQ/TW"]),
        ("Chỉ thị số 08-CT/TW của Ban Bí thư", ["08-CT/TW"]),
        ("Kết luận 57–KL/TW", ["57-KL/TW"]),
        ("Quy định số 110-QĐ/TW", ["110-QĐ/TW"]),
        ("Nghị quyết 202/2025/QH15", ["202/2025/QH15"]),
        ("Thông tư liên tịch 05/2008/TTLT-BKHCN-BNV", ["05/2008/TTLT-BKHCN-BNV"]),
        ("vi phạm Luật Báo chí", ["Luật Báo chí"]),
        ("Luật báo chí năm 2016", ["Luật Báo chí 2016"]),
        ("Luật Báo chí 2016 (Luật số 103/2016/QH13)", ["Luật Báo chí 2016"]),
        ("Luật Báo chí và Luật Tiếp cận thông tin", ["Luật Báo chí", "Luật Tiếp cận thông tin"]),
        ("theo Luật Lâm nghiệp năm 2017", ["Luật Lâm nghiệp 2017"]),
        ("Công ước Liên hợp quốc về Luật Biển năm 1982", []),
    ],
)
def test_canonical_forms(text: str, expected: list[str]) -> None:
    assert extract_documents(text) == expected


def test_order_dedup_and_short_forms() -> None:
    text = (
        "Theo Nghị định 72/2015/NĐ-CP và Luật Báo chí, ... Nghị định số 72 quy định rõ. "
        "Luật Báo chí năm 2016 cũng vậy. Nghị định 72/2015/ND-CP."
    )
    assert extract_documents(text) == ["72/2015/NĐ-CP", "Luật Báo chí 2016"]


@pytest.mark.parametrize(
    "text",
    [
        "Sáng 23/9/2022, ngày 09/02/2017, giai đoạn 2020 – 2025, năm 2020-2025",
        "COVID-19, tỷ lệ 2/3, 7 tấn/ha, 24/7, Cổng/Trang TTĐT, 63 Sở TTTT",
        "Kế hoạch năm 2025, Kế hoạch 2025",
        "Nghị quyết Đại hội XIII của Đảng",
    ],
)
def test_not_documents(text: str) -> None:
    assert extract_documents(text) == []


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("09/2017/NĐ-CP", "9/2017/nd-cp"),
        ("9/2017/ND-CP", "9/2017/nd-cp"),
        ("Nghị định 09/2017/NĐ-CP", "9/2017/nd-cp"),
        ("Nghị định số 09/2017/NĐ–CP", "9/2017/nd-cp"),
        ("09 / 2017 / NĐ - CP", "9/2017/nd-cp"),
        ("09/2017", "9/2017"),
        ("60-NQ/TW", "60-nq/tw"),
        ("Chỉ thị số 08-CT/TW", "8-ct/tw"),
        ("Luật Báo chí 2016", "luat bao chi 2016"),
        ("luat bao chi", "luat bao chi"),
        ("Nghị định 09", "nghi dinh 9"),
    ],
)
def test_match_key(query: str, key: str) -> None:
    assert match_key(query) == key


@pytest.mark.parametrize("query", ["", "  ", "-", "*"])
def test_match_key_empty(query: str) -> None:
    assert match_key(query) is None


def matches(doc: str, query: str) -> bool:
    """The search rule documented in vnlang.legaldocs."""
    d, q = match_key(doc), match_key(query)
    assert d is not None and q is not None
    return d == q or d.startswith(q + "/") or d.startswith(q + " ")


@pytest.mark.parametrize(
    ("doc", "query", "ok"),
    [
        ("09/2017/NĐ-CP", "09/2017", True),
        ("09/2017/NĐ-CP", "9/2017/ND-CP", True),
        ("09/2017/NĐ-CP", "Nghị định 09/2017/NĐ-CP", True),
        ("09/2017/NĐ-CP", "09/2017/NĐ–CP", True),
        ("09/2017/NĐ-CP", "9/201", False),
        ("09/2017/NĐ-CP", "19/2017", False),
        ("Luật Báo chí 2016", "Luật Báo chí", True),
        ("Luật Báo chí", "luat bao chi", True),
        ("Luật Báo chí 2016", "Luật Xuất bản", False),
        ("Luật Báo chí 2016", "Luật Báo chí 2025", False),
    ],
)
def test_search_rule(doc: str, query: str, ok: bool) -> None:
    assert matches(doc, query) is ok


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("thực hiện NĐ 72/2015 về thông tin đối ngoại", ["72/2015/NĐ-CP"]),
        ("theo ND 9/2017 của Chính phủ", ["09/2017/NĐ-CP"]),
        ("theo Hướng dẫn số 12-HD/BTGTU của Ban Tuyên giáo", ["12-HD/BTGTU"]),
        ("UBND các quận, huyện và NĐ 72 chưa rõ", []),  # a bare abbreviation is not enough
    ],
)
def test_short_forms_and_party_issuers(text: str, expected: list[str]) -> None:
    assert extract_documents(text) == expected
