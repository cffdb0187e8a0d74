"""The gazetteer: spelling variants, the 2025 merger, search units, and province detection."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from crawler.enrich.provinces import detect_province
from vnlang.gazetteer import DATA, all_provinces, lookup, province_at, search_units

SHARED = Path(__file__).parents[1].parent / "shared"


@pytest.mark.parametrize(
    ("spelling", "name"),
    [
        ("Thanh Hóa", "Thanh Hóa"),
        ("Thanh Hoá", "Thanh Hóa"),
        ("thanh hoa", "Thanh Hóa"),
        ("tỉnh Thanh Hóa", "Thanh Hóa"),
        ("Tỉnh THANH HÓA", "Thanh Hóa"),
        ("Hoà Bình", "Hòa Bình"),
        ("Khánh Hoà", "Khánh Hòa"),
        ("TP.HCM", "Thành phố Hồ Chí Minh"),
        ("TP HCM", "Thành phố Hồ Chí Minh"),
        ("Tp. Hồ Chí Minh", "Thành phố Hồ Chí Minh"),
        ("thành phố Hồ Chí Minh", "Thành phố Hồ Chí Minh"),
        ("HCM", "Thành phố Hồ Chí Minh"),
        ("Sài Gòn", "Thành phố Hồ Chí Minh"),
        ("BR-VT", "Bà Rịa - Vũng Tàu"),
        ("Bà Rịa–Vũng Tàu", "Bà Rịa - Vũng Tàu"),
        ("ba ria vung tau", "Bà Rịa - Vũng Tàu"),
        ("Đắc Lắc", "Đắk Lắk"),
        ("Đăk Lăk", "Đắk Lắk"),
        ("dak lak", "Đắk Lắk"),
        ("Đắc Nông", "Đắk Nông"),
        ("Thừa Thiên Huế", "Thừa Thiên Huế"),
        ("TT-Huế", "Thừa Thiên Huế"),
        ("Thừa Thiên - Huế", "Thừa Thiên Huế"),
        ("Huế", "Huế"),
        ("Tp. Cần Thơ", "Cần Thơ"),
        ("TP. Cần Thơ", "Cần Thơ"),
        ("Bắc Cạn", "Bắc Kạn"),
        ("ha noi", "Hà Nội"),
    ],
)
def test_lookup_variants(spelling: str, name: str) -> None:
    p = lookup(spelling)
    assert p is not None and p.name == name


@pytest.mark.parametrize("text", ["", "   ", "Atlantis", "tỉnh", "Sở Thông tin"])
def test_lookup_unknown(text: str) -> None:
    assert lookup(text) is None


def test_units_and_merger() -> None:
    units = all_provinces()
    assert len([p for p in units if p.gso_code]) == 63
    current = {p.name for p in units if p.current}
    assert len(current) == 34
    assert all(p.merged_into in current for p in units)
    hn = lookup("Hà Nam")
    assert hn and hn.merged_into == "Ninh Bình" and not hn.current and hn.type == "tỉnh"
    hue = lookup("Huế")
    tth = lookup("Thừa Thiên Huế")
    assert hue and tth and (hue.lat, hue.lon) == (tth.lat, tth.lon) and hue.type == "thành phố"


def test_search_units() -> None:
    assert search_units("Ninh Bình", exact=False) == {"Ninh Bình", "Hà Nam", "Nam Định"}
    assert search_units("ninh binh", exact=True) == {"Ninh Bình"}
    assert search_units("Hà Nam", exact=False) == {"Hà Nam"}
    assert search_units("TP.HCM", exact=False) == {
        "Thành phố Hồ Chí Minh",
        "Bình Dương",
        "Bà Rịa - Vũng Tàu",
    }
    assert search_units("Huế", exact=False) == {"Huế", "Thừa Thiên Huế"}
    assert search_units("TT-Huế", exact=False) == {"Huế", "Thừa Thiên Huế"}
    assert search_units("Huế", exact=True) == {"Huế"}
    assert search_units("Atlantis", exact=False) == set()
    assert search_units("", exact=True) == set()


def test_province_at() -> None:
    assert province_at("Hà Nam", "2022-09-23") == ("Hà Nam", "Ninh Bình")
    assert province_at("Hà Nam", "2025-06-30") == ("Hà Nam", "Ninh Bình")
    assert province_at("Hà Nam", "2025-07-01") == ("Ninh Bình", "Ninh Bình")
    assert province_at("Kiên Giang", None) == ("Kiên Giang", "An Giang")
    assert province_at("Thừa Thiên Huế", "2024-12-31") == ("Thừa Thiên Huế", "Huế")
    assert province_at("Thừa Thiên Huế", "2025-01-01") == ("Huế", "Huế")
    assert province_at("Huế", "2020-05-01") == ("Thừa Thiên Huế", "Huế")
    assert province_at("Huế", "2025-09-01T08:00:00+07:00") == ("Huế", "Huế")
    with pytest.raises(KeyError):
        province_at("Atlantis", None)


def detect(body: str, title: str = "", **kw: object) -> str | None:
    return detect_province(title, "", body, [], **kw)  # type: ignore[arg-type]


def test_detect_title_and_admin_mentions() -> None:
    assert detect("Sở TTTT tổ chức tập huấn.", title="Thanh Hoá: tập huấn phát ngôn") == "Thanh Hóa"
    assert detect("Sáng 8/8, UBND tỉnh Kiên Giang tổ chức hội nghị tập huấn.") == "Kiên Giang"
    assert detect("Sở TTTT TP.HCM tổ chức lớp tập huấn.") == "Thành phố Hồ Chí Minh"
    assert detect("Tại Đắc Lắc, hội nghị tập huấn diễn ra sáng nay.") == "Đắk Lắk"
    assert detect("Tap huan o tinh Quang Tri.") == "Quảng Trị"


def test_detect_ignores_teasers_at_the_end() -> None:
    body = (
        "Sáng 8/8, UBND tỉnh Kiên Giang tổ chức Hội nghị tập huấn về công tác phát ngôn. "
        + "Hơn 200 cán bộ dự hội nghị. " * 20
        + "\nĐọc nhiều\nQuảng Ngãi kiểm soát chặt chẽ tốc độ tăng trưởng\n"
        "Quảng Ngãi kiểm soát chặt chẽ tốc độ tăng trưởng\nVĩnh Phúc: thu nhận mẫu ADN"
    )
    assert detect(body) == "Kiên Giang"


@pytest.mark.parametrize(
    "body",
    [
        "Ông Nguyễn Thái Bình phát biểu tại hội nghị.",  # a person, not Thái Bình
        "Hợp tác ở khu vực châu Á - Thái Bình Dương.",  # the Pacific
        "Bà Thanh Hoa, chuyên viên, trình bày tham luận.",  # Hoa without the tone of Hóa
        "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.",
        "Lãnh đạo 63 Sở TTTT trên cả nước dự hội nghị.",
        "Vì hòa bình, hợp tác và phát triển.",
        "Ngày 10/7, tại Hà Nội, Bộ Ngoại giao tổ chức khóa tập huấn.",  # the venue of a national event
    ],
)
def test_detect_false_friends(body: str) -> None:
    assert detect(body) is None


def test_detect_source_hint() -> None:
    local = "Sở Thông tin và Truyền thông tổ chức hội nghị tập huấn cho các huyện."
    assert detect(local, source_province="Hà Nam") == "Hà Nam"
    assert detect("Bộ Ngoại giao tổ chức họp báo thường kỳ.", source_province="Hà Nam") is None
    tie = "Đoàn công tác tỉnh Nam Định thăm tỉnh Hà Nam."
    assert detect(tie, source_province="Hà Nam") == "Hà Nam"


def test_detect_after_merger_adds_up_to_the_new_unit() -> None:
    body = "Hội nghị có điểm cầu tại phường Nam Định, phường Phủ Lý và tỉnh Nam Định cũ."
    assert detect(body, published="2025-08-20") == "Ninh Bình"
    assert detect(body, published="2024-08-20") == "Nam Định"


def test_generated_file_is_compact_and_complete() -> None:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    assert len(data["provinces"]) == 63 and len(data["units_2025"]) == 34
    hue = next(u for u in data["units_2025"] if u["name"] == "Huế")
    assert hue["predecessors"] == ["Thừa Thiên Huế"]


@pytest.mark.skipif(not (SHARED / "reference").exists(), reason="../shared/reference absent")
def test_generated_file_matches_the_reference() -> None:
    sys.path.insert(0, str(Path(__file__).parents[1] / "bench"))
    from build_gazetteer import DEFAULT_REF, build

    built = build(json.loads(DEFAULT_REF.read_text(encoding="utf-8")))
    assert built == json.loads(DATA.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("title", "body", "source_province", "expected"),
    [
        (  # a national event held in Hà Nội by a central body: national news
            "Tổng kết công tác thông tin đối ngoại năm 2023",
            "Ngày 20/12, Bộ Ngoại giao tổ chức hội nghị trực tiếp tại Hà Nội và trực tuyến tới các "
            "tỉnh.\nNhiều ý kiến được nêu.\nÔng A, Giám đốc Sở Ngoại vụ Sơn La trình bày tham luận.",
            None,
            None,
        ),
        (  # the venue in brackets after a hall's name
            "Lễ trao giải thông tin đối ngoại",
            "Tối 5/12, tại Cung Văn hóa Hữu nghị (Hà Nội), Ban Chỉ đạo công tác thông tin đối "
            "ngoại Trung ương tổ chức lễ trao giải.",
            None,
            None,
        ),
        (  # a central body's training held in a province is that province's
            "Quân khu tập huấn công tác phát ngôn",
            "Ngày 9/3, tại tỉnh Đắk Lắk, Bộ Tư lệnh Quân khu 5 tổ chức lớp tập huấn.",
            None,
            "Đắk Lắk",
        ),
        (  # places listed side by side are not what the article is about
            "Kế hoạch các lớp tập huấn năm tới",
            "Tổng cục Chính trị sẽ tổ chức lớp tập huấn tại Hà Nội, Đà Nẵng, Huế và Cần Thơ.",
            None,
            None,
        ),
        (  # "Điện Biên Phủ" is the battle, not news of Điện Biên
            "Hội nghị báo cáo viên tháng 5",
            "Ban Tuyên giáo tỉnh tổ chức hội nghị; đại biểu ôn lại Chiến thắng Điện Biên Phủ.",
            "Hưng Yên",
            "Hưng Yên",
        ),
    ],
)
def test_national_events_venues_and_lists(title, body, source_province, expected) -> None:
    assert detect_province(title, "", body, [], source_province) == expected


@pytest.mark.parametrize(
    ("title", "body", "source_province", "expected"),
    [
        (  # a city after its administrative word names its province
            "Tập huấn kỹ năng phát ngôn",
            "Ngày 9/3, tại TP Pleiku, Sở Văn hóa tổ chức lớp tập huấn cho người phát ngôn.",
            None,
            "Gia Lai",
        ),
        (  # a dateline city
            "Tập huấn phát ngôn cho cán bộ",
            "Tuy Hòa (TTXVN) - Sở Thông tin và Truyền thông tổ chức lớp tập huấn.",
            None,
            "Phú Yên",
        ),
        (  # held in another province's city: the organiser's province counts
            "Bồi dưỡng kỹ năng phát ngôn",
            "Tại thành phố Nha Trang (Khánh Hòa), Ban Tuyên giáo Tỉnh ủy Bắc Giang tổ chức lớp "
            "bồi dưỡng cho cán bộ của tỉnh.",
            "Bắc Giang",
            "Bắc Giang",
        ),
        (  # a province inside an institution's name
            "Tập huấn ứng dụng trí tuệ nhân tạo",
            "Hội Nhà báo tỉnh tổ chức lớp học; giảng viên Trường Đại học Khoa học Xã hội và Nhân "
            "văn, Đại học Quốc gia TP. Hồ Chí Minh trình bày.",
            "Tây Ninh",
            "Tây Ninh",
        ),
        (  # a national training for a stretch of provinces
            "Tập huấn trực tuyến cho các tỉnh miền Trung",
            "Cục Báo chí tổ chức tập huấn trực tuyến cho 14 tỉnh từ Thanh Hóa đến Bình Thuận; "
            "điểm cầu chính tại Hà Nội.",
            None,
            None,
        ),
        (  # a district portal: the district's committee makes the text local
            "Hội nghị báo cáo viên tháng 11",
            "Ban Tuyên giáo Huyện ủy tổ chức hội nghị báo cáo viên.",
            "Thanh Hóa",
            "Thanh Hóa",
        ),
        (  # where the lecturers speak from is not where the training is
            "Tập huấn trực tuyến về thông tin đối ngoại",
            "Sở Thông tin và Truyền thông tổ chức lớp tập huấn trực tuyến của tỉnh, kết nối tới "
            "11 điểm cầu cấp huyện; giảng viên giảng bài từ Hà Nội.",
            "Sóc Trăng",
            "Sóc Trăng",
        ),
    ],
)
def test_cities_institutions_and_stretches(title, body, source_province, expected) -> None:
    assert detect_province(title, "", body, [], source_province) == expected
