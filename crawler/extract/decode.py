"""Bytes to text for HTML pages: the declared charset when it is usable, else detection.

Order: the charset of the Content-Type header, then a byte-order mark, then a `<meta charset>` or
`<meta http-equiv="Content-Type">` in the first 4 KB, then detection (strict UTF-8 first, then
charset-normalizer). A declared UTF-8 that the bytes do not satisfy is skipped (servers often send
a default `charset=utf-8` for legacy windows-1258 pages), and a BOM wins over a header naming a
single-byte charset (as in browsers: the header cannot be right when a BOM is there).

windows-1258 writes Vietnamese tones as combining marks after the base letter; the text is
NFC-normalised so that "Hô" + U+0323 comes out as the precomposed "Hộ". Undecodable bytes are
replaced, never raised. A single-byte declaration on bytes that are valid, non-ASCII UTF-8 is
overridden (pages re-saved as UTF-8 often keep their old `windows-1258` meta tag).
"""

from __future__ import annotations

import codecs
import re

from vnlang.text import nfc

# charset=... in a Content-Type value (header or meta http-equiv content).
_CHARSET_PARAM = re.compile(rb"""charset\s*=\s*["']?\s*([a-zA-Z0-9_.:\-]+)""", re.I)
# <meta charset="x"> and <meta http-equiv="Content-Type" content="...; charset=x"> (any order).
_META_TAG = re.compile(rb"<meta\b[^>]*>", re.I)
# <meta charset=...> attribute inside one meta tag.
_META_CHARSET_ATTR = re.compile(rb"""\bcharset\s*=\s*["']?\s*([a-zA-Z0-9_.:\-]+)""", re.I)
# Bytes of windows-1258 combining tone marks (grave, hook, tilde, acute, dot below) right after
# an ASCII or Latin-1 vowel: frequent in Vietnamese windows-1258 text, rare in windows-1252 text.
_CP1258_TONE_AFTER_VOWEL = re.compile(
    rb"[aeiouyAEIOUY\xe2\xea\xf4\xe3\xf5\xfd\xc2\xca\xd4][\xcc\xd2\xde\xec\xf2]"
)

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# WHATWG label quirks: latin-1 and ascii labels mean windows-1252 in browsers; "unicode" on
# Windows servers means UTF-16, but a meta tag claiming UTF-16 in an ASCII-compatible document
# is a lie (it was readable), so UTF-16 from meta becomes UTF-8.
_ALIASES = {
    "iso-8859-1": "windows-1252",
    "iso8859-1": "windows-1252",
    "latin1": "windows-1252",
    "latin-1": "windows-1252",
    "l1": "windows-1252",
    "us-ascii": "windows-1252",
    "ascii": "windows-1252",
    "x-user-defined": "windows-1252",
    "unicode": "utf-16-le",
    "utf8": "utf-8",
    "vn": "windows-1258",
    "cp1258": "windows-1258",
}
_NICE_NAMES = {"cp1258": "windows-1258", "cp1252": "windows-1252", "cp1251": "windows-1251"}
_MULTIBYTE_STRICT = {
    "utf-8",
    "utf-16-le",
    "utf-16-be",
    "utf-32-le",
    "utf-32-be",
    "utf-16",
    "utf-32",
}
_DETECT_SAMPLE = 200_000


def _normalise(label: str | bytes | None) -> str | None:
    """A Python codec name for a charset label, or None when unknown."""
    if not label:
        return None
    if isinstance(label, bytes):
        label = label.decode("ascii", "ignore")
    name = _ALIASES.get(label.strip().strip("\"'").lower(), label.strip().strip("\"'").lower())
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return _NICE_NAMES.get(codec, codec)


def _header_charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    match = _CHARSET_PARAM.search(content_type.encode("latin-1", "ignore"))
    return _normalise(match.group(1)) if match else None


def _bom(body: bytes) -> tuple[str | None, int]:
    for mark, name in _BOMS:
        if body.startswith(mark):
            return name, len(mark)
    return None, 0


def _meta_charset(head: bytes) -> str | None:
    for tag in _META_TAG.finditer(head):
        match = _META_CHARSET_ATTR.search(tag.group(0))
        if match:
            name = _normalise(match.group(1))
            if name and name.startswith("utf-16"):
                return "utf-8"
            if name:
                return name
    return None


def _fits(body: bytes, encoding: str) -> bool:
    """Whether bytes decode strictly (only checked for multi-byte encodings)."""
    if encoding not in _MULTIBYTE_STRICT:
        return True
    try:
        body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def _is_utf8_text(body: bytes) -> bool:
    """Non-ASCII bytes that are valid UTF-8: never what single-byte Vietnamese text looks like."""
    return not body.isascii() and _fits(body, "utf-8")


def _looks_cp1258(body: bytes) -> bool:
    return len(_CP1258_TONE_AFTER_VOWEL.findall(body[:_DETECT_SAMPLE])) >= 3


def _detect(body: bytes) -> str:
    if _fits(body, "utf-8"):
        return "utf-8"
    guess: str | None = None
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(body[:_DETECT_SAMPLE]).best()
        guess = _normalise(best.encoding) if best is not None else None
    except Exception:  # detection is best-effort
        guess = None
    single_byte_latin = guess in (None, "windows-1252", "windows-1250", "iso8859-15")
    if single_byte_latin and _looks_cp1258(body):
        return "windows-1258"
    return guess or "windows-1252"


def decode_html(body: bytes, content_type_header: str | None) -> tuple[str, str]:
    """Decode an HTML response body: (NFC text, name of the encoding used). Never raises."""
    if not body:
        return "", "utf-8"
    try:
        bom_name, bom_len = _bom(body)
        header = _header_charset(content_type_header)
        candidates: list[tuple[str | None, int]] = []
        if bom_name and header not in _MULTIBYTE_STRICT:
            candidates.append((bom_name, bom_len))
        candidates.append((header, bom_len if header == bom_name else 0))
        candidates.append((bom_name, bom_len))
        candidates.append((_meta_charset(body[:4096]), 0))
        for encoding, skip in candidates:
            if encoding and _fits(body[skip:], encoding):
                if encoding not in _MULTIBYTE_STRICT and _is_utf8_text(body):
                    # a page re-saved as UTF-8 that kept its old single-byte declaration
                    encoding = "utf-8"
                return nfc(body[skip:].decode(encoding, "replace")), encoding
        encoding = _detect(body)
        return nfc(body.decode(encoding, "replace")), encoding
    except Exception:  # a last resort: never fail a crawl on decoding
        return nfc(body.decode("utf-8", "replace")), "utf-8"
