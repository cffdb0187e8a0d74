"""What the fixture server sends besides files: charset encoding and small generated bodies.

`encode_text` encodes served text to a site's charset (legacy codecs get base letter + combining
mark); `tiny_pdf`, `tiny_png` and the tiny GIF are real minimal files; `error_html` is the body of
error pages. The hostile bodies (huge, deeply nested, many links, anti-bot) are the test server's,
in ``tests/fixtures/faultserver.py``.
"""

from __future__ import annotations

import itertools
import re
import struct
import unicodedata
import zlib

# A 1x1 transparent GIF.
_TINY_GIF = bytes.fromhex(
    "47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b"
)


def encode_text(text: str, charset: str) -> bytes:
    """Encode text to `charset`; letters it lacks precomposed go as base + combining marks.

    windows-1258 has "ô" and a combining acute but no "ố": "ố" is sent as "ô" + U+0301, which
    decodes back to the same text after NFC. Anything still unencodable becomes &#NNN;.
    """
    try:
        return text.encode(charset)
    except UnicodeEncodeError:
        pass
    cache: dict[str, bytes] = {}
    out = bytearray()
    for ch in text:
        encoded = cache.get(ch)
        if encoded is None:
            encoded = cache[ch] = _encode_char(ch, charset)
        out += encoded
    return bytes(out)


def _encode_char(ch: str, charset: str) -> bytes:
    try:
        return ch.encode(charset)
    except UnicodeEncodeError:
        pass
    decomposed = unicodedata.normalize("NFD", ch)
    base, marks = decomposed[0], decomposed[1:]
    target = unicodedata.normalize("NFC", ch)
    for k in range(len(marks), -1, -1):
        for keep in itertools.combinations(range(len(marks)), k):
            head = unicodedata.normalize("NFC", base + "".join(marks[i] for i in keep))
            rest = "".join(marks[i] for i in range(len(marks)) if i not in keep)
            try:
                encoded = head.encode(charset) + rest.encode(charset)
            except UnicodeEncodeError:
                continue
            if unicodedata.normalize("NFC", encoded.decode(charset)) == target:
                return encoded
    return ch.encode(charset, errors="xmlcharrefreplace")


def tiny_pdf(text: str = "Tai lieu thu nghiem") -> bytes:
    """A small but valid one-page PDF showing `text` (ASCII)."""
    safe = re.sub(r"[^A-Za-z0-9 .,:/-]", "", text)[:80]
    stream = f"BT /F1 14 Tf 72 760 Td ({safe}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def tiny_png() -> bytes:
    """A valid 1x1 grey PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x80"))
        + chunk(b"IEND", b"")
    )


def error_html(status: int, message: str) -> bytes:
    """A small HTML error page: ``<title>STATUS MESSAGE</title>``."""
    return (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
        f"<title>{status} {message}</title></head><body><h1>{status}</h1><p>{message}</p>"
        "</body></html>"
    ).encode()
