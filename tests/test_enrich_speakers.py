"""Speakers: name patterns, roles from the fullest mention, who spoke and who only attended."""

from __future__ import annotations

import pytest

from crawler.enrich.speakers import extract_speakers


def speakers(body: str, captions: list[str] | None = None) -> list[tuple[str, str]]:
    return [(s.name, s.role) for s in extract_speakers(body, captions or [])]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Đồng chí Nguyễn Văn Hiếu - Phó Cục trưởng Cục Báo chí, Bộ Thông tin và Truyền thông "
            "truyền đạt tại hội nghị.",
            [("Nguyễn Văn Hiếu", "Phó Cục trưởng Cục Báo chí, Bộ Thông tin và Truyền thông")],
        ),
        (
            "Khai mạc hội nghị, ông Nguyễn Mạnh Hùng – Giám đốc Sở Thông tin và Truyền thông "
            "nhấn mạnh: thông tin đối ngoại rất quan trọng.",
            [("Nguyễn Mạnh Hùng", "Giám đốc Sở Thông tin và Truyền thông")],
        ),
        (
            "Tại Hội nghị, Thứ trưởng Bộ Ngoại giao Lê Thị Thu Hằng đã chia sẻ các kiến thức.",
            [("Lê Thị Thu Hằng", "Thứ trưởng Bộ Ngoại giao")],
        ),
        (
            "Phát biểu tại Hội nghị, Phó Chủ tịch UBND tỉnh Kiên Giang Nguyễn Lưu Trung khẳng định.",
            [("Nguyễn Lưu Trung", "Phó Chủ tịch UBND tỉnh Kiên Giang")],
        ),
        (
            "Ủy viên Ban Thường vụ Tỉnh ủy, Trưởng Ban Tuyên giáo Tỉnh ủy Đào Xuân Yên phát biểu.",
            [("Đào Xuân Yên", "Ủy viên Ban Thường vụ Tỉnh ủy, Trưởng Ban Tuyên giáo Tỉnh ủy")],
        ),
        (
            "Giám đốc Sở Văn hóa, Thể thao và Du lịch Nông Thị Hạnh cho biết, ...",
            [("Nông Thị Hạnh", "Giám đốc Sở Văn hóa, Thể thao và Du lịch")],
        ),
        (
            "Ông Nguyễn Văn An (Phó Giám đốc Sở Nội vụ) phát biểu tại hội nghị.",
            [("Nguyễn Văn An", "Phó Giám đốc Sở Nội vụ")],
        ),
        (
            "Theo ông Y Ngọc Niê, Giám đốc Sở Thông tin và Truyền thông, cần chủ động thông tin.",
            [("Y Ngọc Niê", "Giám đốc Sở Thông tin và Truyền thông")],
        ),
        (
            "Đồng chí Nguyễn Hải Long -Tỉnh ủy viên - Phó Trưởng ban Tuyên giáo Tỉnh ủy truyền đạt.",
            [("Nguyễn Hải Long", "Tỉnh ủy viên, Phó Trưởng ban Tuyên giáo Tỉnh ủy")],
        ),
        (
            "Ông Lò Văn Tuấn, Trưởng phòng Thông tin – Báo chí – Xuất bản truyền đạt chuyên đề.",
            [("Lò Văn Tuấn", "Trưởng phòng Thông tin – Báo chí – Xuất bản")],
        ),
        (
            "Ông Trần An, Giám đốc Sở Văn hóa, Thể thao và Du lịch phát biểu khai mạc.",
            [("Trần An", "Giám đốc Sở Văn hóa, Thể thao và Du lịch")],
        ),
        (
            "Thượng tá Lê Văn Hòa, Phó Trưởng phòng An ninh mạng và phòng, chống tội phạm sử dụng "
            "công nghệ cao, Công an tỉnh, thông tin về tình hình tin giả.",
            [
                (
                    "Lê Văn Hòa",
                    "Phó Trưởng phòng An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao, "
                    "Công an tỉnh",
                )
            ],
        ),
    ],
)
def test_patterns(body: str, expected: list[tuple[str, str]]) -> None:
    assert speakers(body) == expected


def test_attendees_do_not_speak_but_lend_their_fullest_role() -> None:
    body = (
        "Dự hội nghị có các đồng chí: Nguyễn Hải Long - Tỉnh ủy viên - Phó Trưởng ban Thường trực "
        "Ban Tuyên giáo Tỉnh ủy; Nguyễn Đức Cường - Phó Giám đốc Sở Thông tin và Truyền thông.\n"
        "Cũng tại hội nghị, đồng chí Nguyễn Hải Long - Phó Trưởng ban Tuyên giáo truyền đạt "
        "chuyên đề về thông tin đối ngoại."
    )
    assert speakers(body) == [
        ("Nguyễn Hải Long", "Tỉnh ủy viên, Phó Trưởng ban Thường trực Ban Tuyên giáo Tỉnh ủy")
    ]


def test_later_mention_by_given_name_makes_a_speaker() -> None:
    body = (
        "Giảng viên lớp tập huấn là TS. Đỗ Thị Thu Trang, Phó Giám đốc Học viện Báo chí và "
        "Tuyên truyền. Bà Trang đã phân tích các tình huống khủng hoảng truyền thông."
    )
    assert speakers(body) == [("Đỗ Thị Thu Trang", "Phó Giám đốc Học viện Báo chí và Tuyên truyền")]


def test_short_forms_of_two_words_join_the_full_name() -> None:
    body = (
        "Các báo cáo viên gồm: bà Nguyễn Thị Thu Hà – Phó Trưởng phòng Quản lý báo in, báo điện "
        "tử – Cục Báo chí; ông Trần Văn Phòng, nguyên Phó Tổng Biên tập Báo Nhân Dân.\n"
        "Dịp này, bà Thu Hà trao đổi với học viên về cách ứng xử với báo chí."
    )
    assert speakers(body) == [
        ("Nguyễn Thị Thu Hà", "Phó Trưởng phòng Quản lý báo in, báo điện tử, Cục Báo chí"),
        ("Trần Văn Phòng", "nguyên Phó Tổng Biên tập Báo Nhân Dân"),
    ]


def test_presenter_list() -> None:
    body = (
        "Báo cáo viên tại hội nghị gồm: ông Hồ Văn Lâm, Phó Vụ trưởng Vụ Báo chí - Xuất bản, Ban "
        "Tuyên giáo Trung ương; bà Châu Thị Ngọc Lan, Trưởng phòng Thông tin - Báo chí - Xuất bản."
    )
    assert speakers(body) == [
        ("Hồ Văn Lâm", "Phó Vụ trưởng Vụ Báo chí - Xuất bản, Ban Tuyên giáo Trung ương"),
        ("Châu Thị Ngọc Lan", "Trưởng phòng Thông tin - Báo chí - Xuất bản"),
    ]


def test_attendee_byline_photographer_are_not_speakers_but_the_chair_is() -> None:
    body = (
        "Đồng chí Phan Thế Tùng, Phó Chủ tịch UBND tỉnh chủ trì hội nghị. Tham dự có bà Lê Thị "
        "Hoài Chung, Phó Chủ tịch UBND tỉnh; đồng chí Nguyễn Văn Phong, Trưởng ban Tuyên giáo.\n"
        "Tin, ảnh: Nguyễn Minh Trang\nHoàng Thị Tố Loan\nTrung tâm Công nghệ số"
    )
    caption = "Các đại biểu dự hội nghị. Ảnh: Trần Văn Nam"
    # Chairing counts as speaking (issue 8: "people who spoke, chaired or trained").
    assert speakers(body, [caption]) == [("Phan Thế Tùng", "Phó Chủ tịch UBND tỉnh")]


def test_captions_name_speakers_after_the_body() -> None:
    body = "Chiều 16/4, Sở TTTT tổ chức hội nghị. Ông Cầm Văn Bình phát biểu khai mạc."
    caption = "Đồng chí Lò Thị Mai, Phó Giám đốc Sở Thông tin và Truyền thông phát biểu."
    assert speakers(body, [caption]) == [
        ("Cầm Văn Bình", ""),
        ("Lò Thị Mai", "Phó Giám đốc Sở Thông tin và Truyền thông"),
    ]


def test_abbreviation_defined_by_the_article_is_written_out() -> None:
    body = (
        "Ngày 27/9/2022, Bộ Thông tin và Truyền thông (TTTT) tổ chức hội nghị. Các đại biểu được "
        "nghe đồng chí Nguyễn Huy Dũng, Thứ trưởng Bộ TTTT phát biểu chỉ đạo."
    )
    assert speakers(body) == [("Nguyễn Huy Dũng", "Thứ trưởng Bộ Thông tin và Truyền thông")]


@pytest.mark.parametrize(
    "body",
    [
        "Tư tưởng Hồ Chí Minh được quán triệt; các đại biểu phát biểu ý kiến.",
        "Hội Nhà báo Việt Nam truyền đạt kinh nghiệm.",
        "Hội nghị có điểm cầu tại Đà Lạt, Phan Thiết và Gia Nghĩa, đại biểu phát biểu.",
        "Bà con nhân dân phấn khởi, ông bà cho biết mùa màng bội thu.",
    ],
)
def test_no_invented_people(body: str) -> None:
    assert speakers(body) == []


def test_roles_normalise_separators_and_keep_capitalisation_of_the_fullest() -> None:
    body = (
        "Đồng chí Đào Xuân Yên, Uỷ viên Ban Thường vụ, Trưởng ban Tuyên giáo Tỉnh ủy , khai mạc.\n"
        "Phát biểu khai mạc, đồng chí Đào Xuân Yên, Ủy viên Ban Thường vụ, Trưởng Ban Tuyên giáo "
        "Tỉnh ủy nhấn mạnh: báo chí phát triển."
    )
    assert speakers(body) == [
        ("Đào Xuân Yên", "Ủy viên Ban Thường vụ, Trưởng Ban Tuyên giáo Tỉnh ủy"),
    ]


# -- the families of issue 8, each as a rule of the language (examples written for this file) ---
@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (  # role, dash, name, action after
            "Phó Giám đốc Sở Tư pháp – Đỗ Minh Khang phát biểu tại lớp học.",
            [("Đỗ Minh Khang", "Phó Giám đốc Sở Tư pháp")],
        ),
        (  # role and name, dash, then the action
            "Phó Chủ tịch UBND huyện Vi Thị Hằng – Chủ trì hội nghị.",
            [("Vi Thị Hằng", "Phó Chủ tịch UBND huyện")],
        ),
        (  # chairing named after "là"
            "Chủ trì buổi tập huấn là Trưởng Ban Dân vận Huyện ủy Lục Văn Sáng.",
            [("Lục Văn Sáng", "Trưởng Ban Dân vận Huyện ủy")],
        ),
        (  # a list introduced by a word of presenting, joined by "và"
            "Báo cáo viên của lớp gồm ông Tạ Quang Huy, Trưởng phòng Báo chí và bà Lò Thị Én, "
            "giảng viên Trường Chính trị tỉnh.",
            [
                ("Tạ Quang Huy", "Trưởng phòng Báo chí"),
                ("Lò Thị Én", "giảng viên Trường Chính trị tỉnh"),
            ],
        ),
        (  # co-chairs in one sentence
            "Đồng chủ trì hội nghị có ông Mạc Văn Tài, Giám đốc Sở Ngoại vụ và bà Cù Thị Hạnh, "
            "Phó Trưởng Ban Tuyên giáo Tỉnh ủy.",
            [
                ("Mạc Văn Tài", "Giám đốc Sở Ngoại vụ"),
                ("Cù Thị Hạnh", "Phó Trưởng Ban Tuyên giáo Tỉnh ủy"),
            ],
        ),
        (  # stacked titles; the abbreviation's dot does not end the sentence of the list
            "Giảng viên là các chuyên gia như TS. Hứa Văn Đông, Trưởng khoa Báo chí; Đại tá, ThS. "
            "Âu Minh Trí, Phó Chính ủy Bộ Chỉ huy Quân sự tỉnh.",
            [
                ("Hứa Văn Đông", "Trưởng khoa Báo chí"),
                ("Âu Minh Trí", "Phó Chính ủy Bộ Chỉ huy Quân sự tỉnh"),
            ],
        ),
        (  # a foreign name after a title with a place in it
            "Tổng Lãnh sự Niu Di-lân tại TP. Hồ Chí Minh Oliver Brantley chia sẻ kinh nghiệm.",
            [("Oliver Brantley", "Tổng Lãnh sự Niu Di-lân tại TP. Hồ Chí Minh")],
        ),
        (  # a foreign name after a nationality
            "Chuyên gia Úc, ông Declan Forsyth, cố vấn truyền thông của một tổ chức phi chính phủ, "
            "trình bày chuyên đề.",
            [("Declan Forsyth", "cố vấn truyền thông của một tổ chức phi chính phủ")],
        ),
        (  # name and role on a line of their own, the quotation on the next
            "Bà Khổng Thị Nhàn - Phó Giám đốc Trung tâm Y tế huyện:\n“Chúng tôi cần nói sớm.”",
            [("Khổng Thị Nhàn", "Phó Giám đốc Trung tâm Y tế huyện")],
        ),
        (  # an official who came and directed
            "Đồng chí Triệu Thị Lành, Phó Bí thư Huyện ủy đến dự và chỉ đạo hội nghị.",
            [("Triệu Thị Lành", "Phó Bí thư Huyện ủy")],
        ),
        (  # a dash glued to the name
            "Ông Lương Văn Cừ- Phó Chủ tịch UBND xã hướng dẫn học viên.",
            [("Lương Văn Cừ", "Phó Chủ tịch UBND xã")],
        ),
        (  # coordinated subjects share the verb
            "Đồng chí Nông Văn Lợi, Giám đốc Sở Nội vụ và đồng chí Bế Thị Xuân, Phó Giám đốc Sở Y tế "
            "đồng chủ trì.",
            [("Nông Văn Lợi", "Giám đốc Sở Nội vụ"), ("Bế Thị Xuân", "Phó Giám đốc Sở Y tế")],
        ),
        (  # an ethnic-minority name with an apostrophe
            "Bà H'Mai Niê, Phó Chủ tịch UBND xã phát biểu khai mạc.",
            [("H'Mai Niê", "Phó Chủ tịch UBND xã")],
        ),
    ],
)
def test_speaker_families(body: str, expected: list[tuple[str, str]]) -> None:
    assert speakers(body) == expected


@pytest.mark.parametrize(
    "body",
    [
        "Học viên tham quan Trường Chính trị Hoàng Văn Thụ và nghe giới thiệu về lịch sử trường.",
        "Ông nhắc lại công văn do Giám đốc Sở khi đó là ông Vũ Đình Thành ký, yêu cầu cập nhật danh sách.",
        "Ông đọc lại câu mà cố nhà báo Trịnh Văn Lư từng viết trong một bài xã luận.",
        "Giám đốc Công ty tư vấn Blue Harbour Partners tham dự hội nghị.",
    ],
)
def test_not_speakers(body: str) -> None:
    assert speakers(body) == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (  # attendance that directed, as a list
            "Đến dự và chỉ đạo lớp học có đồng chí Lò Văn Pâng, Phó Bí thư Tỉnh ủy.",
            [("Lò Văn Pâng", "Phó Bí thư Tỉnh ủy")],
        ),
        (  # a quote card: name, role line, quotation
            "TS. Hà Quang Minh\nGiám đốc Sở Y tế:\n“Phải nói trước khi tin đồn lan ra.”",
            [("Hà Quang Minh", "Giám đốc Sở Y tế")],
        ),
        (  # name and role on a line, the action capitalised on the next
            "Ông Phạm Hữu Đức, Trưởng phòng Báo chí\nHướng dẫn quy trình trả lời phỏng vấn.",
            [("Phạm Hữu Đức", "Trưởng phòng Báo chí")],
        ),
        (  # an acronym in brackets inside a title-first role
            "Chuyên gia của Quỹ Nhi đồng Liên hợp quốc (UNICEF) Johanna Birkett chia sẻ kinh nghiệm.",
            [("Johanna Birkett", "Chuyên gia của Quỹ Nhi đồng Liên hợp quốc (UNICEF)")],
        ),
        (  # a Central Highlands name after a title-first role
            "Phó Chủ tịch UBND xã K’Bri Ha phát biểu bế mạc.",
            [("K’Bri Ha", "Phó Chủ tịch UBND xã")],
        ),
        (  # "thông tin" followed by an adverb and a colon
            "Ông Vũ Văn Tấn, Chánh Văn phòng UBND tỉnh thông tin khái quát: kinh tế tăng 6%.",
            [("Vũ Văn Tấn", "Chánh Văn phòng UBND tỉnh")],
        ),
    ],
)
def test_more_families(body: str, expected: list[tuple[str, str]]) -> None:
    assert speakers(body) == expected


@pytest.mark.parametrize(
    "body",
    [
        "Phó Chủ tịch UBND tỉnh Lục Văn Tường thị sát tuyến cao tốc Đồng Đăng – Trà Lĩnh.",
        "Giám đốc Công ty Lữ hành Sơn Cave Trail tham dự.",
        "Phóng viên Báo Đồng Khởi tác nghiệp tại cửa khẩu Hoa Lư.",
    ],
)
def test_places_and_companies_are_not_people(body: str) -> None:
    assert speakers(body) == []
