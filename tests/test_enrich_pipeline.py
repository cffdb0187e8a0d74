"""enrich(): the Vietnamese rules together on an Extracted article."""

from __future__ import annotations

import time

from crawler.enrich.enrich_article import enrich
from indexer.model import Extracted, Image, Speaker

BODY = (
    "Chiều ngày 23/9/2022, Sở Thông tin và Truyền thông tỉnh Hà Nam tổ chức hội nghị tập huấn "
    "công tác thông tin đối ngoại, kỹ năng phát ngôn và cung cấp thông tin cho báo chí.\n"
    "Tại hội nghị, các đại biểu được nghe đồng chí Nguyễn Văn Hiếu - Phó Cục trưởng Cục Báo chí "
    "phổ biến Nghị định số 09/2017/NĐ-CP và kinh nghiệm xử lý khủng hoảng truyền thông.\n"
    "Dự hội nghị có đồng chí Nguyễn Đức Cường - Phó Giám đốc Sở Thông tin và Truyền thông."
)


def test_enrich_everything() -> None:
    ex = Extracted(
        url="https://hanam.gov.vn/a",
        title="Tập huấn công tác thông tin đối ngoại, kỹ năng phát ngôn",
        body=BODY,
        images=[
            Image(
                "https://hanam.gov.vn/1.jpg",
                "Đồng chí Nguyễn Duy Tuấn - Giám đốc Sở "
                "Thông tin và Truyền thông phát biểu khai mạc hội nghị",
            )
        ],
    )
    got = enrich(ex, source_province="Hà Nam")
    assert (got.province, got.province_now) == ("Hà Nam", "Ninh Bình")
    assert got.event_date == "2022-09-23"
    assert got.speakers == [
        Speaker("Nguyễn Văn Hiếu", "Phó Cục trưởng Cục Báo chí"),
        Speaker("Nguyễn Duy Tuấn", "Giám đốc Sở Thông tin và Truyền thông"),
    ]
    assert got.decrees == ["09/2017/NĐ-CP"]
    assert got.relevant is True
    assert got.topics == [
        "phát ngôn",
        "cung cấp thông tin cho báo chí",
        "thông tin đối ngoại",
        "khủng hoảng truyền thông",
    ]


def test_after_the_merger_the_new_unit_is_the_province() -> None:
    ex = Extracted(
        url="https://x.vn/b",
        title="Tập huấn kỹ năng phát ngôn",
        body="Ngày 19/8, Sở Văn hóa, Thể thao và Du lịch tỉnh Hà Nam cũ tổ chức tập huấn.",
        published="2025-08-20T09:00:00+07:00",
    )
    got = enrich(ex)
    assert (got.province, got.province_now, got.event_date) == (
        "Ninh Bình",
        "Ninh Bình",
        "2025-08-19",
    )


def test_nothing_invented_on_an_empty_article() -> None:
    got = enrich(Extracted(url="https://x.vn/c", title="", body=""))
    assert (got.province, got.province_now, got.event_date) == (None, None, None)
    assert (got.speakers, got.decrees, got.relevant, got.topics) == ([], [], False, [])


def test_non_nfc_input_is_normalised() -> None:
    import unicodedata

    ex = Extracted(
        url="https://x.vn/d",
        title=unicodedata.normalize("NFD", "Thanh Hóa tập huấn phát ngôn"),
        body=unicodedata.normalize("NFD", "Sáng 6/4/2021, Sở TTTT Thanh Hóa tổ chức tập huấn."),
    )
    got = enrich(ex)
    assert got.province == "Thanh Hóa" and got.event_date == "2021-04-06"


def test_fast_enough_for_the_crawl() -> None:
    ex = Extracted(url="https://x.vn/e", title="Tập huấn", body="\n".join([BODY] * 12))
    assert len(ex.body.split()) > 1000
    enrich(ex)
    start = time.perf_counter()
    for _ in range(20):
        enrich(ex)
    assert (time.perf_counter() - start) / 20 < 0.05  # generous: the bench measures ~3 ms
