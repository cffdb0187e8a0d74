"""Corrections that last: a user's fix to an article's values, kept apart from what extraction
found and applied on top of it every time the article is written.

A correction is one row of the `corrections` table (schema 3): the article, the field, `set` or
`remove`, the value, a note, an author, when, and whether it was undone. `Store.upsert` calls
`apply_stored`, so a re-crawl and `pressnews reprocess` (which write the freshly extracted
article) keep every correction; `record` and `undo` rewrite the stored article at once (its
`seq` moves on, so the next Elasticsearch sync sends it).

Each row also keeps, as JSON, the field's values as extraction last gave them (`extracted`,
refreshed on every write of the article): undoing a correction gives the extracted value back,
and `export_rows` pairs the extracted and the corrected value as a labelled example.

Fields and values:

- `province`: `set` a name `vnlang.gazetteer.lookup` knows (any spelling); the stored province
  and its 2025 unit come from `province_at` at the article's date, as enrichment does. `remove`
  clears both.
- `relevant`: `set` true or false.
- `speaker`: `set` "Name|Role" adds the speaker, or sets the role of a speaker of that name
  (compared folded); "Name" alone adds a speaker without a role or keeps the role it has.
  `remove` "Name" removes that speaker; `remove` without a value removes every speaker.
- `decree`: `set` adds a document unless one with the same `match_key` is there; `remove` a
  document removes those with its key; `remove` without a value removes every document.
- `event_date`: `set` a date (YYYY-MM-DD or DD/MM/YYYY); `remove` clears it. The article's
  `date` follows (`pick_date`).
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, Literal

from vnlang.gazetteer import lookup, province_at
from vnlang.legaldocs import match_key
from vnlang.text import fold, nfc, squeeze

from .errors import PressnewsError
from .model import Article, Attachment, Image, Speaker, pick_date

if TYPE_CHECKING:
    from .store import Store

Action = Literal["set", "remove"]
FIELDS = ("province", "relevant", "speaker", "decree", "event_date")
# The article's keys each field's corrections change: what `extracted` keeps.
_KEYS: dict[str, tuple[str, ...]] = {
    "province": ("province", "province_now"),
    "relevant": ("relevant",),
    "speaker": ("speakers",),
    "decree": ("decrees",),
    "event_date": ("event_date", "date"),
}
# The key whose value a labelled example shows for the field.
_MAIN_KEY = {
    "province": "province",
    "relevant": "relevant",
    "speaker": "speakers",
    "decree": "decrees",
    "event_date": "event_date",
}
_TRUE = {"true", "yes", "1", "có", "co"}
_FALSE = {"false", "no", "0", "không", "khong"}
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


class CorrectionError(PressnewsError, ValueError):
    """A correction that cannot be recorded or undone; the message says why, in one line."""


@dataclass(frozen=True)
class Change:
    """One requested change, parsed and normalised: `--set FIELD=VALUE`, `--remove FIELD[=VALUE]`."""

    field: str
    action: Action
    value: str | None = None


@dataclass(frozen=True)
class Correction:
    """One stored correction."""

    id: int
    article_id: str
    field: str
    action: Action
    value: str | None
    note: str
    author: str
    created: str
    undone: str | None
    extracted: dict[str, Any] | None

    @property
    def change(self) -> Change:
        return Change(self.field, self.action, self.value)

    @property
    def active(self) -> bool:
        return self.undone is None

    def describe(self) -> str:
        """`set province = Hà Nam`, `remove speaker Nguyễn Văn A`, `remove decree (all)`."""
        if self.action == "set":
            return f"set {self.field} = {self.value}"
        return f"remove {self.field} " + (self.value if self.value is not None else "(all)")

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "article_id": self.article_id,
            "field": self.field,
            "action": self.action,
            "value": self.value,
            "note": self.note,
            "author": self.author,
            "created": self.created,
            "undone": self.undone,
        }


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


# -- parsing the user's request ---------------------------------------------------------------
def parse_change(action: Action, text: str) -> Change:
    """`province=Hà Nam` (for `set`) or `speaker=Nguyễn Văn A` / `decree` (for `remove`), checked
    and normalised; a `CorrectionError` names what is wrong."""
    name, sep, raw = text.partition("=")
    name = name.strip().lower().replace("-", "_")
    if name == "speakers":
        name = "speaker"
    if name in ("decrees", "document", "documents"):
        name = "decree"
    if name not in FIELDS:
        raise CorrectionError(
            f"cannot correct {text.partition('=')[0].strip()!r}: the fields are {', '.join(FIELDS)}"
        )
    value = squeeze(nfc(raw)) if sep else None
    if action == "set":
        if not value:
            raise CorrectionError(f"--set {name} needs a value: --set {name}=VALUE")
        return Change(name, "set", _normalise(name, value))
    if name == "relevant":
        raise CorrectionError("relevance is not removed but set: --set relevant=true or false")
    if name in ("province", "event_date") and value:
        raise CorrectionError(f"--remove {name} takes no value: it clears the {name}")
    if name == "speaker" and value:
        value = value.partition("|")[0].strip()
    return Change(name, "remove", value or None)


def _normalise(field: str, value: str) -> str:
    if field == "province":
        known = lookup(value)
        if known is None:
            raise CorrectionError(
                f"unknown province {value!r}: give a province name, e.g. 'Thanh Hóa' or 'Ninh Binh'"
            )
        return known.name
    if field == "relevant":
        folded = value.lower()
        if folded in _TRUE:
            return "true"
        if folded in _FALSE:
            return "false"
        raise CorrectionError(f"relevant={value!r}: give true or false")
    if field == "event_date":
        return _iso_date(value)
    if field == "speaker":
        name, sep, role = value.partition("|")
        name = name.strip()
        if not name:
            raise CorrectionError(f"speaker={value!r}: give a name, as 'Name' or 'Name|Role'")
        return f"{name}|{role.strip()}" if sep else name
    return value  # decree: as written (the key search compares it by is derived from it)


def _iso_date(value: str) -> str:
    m = _DMY.match(value)
    text = f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}" if m else value
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise CorrectionError(
            f"event_date={value!r} is not a date: give YYYY-MM-DD or DD/MM/YYYY"
        ) from None


# -- applying corrections to an article -------------------------------------------------------
def apply(article: Article, changes: Iterable[Change | Correction]) -> Article:
    """Apply the changes in order to `article` (in place; also returned). Pure: no I/O.

    Province corrections are applied last, so the province as at the article's date uses the
    date after any event-date correction."""
    province: Change | None = None
    for item in changes:
        change = item.change if isinstance(item, Correction) else item
        if change.field == "province":
            province = change
        else:
            _apply_one(article, change)
    if province is not None:
        _apply_one(article, province)
    return article


def _apply_one(a: Article, c: Change) -> None:
    if c.field == "relevant":
        a.relevant = c.value == "true"
    elif c.field == "event_date":
        a.event_date = c.value if c.action == "set" else None
        a.date = pick_date(a.published, a.event_date)
    elif c.field == "province":
        if c.action == "set" and c.value:
            a.province, a.province_now = province_at(c.value, pick_date(a.published, a.event_date))
        else:
            a.province, a.province_now = None, None
    elif c.field == "speaker":
        a.speakers = _speakers(a.speakers, c)
    elif c.field == "decree":
        a.decrees = _decrees(a.decrees, c)


def _speakers(speakers: list[Speaker], c: Change) -> list[Speaker]:
    if c.value is None:
        return [] if c.action == "remove" else list(speakers)
    name, sep, role = c.value.partition("|")
    key = fold(name)
    if c.action == "remove":
        return [s for s in speakers if fold(s.name) != key]
    out, found = [], False
    for s in speakers:
        if fold(s.name) == key:
            found = True
            s = Speaker(s.name, role) if sep else s
        out.append(s)
    if not found:
        out.append(Speaker(name, role))
    return out


def _decrees(decrees: list[str], c: Change) -> list[str]:
    if c.value is None:
        return [] if c.action == "remove" else list(decrees)
    key = match_key(c.value)

    def same(d: str) -> bool:
        return match_key(d) == key if key else d == c.value

    if c.action == "remove":
        return [d for d in decrees if not same(d)]
    return decrees if any(same(d) for d in decrees) else [*decrees, c.value]


def _check_applies(a: Article, c: Change) -> None:
    """A removal of something the article does not have is refused (it would do nothing)."""
    if c.action != "remove" or c.value is None:
        return
    if c.field == "speaker" and not any(fold(s.name) == fold(c.value) for s in a.speakers):
        have = ", ".join(s.name for s in a.speakers) or "none"
        raise CorrectionError(f"article {a.id} has no speaker {c.value!r} (its speakers: {have})")
    if c.field == "decree" and _decrees(a.decrees, c) == a.decrees:
        have = ", ".join(a.decrees) or "none"
        raise CorrectionError(
            f"article {a.id} cites no document {c.value!r} (its documents: {have})"
        )


def field_values(article: Article | Mapping[str, Any], field: str) -> dict[str, Any]:
    """The article's values of the keys `field` changes, as JSON-ready values."""
    data = article.to_dict() if isinstance(article, Article) else article
    return {k: data.get(k) for k in _KEYS[field]}


def article_from_doc(doc: Mapping[str, Any]) -> Article:
    """The `Article` of a stored document (`Article.to_dict` inverted; unknown keys ignored)."""
    names = {f.name for f in fields(Article)}
    data = {k: v for k, v in doc.items() if k in names}
    data["speakers"] = [_build(Speaker, s) for s in data.get("speakers") or []]
    data["images"] = [_build(Image, i) for i in data.get("images") or []]
    data["attachments"] = [_build(Attachment, x) for x in data.get("attachments") or []]
    return Article(**data)


def _build(cls: Any, data: Mapping[str, Any]) -> Any:
    names = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in data.items() if k in names})


def _restore(article: Article, values: Mapping[str, Any]) -> None:
    for key, value in values.items():
        if key == "speakers":
            value = [_build(Speaker, s) for s in value or []]
        elif key == "decrees":
            value = list(value or [])
        setattr(article, key, value)


# -- the table ---------------------------------------------------------------------------------
_COLUMNS = "id, article_id, field, action, value, note, author, created, undone, extracted"


def _row(r: Sequence[Any]) -> Correction:
    extracted = json.loads(r[9]) if r[9] else None
    return Correction(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], extracted)


def _rows(conn: sqlite3.Connection, article_id: str) -> list[Correction]:
    return [
        _row(r)
        for r in conn.execute(
            f"SELECT {_COLUMNS} FROM corrections WHERE article_id = ? ORDER BY id", (article_id,)
        ).fetchall()
    ]


def apply_stored(conn: sqlite3.Connection, article: Article) -> bool:
    """For `Store.upsert`, inside its transaction: remember `article`'s values as the extracted
    ones of every corrected field, then apply the article's active corrections to it (in
    place). True when a correction applied (the caller re-derives the index fields)."""
    rows = _rows(conn, article.id)
    if not rows:
        return False
    for field in {r.field for r in rows}:
        values = json.dumps(field_values(article, field), ensure_ascii=False)
        conn.execute(
            "UPDATE corrections SET extracted = ? WHERE article_id = ? AND field = ? "
            "AND extracted IS NOT ?",
            (values, article.id, field, values),
        )
    active = [r for r in rows if r.active]
    apply(article, active)
    return bool(active)


def _extracted_article(doc: Mapping[str, Any], rows: list[Correction]) -> Article:
    """The stored article as extraction gave it: its corrected fields put back."""
    article = article_from_doc(doc)
    done: set[str] = set()
    for r in rows:
        if r.field not in done and r.extracted is not None:
            _restore(article, r.extracted)
            done.add(r.field)
    return article


def record(
    store: Store,
    article_id: str,
    changes: Sequence[Change],
    *,
    note: str = "",
    author: str = "",
) -> list[Correction]:
    """Store the changes as corrections of one article and rewrite it with them applied."""
    if not changes:
        raise CorrectionError(
            "nothing to correct: give --set FIELD=VALUE or --remove FIELD[=VALUE]"
        )
    with store.transaction():
        doc = store.get(article_id)
        if doc is None:
            raise CorrectionError(
                f"no article with id {article_id!r}: `pressnews search --json` and "
                "`pressnews export` show the ids"
            )
        rows = _rows(store.conn, article_id)
        extracted = _extracted_article(doc, rows)
        state = article_from_doc(doc)  # as stored: with the earlier corrections
        for change in changes:
            _check_applies(state, change)
            apply(state, [change])
        created = _now()
        ids = []
        for change in changes:
            cur = store.conn.execute(
                "INSERT INTO corrections(article_id, field, action, value, note, author, created, "
                "extracted) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    article_id,
                    change.field,
                    change.action,
                    change.value,
                    note,
                    author,
                    created,
                    json.dumps(field_values(extracted, change.field), ensure_ascii=False),
                ),
            )
            ids.append(int(cur.lastrowid or 0))
        store.upsert(extracted)
        return [c for c in _rows(store.conn, article_id) if c.id in ids]


def undo(store: Store, correction_id: int) -> Correction:
    """Undo one correction: the article gets its extracted value back, the others re-applied."""
    with store.transaction():
        found = store.conn.execute(
            f"SELECT {_COLUMNS} FROM corrections WHERE id = ?", (correction_id,)
        ).fetchone()
        if found is None:
            raise CorrectionError(
                f"no correction {correction_id}: `pressnews corrections` lists them"
            )
        correction = _row(found)
        if correction.undone is not None:
            raise CorrectionError(
                f"correction {correction_id} was already undone on {correction.undone}"
            )
        doc = store.get(correction.article_id)
        rows = _rows(store.conn, correction.article_id)
        undone = _now()
        store.conn.execute(
            "UPDATE corrections SET undone = ? WHERE id = ?", (undone, correction_id)
        )
        if doc is not None:
            store.upsert(_extracted_article(doc, rows))
    return Correction(**{**asdict(correction), "undone": undone})


def list_corrections(
    store: Store, article_id: str | None = None, *, include_undone: bool = True
) -> list[Correction]:
    sql = f"SELECT {_COLUMNS} FROM corrections"
    where, args = [], []
    if article_id is not None:
        where.append("article_id = ?")
        args.append(article_id)
    if not include_undone:
        where.append("undone IS NULL")
    if where:
        sql += " WHERE " + " AND ".join(where)
    return [_row(r) for r in store.conn.execute(sql + " ORDER BY id", args).fetchall()]


def export_rows(store: Store, source: str | None = None) -> Iterator[dict[str, Any]]:
    """The active corrections as labelled examples: the article (id, url, title), the field,
    the value extraction gave and the value as corrected (the article as stored)."""
    for c in list_corrections(store, include_undone=False):
        doc = store.get(c.article_id)
        if doc is None or (source is not None and doc.get("source") != source):
            continue
        key = _MAIN_KEY[c.field]
        yield {
            "correction": c.id,
            "id": doc["id"],
            "url": doc["url"],
            "title": doc["title"],
            "source": doc.get("source"),
            "field": c.field,
            "action": c.action,
            "value": c.value,
            "extracted": (c.extracted or {}).get(key, doc.get(key)),
            "corrected": doc.get(key),
            "note": c.note,
            "author": c.author,
            "created": c.created,
        }
