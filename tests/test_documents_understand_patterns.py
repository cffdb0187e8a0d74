"""General layout patterns of administrative documents that `understand` reads (found on the
independent development set; texts here are made up for the tests)."""

from __future__ import annotations

from crawler.documents.understand import understand

HEADER_UNIT = """UBND TỈNH KON TUM CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
SỞ TƯ PHÁP Độc lập - Tự do - Hạnh phúc
Số: 77/KH-STP Kon Tum, ngày 3 tháng 4 năm 2023
KẾ HOẠCH
Tập huấn nghiệp vụ năm 2023
II- NỘI DUNG
1- Lớp tập huấn kỹ năng soạn thảo văn bản
a) Đối tượng: Công chức các phòng
b) Thời gian: Quý III/2023.
2) Bồi dưỡng kiến thức tổ chức họp báo cho cán bộ
- Thời gian: Tháng 10/2023.
Nơi nhận:
- Lưu: VT.
KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC
(Đã ký)
Đặng Văn Tư
"""

BARE_COMMITTEE = """ỦY BAN NHÂN DÂN
HUYỆN ĐỨC CƠ
Số: 12/QĐ-UBND
Đức Cơ, ngày 2 tháng 5 năm 2024
QUYẾT ĐỊNH
Về việc chỉ định người phát ngôn
Điều 1. Chỉ định người phát ngôn của UBND huyện.
Nơi nhận:
- Sở TT&TT tỉnh Gia Lai;
- UBND tỉnh Gia Lai;
CHỦ TỊCH
Đỗ Văn Mạnh
DANH SÁCH NGƯỜI PHÁT NGÔN
STT | Họ và tên | Chức vụ
1 | Ông Phan Văn Đức | Chánh Văn phòng
2 | Trần Thị Én | Trưởng phòng Văn hóa
"""

PARTY = """TỈNH ỦY BÌNH ĐỊNH
BAN TUYÊN GIÁO
*
Số 9-BC/BTGTU
ĐẢNG CỘNG SẢN VIỆT NAM
Bình Định, ngày 5 tháng 12 năm 2023
BÁO CÁO
Kết quả công tác năm 2023
b) Tổ chức 02 lớp bồi dưỡng kỹ năng phát ngôn cho cán bộ cấp xã:
- Lớp 1: ngày 10/9/2023 tại huyện An Lão, 50 học viên;
- Lớp 2: ngày 12/9/2023 tại huyện Hoài Nhơn, 60 học viên.
- Trong 02 ngày 09 - 10/10/2023, tổ chức Lớp bồi dưỡng kỹ năng phát ngôn và cung cấp thông tin cho báo chí cho 80 học viên, tổng số 80 học viên.
Tổng số năm 2023 đã tổ chức 03 lớp với 190 lượt cán bộ tham gia.
K/T TRƯỞNG BAN
PHÓ TRƯỞNG BAN
Lê Văn Lộc
"""


def test_issuer_a_unit_under_its_parent_on_a_flattened_header() -> None:
    f = understand(HEADER_UNIT)
    assert f.issuer == "Sở tư pháp tỉnh Kon Tum"
    assert f.province == "Kon Tum"


def test_signature_role_above_the_signed_mark() -> None:
    f = understand(HEADER_UNIT)
    assert (f.signer, f.signer_role) == ("Đặng Văn Tư", "Phó Giám đốc")


def test_items_with_dash_numbers_and_lettered_fields() -> None:
    f = understand(HEADER_UNIT)
    assert [(p.topic, p.start) for p in f.planned] == [
        ("Lớp tập huấn kỹ năng soạn thảo văn bản", "2023-07-01"),
        ("Bồi dưỡng kiến thức tổ chức họp báo cho cán bộ", "2023-10-01"),
    ]
    assert f.planned[0].audience == "Công chức các phòng"


def test_bare_committee_with_its_place_below_and_province_named_in_text() -> None:
    f = understand(BARE_COMMITTEE)
    assert f.issuer is not None and f.issuer.lower() == "ủy ban nhân dân huyện đức cơ"
    assert f.province == "Gia Lai"


def test_signature_before_an_annex_and_people_in_a_table() -> None:
    f = understand(BARE_COMMITTEE)
    assert f.signer == "Đỗ Văn Mạnh"
    assert [(p.name, p.role) for p in f.spokespeople] == [
        ("Phan Văn Đức", "Chánh Văn phòng"),
        ("Trần Thị Én", "Trưởng phòng Văn hóa"),
    ]


def test_party_header_classes_listed_under_a_lead_ranges_and_stated_total() -> None:
    f = understand(PARTY)
    assert f.issuer == "Ban tuyên giáo Tỉnh ủy Bình Định"
    assert (f.signer, f.signer_role) == ("Lê Văn Lộc", "Phó Trưởng ban")
    held = [(h.topic, h.date, h.attendance) for h in f.held]
    assert held[0][1:] == ("2023-09-10", 50)
    assert "Lớp 1" in held[0][0] and "phát ngôn" in held[0][0]
    assert held[2][:2] == (
        "Lớp bồi dưỡng kỹ năng phát ngôn và cung cấp thông tin cho báo chí",
        "2023-10-09",
    )
    assert f.totals["attendees"] == 190


OTHER_SUBJECT = """UBND TỈNH GIA LAI
SỞ NỘI VỤ
Số: 5/BC-SNV
Gia Lai, ngày 1 tháng 12 năm 2024
BÁO CÁO
Kết quả công tác cải cách hành chính năm 2024
- Ngày 11/4/2024, tổ chức Hội nghị tập huấn nghiệp vụ kiểm soát thủ tục hành chính cho 160 cán bộ.
- Ngày 12/5/2024, tổ chức Lớp bồi dưỡng kỹ năng phát ngôn cho 40 cán bộ.
- Trong tháng 10/2024, tổ chức 02 lớp tập huấn nghiệp vụ thông tin đối ngoại, thu hút 90 lượt học viên.
GIÁM ĐỐC
Phan Thị Lụa
"""

WRAPPED_TABLE = """KẾ HOẠCH
Tập huấn phát ngôn năm 2023
TT | Nội dung | Đối tượng | Thời gian | Địa điểm | Số lượng
1 | Bồi dưỡng kỹ năng phát ngôn | Người phát ngôn | Tháng 4/2023 | Thành phố Pleiku |
120 người
2 | Tập huấn nghiệp vụ thông tin đối ngoại | Cán bộ các huyện | Quý II/2023 | Thị xã An Khê | 100 người
"""


def test_a_report_on_another_subject_keeps_only_trainings_naming_the_work() -> None:
    f = understand(OTHER_SUBJECT)
    assert [h.date for h in f.held] == ["2024-05-12", None]
    assert f.held[1].attendance == 90
    assert f.held[1].topic == "02 lớp tập huấn nghiệp vụ thông tin đối ngoại"


def test_a_table_row_whose_last_cell_wrapped_keeps_the_rows_after_it() -> None:
    f = understand(WRAPPED_TABLE)
    assert [(p.topic, p.start, p.place) for p in f.planned] == [
        ("Bồi dưỡng kỹ năng phát ngôn", "2023-04-01", "Thành phố Pleiku"),
        ("Tập huấn nghiệp vụ thông tin đối ngoại", "2023-04-01", "Thị xã An Khê"),
    ]
