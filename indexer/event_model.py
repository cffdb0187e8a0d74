"""The training event and the trainer: what `pressnews events`, `trainers`, `show` and the exports
give (docs/interfaces.md). Plain dataclasses, no I/O: the store is `indexer/events.py`.

An event is one training reported by one or more articles (its `reports`); a trainer is one
person across the events they spoke at. Both have stable ids (`ev-…`, `tr-…`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Format = Literal["in_person", "online", "hybrid"]


@dataclass(frozen=True)
class Attendance:
    """How many attended, as the report words it: `hơn 200` is value 200, qualifier "hơn"."""

    value: int
    qualifier: str = ""  # "", "hơn", "trên", "gần", "khoảng"

    def __str__(self) -> str:
        return f"{self.qualifier} {self.value}".strip()


@dataclass(frozen=True)
class EventTrainer:
    """A person who trained, opened, chaired or presented at the event, with their role there."""

    name: str
    role: str = ""
    trainer_id: str | None = None  # the registry record (`pressnews show tr-…`)


@dataclass(frozen=True)
class Report:
    """One article that reports the event."""

    id: str
    url: str
    source: str
    title: str
    date: str | None = None  # the article's `date` (published, else event date)


@dataclass
class Event:
    id: str
    title: str
    start: str | None
    end: str | None
    province: str | None
    province_now: str | None
    organisers: list[str] = field(default_factory=list)
    format: Format = "in_person"
    audience: str | None = None
    attendance: Attendance | None = None
    trainers: list[EventTrainer] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    decrees: list[str] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)  # ids of events merged into this one
    phase: str | None = None  # "dot 2", "lop 3", "review": part of a series

    @property
    def date(self) -> str | None:
        """The date to sort and filter by: the first day, else the earliest report's date."""
        if self.start:
            return self.start
        dates = [r.date for r in self.reports if r.date]
        return min(dates) if dates else None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["date"] = self.date
        return d

    def flat(self) -> dict[str, Any]:
        """One row for CSV and spreadsheets (`EVENT_COLUMNS`): lists joined with "; "."""
        att = self.attendance
        return {
            "id": self.id,
            "date": self.date,
            "start": self.start,
            "end": self.end,
            "province": self.province,
            "province_now": self.province_now,
            "title": self.title,
            "format": self.format,
            "attendance": str(att) if att else "",
            "attendance_value": att.value if att else None,
            "attendance_qualifier": att.qualifier if att else "",
            "audience": self.audience,
            "organisers": "; ".join(self.organisers),
            "trainers": "; ".join(
                f"{t.name} ({t.role})" if t.role else t.name for t in self.trainers
            ),
            "topics": "; ".join(self.topics),
            "decrees": "; ".join(self.decrees),
            "reports": len(self.reports),
            "first_report_url": self.reports[0].url if self.reports else None,
            "urls": " ".join(r.url for r in self.reports),
            "aliases": " ".join(self.aliases),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Event:
        att = d.get("attendance")
        return cls(
            id=d["id"],
            title=d.get("title") or "",
            start=d.get("start"),
            end=d.get("end"),
            province=d.get("province"),
            province_now=d.get("province_now"),
            organisers=list(d.get("organisers") or []),
            format=d.get("format") or "in_person",
            audience=d.get("audience"),
            attendance=Attendance(att["value"], att.get("qualifier") or "") if att else None,
            trainers=[EventTrainer(**t) for t in d.get("trainers") or []],
            topics=list(d.get("topics") or []),
            decrees=list(d.get("decrees") or []),
            reports=[Report(**r) for r in d.get("reports") or []],
            aliases=list(d.get("aliases") or []),
            phase=d.get("phase"),
        )


@dataclass(frozen=True)
class TrainerRole:
    """A role a trainer held, and the day (the event's date) it is attested."""

    role: str
    date: str | None
    event: str


@dataclass(frozen=True)
class TrainerEvent:
    id: str
    date: str | None
    province: str | None
    title: str


@dataclass
class Trainer:
    id: str
    name: str
    organisation: str | None
    roles: list[TrainerRole] = field(default_factory=list)
    events: list[TrainerEvent] = field(default_factory=list)
    provinces: list[str] = field(default_factory=list)
    first: str | None = None  # date of the first and last event they trained at
    last: str | None = None
    possibly_same: list[str] = field(default_factory=list)  # same full name, other agency
    see_also: list[str] = field(default_factory=list)  # name variants ("Lê Nghiêm")

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["trainings"] = len(self.events)
        return d

    def flat(self) -> dict[str, Any]:
        """One row for CSV and spreadsheets (`TRAINER_COLUMNS`)."""
        return {
            "id": self.id,
            "name": self.name,
            "trainings": len(self.events),
            "organisation": self.organisation,
            "latest_role": self.roles[-1].role if self.roles else "",
            "roles": "; ".join(dict.fromkeys(r.role for r in self.roles)),
            "provinces": "; ".join(self.provinces),
            "first": self.first,
            "last": self.last,
            "events": " ".join(e.id for e in self.events),
            "possibly_same": " ".join(self.possibly_same),
            "see_also": " ".join(self.see_also),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Trainer:
        return cls(
            id=d["id"],
            name=d["name"],
            organisation=d.get("organisation"),
            roles=[TrainerRole(**r) for r in d.get("roles") or []],
            events=[TrainerEvent(**e) for e in d.get("events") or []],
            provinces=list(d.get("provinces") or []),
            first=d.get("first"),
            last=d.get("last"),
            possibly_same=list(d.get("possibly_same") or []),
            see_also=list(d.get("see_also") or []),
        )


EVENT_COLUMNS: tuple[str, ...] = tuple(Event("", "", None, None, None, None).flat())
TRAINER_COLUMNS: tuple[str, ...] = tuple(Trainer("", "", None).flat())
