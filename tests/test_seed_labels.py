"""The five real seed articles (../shared/seeds) must give their labels exactly."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from crawler.enrich.enrich_article import enrich
from indexer.model import Extracted

SHARED = Path(__file__).parents[1].parent / "shared"
SEEDS = SHARED / "seeds"
pytestmark = pytest.mark.skipif(
    not (SEEDS / "labels.json").exists(), reason=f"shared seeds not found at {SEEDS}"
)

# Site chrome around the seed texts (navigation, datelines, widgets): not part of an article body.
CHROME = {
    "Skip Ribbon Commands",
    "Skip to main content",
    "Tin tức - Sự kiện",
    "Việt Nam vươn mình trong kỷ nguyên mới",
    "Logo",
    "Đăng ký ấn phẩm|Đăng nhập",
    "About",
}
DATELINE = re.compile(r"^\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}(:\d{2})? [AP]M$")
# Where a page's related-news and comment widgets start: the article is over.
TAIL = ("Đọc nhiều",)


def seed_body(text: str, title: str) -> str:
    lines = []
    for line in text.splitlines():
        s = line.strip()
        if s in TAIL:
            break
        if s == title or s in CHROME or DATELINE.match(s):
            continue
        lines.append(line)
    return "\n".join(lines).strip()


def load_seeds() -> list[tuple[dict, str]]:
    if not (SEEDS / "labels.json").exists():
        return []
    labels = json.loads((SEEDS / "labels.json").read_text(encoding="utf-8"))
    return [(lab, (SEEDS / lab["file"]).read_text(encoding="utf-8")) for lab in labels]


@pytest.mark.parametrize(
    ("label", "text"), load_seeds(), ids=lambda x: x["file"] if isinstance(x, dict) else ""
)
def test_seed_labels(label: dict, text: str) -> None:
    ex = Extracted(
        url=f"https://seed.invalid/{label['file']}",
        title=label["title"],
        body=seed_body(text, label["title"]),
        published=label["published"],
    )
    got = enrich(ex)
    assert got.province == label["province"]
    assert got.province_now == label["province_now"]
    assert [(s.name, s.role) for s in got.speakers] == [
        (s["name"], s["role"]) for s in label["speakers"]
    ]
    assert got.decrees == label["decrees"]
    assert got.event_date == label["event_date"]
    assert got.relevant is label["relevant"]


@pytest.mark.parametrize(
    ("label", "text"), load_seeds(), ids=lambda x: x["file"] if isinstance(x, dict) else ""
)
def test_seed_raw_text_is_robust(label: dict, text: str) -> None:
    """Even with all the chrome left in, the core fields hold."""
    got = enrich(
        Extracted(
            url="https://seed.invalid/",
            title=label["title"],
            body=text,
            published=label["published"],
        )
    )
    assert got.province == label["province"]
    assert [s.name for s in got.speakers] == [s["name"] for s in label["speakers"]]
    assert got.decrees == label["decrees"]
