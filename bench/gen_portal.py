"""A generated provincial news portal for the focused-crawling benchmark (bench/bench_focus.py).

The headlines, teasers and slugs come from `bench/data/portal_titles.jsonl`, written by another
writer from `bench/data/PORTAL_BRIEF.md` before and apart from the link scorer (see
bench/data/PORTAL_PROVENANCE.md). The mix was fixed before the titles were read:

- `articles` article pages (default 20,000), 1% relevant: drawn without repeats from the
  "relevant" and "dull" headlines (in proportion to how many the writer wrote);
- the rest: 15% "near_miss" headlines, 85% "other" headlines, each repeated as needed with its
  own id and date (a portal of 20,000 has far more ordinary news than near misses);
- newest first on a listing of 20 items per page (`/tin-tuc/`, `/tin-tuc/?page=N`: 1,000 pages
  for 20,000 articles), the relevant articles at random places across the whole archive;
- each listing item as CMSs show them: an image link and a headline link (with a `title`
  attribute), a date and the teaser; a pager of the pages around the current one (3 each
  side), "Sau" (next) and "Cuối" (last), as provincial portals show it;
- each article page: headline, date, teaser, a few paragraphs, and three "Tin khác" links
  (the next older articles), with a site menu. No sitemap, no feed: the archive is reached
  through the listing only.

Deterministic for a seed. Pages are rendered on request (`Portal.page(path)`), so a server can
answer from memory without writing 21,000 files. Another headline file (same JSON lines) can
stand in for the default one: `Portal(titles=...)`, `--titles` here and in bench_focus.py.

    python bench/gen_portal.py [--titles FILE] [--articles 20000] [--seed 12]

prints the portal's mix (articles per kind) and the first listing items, as a check of a file.
"""

from __future__ import annotations

import argparse
import html
import json
import random
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
TITLES = DATA / "portal_titles.jsonl"
PER_PAGE = 20
PAGER_SIDE = 3
RELEVANT_SHARE = 0.01
NEAR_MISS_SHARE = 0.15  # of the articles that are not relevant
# Generic paragraphs of an article page (the benchmark measures fetching order, not extraction).
_PARAGRAPHS = [
    "Tham dự có đại diện lãnh đạo các sở, ban, ngành, đoàn thể cấp tỉnh và UBND các huyện, "
    "thị xã, thành phố.",
    "Phát biểu tại buổi làm việc, lãnh đạo đơn vị ghi nhận những kết quả đã đạt được và chỉ ra "
    "một số hạn chế cần khắc phục trong thời gian tới.",
    "Các đại biểu đã trao đổi, thảo luận nhiều ý kiến tâm huyết, sát với thực tiễn của địa phương.",
    "Dịp này, nhiều tập thể và cá nhân có thành tích xuất sắc đã được biểu dương, khen thưởng.",
    "Theo kế hoạch, các nội dung sẽ tiếp tục được triển khai đồng bộ trong những tháng cuối năm.",
    "Đơn vị đề nghị các cơ quan liên quan phối hợp chặt chẽ, bảo đảm tiến độ và chất lượng.",
]
_SLUG_ID = re.compile(r"-\d+$")


@dataclass(frozen=True)
class Item:
    index: int  # 0 = newest
    kind: str  # relevant | dull | near_miss | other
    title: str
    teaser: str
    path: str
    day: date
    hints: bool | None  # for "dull": whether the writer's teaser hints at the training

    @property
    def relevant(self) -> bool:
        return self.kind in ("relevant", "dull")


def load_titles(path: Path = TITLES) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            out.setdefault(row["kind"], []).append(row)
    return out


class Portal:
    def __init__(self, articles: int = 20000, seed: int = 12, titles: Path = TITLES) -> None:
        rng = random.Random(seed)
        pools = load_titles(titles)
        relevant_pool = [r for k in ("relevant", "dull") for r in pools.get(k, [])]
        n_relevant = round(articles * RELEVANT_SHARE)
        if n_relevant > len(relevant_pool):
            raise SystemExit(f"only {len(relevant_pool)} relevant headlines for {n_relevant}")
        chosen = rng.sample(relevant_pool, n_relevant)
        rest = articles - n_relevant
        n_near = round(rest * NEAR_MISS_SHARE)
        others = [rng.choice(pools["near_miss"]) for _ in range(n_near)]
        others += [rng.choice(pools["other"]) for _ in range(rest - n_near)]
        rows = chosen + others
        rng.shuffle(rows)  # relevant articles anywhere in the archive
        newest = date(2026, 11, 30)
        self.items: list[Item] = []
        for i, row in enumerate(rows):
            slug = _SLUG_ID.sub("", row["slug"].strip("/").rsplit("/", 1)[-1]) or "bai-viet"
            self.items.append(
                Item(
                    index=i,
                    kind=row["kind"],
                    title=row["title"],
                    teaser=row.get("teaser", ""),
                    path=f"/tin-tuc/{slug}-{100000 + i}.html",
                    day=newest - timedelta(days=i * 3650 // max(articles, 1)),
                    hints=row.get("dull_teaser_hints") if row["kind"] == "dull" else None,
                )
            )
        self.by_path = {it.path: it for it in self.items}
        self.pages = (len(self.items) + PER_PAGE - 1) // PER_PAGE

    # -- pages ---------------------------------------------------------------------------------
    def page(self, path_qs: str) -> bytes | None:
        """The page at `path_qs` (path and query), or None for a 404."""
        if path_qs in ("/", "/index.html"):
            return self._listing(1)
        if path_qs == "/robots.txt":
            return b"User-agent: *\nAllow: /\n"
        if path_qs.startswith("/tin-tuc/") and "?" in path_qs:
            m = re.fullmatch(r"/tin-tuc/\?page=(\d+)", path_qs)
            n = int(m.group(1)) if m else 0
            return self._listing(n) if 1 <= n <= self.pages else None
        if path_qs == "/tin-tuc/":
            return self._listing(1)
        item = self.by_path.get(path_qs)
        return self._article(item) if item else None

    def listing_url(self, n: int) -> str:
        return "/tin-tuc/" if n == 1 else f"/tin-tuc/?page={n}"

    def _frame(self, title: str, main: str) -> bytes:
        menu = (
            '<nav class="menu"><a href="/">Trang chủ</a> <a href="/tin-tuc/">Tin tức - Sự kiện</a>'
            "</nav>"
        )
        return (
            '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)} - Cổng thông tin điện tử tỉnh</title></head>"
            f"<body><header><h2>Cổng thông tin điện tử tỉnh</h2>{menu}</header>{main}"
            "<footer>Cơ quan chủ quản: Ủy ban nhân dân tỉnh. Địa chỉ: số 1 đường Trần Phú."
            "</footer></body></html>"
        ).encode()

    def _listing(self, n: int) -> bytes:
        items = self.items[(n - 1) * PER_PAGE : n * PER_PAGE]
        lis = []
        for it in items:
            t = html.escape(it.title)
            lis.append(
                f'<li class="news-item"><a href="{it.path}"><img src="/img/{it.index}.jpg" '
                f'alt=""></a><h3><a href="{it.path}" title="{t}">{t}</a></h3>'
                f'<span class="date">{it.day:%d/%m/%Y}</span>'
                f'<p class="sapo">{html.escape(it.teaser)}</p></li>'
            )
        pager = []
        if n > 1:
            pager.append(f'<a href="{self.listing_url(1)}">Đầu</a>')
        for k in range(max(1, n - PAGER_SIDE), min(self.pages, n + PAGER_SIDE) + 1):
            pager.append(
                f"<span>{k}</span>" if k == n else f'<a href="{self.listing_url(k)}">{k}</a>'
            )
        if n < self.pages:
            pager.append(f'<a href="{self.listing_url(n + 1)}">Sau</a>')
            pager.append(f'<a href="{self.listing_url(self.pages)}">Cuối</a>')
        main = (
            f'<main><h1>Tin tức - Sự kiện</h1><ul class="news-list">{"".join(lis)}</ul>'
            f'<div class="pager">{" ".join(pager)}</div></main>'
        )
        return self._frame("Tin tức - Sự kiện", main)

    def _article(self, it: Item) -> bytes:
        rng = random.Random(it.index)
        paras = rng.sample(_PARAGRAPHS, 4)
        body = "".join(f"<p>{html.escape(p)}</p>" for p in [it.teaser, *paras])
        more = "".join(
            f'<li><a href="{o.path}">{html.escape(o.title)}</a></li>'
            for o in self.items[it.index + 1 : it.index + 4]
        )
        main = (
            f'<main><article><h1 class="title">{html.escape(it.title)}</h1>'
            f'<div class="date">Ngày {it.day:%d/%m/%Y}</div>'
            f'<div class="content">{body}</div></article>'
            f'<div class="other-news"><h3>Tin khác</h3><ul>{more}</ul></div></main>'
        )
        return self._frame(it.title, main)


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--titles", type=Path, default=TITLES, help="the headline file")
    ap.add_argument("--articles", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=12)
    args = ap.parse_args()
    portal = Portal(args.articles, args.seed, args.titles)
    kinds: dict[str, int] = {}
    for it in portal.items:
        kinds[it.kind] = kinds.get(it.kind, 0) + 1
    dull = [it for it in portal.items if it.kind == "dull"]
    print(f"titles: {args.titles}")
    print(
        f"{len(portal.items):,} articles on {portal.pages:,} listing pages of {PER_PAGE}: "
        + ", ".join(f"{n:,} {k}" for k, n in sorted(kinds.items()))
        + f" ({sum(1 for d in dull if d.hints)} dull with a teaser that hints); seed {args.seed}"
    )
    for it in portal.items[:5]:
        print(f"  {it.path}  {it.title}")


if __name__ == "__main__":
    main()
