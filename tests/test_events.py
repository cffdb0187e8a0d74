"""Training events (issue 11): the training facts of a text, grouping reports into events, stable
ids through incremental recomputes (joins, merges with aliases, splits), the trainer registry."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import make_article

from crawler.enrich.training import (
    attendance,
    audience,
    first_day,
    organisers,
    phase,
    relative_day,
    span_end,
    training_facts,
    training_format,
)
from crawler.events.build import build_trainers, organisation_of
from crawler.events.grouping import ReportRecord, can_link, group
from crawler.events.recompute import recompute_events
from indexer.event_model import Attendance, Event, EventTrainer
from indexer.events import (
    EventQuery,
    TrainerQuery,
    assign_ids,
    get_event,
    iter_events,
    list_events,
    list_trainers,
    resolve_event_id,
)
from indexer.model import Speaker
from indexer.store import Store


# -- training facts -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, value, qualifier",
    [
        ("Hội nghị thu hút hơn 200 học viên tham dự.", 200, "hơn"),
        ("Tham dự có 120 đại biểu là lãnh đạo các sở.", 120, ""),
        ("gần 100 cán bộ, công chức dự lớp", 100, "gần"),
        ("Khoảng 1.200 người theo dõi tại các điểm cầu", 1200, "khoảng"),
        ("Trên 300 học viên tham gia", 300, "trên"),
        ("Tổng số học viên tại các điểm cầu trên 300 người", 300, "trên"),
    ],
)
def test_attendance_with_qualifier(text: str, value: int, qualifier: str) -> None:
    assert attendance(text) == Attendance(value, qualifier)


@pytest.mark.parametrize(
    "text",
    [
        "Hội nghị kết nối tới 30 điểm cầu cấp huyện.",
        "Nghị định 09/2017/NĐ-CP, năm 2024 đã qua 20 năm.",
        "Phấn đấu 100 cán bộ được tập huấn trong năm.",
        "Sở tập huấn kỹ năng phát ngôn.",
    ],
)
def test_no_attendance_when_none_is_given(text: str) -> None:
    assert attendance(text) is None


def test_format_online_hybrid_in_person() -> None:
    assert training_format("Hội nghị được tổ chức theo hình thức trực tuyến.") == "online"
    assert training_format("kết nối tới 30 điểm cầu cấp huyện") == "online"
    assert training_format("trực tiếp kết hợp trực tuyến tới các huyện") == "hybrid"
    assert (
        training_format("tại điểm cầu chính Trung tâm Hội nghị tỉnh và trực tuyến đến các huyện")
        == "hybrid"
    )
    assert training_format("Lớp tập huấn diễn ra tại hội trường Sở.") == "in_person"
    # people attending at the main site, others online: hybrid
    assert (
        training_format("Tại điểm cầu chính có hơn 120 đại biểu; các xã tham gia trực tuyến.")
        == "hybrid"
    )
    assert training_format("hơn 2.000 đại biểu tham dự tại điểm cầu chính và 168 điểm cầu") == (
        "hybrid"
    )
    # a speaker at the central site of an online training is no audience there
    assert (
        training_format(
            "Hội nghị theo hình thức trực tuyến tới các điểm cầu xã. Tại điểm cầu trung tâm, "
            "bà Lục Thị Hương phát biểu khai mạc."
        )
        == "online"
    )
    # a conference connected online to the districts, its format not named online: hybrid
    assert training_format("Hội nghị kết nối trực tuyến với các huyện trong tỉnh.") == "hybrid"
    assert (
        training_format("theo hình thức trực tuyến, kết nối trực tuyến tới 99 điểm cầu xã")
        == "online"
    )


@pytest.mark.parametrize(
    "body, reported, first, last",
    [
        (  # the closing day, "sau 2 ngày"
            "Chiều 19/4, lớp tập huấn kỹ năng phát ngôn đã bế mạc sau 2 ngày làm việc.",
            "2023-04-19",
            "2023-04-18",
            "2023-04-19",
        ),
        (  # a dot between day and month does not end the sentence; "ba ngày" in words
            "Lớp bồi dưỡng do Sở tổ chức đã bế mạc chiều 14.6 sau 3 ngày học tập.",
            "2024-06-14",
            "2024-06-12",
            "2024-06-14",
        ),
        (
            "Chiều 5-3, lớp bồi dưỡng kỹ năng phát ngôn kết thúc sau ba ngày.",
            "2026-03-05",
            "2026-03-03",
            "2026-03-05",
        ),
        (  # a numbered later day
            "Chiều 24/11, Giám đốc Sở bế mạc lớp tập huấn.\nTrong ngày học thứ hai, học viên "
            "thực hành.",
            "2023-11-24",
            "2023-11-23",
            "2023-11-24",
        ),
        (  # the last day of a span the text gives
            "Chiều 12/6, lớp tập huấn (từ 10-12/6) đã kết thúc.",
            "2024-06-12",
            "2024-06-10",
            "2024-06-12",
        ),
        (  # a span starting on the reported date: nothing to move
            "Trong 2 ngày 24 và 25-9, hội nghị diễn ra. Ngày đầu tiên cho sở ngành; ngày thứ "
            "hai cho các xã.",
            "2025-09-24",
            "2025-09-24",
            None,
        ),
        (  # an opening-day report that describes the programme: nothing to move
            "Sáng 8/6, khai mạc lớp tập huấn; ngày thứ hai học viên thực hành.",
            "2024-06-08",
            "2024-06-08",
            None,
        ),
        (  # "sau 2 ngày" about something else than the closing of this day
            "Ngày 12/7, hội nghị tập huấn diễn ra. Sau 2 ngày, Sở gửi tài liệu.",
            "2024-07-12",
            "2024-07-12",
            None,
        ),
        ("Sau 2 ngày làm việc, lớp bế mạc.", None, None, None),
    ],
)
def test_first_day_of_a_report_of_a_later_day(
    body: str, reported: str | None, first: str | None, last: str | None
) -> None:
    assert first_day(body, reported) == (first, last)
    facts = training_facts("Bế mạc lớp tập huấn", body, reported)
    assert facts.start == first


def test_organisers_audience_span_phase() -> None:
    body = (
        "Sáng 12/6/2024, Sở Thông tin và Truyền thông phối hợp với Cục Báo chí tổ chức hội nghị "
        "tập huấn kỹ năng phát ngôn cho đội ngũ người phát ngôn của các sở, ngành. Hội nghị diễn "
        "ra trong 2 ngày 12 và 13/6."
    )
    assert organisers(body) == ("Sở Thông tin và Truyền thông", "Cục Báo chí")
    assert audience(body) == "đội ngũ người phát ngôn của các sở, ngành"
    assert span_end(body, "2024-06-12") == "2024-06-13"
    assert span_end("từ ngày 3 đến 5/9", "2024-09-03") == "2024-09-05"
    assert span_end(body, "2024-06-20") is None
    assert phase("Tập huấn kỹ năng phát ngôn đợt 2", "") == "dot 2"
    assert phase("Sơ kết công tác phát ngôn", "") == "review"
    assert phase("Tập huấn kỹ năng phát ngôn", "") is None
    assert relative_day("Sáng nay, Sở tổ chức", "2024-06-12") == "2024-06-12"
    assert relative_day("Chiều hôm qua, Sở tổ chức", "2024-06-12") == "2024-06-11"
    facts = training_facts("Tập huấn trực tuyến", body + " hơn 150 học viên", "2024-06-12")
    assert facts.format == "online" and facts.attendance == Attendance(150, "hơn")


# -- grouping -------------------------------------------------------------------------------------
def rec(rid: str, order: int, **kw: Any) -> ReportRecord:
    base: dict[str, Any] = dict(
        province="Nghệ An",
        province_now="Nghệ An",
        start="2024-03-21",
        end=None,
        published="2024-03-21",
        topics=frozenset({"phát ngôn"}),
    )
    base.update(kw)
    return ReportRecord(id=rid, order=order, **base)


def test_two_reports_in_different_words_are_one_training() -> None:
    a = rec("a", 0, trainers=frozenset({"tran xuan hoa"}), attendance=200)
    b = rec("b", 1, published="2024-03-23", trainers=frozenset({"tran xuan hoa"}))
    assert group([a, b]) == [["a", "b"]]


def test_never_across_provinces_dates_or_phases() -> None:
    same = dict(trainers=frozenset({"tran xuan hoa"}), attendance=200)
    a = rec("a", 0, **same)
    other_province = rec("b", 1, province="Hà Tĩnh", province_now="Hà Tĩnh", **same)
    weeks_later = rec("c", 2, start="2024-04-10", published="2024-04-10", **same)
    follow_up = rec("d", 3, phase="dot 2", **same)
    review = rec("e", 4, phase="review", **same)
    assert not can_link(a, other_province)
    assert not can_link(a, weeks_later)
    assert can_link(a, follow_up)  # "đợt 2" in one report only: may be the same
    assert not can_link(follow_up.__class__(**{**follow_up.__dict__, "id": "x"}), rec("y", 9, phase="dot 1"))  # fmt: skip
    assert not can_link(a, review)
    assert group([a, other_province, weeks_later, review]) == [["a"], ["b"], ["c"], ["e"]]


def test_two_old_provinces_that_merged_stay_apart() -> None:
    ha_nam = rec("a", 0, province="Hà Nam", province_now="Ninh Bình", trainers=frozenset({"x y"}))
    nam_dinh = rec("b", 1, province="Nam Định", province_now="Ninh Bình", trainers=frozenset({"x y"}))  # fmt: skip
    assert group([ha_nam, nam_dinh]) == [["a"], ["b"]]


def test_consecutive_days_with_different_audiences_are_two_classes() -> None:
    a = rec("a", 0, start="2023-10-10", audience="trưởng thôn, xóm các xã")
    b = rec("b", 1, start="2023-10-11", published="2023-10-11", audience="hiệu trưởng các trường")
    assert group([a, b]) == [["a"], ["b"]]


def test_an_undated_brief_joins_the_only_training_of_its_week() -> None:
    a = rec("a", 0, trainers=frozenset({"tran xuan hoa"}), organisers=frozenset({"so thong tin"}))
    brief = rec("b", 1, start=None, published="2024-03-24", organisers=frozenset({"so thong tin va truyen thong"}))  # fmt: skip
    assert group([a, brief]) == [["a", "b"]]


def test_a_chain_never_joins_two_trainings() -> None:
    # b looks like a and like c, but a and c cannot be one training (five days apart).
    t = frozenset({"tran xuan hoa"})
    a = rec("a", 0, start="2024-03-19", published="2024-03-19", trainers=t, attendance=80)
    b = rec("b", 1, start="2024-03-21", trainers=t, attendance=80)
    c = rec("c", 2, start="2024-03-24", published="2024-03-24", trainers=t, attendance=80)
    groups = group([a, b, c])
    assert not any({"a", "c"} <= set(g) for g in groups)


# -- ids ------------------------------------------------------------------------------------------
def fresh(g: list[str]) -> str:
    return "ev-" + g[0]


def test_assign_ids_join_merge_split() -> None:
    # A report joins: the id stays.
    got = assign_ids({"E1": {"a"}}, {"E1": 1}, [["a", "b"]], fresh)
    assert got.ids == ["E1"] and not got.aliases
    # Two events merge: the older survives, the other is its alias.
    got = assign_ids({"E1": {"a"}, "E2": {"b"}}, {"E1": 2, "E2": 1}, [["a", "b", "c"]], fresh)
    assert got.ids == ["E2"] and got.aliases == {"E1": "E2"}
    # A split: the old id stays with the larger part; the smaller gets a fresh id.
    got = assign_ids({"E1": {"a", "b", "c"}}, {"E1": 1}, [["a"], ["b", "c"]], fresh)
    assert got.ids == ["ev-a", "E1"]
    # A fresh id never takes one in use.
    got = assign_ids({"ev-a": {"a", "b", "c"}}, {"ev-a": 1}, [["a"], ["b", "c"]], fresh)
    assert got.ids == ["ev-a-1", "ev-a"]
    # All reports gone: dropped.
    assert assign_ids({"E1": {"a"}}, {"E1": 1}, [["z"]], fresh).dropped == ["E1"]


# -- the store: incremental recomputes ------------------------------------------------------------
def training(aid: str, day: str, body: str, speakers: list[Speaker], **kw: Any) -> Any:
    fields: dict[str, Any] = dict(
        title=kw.pop("title", f"Tập huấn kỹ năng phát ngôn {aid}"),
        body=body,
        published=kw.pop("published", day),
        event_date=day,
        date=kw.pop("date", day),
        province="Nghệ An",
        province_now="Nghệ An",
        relevant=True,
        speakers=speakers,
        topics=["phát ngôn"],
    )
    fields.update(kw)
    return make_article(aid, **fields)


HOA = Speaker("Trần Xuân Hòa", "Phó Cục trưởng Cục Báo chí, Bộ Thông tin và Truyền thông")
HUNG = Speaker("Ngô Quang Hùng", "Giám đốc Sở Thông tin và Truyền thông")
BODY = "Sáng {d}, Sở Thông tin và Truyền thông tổ chức hội nghị tập huấn kỹ năng phát ngôn."


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "p.db")
    yield s
    s.close()


def test_event_id_survives_a_new_report(store: Store) -> None:
    store.upsert(training("a1", "2024-03-21", BODY.format(d="21/3") + " hơn 200 học viên", [HOA]))
    recompute_events(store)
    (ev,) = list(iter_events(store))
    assert ev.attendance == Attendance(200, "hơn")
    store.upsert(training("a2", "2024-03-21", "Ngày 21/3, 200 cán bộ dự lớp. Ông Trần Xuân Hòa trình bày.", [HOA], published="2024-03-23"))  # fmt: skip
    report = recompute_events(store)
    assert report.provinces == 1  # only Nghệ An was regrouped
    (again,) = list(iter_events(store))
    assert again.id == ev.id
    assert [r.id for r in again.reports] == ["a1", "a2"]
    assert again.attendance == Attendance(200, "")  # the exact number before "hơn"


def test_merge_keeps_the_older_id_and_the_other_answers_as_alias(store: Store) -> None:
    store.upsert(training("a1", "2024-03-21", BODY.format(d="21/3"), [HOA]))
    store.upsert(training("b1", "2024-03-22", BODY.format(d="22/3"), [HUNG], title="Lớp học"))
    recompute_events(store)
    first = {e.reports[0].id: e.id for e in iter_events(store)}
    assert len(first) == 2
    body = "Trong 2 ngày 21 và 22/3, Sở Thông tin và Truyền thông tổ chức tập huấn."
    store.upsert(training("c1", "2024-03-21", body, [HOA, HUNG], published="2024-03-23"))
    recompute_events(store)
    (merged,) = list(iter_events(store))
    assert merged.id == first["a1"]  # the older
    assert merged.aliases == [first["b1"]]
    assert resolve_event_id(store, first["b1"]) == merged.id
    assert get_event(store, first["b1"]).id == merged.id  # type: ignore[union-attr]


def test_split_keeps_the_id_on_the_larger_part(store: Store) -> None:
    for aid in ("a1", "a2", "a3"):
        store.upsert(training(aid, "2024-03-21", BODY.format(d="21/3"), [HOA]))
    recompute_events(store)
    (ev,) = list(iter_events(store))
    # a1 (whose id the event's id came from) turns out to report a training a month later.
    store.upsert(training("a1", "2024-04-25", BODY.format(d="25/4"), [HOA]))
    recompute_events(store)
    events = {tuple(r.id for r in e.reports): e.id for e in iter_events(store)}
    assert events[("a2", "a3")] == ev.id
    assert events[("a1",)] != ev.id


def test_reprocess_style_full_recompute_keeps_ids(store: Store) -> None:
    store.upsert(training("a1", "2024-03-21", BODY.format(d="21/3"), [HOA]))
    recompute_events(store)
    ids = [e.id for e in iter_events(store)]
    recompute_events(store, full=True)
    assert [e.id for e in iter_events(store)] == ids


def test_an_article_no_longer_relevant_leaves_its_event(store: Store) -> None:
    store.upsert(training("a1", "2024-03-21", BODY.format(d="21/3"), [HOA]))
    recompute_events(store)
    store.upsert(training("a1", "2024-03-21", BODY.format(d="21/3"), [HOA], relevant=False))
    recompute_events(store)
    assert list(iter_events(store)) == []


def test_list_events_filters(store: Store) -> None:
    store.upsert(training("a1", "2024-03-21", BODY.format(d="21/3"), [HOA], decrees=["09/2017/NĐ-CP"]))  # fmt: skip
    store.upsert(
        training(
            "h1",
            "2023-07-11",
            BODY.format(d="11/7"),
            [HUNG],
            province="Hà Nam",
            province_now="Ninh Bình",
        )  # fmt: skip
    )
    recompute_events(store)
    assert [e.province for e in list_events(store, EventQuery())] == ["Nghệ An", "Hà Nam"]
    assert [e.province for e in list_events(store, EventQuery(province="ninh binh"))] == ["Hà Nam"]
    assert list_events(store, EventQuery(province="Nam Định")) == []
    assert len(list_events(store, EventQuery(speaker="xuan hoa"))) == 1
    assert list_events(store, EventQuery(speaker="tran hoa")) == []
    assert len(list_events(store, EventQuery(decree="9/2017/ND-CP"))) == 1
    assert len(list_events(store, EventQuery(text="ki nang phat ngon"))) == 2
    assert len(list_events(store, EventQuery(date_from="2024-01-01"))) == 1


# -- the trainer registry -------------------------------------------------------------------------
def ev(eid: str, day: str, province: str, *trainers: tuple[str, str]) -> Event:
    return Event(
        id=eid,
        title=f"Tập huấn {eid}",
        start=day,
        end=day,
        province=province,
        province_now=province,
        trainers=[EventTrainer(n, r) for n, r in trainers],
    )


def test_registry_namesakes_promotions_and_variants() -> None:
    events = [
        ev("e1", "2023-05-01", "Nghệ An", ("Lê Văn Nghiêm", "Chuyên viên Cục Thông tin đối ngoại")),
        ev(
            "e2",
            "2024-05-01",
            "Hà Tĩnh",
            ("Lê Văn Nghiêm", "Phó Cục trưởng Cục Thông tin đối ngoại"),
        ),  # fmt: skip
        ev("e3", "2024-06-01", "Lào Cai", ("Lê Văn Nghiêm", "Giám đốc Sở Tư pháp tỉnh Lào Cai")),
        ev("e4", "2024-07-01", "Yên Bái", ("Lê Nghiêm", "Cục Thông tin đối ngoại")),
    ]
    trainers, placed = build_trainers(events)
    by = {(t.name, t.organisation): t for t in trainers}
    cuc = by[("Lê Văn Nghiêm", "Cục Thông tin đối ngoại")]
    so = by[("Lê Văn Nghiêm", "Sở Tư pháp tỉnh Lào Cai")]
    assert [e.id for e in cuc.events] == ["e1", "e2"]  # a promotion within one agency
    assert [r.role for r in cuc.roles][-1] == "Phó Cục trưởng Cục Thông tin đối ngoại"
    assert (cuc.first, cuc.last, cuc.provinces) == ("2023-05-01", "2024-05-01", ["Nghệ An", "Hà Tĩnh"])  # fmt: skip
    assert cuc.possibly_same == [so.id] and so.possibly_same == [cuc.id]
    short = by[("Lê Nghiêm", "Cục Thông tin đối ngoại")]
    assert short.id in cuc.see_also and short.id not in {t.id for t in trainers if t is cuc}
    assert placed[3].trainers[0].trainer_id == short.id
    assert organisation_of("Phó Cục trưởng Cục Báo chí, Bộ Thông tin và Truyền thông") == (
        "Cục Báo chí, Bộ Thông tin và Truyền thông"
    )


def test_list_trainers_by_org_and_province(store: Store) -> None:
    store.upsert(training("a1", "2024-03-21", BODY.format(d="21/3"), [HOA, HUNG]))
    store.upsert(training("h1", "2024-05-11", BODY.format(d="11/5"), [HOA], province="Hà Tĩnh", province_now="Hà Tĩnh"))  # fmt: skip
    recompute_events(store)
    everyone = list_trainers(store, TrainerQuery())
    assert [(t.name, len(t.events)) for t in everyone] == [("Trần Xuân Hòa", 2), ("Ngô Quang Hùng", 1)]  # fmt: skip
    assert [t.name for t in list_trainers(store, TrainerQuery(org="cuc bao chi"))] == ["Trần Xuân Hòa"]  # fmt: skip
    in_ha_tinh = list_trainers(store, TrainerQuery(province="Ha Tinh"))
    assert [(t.name, t.provinces) for t in in_ha_tinh] == [("Trần Xuân Hòa", ["Hà Tĩnh"])]
