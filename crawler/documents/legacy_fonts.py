"""Text typed in the legacy Vietnamese font encodings, TCVN3 (ABC) and VNI, back to Unicode.

Documents typed with the ".VnTime" (TCVN3) or "VNI-Times" (VNI) fonts store their letters as
Windows-1252 code points, so a reader returns "Ninh B×nh" or "Vieät Nam" for "Ninh Bình" and
"Việt Nam". The encoding is detected, not guessed: a text is a candidate only when its non-ASCII
letters are almost all in Latin-1 (Unicode Vietnamese has ơ, ư, đ, ạ... outside it), and it is
converted only when the conversion turns nearly every such word into a well-formed Vietnamese
syllable (one tone mark at most, letters of the Vietnamese alphabet only). The tables are written
from the published code charts: TCVN 5712:1993 VN3 (one byte per letter, lower-case toned
letters only) and VNI-Windows (base letter followed by a mark character).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

Encoding = Literal["tcvn3", "vni"]

# TCVN3 (ABC): byte (as a Latin-1 character) -> Unicode letter.
_TCVN3_LETTERS = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
    0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
}  # fmt: skip
TCVN3_DECODE = {chr(b): u for b, u in _TCVN3_LETTERS.items()}
TCVN3_ENCODE = {u: chr(b) for b, u in _TCVN3_LETTERS.items()}

_CIRC, _BREVE, _HORN = "\u0302", "\u0306", "\u031b"
_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
# VNI: the mark characters that follow a vowel: (shape mark, tone mark).
_VNI_MARKS_LOWER = {
    "ù": ("", _ACUTE), "ø": ("", _GRAVE), "û": ("", _HOOK), "õ": ("", _TILDE), "ï": ("", _DOT),
    "â": (_CIRC, ""), "ê": (_BREVE, ""),
    "á": (_CIRC, _ACUTE), "à": (_CIRC, _GRAVE), "å": (_CIRC, _HOOK), "ã": (_CIRC, _TILDE),
    "ä": (_CIRC, _DOT),
    "é": (_BREVE, _ACUTE), "è": (_BREVE, _GRAVE), "ú": (_BREVE, _HOOK), "ü": (_BREVE, _TILDE),
    "ë": (_BREVE, _DOT),
}  # fmt: skip
# VNI letters that stand alone (one character for the whole letter).
_VNI_SINGLE_LOWER = {
    "ô": "ơ", "ö": "ư", "ñ": "đ", "í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ",
}  # fmt: skip
VNI_MARKS = {**_VNI_MARKS_LOWER, **{k.upper(): v for k, v in _VNI_MARKS_LOWER.items()}}
VNI_SINGLE = {
    **_VNI_SINGLE_LOWER,
    **{k.upper(): v.upper() for k, v in _VNI_SINGLE_LOWER.items()},
}
_VNI_BASES = set("aeiouyAEIOUYơưƠƯ")
_SHAPE_BASES = {_CIRC: set("aeoAEO"), _BREVE: set("aA")}

_TONES = {_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT}
_SHAPES = {_CIRC, _BREVE, _HORN}
_WORD = re.compile(r"[^\W\d_]+")
# Unicode Vietnamese letters outside Latin-1: their presence means the text is Unicode already.
_UNICODE_VN = re.compile(r"[ăđơưĂĐƠƯ\u1ea0-\u1ef9]")
_NUCLEI = [
    "a",
    "ă",
    "â",
    "e",
    "ê",
    "i",
    "o",
    "ô",
    "ơ",
    "u",
    "ư",
    "y",
    "ai",
    "ao",
    "au",
    "ay",
    "âu",
    "ây",
    "eo",
    "êu",
    "ia",
    "iê",
    "iêu",
    "iu",
    "oa",
    "oai",
    "oao",
    "oay",
    "oă",
    "oe",
    "oi",
    "ôi",
    "ơi",
    "oo",
    "ua",
    "uâ",
    "uây",
    "uê",
    "ui",
    "uô",
    "uôi",
    "uơ",
    "uy",
    "uya",
    "uyê",
    "uyu",
    "ưa",
    "ưi",
    "ươ",
    "ươi",
    "ươu",
    "ưu",
    "yê",
    "yêu",
]
# A Vietnamese syllable without its tone: initial consonant(s), a vowel nucleus, a final.
_SYLLABLE = re.compile(
    r"^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?"
    r"(?:" + "|".join(sorted(_NUCLEI, key=len, reverse=True)) + r")(?:ng|nh|ch|[cmnpt])?$"
)


_TOKEN = re.compile(r"\S+")


def _upper_word(token: str) -> bool:
    """A token typed in capitals: two Latin letters at least, all capitals."""
    letters = [c for c in token if c.isascii() and c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _recase(tokens: list[str]) -> list[bool]:
    """Which tokens were typed in capitals. TCVN3 has no capital toned letters (headings used the
    ".VnTimeH" fonts, which draw the lower-case codes as capitals), so "KÕ HO¹CH" is a heading:
    a token whose Latin letters are all capitals (two or more), or one capital letter beside
    such a token."""
    upper = [_upper_word(t) for t in tokens]
    out = list(upper)
    for i, token in enumerate(tokens):
        letters = [c for c in token if c.isascii() and c.isalpha()]
        if not upper[i] and len(letters) == 1 and letters[0].isupper() and token[-1] != ":":
            out[i] = (i > 0 and upper[i - 1]) or (i + 1 < len(tokens) and upper[i + 1])
    return out


def _decode_line(line: str) -> str:
    spans = list(_TOKEN.finditer(line))
    capitals = _recase([m.group() for m in spans])
    out, at = [], 0
    for m, upper in zip(spans, capitals, strict=True):
        word = "".join(TCVN3_DECODE.get(c, c) for c in m.group())
        out += [line[at : m.start()], word.upper() if upper else word]
        at = m.end()
    out.append(line[at:])
    return "".join(out)


def decode_tcvn3(text: str) -> str:
    return unicodedata.normalize("NFC", "\n".join(_decode_line(x) for x in text.split("\n")))


def encode_tcvn3(text: str) -> str:
    """Unicode to TCVN3 (as the Latin-1 characters a legacy-font document holds); upper-case
    toned letters, which TCVN3 lacks, are written lower-case as the ".VnTimeH" fonts expect."""
    out = []
    for c in unicodedata.normalize("NFC", text):
        if c in TCVN3_ENCODE:
            out.append(TCVN3_ENCODE[c])
        elif c.lower() in TCVN3_ENCODE and c.upper() == c and c.lower() != c:
            out.append(TCVN3_ENCODE[c.lower()])
        else:
            out.append(c)
    return "".join(out)


_VNI_MARK_OF = {v: k for k, v in _VNI_MARKS_LOWER.items()}
_VNI_SINGLE_OF = {v: k for k, v in _VNI_SINGLE_LOWER.items()}


def encode_vni(text: str) -> str:
    """Unicode to VNI-Windows (as the Latin-1 characters a VNI-font document holds): for the
    fixtures and tests; the reader only decodes."""
    out = []
    for c in unicodedata.normalize("NFC", text):
        low = c.lower()
        upper = c != low
        if low in _VNI_SINGLE_OF and low not in "íì":
            single = _VNI_SINGLE_OF[low]
            out.append(single.upper() if upper else single)
            continue
        nfd = unicodedata.normalize("NFD", low)
        base, marks = nfd[0], nfd[1:]
        if not marks or not base.isascii():
            out.append(c)
            continue
        horn = _HORN in marks
        shape = next((m for m in marks if m in (_CIRC, _BREVE)), "")
        tone = next((m for m in marks if m in _TONES), "")
        if horn:  # ơ, ư: one character, then the tone
            letter = _VNI_SINGLE_OF[unicodedata.normalize("NFC", base + _HORN)]
            mark = _VNI_MARK_OF[("", tone)] if tone else ""
        elif base == "i" and not shape:
            letter, mark = _VNI_SINGLE_OF.get(low, low), ""
        else:
            letter, mark = base, _VNI_MARK_OF.get((shape, tone), "")
        out.append((letter + mark).upper() if upper else letter + mark)
    return "".join(out)


def decode_vni(text: str) -> str:
    out: list[str] = []
    for c in text:
        if c in VNI_MARKS and out:
            shape, tone = VNI_MARKS[c]
            base = unicodedata.normalize("NFD", out[-1])
            letter, marks = base[:1], base[1:]
            if letter in _VNI_BASES or (out[-1] in "ơưƠƯ"):
                if shape and letter not in _SHAPE_BASES[shape]:
                    out.append(c)
                    continue
                if (shape and any(m in _SHAPES for m in marks)) or (
                    tone and any(m in _TONES for m in marks)
                ):
                    out.append(c)
                    continue
                out[-1] = unicodedata.normalize("NFC", base + shape + tone)
                continue
        out.append(VNI_SINGLE.get(c, c))
    return unicodedata.normalize("NFC", "".join(out))


def _well_formed(word: str) -> bool:
    """A Vietnamese syllable: one tone mark at most, the shape marks where they belong."""
    nfd = unicodedata.normalize("NFD", word.lower())
    if sum(1 for m in nfd if m in _TONES) > 1:
        return False
    toneless = unicodedata.normalize("NFC", "".join(ch for ch in nfd if ch not in _TONES))
    return bool(_SYLLABLE.match(toneless))


def _score(original: list[str], converted: str) -> float:
    words = [w for w in _WORD.findall(converted)]
    if not original or not words:
        return 0.0
    marked = [w for w in words if not w.isascii()]
    if not marked:
        return 0.0
    return sum(1 for w in marked if _well_formed(w)) / len(marked)


def detect(text: str) -> Encoding | None:
    """ "tcvn3" or "vni" when the text is (almost all) typed in that legacy encoding, else None."""
    non_ascii = [c for c in text if ord(c) > 127 and not c.isspace()]
    if len(non_ascii) < 8:
        return None
    if sum(1 for c in non_ascii if _UNICODE_VN.match(c)) > 0.02 * len(non_ascii):
        return None
    legacy_words = [w for w in re.findall(r"\S+", text) if not w.isascii()]
    scores = {
        "tcvn3": _score(legacy_words, decode_tcvn3(text)),
        "vni": _score(legacy_words, decode_vni(text)),
    }
    best: Encoding = max(scores, key=lambda k: scores[k])  # type: ignore[arg-type]
    other = min(scores.values())
    if scores[best] >= 0.9 and scores[best] - other >= 0.1:
        return best
    return None


def to_unicode(text: str) -> tuple[str, Encoding | None]:
    """The text in Unicode (NFC) and the legacy encoding it was converted from, if any."""
    encoding = detect(text)
    if encoding == "tcvn3":
        return decode_tcvn3(text), encoding
    if encoding == "vni":
        return decode_vni(text), encoding
    return unicodedata.normalize("NFC", text), None
