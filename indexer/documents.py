"""Attached documents in the store: written by the crawl (`save_document`), listed, shown,
searched, exported, and linked to what they speak about.

A document is stored under its URL with its original bytes (zlib), headers and validators, the
text a reader recovered (`crawler.documents.read`) and the facts understood from it
(`crawler.documents.understand`, as JSON in `extracted`). Links are computed when asked, from
what is stored, so they follow new articles and documents without a rewrite:
- a planned training (a plan's `planned` item) to the relevant articles that report a training
  of the same province (its 2025 unit, or the old units of a 2025 unit, included), on a shared
  core topic, within its period (a month, a range of months, a quarter, a half-year, with a
  week before and a month after; the plan's year when it names no period), one article per
  training, the best pairs first (shared topics, then the training's own words in the
  article's title and lead, the place, a date inside the period itself); and to a report's
  `held` training of the same province and topic in that period;
- a report's held training to the articles of the same province and topic within three days;
- a document to the articles that attach it or link to it (`referrers`).
The events branch's event records are the intended target of the first two links; until it is
merged, articles judged relevant stand for events (one article per training, duplicates apart).
"""

from __future__ import annotations

import hashlib
import json
import re
import zlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from vnlang.gazetteer import lookup, predecessors
from vnlang.text import fold_fast as fold

from .events import event_of_article, get_event
from .fts import pairs_text, province_tag, year_tag
from .query import Term, parse_text
from .sqlite_search import adjacency_expression, match_expression, province_units
from .store import Store

# Days before and after a planned period in which a training still counts as carrying it out
# (trainings slip: a course planned for a month is often held a few weeks later). A training held
# inside the period itself is preferred to one in this slack (`OUTSIDE_PENALTY`).
PERIOD_EARLY, PERIOD_LATE = 7, 31
OUTSIDE_PENALTY = 0.15
# Beyond this many days after the period, the article must name the training recognisably: half
# of its telling words (`word_overlap`) or its place.
LATE_PLAIN = 14
LATE_OVERLAP = 0.5
# Days between a report's date for a training and an article's date for the same training.
HELD_SLACK = 3
_COLUMNS = (
    "id, url, source, referrers, link_title, status, size, sha256, etag, last_modified, "
    "first_seen, fetched_at, format, flags, note, type, symbol, title, date, province, "
    "province_now, extracted"
)


@dataclass(frozen=True)
class FetchedDocument:
    """A document as the crawl fetched and read it."""

    url: str
    source: str
    status: int
    headers: dict[str, str]
    body: bytes
    fetched_at: str
    format: str
    text: str
    flags: list[str] = field(default_factory=list)
    note: str = ""
    facts: dict[str, Any] = field(default_factory=dict)
    referrers: list[str] = field(default_factory=list)
    link_title: str | None = None
    reader_version: str = ""


def document_id(url: str) -> str:
    return "doc-" + hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]


def _title(doc: FetchedDocument) -> str:
    facts = doc.facts
    kind = {
        "plan": "Kế hoạch",
        "report": "Báo cáo",
        "decision": "Quyết định",
        "official_letter": "Công văn",
    }.get(facts.get("type") or "", "")
    head = " ".join(x for x in (kind, facts.get("symbol")) if x)
    subject = facts.get("subject") or ""
    if head and subject:
        return f"{head}: {subject}"
    return head or subject or doc.link_title or doc.url.rsplit("/", 1)[-1]


def _fts_row(title: str, text: str, facts: dict[str, Any]) -> tuple[str, str, str, str, str]:
    title_f, body_f = fold(title), fold(text)
    people = [
        p.get("name", "") + " " + (p.get("role") or "") for p in facts.get("spokespeople", [])
    ]
    extra = fold(
        " ".join(
            [facts.get("symbol") or "", facts.get("issuer") or "", facts.get("signer") or ""]
            + people
            + list(facts.get("cites") or [])
        )
    )
    tags = [f"zt{facts.get('type') or 'other'}"]
    if facts.get("date"):
        tags.append(year_tag(facts["date"][:4]))
    units = {facts.get("province"), facts.get("province_now")}
    known = lookup(facts["province"]) if facts.get("province") else None
    if known is not None:
        units.add(known.merged_into)
    tags += sorted(province_tag(p) for p in units if p)
    return title_f, body_f, extra, " ".join(tags), pairs_text(title_f, body_f)


def save_document(store: Store, doc: FetchedDocument) -> str:
    """Insert or update a fetched document; "new", "updated" or "unchanged" (same bytes)."""
    digest = hashlib.sha256(doc.body).hexdigest()
    row = store.conn.execute(
        "SELECT rowid, sha256, referrers, reader_version FROM documents WHERE url = ?", (doc.url,)
    ).fetchone()
    referrers = json.loads(row["referrers"]) if row else []
    for referrer in doc.referrers:
        if referrer not in referrers:
            referrers.append(referrer)
    etag = doc.headers.get("etag")
    modified = doc.headers.get("last-modified")
    with store.transaction():
        if (
            row is not None
            and row["sha256"] == digest
            and row["reader_version"] == doc.reader_version
        ):
            store.conn.execute(
                "UPDATE documents SET fetched_at = ?, etag = ?, last_modified = ?, referrers = ? "
                "WHERE rowid = ?",
                (doc.fetched_at, etag, modified, json.dumps(referrers), row["rowid"]),
            )
            return "unchanged"
        facts = doc.facts
        title = _title(doc)
        values = (
            doc.source,
            json.dumps(referrers),
            doc.link_title,
            doc.status,
            json.dumps(doc.headers),
            zlib.compress(doc.body, 6),
            len(doc.body),
            digest,
            etag,
            modified,
            doc.fetched_at,
            doc.format,
            doc.text,
            json.dumps(doc.flags),
            doc.note,
            facts.get("type") or "other",
            facts.get("symbol"),
            title,
            facts.get("date"),
            facts.get("province"),
            facts.get("province_now"),
            json.dumps(facts, ensure_ascii=False),
            doc.reader_version,
        )
        if row is None:
            cur = store.conn.execute(
                "INSERT INTO documents (source, referrers, link_title, status, headers, body, "
                "size, sha256, etag, last_modified, fetched_at, format, text, flags, note, type, "
                "symbol, title, date, province, province_now, extracted, reader_version, id, url, "
                "first_seen) VALUES (" + ",".join("?" * 26) + ")",
                (*values, document_id(doc.url), doc.url, doc.fetched_at),
            )
            rowid, outcome = cur.lastrowid, "new"
        else:
            store.conn.execute(
                "UPDATE documents SET source = ?, referrers = ?, link_title = ?, status = ?, "
                "headers = ?, body = ?, size = ?, sha256 = ?, etag = ?, last_modified = ?, "
                "fetched_at = ?, format = ?, text = ?, flags = ?, note = ?, type = ?, symbol = ?, "
                "title = ?, date = ?, province = ?, province_now = ?, extracted = ?, "
                "reader_version = ? WHERE rowid = ?",
                (*values, row["rowid"]),
            )
            rowid, outcome = row["rowid"], "updated"
            store.conn.execute("DELETE FROM documents_fts WHERE rowid = ?", (rowid,))
        store.conn.execute(
            "INSERT INTO documents_fts (rowid, title, body, extra, tags, pairs) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (rowid, *_fts_row(title, doc.text, facts)),
        )
    return outcome


def iter_stored(store: Store) -> list[tuple[str, bytes, str]]:
    """(id, original bytes, link title) of every stored document, to read again without
    fetching."""
    rows = store.conn.execute(
        "SELECT id, body, link_title FROM documents ORDER BY rowid"
    ).fetchall()
    return [(r[0], zlib.decompress(r[1]), r[2] or "") for r in rows]


def update_reading(
    store: Store,
    doc_id: str,
    *,
    format: str,
    text: str,
    flags: list[str],
    note: str,
    facts: dict[str, Any],
    reader_version: str,
) -> bool:
    """Replace what was read and understood from a stored document (`pressnews reprocess`);
    True when anything changed."""
    row = store.conn.execute(
        "SELECT rowid, url, link_title, text, flags, extracted, format FROM documents WHERE id = ?",
        (doc_id,),
    ).fetchone()
    if row is None:
        return False
    new_extracted = json.dumps(facts, ensure_ascii=False)
    if (row["text"], row["flags"], row["extracted"], row["format"]) == (
        text,
        json.dumps(flags),
        new_extracted,
        format,
    ):
        return False
    title = _title(
        FetchedDocument(
            url=row["url"], source="", status=200, headers={}, body=b"", fetched_at="",
            format=format, text=text, facts=facts, link_title=row["link_title"],
        )
    )  # fmt: skip
    with store.transaction():
        store.conn.execute(
            "UPDATE documents SET format = ?, text = ?, flags = ?, note = ?, type = ?, symbol = ?, "
            "title = ?, date = ?, province = ?, province_now = ?, extracted = ?, "
            "reader_version = ? WHERE rowid = ?",
            (
                format,
                text,
                json.dumps(flags),
                note,
                facts.get("type") or "other",
                facts.get("symbol"),
                title,
                facts.get("date"),
                facts.get("province"),
                facts.get("province_now"),
                new_extracted,
                reader_version,
                row["rowid"],
            ),
        )
        store.conn.execute("DELETE FROM documents_fts WHERE rowid = ?", (row["rowid"],))
        store.conn.execute(
            "INSERT INTO documents_fts (rowid, title, body, extra, tags, pairs) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (row["rowid"], *_fts_row(title, text, facts)),
        )
    return True


def add_referrer(store: Store, url: str, referrer: str) -> bool:
    """Record that `referrer` links to the stored document `url` (a 304 or a skipped fetch);
    False when no such document is stored (yet)."""
    row = store.conn.execute("SELECT referrers FROM documents WHERE url = ?", (url,)).fetchone()
    if row is None:
        return False
    referrers = json.loads(row["referrers"])
    if referrer not in referrers:
        referrers.append(referrer)
        store.conn.execute(
            "UPDATE documents SET referrers = ? WHERE url = ?", (json.dumps(referrers), url)
        )
    return True


def validators(store: Store) -> dict[str, tuple[str | None, str | None]]:
    """URL -> (ETag, Last-Modified) of every stored document, for conditional fetches."""
    return {
        r["url"]: (r["etag"], r["last_modified"])
        for r in store.conn.execute("SELECT url, etag, last_modified FROM documents")
    }


def _summary(row: Any) -> dict[str, Any]:
    d = dict(zip(row.keys(), tuple(row), strict=True))
    d["referrers"] = json.loads(d["referrers"])
    d["flags"] = json.loads(d["flags"])
    d["extracted"] = json.loads(d["extracted"])
    return d


def _filters(
    type_: str | None,
    province: str | None,
    date_from: str | None,
    date_to: str | None,
    exact: bool = False,
) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    args: list[Any] = []
    if type_:
        where.append("type = ?")
        args.append(type_)
    if province:
        units = province_units(province, exact)
        marks = ",".join("?" * len(units))
        where.append(f"(province IN ({marks}) OR province_now IN ({marks}))")
        args += units + units
    if date_from:
        where.append("date >= ?")
        args.append(date_from)
    if date_to:
        where.append("date <= ?")
        args.append(date_to + "\uffff")
    return where, args


def list_documents(
    store: Store,
    *,
    type_: str | None = None,
    province: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Stored documents, newest first (undated last), without their bytes and text."""
    where, args = _filters(type_, province, date_from, date_to)
    sql = f"SELECT {_COLUMNS} FROM documents"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY date IS NULL, date DESC, url"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return [_summary(r) for r in store.conn.execute(sql, args)]


def count_documents(store: Store) -> int:
    return store.conn.execute("SELECT count(*) FROM documents").fetchone()[0]


def get_document(store: Store, key: str, with_text: bool = True) -> dict[str, Any] | None:
    """A stored document by id or URL, with its text (not its bytes)."""
    cols = _COLUMNS + (", text" if with_text else "")
    row = store.conn.execute(
        f"SELECT {cols} FROM documents WHERE id = ? OR url = ?", (key, key)
    ).fetchone()
    return _summary(row) if row else None


def document_bytes(store: Store, doc_id: str) -> bytes | None:
    row = store.conn.execute("SELECT body FROM documents WHERE id = ?", (doc_id,)).fetchone()
    return zlib.decompress(row[0]) if row else None


def iter_documents(store: Store) -> list[dict[str, Any]]:
    """Every document with its text, for the export."""
    return [
        _summary(r)
        for r in store.conn.execute(f"SELECT {_COLUMNS}, text FROM documents ORDER BY rowid")
    ]


# -- search ----------------------------------------------------------------------------------


def search_documents(
    store: Store,
    text: str | None,
    *,
    province: str | None = None,
    province_exact: bool = False,
    date_from: str | None = None,
    date_to: str | None = None,
    type_: str | None = None,
    limit: int = 20,
) -> list[dict[str, Any]]:
    """Documents matching the words (with or without diacritics, ANDed, quoted phrases in
    order), adjacent words first, then BM25 with the title weighted ten times the text."""
    terms: list[Term] = parse_text(text or "")
    where, args = _filters(type_, province, date_from, date_to, province_exact)
    where = [
        f"d.{w}" if not w.startswith("(") else w.replace("province", "d.province") for w in where
    ]
    if not terms:
        sql = "SELECT d.rowid, 0.0 AS score, 0 AS tier FROM documents d"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY d.date DESC"
        rows = store.conn.execute(sql, args).fetchall()
    else:
        words = [w for t in terms for w in t.words]
        match = match_expression(terms)
        adjacent = adjacency_expression(words) if len(words) > 1 else None
        sql = (
            "SELECT d.rowid, bm25(documents_fts, 10.0, 1.0, 4.0, 0.0, 0.0) AS score, "
            + (
                "(d.rowid IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?))"
                if adjacent
                else "0"
            )
            + " AS tier FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid "
            "WHERE documents_fts MATCH ?"
        )
        params: list[Any] = ([adjacent] if adjacent else []) + [match]
        if where:
            sql += " AND " + " AND ".join(where)
        sql += " ORDER BY tier DESC, score"
        rows = store.conn.execute(sql, params + args).fetchall()
    hits = []
    for rowid, score, _tier in rows[:limit]:
        row = store.conn.execute(
            f"SELECT {_COLUMNS} FROM documents WHERE rowid = ?", (rowid,)
        ).fetchone()
        hit = _summary(row)
        hit["score"] = round(-score, 4) if score else 0.0
        hits.append(hit)
    return hits


# -- links -----------------------------------------------------------------------------------


def _units(province: str | None) -> set[str]:
    if not province:
        return set()
    p = lookup(province)
    return {province, p.merged_into} if p else {province}


def same_province_units(province: str | None) -> set[str]:
    """The `province` values an article about a training of `province` may carry: the unit
    itself, its 2025 unit (a plan of Bắc Kạn carried out after the merger is reported as Thái
    Nguyên's) and, for a 2025 unit, the old units merged into it (an article dated before
    the merger names its old province)."""
    if not province:
        return set()
    p = lookup(province)
    if p is None:
        return {province}
    return {province, p.name, p.merged_into, *predecessors(p.name)}


def _articles_of(store: Store, province: str | None) -> list[dict[str, Any]]:
    """Relevant articles of that province (or of its 2025 unit, or of the old units of a 2025
    unit)."""
    units = sorted(same_province_units(province))
    if not units:
        return []
    marks = ",".join("?" * len(units))
    rows = store.conn.execute(
        "SELECT d.data FROM articles a JOIN article_docs d ON d.rowid = a.rowid "
        f"WHERE a.relevant = 1 AND a.duplicate_of IS NULL AND a.province IN ({marks})",
        units,
    )
    return [json.loads(r[0]) for r in rows]


def _when(article: dict[str, Any]) -> str | None:
    return article.get("event_date") or article.get("date")


def _days(a: str, b: str) -> int:
    return abs((date.fromisoformat(a[:10]) - date.fromisoformat(b[:10])).days)


def _window(planned: dict[str, Any], plan_date: str | None) -> tuple[str, str] | None:
    if planned.get("start") and planned.get("end"):
        start = date.fromisoformat(planned["start"]) - timedelta(days=PERIOD_EARLY)
        end = date.fromisoformat(planned["end"]) + timedelta(days=PERIOD_LATE)
        return start.isoformat(), end.isoformat()
    if plan_date:
        return plan_date[:10], f"{plan_date[:4]}-12-31"
    return None


def _topic_score(a: list[str], b: list[str]) -> float:
    core = {
        "phát ngôn",
        "cung cấp thông tin cho báo chí",
        "thông tin đối ngoại",
        "khủng hoảng truyền thông",
    }
    sa, sb = set(a) & core, set(b) & core
    # "phát ngôn" and "cung cấp thông tin cho báo chí" name one subject (Nghị định 09/2017)
    for s in (sa, sb):
        if "cung cấp thông tin cho báo chí" in s:
            s.discard("cung cấp thông tin cho báo chí")
            s.add("phát ngôn")
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


def _place_bonus(place: str | None, article: dict[str, Any]) -> float:
    if not place:
        return 0.0
    words = [
        w for w in fold(place).split() if w not in ("thanh", "pho", "huyen", "thi", "xa", "tinh")
    ]
    text = fold((article.get("title") or "") + " " + (article.get("body") or ""))
    return 0.1 if words and " ".join(words) in text else 0.0


# Words of a training's name that tell nothing about which training it is.
_PLAIN_WORDS = frozenset(
    fold(
        "tập huấn bồi dưỡng hội nghị lớp tổ chức cho và của các năm kỹ năng nghiệp vụ công tác "
        "cung cấp thông tin báo chí phát ngôn đối ngoại cán bộ"
    ).split()
)


def word_overlap(topic: str, article: dict[str, Any]) -> float:
    """The share of a training's telling words (its name less the words every training has)
    that the article's title and first paragraph use: tells two trainings on one topic apart
    ("... cho lãnh đạo cấp huyện" from "... cho cán bộ cấp xã")."""
    words = {w for w in re.findall(r"[^\W\d_]+", fold(topic)) if w not in _PLAIN_WORDS}
    if not words:
        return 0.0
    lead = (article.get("body") or "").split("\n", 1)[0][:600]
    seen = set(re.findall(r"[^\W\d_]+", fold(f"{article.get('title') or ''} {lead}")))
    return len(words & seen) / len(words)


def _inside(item: dict[str, Any], when: str) -> bool:
    """Is `when` inside the planned period itself (not only in its slack)?"""
    return bool(item.get("start") and item.get("end") and item["start"] <= when <= item["end"])


def link_planned(
    plan: dict[str, Any], articles: list[dict[str, Any]], reports: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """For each planned training of a plan: the article and the report entry that carried it
    out (or none). An article carries out at most one training of the plan: every (training,
    article) pair in the window on a shared core topic is scored, and pairs are taken best
    first. Pure: the caller gives the candidates (the province's relevant articles)."""
    facts = plan["extracted"]
    items = facts.get("planned", [])
    pairs: list[tuple[float, int, int]] = []
    for i, item in enumerate(items):
        window = _window(item, facts.get("date"))
        if window is None:
            continue
        for j, a in enumerate(articles):
            when = _when(a)
            if not when or not (window[0] <= when[:10] <= window[1]):
                continue
            score = _topic_score(item.get("topics", []), a.get("topics", []))
            if score <= 0:
                continue
            place = _place_bonus(item.get("place"), a)
            overlap = word_overlap(item.get("topic") or "", a)
            late = item.get("end") and _days(item["end"], when) > LATE_PLAIN and when > item["end"]
            if late and not place and overlap < LATE_OVERLAP:
                continue  # weeks late and not recognisably the same training
            score += place + 0.3 * overlap
            if item.get("start") and not _inside(item, when[:10]):
                score -= OUTSIDE_PENALTY
            pairs.append((score, i, j))
    chosen: dict[int, tuple[float, dict[str, Any]]] = {}
    taken: set[int] = set()
    for score, i, j in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        if i in chosen or j in taken:
            continue
        chosen[i] = (score, articles[j])
        taken.add(j)
    out: list[dict[str, Any]] = []
    for i, item in enumerate(items):
        window = _window(item, facts.get("date"))
        held_by_report = None
        for r in reports:
            for h in r["extracted"].get("held", []):
                in_window = window and h.get("date") and window[0] <= h["date"] <= window[1]
                if in_window and _topic_score(item.get("topics", []), h.get("topics", [])) > 0:
                    held_by_report = {"document": r["id"], "symbol": r["symbol"], **h}
                    break
            if held_by_report:
                break
        entry: dict[str, Any] = {"planned": item, "article": None, "report": held_by_report}
        if i in chosen:
            score, a = chosen[i]
            entry["article"] = {
                "id": a["id"],
                "title": a.get("title"),
                "url": a.get("url"),
                "date": _when(a),
                "score": round(score, 3),
            }
        out.append(entry)
    return out


def link_held(report: dict[str, Any], articles: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """For each training a report counts: the article that reported it (same province and topic,
    dates within HELD_SLACK days)."""
    out = []
    for h in report["extracted"].get("held", []):
        found = None
        for a in articles:
            when = _when(a)
            near = h.get("date") and when and _days(h["date"], when) <= HELD_SLACK
            if near and _topic_score(h.get("topics", []), a.get("topics", [])) > 0:
                found = {
                    "id": a["id"],
                    "title": a.get("title"),
                    "url": a.get("url"),
                    "date": when,
                }
                break
        out.append({"held": h, "article": found})
    return out


def _documents_of(store: Store, province: str | None, type_: str) -> list[dict[str, Any]]:
    if not province:
        return []
    rows = store.conn.execute(
        f"SELECT {_COLUMNS} FROM documents WHERE type = ? AND province = ?", (type_, province)
    )
    return [_summary(r) for r in rows]


def referring_articles(store: Store, doc: dict[str, Any]) -> list[dict[str, Any]]:
    urls = doc.get("referrers") or []
    if not urls:
        return []
    marks = ",".join("?" * len(urls))
    rows = store.conn.execute(
        f"SELECT id, title, url, date FROM articles WHERE url IN ({marks}) ORDER BY date", urls
    )
    return [dict(r) for r in rows]


def with_events(store: Store, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each entry whose `article` reports a training event gains `event` (the event's id and
    title; `pressnews show ID` prints it): a planned training links to the event that carried
    it out, a report's training to the event it counts."""
    for entry in entries:
        entry["event"] = None
        article = entry.get("article")
        event_id = event_of_article(store, article["id"]) if article else None
        if event_id:
            ev = get_event(store, event_id)
            entry["event"] = {"id": event_id, "title": ev.title if ev else None}
    return entries


def trainers_named(store: Store, name: str) -> list[str]:
    """Ids of the trainer-registry records with this full name (folded: diacritics, đ)."""
    key = fold(name)
    return [tid for tid, n in store.conn.execute("SELECT id, name FROM trainers") if fold(n) == key]


def links(store: Store, doc: dict[str, Any]) -> dict[str, Any]:
    """What a stored document links to (see the module docstring)."""
    facts = doc["extracted"]
    out: dict[str, Any] = {"articles": referring_articles(store, doc)}
    province = doc.get("province")
    if doc["type"] == "plan":
        out["planned"] = with_events(
            store,
            link_planned(
                doc, _articles_of(store, province), _documents_of(store, province, "report")
            ),
        )
    elif doc["type"] == "report":
        out["held"] = with_events(store, link_held(doc, _articles_of(store, province)))
    elif doc["type"] == "decision":
        out["spokespeople"] = [
            {
                **p,
                "province": province,
                "since": doc.get("date"),
                "trainers": trainers_named(store, p["name"]),
            }
            for p in facts.get("spokespeople", [])
        ]
    return out


def spokespeople(store: Store, province: str | None = None) -> list[dict[str, Any]]:
    """The spokespeople the stored decisions name, per province, the newest decision first."""
    out = []
    for doc in list_documents(store, type_="decision", province=province):
        for p in doc["extracted"].get("spokespeople", []):
            out.append(
                {
                    "province": doc.get("province"),
                    "name": p["name"],
                    "role": p.get("role"),
                    "decision": doc.get("symbol"),
                    "date": doc.get("date"),
                    "document": doc["id"],
                    "trainers": trainers_named(store, p["name"]),
                }
            )
    return out


def planned_vs_held(store: Store, province: str | None = None) -> list[dict[str, Any]]:
    """Per province and plan: the trainings planned, and which were held (by an article or by
    the province's own report)."""
    rows = []
    for plan in sorted(
        list_documents(store, type_="plan", province=province),
        key=lambda d: (d.get("province") or "", d.get("date") or ""),
    ):
        prov = plan.get("province")
        linked = with_events(
            store,
            link_planned(plan, _articles_of(store, prov), _documents_of(store, prov, "report")),
        )
        rows.append(
            {
                "province": prov,
                "plan": plan["symbol"],
                "document": plan["id"],
                "date": plan.get("date"),
                "planned": len(linked),
                "held_article": sum(1 for x in linked if x["article"]),
                "held_report": sum(1 for x in linked if x["report"]),
                "held_event": sum(1 for x in linked if x["event"]),
                "held": sum(1 for x in linked if x["article"] or x["report"]),
                "items": linked,
            }
        )
    return rows
