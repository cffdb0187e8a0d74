"""Event dates: the first event-like date of the lead; nothing invented."""

from __future__ import annotations

import pytest

from crawler.enrich.dates import extract_event_date

LEAD = ", Sở Thông tin và Truyền thông tổ chức hội nghị tập huấn công tác phát ngôn."


@pytest.mark.parametrize(
    ("opening", "published", "expected"),
    [
        ("Chiều ngày 23/9/2022", None, "2022-09-23"),
        ("Sáng 6/4/2021", "2021-04-08", "2021-04-06"),
        ("Ngày 27/9/2022", None, "2022-09-27"),
        ("Ngày 27-9-2022", None, "2022-09-27"),
        ("Ngày 27.9.2022", None, "2022-09-27"),
        ("Ngày 25/11", "2023-11-26", "2023-11-25"),
        ("Ngày 25/11", None, None),  # no year and nothing to take it from
        ("Ngày 28/12", "2024-01-03T09:00:00+07:00", "2023-12-28"),
        ("Ngày 25/11", "2024-07-01", None),  # more than half a year before: ambiguous
        ("Sáng nay (9/11)", "2023-11-09", "2023-11-09"),
        ("ngày 12 tháng 3 năm 2025", None, "2025-03-12"),
        ("Ngày 12 tháng 3", "2025-03-14", "2025-03-12"),
        ("Trong hai ngày 20 và 21/10/2022", None, "2022-10-20"),
        ("Từ ngày 10 đến 12/5/2023", None, "2023-05-10"),
        ("Trong 2 ngày 8-9/9/2025", "2025-09-10", "2025-09-08"),
        ("Sáng 23/9/204", None, None),  # a typo'd year: nothing is invented
        ("Chiều 14.9", "2022-09-15", "2022-09-14"),  # a dot or dash after an opener
        ("Sáng 5-7", "2024-07-05", "2024-07-05"),
        ("Trong hai ngày 25 và 26 tháng 11 năm 2021", None, "2021-11-25"),
        ("Ngày 30/2/2023", None, None),  # impossible
        ("Ngày 3/10/2023", "2023-09-01", None),  # after publication
        ("Ngày 3/10/2099", None, None),  # after today
        ("Ngày 23/9/22", None, "2022-09-23"),
        ("Trong 2 ngày 13 và 14-1", "2026-01-14", "2026-01-13"),  # the month after a dash
        ("Trong 2 ngày 15 và 16.10", "2024-10-16", "2024-10-15"),
        ("Sau 3 ngày học tập (từ 5-7/9), chiều 7/9", "2023-09-08", "2023-09-05"),  # "từ" opens
    ],
)
def test_date_styles(opening: str, published: str | None, expected: str | None) -> None:
    assert extract_event_date(opening + LEAD, published) == expected


def test_document_dates_are_not_event_dates() -> None:
    text = (
        "Thực hiện Nghị định số 09/2017/NĐ-CP ngày 09/02/2017 của Chính phủ và Kế hoạch số "
        "130/KH-UBND ngày 15/3/2023, sáng 6/4/2023 Sở tổ chức hội nghị tập huấn."
    )
    assert extract_event_date(text, None) == "2023-04-06"


def test_dateline_is_not_the_event() -> None:
    text = "4/8/2021 3:02:00 AM\nSáng 6/4/2021, Sở Thông tin và Truyền thông Thanh Hóa phối hợp."
    assert extract_event_date(text, "2021-04-08") == "2021-04-06"


def test_fraction_in_the_lead_is_not_a_date() -> None:
    text = "Hơn 2/3 đại biểu là người phát ngôn của các sở, ngành.\nChiều 14/6, hội nghị bế mạc."
    assert extract_event_date(text, "2023-07-01") == "2023-06-14"


def test_later_body_date_needs_an_event_word() -> None:
    text = (
        "Sở Thông tin và Truyền thông vừa tổ chức hội nghị tập huấn cho người phát ngôn.\n"
        "Theo báo cáo, đến 30/6/2023 đã có 120 người được tập huấn.\n"
        "Hội nghị diễn ra trong ngày 14/7/2023 tại hội trường UBND tỉnh."
    )
    assert extract_event_date(text, None) == "2023-07-14"


def test_title_date() -> None:
    assert extract_event_date("Hội nghị diễn ra.", "2023-11-10", "Sáng nay (9/11): tập huấn") == (
        "2023-11-09"
    )


def test_no_date() -> None:
    assert extract_event_date("Nông dân đang thu hoạch lúa Hè Thu.", "2023-07-28") is None
