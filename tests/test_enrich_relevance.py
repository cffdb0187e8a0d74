"""Relevance and topics: trainings on the core topics count; their near misses do not."""

from __future__ import annotations

import pytest

from crawler.enrich.relevance import judge


@pytest.mark.parametrize(
    ("title", "body"),
    [
        (
            "Tập huấn kỹ năng phát ngôn và cung cấp thông tin cho báo chí",
            "Sáng 15/3, Sở TTTT tổ chức hội nghị tập huấn cho người phát ngôn các sở, ngành.",
        ),
        (
            "Quảng Ngãi tập huấn công tác phát ngôn và thông tin đối ngoại",
            "Sở Thông tin và Truyền thông tổ chức hội nghị tập huấn.",
        ),
        (  # seed 004: a training on information work that covers crisis handling
            "Hội nghị tập huấn nghiệp vụ công tác thông tin, tuyên truyền năm 2022",
            "Các đại biểu được nghe chuyên đề: kỹ năng cung cấp thông tin và xử lý khủng hoảng "
            "truyền thông; chuyển đổi số.",
        ),
        (  # the foreign-information programme's updates for officials
            "Hội nghị cập nhật thông tin thời sự, đối ngoại quý II",
            "Huyện ủy tổ chức hội nghị cho cán bộ chủ chốt; báo cáo viên Sở Ngoại vụ trình bày.",
        ),
        (  # the core topic in other words: working with reporters, a communication incident
            "Trang bị kỹ năng làm việc với phóng viên cho cán bộ bệnh viện",
            "Sở Y tế mở lớp về cách trả lời phỏng vấn và xử lý sự cố truyền thông.",
        ),
        (
            "Tap huan ky nang phat ngon cho can bo",  # a title without diacritics
            "Ban Tuyên giáo tổ chức lớp tập huấn kỹ năng phát ngôn.",
        ),
    ],
)
def test_relevant(title: str, body: str) -> None:
    assert judge(title, body)[0] is True


@pytest.mark.parametrize(
    ("title", "body"),
    [
        (  # a press conference itself
            "Quảng Nam họp báo cung cấp thông tin về tình hình kinh tế - xã hội quý III",
            "UBND tỉnh tổ chức họp báo định kỳ. Người phát ngôn của UBND tỉnh cung cấp thông tin "
            "cho báo chí về thu ngân sách. Người phát ngôn trả lời phóng viên.",
        ),
        (  # a journalism prize
            "Trao Giải báo chí tỉnh Bình Định lần thứ X",
            "Lễ trao giải tôn vinh người làm báo; ông A đề nghị thực hiện nghiêm Luật Báo chí.",
        ),
        (  # a training for journalists that does not cover the core topics
            "Bồi dưỡng nghiệp vụ báo chí cho phóng viên, biên tập viên",
            "Hội Nhà báo tỉnh tổ chức lớp bồi dưỡng kỹ năng viết phóng sự, chụp ảnh báo chí.",
        ),
        (  # Party propagandists
            "Hội nghị báo cáo viên tháng 5",
            "Ban Tuyên giáo Tỉnh ủy thông tin về tình hình kinh tế - xã hội và định hướng tuyên "
            "truyền trong thời gian tới.",
        ),
        (  # a generic meeting
            "Triển khai nhiệm vụ phát triển kinh tế - xã hội 6 tháng cuối năm",
            "UBND tỉnh tổ chức hội nghị sơ kết tình hình kinh tế - xã hội.",
        ),
        (  # a press briefing
            "Giao ban báo chí tháng 8: cung cấp thông tin về phòng chống bão lũ",
            "Ban Tuyên giáo chủ trì hội nghị giao ban báo chí; Sở Nông nghiệp cung cấp thông tin "
            "cho báo chí về công tác phòng chống bão lũ.",
        ),
        ("Giá xăng dầu giảm nhẹ từ 15 giờ chiều nay", "Liên Bộ điều chỉnh giá bán lẻ xăng dầu."),
        (  # a review of the decree's implementation trains nobody (docs/interfaces.md `relevant`)
            "Sơ kết 5 năm thực hiện quy chế phát ngôn và cung cấp thông tin cho báo chí",
            "UBND tỉnh tổ chức hội nghị sơ kết 5 năm thực hiện Nghị định 09/2017/NĐ-CP.",
        ),
        (  # a plan that orders trainings for next year
            "Kế hoạch tập huấn kỹ năng phát ngôn năm 2027",
            "UBND tỉnh ban hành Kế hoạch số 77/KH-UBND; trong năm sẽ mở ba lớp tập huấn.",
        ),
        (  # a target announced, not a training held
            "Quảng Bình sẽ bồi dưỡng kỹ năng phát ngôn cho cán bộ cấp xã",
            "UBND tỉnh vừa ban hành kế hoạch về công tác phát ngôn năm tới.",
        ),
        (  # an inspection visit
            "Đoàn kiểm tra làm việc về công tác phát ngôn tại Sở Công Thương",
            "Đoàn kiểm tra việc thực hiện quy định về cung cấp thông tin cho báo chí.",
        ),
        (  # a list of spokespeople announced
            "Công bố danh sách người phát ngôn của các sở, ngành",
            "UBND tỉnh ký quyết định công bố người phát ngôn năm nay.",
        ),
    ],
)
def test_near_misses(title: str, body: str) -> None:
    assert judge(title, body)[0] is False


def test_topics_in_vocabulary_order() -> None:
    _, topics = judge(
        "Tập huấn xử lý khủng hoảng truyền thông trên mạng xã hội",
        "Thông tin đối ngoại, người phát ngôn, chuyển đổi số, quản lý nhà nước về báo chí, "
        "công tác thông tin, tuyên truyền; cung cấp thông tin cho báo chí.",
    )
    assert topics == [
        "phát ngôn",
        "cung cấp thông tin cho báo chí",
        "thông tin đối ngoại",
        "khủng hoảng truyền thông",
        "chuyển đổi số",
        "quản lý báo chí",
        "thông tin tuyên truyền",
        "mạng xã hội",
    ]


def test_names_that_contain_a_topic_are_not_the_topic() -> None:
    _, topics = judge(
        "Họp báo thường kỳ",
        "Người phát ngôn Bộ Ngoại giao trả lời; ông A, Phó Trưởng phòng Quản lý báo chí, dự.",
    )
    assert topics == []
