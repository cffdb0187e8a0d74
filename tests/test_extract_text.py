"""Body text: Vietnamese boilerplate pre-clean, captions, layout tables, fallback, head/byline cuts."""

from __future__ import annotations

from crawler.extract.text import block_lines, is_dateline, main_text, parse_html, split_byline

P1 = (
    "Ngày 27/9/2022, Bộ Thông tin và Truyền thông đã tổ chức Hội nghị tập huấn nghiệp vụ công tác "
    "thông tin, tuyên truyền của Bộ năm 2022 theo hình thức trực tiếp và trực tuyến."
)
P2 = (
    "Tại điểm cầu Sở TTTT Lạng Sơn, dự Hội nghị có đồng chí Lê Hải Yến, Phó Giám đốc Sở; đại diện "
    "Phòng Thông tin – Báo chí – Xuất bản, Phòng Chuyển đổi số, Trung tâm Công nghệ số."
)
P3 = (
    "Thông qua Hội nghị, các đại biểu đã được cung cấp thêm nhiều kiến thức hữu ích về công tác "
    "thông tin, truyền thông nội bộ, góp phần nâng cao nhận thức trong toàn ngành."
)
TITLE = "Hội nghị tập huấn nghiệp vụ công tác thông tin, tuyên truyền của Bộ Thông tin và Truyền thông năm 2022"


def doc(body: str) -> str:
    return f"<html><head><title>x</title></head><body>{body}</body></html>"


def test_sharepoint_ribbon_title_dateline_and_byline_are_cut():
    html = doc(
        '<div id="s4-ribbonrow"><a href="#" class="ms-skip">Skip Ribbon Commands</a></div>'
        '<a href="#main">Skip to main content</a><div class="article">'
        f"<h1>{TITLE}</h1><p>Thứ Hai, 03/10/2022 - 08:30</p>"
        f'<div class="ms-rtestate-field"><p>{P1}</p><p>{P2}</p><p style="text-align:center">'
        '<img src="/a.jpg" alt="cc"></p><p style="text-align:center">Các đại biểu tại điểm cầu '
        f"Sở TTTT Lạng Sơn</p><p>{P3}</p><p>Hoàng Thị Tố Loan</p><p>Trung tâm Công nghệ số</p></div></div>"
    )
    assert main_text(html, title=TITLE).split("\n") == [P1, P2, P3]


def test_labelled_blocks_and_reactions_are_removed():
    teaser = (
        "Kinhtedothi - Ngày 5/5, UBND tỉnh Vĩnh Phúc tổ chức hội nghị triển khai thu nhận mẫu ADN "
        "thân nhân liệt sĩ chưa xác định được danh tính trên địa bàn tỉnh và các địa phương lân cận."
    )
    html = doc(
        f'<div class="detail"><h1>{TITLE}</h1><div class="body"><p>{P1}</p><p>{P2}</p><p>{P3}</p>'
        "<h3>Tin liên quan</h3><ul><li><a href='/a'>Tập huấn chuyển đổi số cho cán bộ</a></li></ul></div>"
        "<div><div><span>Đọc nhiều</span></div><p>Hà Nội công bố quy hoạch</p></div>"
        "<div><b>CẢM NHẬN CỦA BẠN VỀ BÀI VIẾT NÀY</b><ul><li>Rất hay</li><li>Thích</li></ul></div>"
        "<div><strong>BÌNH LUẬN (0)</strong></div>"
        f"<section><h3>Đừng bỏ lỡ</h3><article><h4>Vĩnh Phúc: thu nhận mẫu ADN</h4><span>05 May, "
        f"04:03 PM</span><p>{teaser}</p></article></section></div>"
    )
    assert main_text(html, title=TITLE).split("\n") == [P1, P2, P3]


def test_legacy_table_layout_with_br_paragraphs():
    html = doc(
        '<table width="980"><tr><td width="180"><a href="/">Trang chủ</a><br><a href="/tt">Tin tức</a>'
        f'</td><td><table><tr><td><font size="4"><b>{TITLE}</b></font></td></tr><tr><td><font size="2">'
        f"{P1}<br><br>{P2}<br>{P3}</font></td></tr></table></td></tr>"
        '<tr><td colspan="2">Bản quyền thuộc Sở Thông tin và Truyền thông</td></tr></table>'
    )
    assert main_text(html, title=TITLE).split("\n") == [P1, P2, P3]


def test_figcaption_and_caption_classes_are_not_body():
    html = doc(
        f'<article><h1>{TITLE}</h1><p>{P1}</p><figure><img src="/a.jpg"><figcaption>Quang cảnh hội '
        f'nghị</figcaption></figure><p>{P2}</p><div class="image"><img src="/b.jpg">'
        f'<p class="image-caption">Đồng chí Lê Hải Yến phát biểu</p></div><p>{P3}</p></article>'
    )
    body = main_text(html, title=TITLE)
    assert body.split("\n") == [P1, P2, P3]


def test_block_lines_owners_and_link_text():
    root = parse_html(
        doc('<div>Trước <a href="/x">liên kết</a><p>Đoạn <b>một</b></p>sau<br>cuối</div>')
    )
    lines = [(ln.text, ln.owner.tag, ln.link_chars) for ln in block_lines(root)]
    assert lines == [
        ("Trước liên kết", "div", 8),
        ("Đoạn một", "p", 0),
        ("sau", "div", 0),
        ("cuối", "div", 0),
    ]


def test_datelines_and_bylines():
    assert is_dateline("Cập nhật: 27/09/2022 16:05") and is_dateline("4/8/2021 3:02:00 AM")
    assert not is_dateline(P1)
    assert split_byline([P1, "Hoàng Thị Tố Loan", "Trung tâm Công nghệ số"]) == (
        [P1],
        ["Hoàng Thị Tố Loan"],
    )
    assert split_byline([P1, "Bài, ảnh: Minh Anh (TTXVN)"]) == ([P1], ["Minh Anh"])
    assert split_byline([P1, "Sở Thông tin và Truyền thông Thanh Hóa"]) == (
        [P1, "Sở Thông tin và Truyền thông Thanh Hóa"],
        [],
    )


def test_empty_and_broken_documents():
    for html in ["", "<html></html>", "<p>", "\x00\x00", "<table>" * 500]:
        assert main_text(html) == ""
