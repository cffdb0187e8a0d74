"""decode_html: declared charsets, BOMs, meta tags, detection, windows-1258 to NFC."""

from __future__ import annotations

import unicodedata

from crawler.extract.decode import decode_html
from search_cli.demo.payloads import encode_text

TEXT = "Hội nghị tập huấn công tác phát ngôn, cung cấp và xử lý thông tin báo chí"


def cp1258(text: str) -> bytes:
    """Encode as windows-1258 pages do (tones as combining marks), like the fixture server."""
    return encode_text(unicodedata.normalize("NFC", text), "windows-1258")


def page(body: bytes, meta: bytes = b"") -> bytes:
    return (
        b"<html><head>" + meta + b"<title>t</title></head><body><p>" + body + b"</p></body></html>"
    )


def test_windows_1258_meta_gives_composed_nfc():
    raw = page(
        cp1258(TEXT), b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1258">'
    )
    assert b"\xd2" in raw or b"\xf2" in raw  # tones really are combining bytes
    text, encoding = decode_html(raw, None)
    assert encoding == "windows-1258"
    assert TEXT in text
    assert unicodedata.is_normalized("NFC", text)


def test_header_charset_wins_over_meta():
    raw = page(cp1258(TEXT), b'<meta charset="iso-8859-1">')
    text, encoding = decode_html(raw, "text/html; charset=windows-1258")
    assert (encoding, TEXT in text) == ("windows-1258", True)


def test_wrong_utf8_header_falls_back_to_meta():
    raw = page(cp1258(TEXT), b'<meta charset="windows-1258">')
    text, encoding = decode_html(raw, "text/html; charset=utf-8")
    assert encoding == "windows-1258" and TEXT in text


def test_undeclared_windows_1258_is_detected():
    raw = page(cp1258(TEXT + ". " + TEXT))
    text, encoding = decode_html(raw, None)
    assert encoding == "windows-1258" and TEXT in text


def test_bom_and_resaved_utf8():
    text, encoding = decode_html(
        b"\xef\xbb\xbf" + page(TEXT.encode()), "text/html; charset=iso-8859-1"
    )
    assert encoding == "utf-8" and TEXT in text and not text.startswith("\ufeff")
    # a page re-saved as UTF-8 that kept its old windows-1258 meta tag
    text, encoding = decode_html(page(TEXT.encode(), b'<meta charset="windows-1258">'), None)
    assert encoding == "utf-8" and TEXT in text


def test_decomposed_utf8_is_composed():
    text, _ = decode_html(page(unicodedata.normalize("NFD", TEXT).encode()), "text/html")
    assert TEXT in text


def test_never_raises():
    assert decode_html(b"", None) == ("", "utf-8")
    for raw, header in [
        (b"\xff\xfe\x00", None),
        (b"abc\x81\x8d", "text/html; charset=bogus"),
        (b"\x00" * 10, ""),
    ]:
        text, encoding = decode_html(raw, header)
        assert isinstance(text, str) and encoding
