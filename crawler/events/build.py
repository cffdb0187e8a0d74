"""From stored articles to training events and the trainer registry: pure functions.

`report_record` reads one exported article (docs/interfaces.md) into what grouping needs and the
training facts of its text; `build_event` joins the reports of one group into an `Event` (its id
is given later by the store, which keeps ids stable); `build_trainers` makes the registry from
events.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from crawler.enrich.training import TrainingFacts, relative_day, training_facts
from crawler.events.grouping import ReportRecord, distinctive_words
from indexer.event_model import (
    Event,
    EventTrainer,
    Report,
    Trainer,
    TrainerEvent,
    TrainerRole,
)
from vnlang.text import fold


@dataclass(frozen=True)
class ReportInput:
    doc: dict[str, Any]  # the exported article, without its body (`body_chars`: its length)
    record: ReportRecord
    facts: TrainingFacts


def _lead(body: str, limit: int = 600) -> str:
    return body[:limit]


def report_record(doc: dict[str, Any], order: int) -> ReportInput:
    """One relevant article, read for grouping."""
    body = doc.get("body") or ""
    title = doc.get("title") or ""
    published = (doc.get("published") or "")[:10] or None
    start = doc.get("event_date") or relative_day(body[:400], published)
    facts = training_facts(title, body, start)
    speakers = doc.get("speakers") or []
    record = ReportRecord(
        id=doc["id"],
        order=order,
        province=doc.get("province"),
        province_now=doc.get("province_now"),
        start=facts.start,
        end=facts.end,
        published=published,
        title=title,
        lead=_lead(body),
        trainers=frozenset(fold(s["name"]) for s in speakers if s.get("name")),
        organisers=frozenset(fold(o) for o in facts.organisers),
        audience=facts.audience or "",
        attendance=facts.attendance.value if facts.attendance else None,
        topics=frozenset(doc.get("topics") or []),
        decrees=frozenset(doc.get("decrees") or []),
        phase=facts.phase,
        words=distinctive_words(f"{title} {_lead(body, 400)}"),
    )
    # The body is read here only: a recompute holds every relevant article of its provinces.
    slim = {k: v for k, v in doc.items() if k not in ("body", "evidence")}
    slim["body_chars"] = len(body)
    return ReportInput(slim, record, facts)


# Words that make a title the report of a training (a better event title than "Hội nghị").
_TRAINING_TITLE = re.compile(r"\b(?:tap huan|boi duong|lop|khoa hoc|cap nhat)\b")


def _best_title(reports: list[ReportInput]) -> str:
    def key(r: ReportInput) -> tuple[int, int, int]:
        title = r.doc.get("title") or ""
        return (
            1 if _TRAINING_TITLE.search(fold(title)) else 0,
            r.doc.get("body_chars", 0) // 400,
            len(title),
        )

    return (max(reports, key=key).doc.get("title") or "").strip()


def _most_common(values: Iterable[str | None]) -> str | None:
    counted = Counter(v for v in values if v)
    return counted.most_common(1)[0][0] if counted else None


def _union(lists: Iterable[Iterable[str]], key: Any = fold) -> list[str]:
    """Items of all lists once each, in order; of two where one's key starts the other's
    ("Sở Thông tin và Truyền thông" and "... tỉnh Hà Nam") the fuller one."""
    out: list[tuple[str, str]] = []
    for items in lists:
        for item in items:
            k = key(item)
            for n, (ok, _) in enumerate(out):
                if ok.startswith(k) or k.startswith(ok):
                    if len(k) > len(ok):
                        out[n] = (k, item)
                    break
            else:
                out.append((k, item))
    return [item for _, item in out]


def build_event(event_id: str, reports: list[ReportInput]) -> Event:
    """One event from the reports of one group (in stored order)."""
    starts = sorted(r.record.start for r in reports if r.record.start)
    ends = sorted((r.record.end or r.record.start) for r in reports if r.record.start)
    formats = {r.facts.format for r in reports}
    fmt = "hybrid" if "hybrid" in formats else "online" if "online" in formats else "in_person"
    # The fullest report's attendance: an exact number before a qualified one.
    counted = [r.facts.attendance for r in reports if r.facts.attendance]
    attendance = (
        sorted(counted, key=lambda a: (a.qualifier != "", -a.value))[0] if counted else None
    )
    audience = max((r.facts.audience for r in reports if r.facts.audience), key=len, default=None)
    trainers: dict[str, EventTrainer] = {}
    for r in reports:
        for s in r.doc.get("speakers") or []:
            k = fold(s["name"])
            role = s.get("role") or ""
            if k not in trainers or len(role) > len(trainers[k].role):
                trainers[k] = EventTrainer(s["name"], role)
    return Event(
        id=event_id,
        title=_best_title(reports),
        start=starts[0] if starts else None,
        end=ends[-1] if ends else None,
        province=_most_common(r.doc.get("province") for r in reports),
        province_now=_most_common(r.doc.get("province_now") for r in reports),
        organisers=_union(r.facts.organisers for r in reports),
        format=fmt,  # type: ignore[arg-type]
        audience=audience,
        attendance=attendance,
        trainers=list(trainers.values()),
        topics=_union(((r.doc.get("topics") or []) for r in reports), key=str),
        decrees=_union(((r.doc.get("decrees") or []) for r in reports), key=str),
        reports=[
            Report(
                id=r.doc["id"],
                url=r.doc.get("url") or "",
                source=r.doc.get("source") or "",
                title=r.doc.get("title") or "",
                date=r.doc.get("date"),
            )
            for r in sorted(reports, key=lambda r: (r.doc.get("date") or "9999", r.record.order))
        ],
        phase=_most_common(r.facts.phase for r in reports),
    )


def event_id_for(first_report_id: str) -> str:
    """A new event's id: from its first report's article id (stable, short)."""
    return "ev-" + hashlib.sha1(first_report_id.encode()).hexdigest()[:10]


# -- the trainer registry -----------------------------------------------------------------------
# Titles that lead a role; what follows is the organisation ("Phó Cục trưởng Cục Báo chí, Bộ
# Thông tin và Truyền thông" -> "Cục Báo chí, Bộ Thông tin và Truyền thông").
_ORG_START = re.compile(
    r"\b(?:Sở|Cục|Bộ|Ban|UBND|Ủy ban|Uỷ ban|Văn phòng|Hội|Trung tâm|Báo|Đài|Học viện|Trường|"
    r"Tỉnh ủy|Tỉnh uỷ|Thành ủy|Thành uỷ|Huyện ủy|Huyện uỷ|Đảng ủy|Đảng uỷ|Vụ|Công an|Viện|"
    r"Tổng cục|Thông tấn xã|Liên đoàn|Hội đồng)\b(?!\s+(?:trưởng|phó)\b)"
)
# A position word before the organisation, when the role is "Trưởng phòng X, Sở Y".
_DEPARTMENT = re.compile(r"^(?:Phòng|Ban|Vụ|Trung tâm)\b[^,–-]*[,–-]\s*")


def organisation_of(role: str) -> str | None:
    """The body a role belongs to, as written ("Cục Báo chí, Bộ Thông tin và Truyền thông")."""
    m = _ORG_START.search(role or "")
    if not m:
        return None
    org = role[m.start() :].strip(" ,.-–")
    return org or None


def _agency_key(org: str | None) -> str:
    """The agency a person belongs to, for telling namesakes apart: the first body named
    ("Cục Thông tin đối ngoại"), folded; a department inside it counts as the same body."""
    if not org:
        return ""
    parts = [p for p in re.split(r"\s*[,–]\s*|\s+-\s+", org) if p]
    # A department inside an agency ("Phòng Thông tin - Báo chí, Sở ...") is the agency's.
    while len(parts) > 1 and re.match(r"(?:Phòng|Trung tâm|Bộ phận)\b", parts[0]):
        parts = parts[1:]
    return fold(parts[0]) if parts else ""


def _compatible(a: set[str], b: str) -> bool:
    """Whether an agency key fits a person already known under agencies `a`."""
    return not b or not a or b in a or any(b in x or x in b for x in a)


def trainer_id_for(name: str, agency: str) -> str:
    return "tr-" + hashlib.sha1(f"{fold(name)}|{agency}".encode()).hexdigest()[:10]


def _variant_words(wa: list[str], wb: list[str]) -> bool:
    """ "Lê Nghiêm" and "Lê Văn Nghiêm" (as folded words): same surname and given name, one
    without a middle name."""
    if wa == wb or len(wa) < 2 or len(wb) < 2:
        return False
    if wa[0] != wb[0] or wa[-1] != wb[-1]:
        return False
    short, long_ = sorted((wa, wb), key=len)
    it = iter(long_)
    return len(short) < len(long_) and all(w in it for w in short)


def build_trainers(events: list[Event]) -> tuple[list[Trainer], list[Event]]:
    """The registry: one record per person, and the events with each trainer's record id.

    The same full name is one person when the agencies of their roles agree (the same agency, a
    promotion within it, or no agency given); otherwise two records, each listing the other as
    `possibly_same`. Different full names are never merged; variants are `see_also`."""
    people: dict[str, list[dict[str, Any]]] = {}  # folded name -> persons
    ordered = sorted(events, key=lambda e: (e.date or "9999", e.id))
    placement: dict[tuple[str, str], dict[str, Any]] = {}
    for ev in ordered:
        for t in ev.trainers:
            org = organisation_of(t.role)
            agency = _agency_key(org)
            candidates = people.setdefault(fold(t.name), [])
            person = next((p for p in candidates if _compatible(p["agencies"], agency)), None)
            if person is None:
                person = {"name": t.name, "agencies": set(), "org": org, "agency": agency,
                          "roles": [], "events": []}  # fmt: skip
                candidates.append(person)
            if agency:
                person["agencies"].add(agency)
                if not person["agency"]:
                    person["agency"], person["org"] = agency, org
                elif org and agency == person["agency"]:
                    person["org"] = org  # the latest wording of the same agency
            if t.role:
                person["roles"].append(TrainerRole(t.role, ev.date, ev.id))
            if not any(e.id == ev.id for e in person["events"]):
                person["events"].append(TrainerEvent(ev.id, ev.date, ev.province, ev.title))
            placement[(ev.id, fold(t.name))] = person
    trainers: list[Trainer] = []
    by_person: dict[int, Trainer] = {}
    for persons in people.values():
        for p in persons:
            tid = trainer_id_for(p["name"], p["agency"])
            provinces = list(dict.fromkeys(e.province for e in p["events"] if e.province))
            dates = sorted(e.date for e in p["events"] if e.date)
            tr = Trainer(
                id=tid,
                name=p["name"],
                organisation=p["org"],
                roles=p["roles"],
                events=p["events"],
                provinces=provinces,
                first=dates[0] if dates else None,
                last=dates[-1] if dates else None,
            )
            by_person[id(p)] = tr
            trainers.append(tr)
    for persons in people.values():
        if len(persons) > 1:
            ids = [by_person[id(p)].id for p in persons]
            for p in persons:
                by_person[id(p)].possibly_same = [i for i in ids if i != by_person[id(p)].id]
    # Variants share their first and last words: only names of the same (surname, given name)
    # are compared (all pairs of thousands of trainers took minutes).
    names = {fold(t.name): t for t in trainers}
    by_ends: dict[tuple[str, str], list[tuple[list[str], Trainer]]] = {}
    for key, o in names.items():
        words = key.split()
        if len(words) >= 2:
            by_ends.setdefault((words[0], words[-1]), []).append((words, o))
    for t in trainers:
        words = fold(t.name).split()
        peers = by_ends.get((words[0], words[-1]), []) if len(words) >= 2 else []
        t.see_also = sorted({o.id for w, o in peers if _variant_words(words, w)})
    out_events = []
    for ev in events:
        placed = [
            EventTrainer(t.name, t.role, by_person[id(placement[(ev.id, fold(t.name))])].id)
            for t in ev.trainers
        ]
        ev.trainers = placed
        out_events.append(ev)
    trainers.sort(key=lambda t: (-len(t.events), fold(t.name), t.id))
    return trainers, out_events
