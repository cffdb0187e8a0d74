"""`pressnews export --xlsx FILE`: events, trainers and articles as one workbook (openpyxl).

A sheet each; Vietnamese text as it is (xlsx is UTF-8 inside), dates as real dates (sortable and
filterable in Excel and LibreOffice), links clickable, the header row frozen and filterable. The
file is written to a temporary name and renamed, so a failed export never leaves half a file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .errors import PressnewsError
from .event_model import EVENT_COLUMNS, TRAINER_COLUMNS
from .events import iter_events, iter_trainers
from .store import Store

DATE_FORMAT = "yyyy-mm-dd"
# Excel refuses a cell longer than this.
_MAX_CELL = 32767
_LINK = Font(color="0563C1", underline="single")
_BOLD = Font(bold=True)


class ExportError(PressnewsError, OSError):
    """The spreadsheet cannot be written where asked."""


def _as_date(value: Any) -> Any:
    if isinstance(value, str) and len(value) >= 10 and value[4] == "-" and value[7] == "-":
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return value
    return value


def _clean(value: Any) -> Any:
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    if isinstance(value, str):
        # Control characters other than tab and newline are not allowed in xlsx text.
        value = "".join(ch for ch in value if ch >= " " or ch in "\t\n")[:_MAX_CELL]
    return value


def add_sheet(
    wb: Workbook,
    title: str,
    columns: Sequence[str],
    rows: Iterable[dict[str, Any]],
    *,
    date_columns: Sequence[str] = (),
    link_columns: Sequence[str] = (),
    widths: dict[str, int] | None = None,
) -> Worksheet:
    ws = wb.create_sheet(title)
    ws.append(list(columns))
    for cell in ws[1]:
        cell.font = _BOLD
    for row in rows:
        values = []
        for col in columns:
            v = row.get(col)
            values.append(_as_date(v) if col in date_columns else _clean(v))
        ws.append(values)
        r = ws.max_row
        for col in date_columns:
            cell = ws.cell(r, columns.index(col) + 1)
            if isinstance(cell.value, date | datetime):
                cell.number_format = DATE_FORMAT
        for col in link_columns:
            cell = ws.cell(r, columns.index(col) + 1)
            if isinstance(cell.value, str) and cell.value.startswith(("http://", "https://")):
                cell.hyperlink = cell.value
                cell.font = _LINK
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    for n, col in enumerate(columns, 1):
        ws.column_dimensions[get_column_letter(n)].width = (widths or {}).get(col, 16)
    return ws


def save(wb: Workbook, path: str | Path) -> None:
    """Write the workbook atomically (temporary file in the same folder, then rename)."""
    target = Path(path).expanduser()
    if target.is_dir():
        raise ExportError(f"{path} is a folder: give a file name such as trainings.xlsx")
    folder = target.resolve().parent
    if not folder.is_dir():
        raise ExportError(f"cannot write {path}: the folder {folder} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=".pressnews-", suffix=".xlsx", dir=folder)
        os.close(fd)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from exc
    try:
        wb.save(tmp)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from exc


def new_workbook() -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    return wb


ARTICLE_COLUMNS = (
    "id", "date", "published", "event_date", "province", "province_now", "source", "title",
    "url", "relevant", "speakers", "decrees", "topics", "event", "duplicate_of", "first_seen",
)  # fmt: skip


def _article_row(doc: dict[str, Any], event: str | None) -> dict[str, Any]:
    row = {k: doc.get(k) for k in ARTICLE_COLUMNS}
    row["speakers"] = "; ".join(
        f"{s['name']} ({s['role']})" if s.get("role") else s["name"]
        for s in doc.get("speakers") or []
    )
    row["relevant"] = "yes" if doc.get("relevant") else "no"
    row["event"] = event
    return row


def write_workbook(store: Store, path: str | Path) -> dict[str, int]:
    """Events, trainers and articles of the store as one .xlsx file; the rows per sheet."""
    wb = new_workbook()
    events = [ev.flat() for ev in iter_events(store)]
    add_sheet(
        wb, "events", EVENT_COLUMNS, events,
        date_columns=("date", "start", "end"), link_columns=("first_report_url",),
        widths={"title": 60, "trainers": 50, "organisers": 40, "audience": 40, "urls": 60},
    )  # fmt: skip
    trainers = [t.flat() for t in iter_trainers(store)]
    add_sheet(
        wb, "trainers", TRAINER_COLUMNS, trainers,
        date_columns=("first", "last"), widths={"name": 24, "organisation": 40, "roles": 60},
    )  # fmt: skip
    of_article = dict(store.conn.execute("SELECT article_id, event_id FROM event_reports"))
    articles = [_article_row(d, of_article.get(d["id"])) for d in store.iter_articles()]
    add_sheet(
        wb, "articles", ARTICLE_COLUMNS, articles,
        date_columns=("date", "published", "event_date", "first_seen"), link_columns=("url",),
        widths={"title": 60, "url": 50, "speakers": 50},
    )  # fmt: skip
    save(wb, path)
    return {"events": len(events), "trainers": len(trainers), "articles": len(articles)}
