"""Synthetic Vietnamese press-training articles and a generated news site, for the benchmarks.

Deterministic (seeded), self-written templates: no web text. Used by bench_crawl.py (a site of
listing + article pages) and bench_store_search.py (100,000 stored articles).
"""

from __future__ import annotations

import html
import random
from dataclasses import dataclass
from pathlib import Path

PROVINCES = [
    "Hà Nam",
    "Thanh Hóa",
    "Quảng Ngãi",
    "Lạng Sơn",
    "Kiên Giang",
    "Nam Định",
    "Ninh Bình",
    "Đắk Lắk",
    "Bình Định",
    "Kon Tum",
    "Nghệ An",
    "Hà Tĩnh",
    "Quảng Trị",
    "Phú Yên",
    "Lào Cai",
    "Yên Bái",
    "Sơn La",
    "Điện Biên",
    "Cà Mau",
    "Bạc Liêu",
    "An Giang",
    "Đồng Tháp",
    "Tây Ninh",
]
SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Quốc", "Ngọc", "Hải", "Xuân"]
GIVEN = [
    "Hiếu",
    "Lâm",
    "Tuấn",
    "Hằng",
    "Dũng",
    "Bình",
    "Yến",
    "Long",
    "Trung",
    "Hùng",
    "Tánh",
    "Loan",
]
ROLES = [
    "Giám đốc Sở Thông tin và Truyền thông",
    "Phó Chủ tịch UBND tỉnh",
    "Phó Cục trưởng Cục Báo chí, Bộ Thông tin và Truyền thông",
    "Trưởng Ban Tuyên giáo Tỉnh ủy",
    "Phó Giám đốc Sở Văn hóa, Thể thao và Du lịch",
]
TOPICS = [
    "kỹ năng phát ngôn và cung cấp thông tin cho báo chí",
    "công tác thông tin đối ngoại",
    "xử lý khủng hoảng truyền thông trên mạng xã hội",
    "chuyển đổi số trong công tác thông tin tuyên truyền",
    "quản lý nhà nước về báo chí",
    "phát triển du lịch cộng đồng",
    "sản xuất nông nghiệp công nghệ cao",
]
DOCS = [
    "Nghị định số 09/2017/NĐ-CP",
    "Luật Báo chí 2016",
    "Nghị định 72/2015/NĐ-CP",
    "Quyết định số 41/QĐ-UBND",
]
FILLER = [
    "Hội nghị được tổ chức theo hình thức trực tiếp kết hợp trực tuyến tới các điểm cầu cấp huyện.",
    "Các đại biểu đã trao đổi, thảo luận nhiều vấn đề thực tiễn đặt ra tại địa phương.",
    "Qua đó góp phần nâng cao chất lượng, hiệu quả công tác thông tin, tuyên truyền trong tình hình mới.",
    "Lãnh đạo các sở, ban, ngành và UBND các huyện, thành phố tham dự hội nghị.",
    "Báo cáo viên đã chia sẻ nhiều tình huống cụ thể và kinh nghiệm xử lý thông tin.",
    "Người phát ngôn cần chủ động cung cấp thông tin chính xác, kịp thời cho các cơ quan báo chí.",
    "Thời gian tới, các đơn vị cần tiếp tục thực hiện nghiêm các quy định hiện hành.",
]


@dataclass
class SynthArticle:
    title: str
    body: str
    province: str
    speaker: str
    role: str
    day: int
    month: int
    year: int


# Words of the genre, for filler paragraphs drawn with a Zipf-like skew: varied enough that two
# generated articles are never near-duplicates, skewed enough that common words are common.
_COMMON_TEXT = (
    "và của là có được trong cho các những với này đã để không người một năm về từ theo khi đến "
    "cũng như tại sẽ đó nhiều phải việc trên đây công tác thực hiện kinh tế xã hội phát triển "
    "địa phương nhân dân cán bộ đảng viên chính quyền tỉnh huyện xã thành phố cơ quan đơn vị "
    "nhiệm vụ giải pháp kết quả nâng cao chất lượng hiệu quả tăng cường triển khai kế hoạch "
    "chương trình dự án đầu tư hạ tầng giao thông nông thôn mới giáo dục y tế văn hóa du lịch "
    "môi trường an ninh quốc phòng biên giới biển đảo hội nhập quốc tế doanh nghiệp thị trường "
    "sản xuất nông nghiệp thủy sản công nghiệp dịch vụ thương mại ngân sách thu chi cải cách "
    "hành chính chuyển đổi số dữ liệu nền tảng trực tuyến mạng xã hội thông tin tuyên truyền "
    "báo chí phóng viên biên tập xuất bản phát thanh truyền hình điện tử cổng trang sự kiện "
    "hội nghị hội thảo tọa đàm diễn đàn lớp học viên giảng viên chuyên đề tài liệu kinh nghiệm "
    "tình huống thực tiễn đánh giá tổng kết sơ kết năm tháng quý tuần ngày sáng chiều tối"
)
_COMMON = _COMMON_TEXT.split()
_WORDS = {
    w
    for text in FILLER + TOPICS + ROLES
    for w in text.lower().replace(",", " ").replace(".", " ").split()
}
VOCAB = sorted(set(_COMMON) | _WORDS)
random.Random(0).shuffle(VOCAB)


def filler(rng: random.Random, words: int) -> str:
    ranks = [int(len(VOCAB) * (rng.random() ** 2.5)) for _ in range(words)]
    text = " ".join(VOCAB[r] for r in ranks)
    return text[0].upper() + text[1:] + "."


def person(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


# General provincial news: what most of a crawled portal is (press trainings are a minority).
NEWS = [
    "khởi công dự án đường giao thông liên huyện",
    "tổng kết vụ lúa đông xuân",
    "đón đoàn công tác của tỉnh bạn",
    "kiểm tra công tác phòng chống thiên tai",
    "khai mạc tuần lễ văn hóa du lịch",
    "trao quyết định bổ nhiệm cán bộ",
    "tuyên truyền bảo vệ môi trường biển",
    "hội nghị xúc tiến đầu tư vào khu công nghiệp",
]
TRAINING_SHARE = 0.12


def article(rng: random.Random, paragraphs: int = 8) -> SynthArticle:
    prov, speaker, role = rng.choice(PROVINCES), person(rng), rng.choice(ROLES)
    d, m, y = rng.randint(1, 28), rng.randint(1, 12), rng.randint(2016, 2025)
    if rng.random() < TRAINING_SHARE:
        topic = rng.choice(TOPICS)
        title = f"{prov}: Tập huấn {topic} năm {y}"
        lead = f"Sáng {d}/{m}/{y}, Sở Thông tin và Truyền thông tỉnh {prov} tổ chức hội nghị tập huấn {topic}."
    else:
        topic = rng.choice(NEWS)
        title = f"{prov} {topic} năm {y}"
        lead = f"Ngày {d}/{m}/{y}, UBND tỉnh {prov} {topic}."
    talk = f"Phát biểu, đồng chí {speaker} - {role} nhấn mạnh yêu cầu thực hiện {rng.choice(DOCS)}."
    body = [lead, talk] + [filler(rng, rng.randint(30, 70)) for _ in range(paragraphs - 2)]
    return SynthArticle(title, "\n".join(body), prov, speaker, role, d, m, y)


_CHROME_TOP = """<div id="header"><a href="/">Trang chủ</a> | <a href="/gioi-thieu.html">Giới thiệu</a> |
<a href="/lien-he.html">Liên hệ</a></div><ul class="breadcrumb"><li>Trang chủ</li><li>Tin tức</li></ul>"""
_CHROME_SIDE = """<div class="sidebar"><h3>Tin liên quan</h3><ul>{items}</ul></div>
<div id="footer">Bản quyền thuộc Sở Thông tin và Truyền thông. Địa chỉ: số 1 đường Trần Phú.</div>"""


def write_site(root: Path, articles: int = 2000, per_page: int = 20, seed: int = 7) -> list[str]:
    """A site of `articles` article pages and their paged listing; returns the article paths."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    (root / "robots.txt").write_text("User-agent: *\nAllow: /\n", encoding="utf-8")
    (root / "tin").mkdir(exist_ok=True)
    paths = [f"/tin/bai-{i}.html" for i in range(articles)]
    for i, path in enumerate(paths):
        a = article(rng)
        paras = "".join(f"<p>{html.escape(p)}</p>" for p in a.body.split("\n"))
        related = "".join(
            f'<li><a href="{paths[(i + k) % articles]}">Tin khác {k}</a></li>' for k in (1, 2, 3)
        )
        page = (
            f"<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'><title>{html.escape(a.title)} - Sở TTTT</title>"
            f"<meta property='og:type' content='article'></head><body>{_CHROME_TOP}"
            f"<div class='article'><h1>{html.escape(a.title)}</h1><div class='date'>Ngày đăng: {a.day:02d}/{a.month:02d}/{a.year} 08:00</div>"
            f"{paras}</div>{_CHROME_SIDE.format(items=related)}</body></html>"
        )
        (root / path.lstrip("/")).write_text(page, encoding="utf-8")
    pages = (articles + per_page - 1) // per_page
    for n in range(pages):
        items = "".join(
            f'<li><a href="{p}">Tập huấn phát ngôn, cung cấp thông tin cho báo chí số {n * per_page + j}</a></li>'
            for j, p in enumerate(paths[n * per_page : (n + 1) * per_page])
        )
        nxt = f'<a class="next" href="/tin-tuc-{n + 2}.html">Trang sau</a>' if n + 1 < pages else ""
        name = "index.html" if n == 0 else f"tin-tuc-{n + 1}.html"
        (root / name).write_text(
            f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Tin tức</title></head><body>"
            f"{_CHROME_TOP}<ul class='list'>{items}</ul>{nxt}</body></html>",
            encoding="utf-8",
        )
    return paths
