"""extract(): title, body, date, authors, images, attachments, lead on small portal/news pages."""

from __future__ import annotations

import time
import unicodedata

from crawler.extract.decode import decode_html
from crawler.extract.page import extract
from search_cli.demo.payloads import encode_text


def cp1258(text: str) -> bytes:
    """Encode as windows-1258 pages do (tones as combining marks), like the fixture server."""
    return encode_text(unicodedata.normalize("NFC", text), "windows-1258")


KG_TITLE = "Phát ngôn, cung cấp thông tin cho báo chí là trách nhiệm người đứng đầu"
KG_SAPO = (
    "Kinhtedothi - Sáng 8/8, UBND tỉnh Kiên Giang tổ chức Hội nghị tập huấn, bồi dưỡng kiến thức, "
    "nghiệp vụ về thông tin đối ngoại, công tác phát ngôn và cung cấp thông tin báo chí."
)
KG_P1 = (
    "Hơn 200 cán bộ, công chức người đứng đầu các ban Đảng, chính quyền và các đoàn thể các cấp "
    "tỉnh Kiên Giang tới dự hội nghị."
)
KG_P2 = (
    "Tại Hội nghị, Thứ trưởng Bộ Ngoại giao Lê Thị Thu Hằng đã chia sẻ các kiến thức về công tác "
    "thông tin đối ngoại; chủ trương của Đảng và Nhà nước về công tác thông tin đối ngoại."
)
KG_P3 = (
    "Phát biểu tại Hội nghị, Phó Chủ tịch UBND tỉnh Kiên Giang Nguyễn Lưu Trung khẳng định: công "
    "tác phát ngôn và cung cấp thông tin cho báo chí là trách nhiệm của người đứng đầu."
)
NEWS = f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<title>{KG_TITLE} | Báo Kinh tế và Đô thị</title>
<meta property="og:title" content="{KG_TITLE}">
<meta property="og:site_name" content="Báo Kinh tế và Đô thị">
<meta property="og:description" content="{KG_SAPO}">
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"NewsArticle",
"headline":"{KG_TITLE}","datePublished":"2024-08-08T10:15:00+07:00",
"author":{{"@type":"Person","name":"Minh Anh"}},"publisher":{{"@type":"Organization","name":"Kinhtedothi"}}}}</script>
</head><body>
<div class="top">Việt Nam vươn mình trong kỷ nguyên mới</div>
<div class="header"><a href="/"><img src="/img/logo.png" alt="Logo"></a><a href="/dang-ky">Đăng ký ấn phẩm</a>|<a href="/dang-nhap">Đăng nhập</a></div>
<div class="container"><div class="article">
<h1 class="article__title">{KG_TITLE}</h1>
<div class="article__meta">Thứ Năm, 08/08/2024 10:15</div>
<h2 class="article__sapo">{KG_SAPO}</h2>
<div class="article__body">
<p>{KG_P1}</p>
<figure class="image"><img src="https://cdn.example.vn/2024/08/08/hoi-nghi.jpg" alt="">
<figcaption>Thứ trưởng Bộ Ngoại giao Lê Thị Thu Hằng phát biểu tại hội nghị</figcaption></figure>
<p>{KG_P2}</p>
<p>{KG_P3}</p>
</div>
<div class="article__reactions"><h3>CẢM NHẬN CỦA BẠN VỀ BÀI VIẾT NÀY</h3><ul><li>Rất hay</li><li>Thích</li><li>Giải trí</li><li>Cần cải thiện</li></ul></div>
<div class="box"><h3>BÌNH LUẬN (0)</h3><textarea></textarea></div>
</div>
<div class="col"><div class="box-title">Đọc nhiều</div><ul><li><a href="/a-1.html">Hà Nội công bố quy hoạch mới</a></li></ul>
<div class="box-title">HỎI ĐÁP THÔNG MINH</div></div>
<section><h3>Đừng bỏ lỡ</h3>
<article><a href="/quang-ngai-kiem-soat.html"><img src="/t/qn.jpg"></a><h4><a href="/quang-ngai-kiem-soat.html">Quảng Ngãi kiểm soát chặt chẽ tốc độ tăng trưởng</a></h4>
<span>06 May, 08:09 PM</span><p>Kinhtedothi- Các sở, ngành, địa phương ở Quảng Ngãi cần triển khai đồng bộ, quyết liệt các nhiệm vụ, giải pháp; kiểm soát chặt chẽ tốc độ tăng trưởng để đảm bảo đạt tỷ lệ tăng trưởng năm 2025 từ 8,5% trở lên.</p></article>
<article><h4><a href="/vinh-phuc-adn.html">Vĩnh Phúc: thu nhận mẫu ADN của 38 thân nhân liệt sĩ</a></h4>
<span>05 May, 04:03 PM</span><p>Kinhtedothi - Ngày 5/5, UBND tỉnh Vĩnh Phúc tổ chức hội nghị triển khai thu nhận mẫu ADN thân nhân liệt sĩ chưa xác định được danh tính trên địa bàn tỉnh.</p></article>
</section>
<div><h3>Tin mới</h3><ul><li><a href="/x.html">Tin mới một hai ba bốn năm</a></li></ul></div>
</div></body></html>"""

TH_TITLE = (
    "Thanh Hóa: Tổ chức Hội nghị tập huấn công tác phát ngôn, cung cấp và xử lý thông tin báo chí"
)
DNN = f"""<html><head><title>{TH_TITLE} &gt; Tin tức - Sự kiện</title></head><body>
<form id="Form" method="post"><div id="dnn_ControlPanel"><div class="dnnCPWrap">Admin | Host | Edit Page | Add Module</div></div>
<div id="dnn_dnnBREADCRUMB_lblBreadCrumb" class="breadcrumb"><a href="/">Trang chủ</a> › <a href="/tin-tuc">Tin tức</a></div>
<div class="DnnModule"><div id="dnn_ctr560_ContentPane">
<table class="news-detail"><tr><td><span id="dnn_ctr560_lblTitle" class="Head">{TH_TITLE}</span></td></tr>
<tr><td><span class="Normal">4/8/2021 3:02:00 AM</span></td></tr>
<tr><td><div class="Normal">
<p>Sáng 6/4/2021, Sở Thông tin và Truyền thông Thanh Hóa phối hợp với Cục báo chí, Bộ TTTT tổ chức Hội nghị tập huấn công tác phát ngôn, cung cấp và xử lý thông tin báo chí. Hội nghị được triển khai trực tuyến từ điểm cầu Trung tâm của tỉnh đến 27 điểm cầu của các huyện, thị xã, thành phố trong tỉnh.</p>
<p style="text-align: center;"><img src="/Portals/0/Images/20210408-Nam-4.jpg" alt="20210408-Nam-4.jpg"></p>
<p style="text-align: center;"><em> Đồng chí Nguyễn Thanh Lâm, Cục trưởng Cục Báo chí truyền đạt tại hội nghị</em></p>
<p>Đồng chí Nguyễn Thanh Lâm, Cục trưởng Cục Báo chí dự và trực tiếp truyền đạt nội dung tập huấn. Dự và chỉ đạo hội nghị có các đồng chí: Đào Xuân Yên, Uỷ viên Ban Thường vụ, Trưởng Ban Tuyên giáo Tỉnh uỷ; Đầu Thanh Tùng, Tỉnh ủy viên, Phó chủ tịch UBND tỉnh.</p>
<p style="text-align: right;"><strong>Sở Thông tin và Truyền thông Thanh Hóa</strong></p>
</div></td></tr></table></div></div></form></body></html>"""


def test_news_page_with_jsonld_and_vietnamese_boilerplate():
    art = extract("https://kinhtedothi.vn/phat-ngon-cung-cap-thong-tin-123456.html", NEWS)
    assert art.title == KG_TITLE
    assert art.published == "2024-08-08T10:15:00+07:00"
    assert art.site_name == "Báo Kinh tế và Đô thị"
    assert art.authors == ["Minh Anh"]
    assert art.lead == KG_SAPO
    assert art.body.split("\n") == [KG_SAPO, KG_P1, KG_P2, KG_P3]
    assert [(i.url, i.caption) for i in art.images] == [
        (
            "https://cdn.example.vn/2024/08/08/hoi-nghi.jpg",
            "Thứ trưởng Bộ Ngoại giao Lê Thị Thu Hằng phát biểu tại hội nghị",
        )
    ]


def test_dnn_page_with_us_dateline_caption_and_control_panel():
    art = extract("https://stttt.thanhhoa.gov.vn/tin-tuc/ArticleID/1234", DNN)
    assert art.title == TH_TITLE
    assert art.published == "2021-04-08T03:02:00+07:00"
    assert art.body.startswith("Sáng 6/4/2021, Sở Thông tin")
    assert art.body.endswith("Sở Thông tin và Truyền thông Thanh Hóa")
    for junk in ("Admin | Host", "Trang chủ", "4/8/2021", "truyền đạt tại hội nghị\n"):
        assert junk not in art.body
    assert art.images[0].url == "https://stttt.thanhhoa.gov.vn/Portals/0/Images/20210408-Nam-4.jpg"
    assert (
        art.images[0].caption
        == "Đồng chí Nguyễn Thanh Lâm, Cục trưởng Cục Báo chí truyền đạt tại hội nghị"
    )
    assert art.authors == []


WP = """<html><head><title>Hội nghị tập huấn kỹ năng phát ngôn năm 2023 – Sở TT&amp;TT Lạng Sơn</title>
<meta property="og:type" content="article"><meta property="article:published_time" content="2023-09-28T08:00:00+07:00">
<link rel="canonical" href="https://sotttt.langson.gov.vn/2023/09/28/hoi-nghi-tap-huan/"></head>
<body class="single single-post"><header id="masthead"><nav class="main-navigation"><a href="/">Trang chủ</a></nav></header>
<main><article class="post"><header class="entry-header"><h1 class="entry-title">Hội nghị tập huấn kỹ năng phát ngôn năm 2023</h1>
<div class="entry-meta"><span class="posted-on">28/09/2023</span> <span class="byline"><span class="author vcard">Hoàng Thị Tố Loan</span></span></div></header>
<div class="entry-content">
<p>Ngày 27/9/2023, Sở Thông tin và Truyền thông tổ chức Hội nghị tập huấn kỹ năng phát ngôn và cung cấp thông tin cho báo chí cho người phát ngôn các sở, ban, ngành.</p>
<figure class="wp-block-image"><img src="/wp-content/uploads/2023/09/hoi-nghi-1.jpg" width="800" height="533"><figcaption class="wp-element-caption">Quang cảnh hội nghị</figcaption></figure>
<p>Tại hội nghị, các đại biểu được nghe giới thiệu các quy định của Nghị định 09/2017/NĐ-CP về phát ngôn và cung cấp thông tin cho báo chí của các cơ quan hành chính nhà nước.</p>
<p>Tài liệu: <a href="/wp-content/uploads/2023/09/Tai-lieu-hoi-nghi.pdf">Tài liệu hội nghị (PDF)</a>, <a href="/wp-content/uploads/2023/09/ke-hoach.docx">Kế hoạch tổ chức</a></p>
<p>Hoàng Thị Tố Loan</p>
</div>
<div class="sharedaddy"><h3>Chia sẻ:</h3><a href="https://facebook.com/share">Facebook</a></div>
<div id="jp-relatedposts"><h3>Bài viết liên quan</h3><a href="/a">Tập huấn chuyển đổi số</a></div>
</article></main>
<aside class="widget-area"><section class="widget"><h2>Văn bản mới</h2><a href="/vb/qd-123.pdf">Quyết định 123</a></section></aside>
<footer class="site-footer">Sở Thông tin và Truyền thông tỉnh Lạng Sơn</footer></body></html>"""


def test_wordpress_page_with_figure_caption_pdf_and_byline():
    art = extract("https://sotttt.langson.gov.vn/2023/09/28/hoi-nghi-tap-huan/", WP)
    assert art.title == "Hội nghị tập huấn kỹ năng phát ngôn năm 2023"
    assert art.published == "2023-09-28T08:00:00+07:00"
    assert art.authors == ["Hoàng Thị Tố Loan"]
    assert art.body.startswith("Ngày 27/9/2023, Sở Thông tin")
    assert "Quang cảnh hội nghị" not in art.body
    assert "Hoàng Thị Tố Loan" not in art.body
    assert "Tập huấn chuyển đổi số" not in art.body and "Facebook" not in art.body
    assert [(i.url, i.caption) for i in art.images] == [
        (
            "https://sotttt.langson.gov.vn/wp-content/uploads/2023/09/hoi-nghi-1.jpg",
            "Quang cảnh hội nghị",
        )
    ]
    assert [(a.url.rsplit("/", 1)[1], a.title, a.type) for a in art.attachments] == [
        ("Tai-lieu-hoi-nghi.pdf", "Tài liệu hội nghị (PDF)", "pdf"),
        ("ke-hoach.docx", "Kế hoạch tổ chức", "docx"),
    ]


QN_TITLE = "Quảng Ngãi tập huấn công tác phát ngôn và thông tin đối ngoại"
QN_P1 = (
    "Sáng 23/9/204, Sở Thông tin và Truyền thông Quảng Ngãi đã tổ chức Hội nghị tập huấn công tác "
    "phát ngôn và thông tin đối ngoại cho các đồng chí đại biểu đại diện lãnh đạo các sở, ban, ngành."
)
QN_P2 = (
    "Khai mạc hội nghị, ông Nguyễn Mạnh Hùng – Giám đốc Sở Thông tin và Truyền thông nhấn mạnh: "
    "Thông tin đối ngoại là hoạt động đóng vai trò quan trọng trong tiến trình hội nhập."
)
LEGACY = f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1258">
<title>So Thong tin va Truyen thong Quang Ngai</title></head><body bgcolor="#ffffff">
<table width="980" border="0"><tr><td colspan="2"><img src="images/banner.jpg"></td></tr>
<tr><td width="200" valign="top"><a href="default.asp">Trang chủ</a><br><a href="tin.asp?cat=1">Tin tức</a><br><a href="vanban.asp">Văn bản</a></td>
<td valign="top"><table width="100%"><tr><td><font size="4" color="#003399"><b>{QN_TITLE}</b></font></td></tr>
<tr><td><font face="Arial" size="2">{QN_P1}<br><br>{QN_P2}<br><br></font></td></tr>
<tr><td align="center"><img src="upload/2014/hoinghi.jpg"></td></tr><tr><td align="center"><i>Quang cảnh hội nghị</i></td></tr>
</table></td></tr><tr><td colspan="2" align="center">Bản quyền thuộc Sở Thông tin và Truyền thông Quảng Ngãi</td></tr></table>
</body></html>"""


def test_legacy_windows_1258_table_page():
    html, encoding = decode_html(cp1258(LEGACY), "text/html")
    assert encoding == "windows-1258"
    art = extract("http://stttt.quangngai.gov.vn/tin.asp?id=1234", html)
    assert art.title == QN_TITLE
    assert art.published is None  # "23/9/204" is a typo: nothing is invented
    assert art.body.split("\n") == [QN_P1, QN_P2]
    assert [(i.url, i.caption) for i in art.images] == [
        ("http://stttt.quangngai.gov.vn/upload/2014/hoinghi.jpg", "Quang cảnh hội nghị")
    ]


def test_broken_inputs_never_raise_and_stay_fast():
    deep = "<div>" * 5000 + "Nội dung" + "</div>" * 5000
    big = NEWS.replace(f"<p>{KG_P1}</p>", f"<p>{KG_P1}</p>" * 32000)  # about 5 MB
    assert len(big) > 4_000_000
    for html in ["", "   ", "<html>", "<<<>>>\x00", "<p>" * 3000, deep]:
        art = extract("https://x.vn/a", html)
        assert isinstance(art.body, str) and isinstance(art.title, str)
    start = time.perf_counter()
    art = extract("https://x.vn/a", big)
    assert art.title == KG_TITLE and time.perf_counter() - start < 20
