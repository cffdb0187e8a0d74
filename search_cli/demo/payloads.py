"""What the fixture server sends besides files: charset encoding and generated bodies.

`encode_text` encodes served text to a site's charset (legacy codecs get base letter + combining
mark); `tiny_pdf`, `tiny_png` and the tiny GIF are real minimal files; the ``_*_html`` generators
build the bodies of the faults listed in `FAULTS` and of error pages.
"""

from __future__ import annotations

import itertools
import re
import struct
import unicodedata
import zlib
from collections.abc import Iterator

# Fault kinds a route may ask for, with their options.
FAULTS = {
    "status": "answer `status` (default 503) with optional `retry_after` seconds",
    "timeout": "wait `delay` seconds (default 30) before answering normally",
    "slow_body": "send the body in `chunks` pieces (default 10) `delay` seconds apart (0.5)",
    "reset": "close the socket without any response (TCP reset)",
    "truncated": "declare a Content-Length larger than the bytes sent, then close",
    "redirect_loop": "302 to `location` (default: the same URL)",
    "huge": "stream `size` bytes (default 12 MiB) of valid HTML",
    "binary": "a tiny real PDF as application/pdf",
    "deep_nesting": "HTML nested `depth` levels deep (default 100000)",
    "many_links": "a page with `count` links (default 50000) to generated paths that 404",
    "blocked": "a 200 anti-bot challenge page",
}
# Every fault also takes `times`: fault only the first N requests to that route, then serve it.

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


def _huge_html(size: int) -> tuple[int, Iterator[bytes]]:
    head = (
        '<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8">'
        "<title>Số liệu thống kê tổng hợp</title></head><body>\n"
    ).encode()
    tail = b"\n</body></html>\n"
    unit = "<p>Số liệu thống kê dân số, lao động và việc làm theo đơn vị hành chính.</p>\n".encode()
    room = max(size - len(head) - len(tail), 0)
    count, pad = divmod(room, len(unit))
    batch = max(1, 65536 // len(unit))

    def gen() -> Iterator[bytes]:
        yield head
        left = count
        while left > 0:
            n = min(batch, left)
            yield unit * n
            left -= n
        yield b" " * pad + tail

    return len(head) + count * len(unit) + pad + len(tail), gen()


def _deep_html(depth: int) -> bytes:
    return (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Trang lồng nhau</title>'
        "</head><body>"
        + "<div>" * depth
        + "<p>Nội dung ở tầng sâu nhất.</p>"
        + "</div>" * depth
        + "</body></html>"
    ).encode()


def _many_links_html(count: int, prefix: str) -> bytes:
    links = "".join(
        f'<li><a href="{prefix}{i}.html">Liên kết số {i}</a></li>\n' for i in range(count)
    )
    return (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Sơ đồ liên kết</title>'
        f"</head><body><h1>Sơ đồ liên kết</h1><ul>\n{links}</ul></body></html>"
    ).encode()


def _blocked_html(host: str) -> bytes:
    return f"""<!DOCTYPE html>
<html lang="en-US"><head><title>Just a moment...</title>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<meta name="robots" content="noindex,nofollow">
<style>body{{font-family:system-ui}} #challenge-error-text{{display:none}}</style>
</head><body class="no-js">
<div class="main-wrapper" role="main"><div class="main-content">
<h1 class="zone-name-title h1">{host}</h1>
<h2 id="challenge-running" class="h2">Checking your browser before accessing {host}.</h2>
<div id="challenge-stage"><div id="cf-chl-widget-a1b2c"></div></div>
<noscript><div id="challenge-error-title">Enable JavaScript and cookies to continue</div></noscript>
<p>This process is automatic. Your browser will redirect to your requested content shortly.</p>
</div></div>
<form id="challenge-form" action="/?__cf_chl_f_tk=Xy7Qk3" method="POST"
 enctype="application/x-www-form-urlencoded"><input type="hidden" name="md" value="a9f0"></form>
<script>(function(){{window._cf_chl_opt={{cvId:'3',cZone:'{host}',cType:'managed',
cRay:'8a1b2c3d4e5f6789',cH:'dGVzdA'}};}}());</script>
<div class="footer">Performance &amp; security by Cloudflare · Ray ID: 8a1b2c3d4e5f6789</div>
</body></html>
""".encode()


def _error_html(status: int, message: str) -> bytes:
    return (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
        f"<title>{status} {message}</title></head><body><h1>{status}</h1><p>{message}</p>"
        "</body></html>"
    ).encode()
