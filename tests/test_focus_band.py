"""Budget mode's band (crawler/focus.py): listing text that names a learning or meeting event
without its subject, sampled at a higher rate than the rest; and the share of each stratum."""

from __future__ import annotations

import pytest

from crawler.focus import (
    BAND,
    BAND_SAMPLE,
    LIKELY,
    SAMPLE,
    LinkText,
    budget_share,
    event_band,
    link_score,
    subjectless_event,
    tells_of_class,
)
from vnlang.text import fold_words


def score(text: str, teaser: str = "", url: str = "https://x.vn/a.html") -> float:
    return link_score(LinkText(url, text, "", teaser))


@pytest.mark.parametrize(
    "headline",
    [
        "Khai mạc lớp học tại Trung tâm Chính trị huyện",
        "Huyện ủy tổ chức hội nghị",
        "Hội nghị ngày 12/3",
        "Hội nghị trực tuyến với 12 điểm cầu",
        "Tọa đàm chiều 15/10",
        "Toạ đàm chiều 15/10",  # the other tone placement
        "Cần Thơ: khai giảng khóa học",
        "Khai giảng khoá học",
        "Bồi dưỡng cho cán bộ cấp xã",
        "Lớp học kết thúc thành công",
        "Buổi tập huấn bổ ích",
        "Hội nghị do Sở Thông tin và Truyền thông tổ chức",
    ],
)
def test_an_event_named_without_its_subject(headline: str) -> None:
    assert subjectless_event(fold_words(headline))
    assert BAND <= score(headline) < LIKELY


@pytest.mark.parametrize(
    "headline",
    [
        "Tập huấn phòng cháy chữa cháy",  # its subject is named
        "Hội nghị tổng kết công tác năm 2024",
        "Hội nghị triển khai Nghị quyết về phát triển văn hóa",
        "Tập huấn cho cán bộ về nghiệp vụ thuế",  # audience, then its subject
        "Lớp học cho nông dân trồng cà phê",  # an audience that is not officials
        "Tập huấn kỹ năng quản lý lớp học cho giáo viên",  # schools
        "Khai giảng năm học mới tại điểm trường vùng cao",
        "Đội tuyển bóng đá U17 tập huấn tại Phú Thọ",  # a sports team's camp
        "Giá lúa tăng mạnh trong tháng Ba",
    ],
)
def test_an_event_with_its_subject_or_not_for_officials_is_not_in_the_band(
    headline: str,
) -> None:
    assert not subjectless_event(fold_words(headline))
    assert score(headline) < BAND


def test_a_training_on_another_subject_scores_below_the_band() -> None:
    assert score("Tập huấn phòng cháy chữa cháy") < BAND <= score("Khai mạc lớp tập huấn")
    assert score("Tập huấn kỹ năng phát ngôn") >= LIKELY  # ours: still likely


def test_a_dull_headline_over_a_teaser_that_tells_of_a_class() -> None:
    teaser = "Các học viên thực hành xử lý tình huống trong buổi chiều."
    assert tells_of_class(fold_words(teaser))
    assert BAND <= score("Đồng chí Phó Chủ tịch UBND tỉnh dự và phát biểu", teaser) < LIKELY
    assert BAND <= score("Hơn 150 học viên tham dự") < LIKELY  # trainees in the headline
    # a headline with its own subject keeps it, whatever the teaser says
    assert score("Bồi dưỡng nghiệp vụ đấu thầu", "Học viên được cập nhật luật mới.") < BAND


def test_science_and_school_years_are_not_classes() -> None:
    assert not tells_of_class(fold_words("Các nhà khoa học ghi nhận đàn voọc quý hiếm"))
    assert not tells_of_class(fold_words("Trường khai giảng năm học mới"))
    assert not tells_of_class(fold_words("Học sinh lớp 12 ôn thi tại lớp học"))
    assert tells_of_class(fold_words("Bế giảng lớp học cho cán bộ"))
    assert tells_of_class(fold_words("Giảng viên Trường Chính trị tỉnh trình bày"))


def test_a_plan_a_review_or_a_press_conference_is_not_in_the_band() -> None:
    assert event_band(LinkText("https://x.vn/a.html", "Kế hoạch tổ chức hội nghị")) == 0
    assert event_band(LinkText("https://x.vn/a.html", "Họp báo tại hội trường")) == 0
    plan = "UBND tỉnh sẽ tổ chức lớp học cho cán bộ vào quý III."
    assert event_band(LinkText("https://x.vn/a.html", "Thông báo", "", plan)) == 0


def test_the_slug_alone_can_name_the_event() -> None:
    link = LinkText("https://x.vn/tin/hoi-nghi-ngay-12-3-55.html", "Xem tiếp")
    assert event_band(link) > 0


def test_budget_share_per_stratum() -> None:
    assert budget_share(LIKELY, 0.05) == 1.0
    assert budget_share(BAND, 0.05) == BAND_SAMPLE
    assert budget_share(BAND - 0.01, 0.05) == 0.05
    assert budget_share(0.3, 0.05, band=0.2, band_sample=0.5) == 0.5
    assert budget_share(0.3, 0.05, band=0.35, band_sample=0.5) == 0.05
    assert budget_share(0.3, 0.2, band=0.25, band_sample=0.1) == 0.2  # never below the rest
    assert 0 < SAMPLE < BAND_SAMPLE <= 1


def test_band_settings_are_checked() -> None:
    from crawler.crawl_runner import SettingsError, check_settings
    from crawler.sources import SourcesError, parse_sources

    assert check_settings({"PRESSNEWS_FOCUS_BAND": "0.3"}) == {"PRESSNEWS_FOCUS_BAND": 0.3}
    for bad in ({"PRESSNEWS_FOCUS_BAND": "2"}, {"PRESSNEWS_FOCUS_BAND_SAMPLE": "-0.1"}):
        with pytest.raises(SettingsError):
            check_settings(bad)
    entry = {"name": "A", "start_urls": ["https://a.vn/"]}
    src = parse_sources({"sources": {"a": {**entry, "focus_band": 0.3, "focus_band_sample": 1}}})
    assert (src["a"].focus_band, src["a"].focus_band_sample) == (0.3, 1.0)
    assert parse_sources({"sources": {"a": entry}})["a"].focus_band is None
    for bad in ({"focus_band": 1.5}, {"focus_band_sample": "all"}, {"focus_band": True}):
        with pytest.raises(SourcesError):
            parse_sources({"sources": {"a": {**entry, **bad}}})


@pytest.mark.parametrize(
    "headline",
    [
        "Đẩy mạnh nghiên cứu khoa học",  # "khóa học" alone is also "science"
        "Ứng dụng tiến bộ khoa học tại các hợp tác xã",
        "Nâng cao chất lượng đào tạo",  # training in general, not an event
        "Đổi mới công tác đào tạo, bồi dưỡng",
        "Lễ hội ẩm thực tại Trung tâm Hội nghị tỉnh",
    ],
)
def test_words_of_training_that_name_no_event(headline: str) -> None:
    assert not subjectless_event(fold_words(headline))
