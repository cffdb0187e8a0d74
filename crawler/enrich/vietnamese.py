"""Vietnamese text primitives: NFC, accent folding (đ included), i/y and tone-placement variants.

Everything that compares Vietnamese strings (search, gazetteer, speaker matching) goes through
`fold`, so "Thanh Hoá", "Thanh Hóa" and "thanh hoa" are one key, "Đắk Lắk" matches "dak lak",
and "kĩ năng" matches "kỹ năng". Stored text is only NFC-normalised, never folded.
"""

from __future__ import annotations

import re
import unicodedata

# Characters that decomposition does not strip: đ/Đ are letters of their own in Unicode.
_EXTRA_FOLD = str.maketrans({"đ": "d", "Đ": "d", "ð": "d"})
# A word-final y after a consonant cluster is an i/y spelling variant (kỹ/kĩ, lý/lí, mỹ/mĩ,
# sỹ/sĩ, quy/qui); "y" after a vowel (ay, uy in "thuy") is not.
_FINAL_Y = re.compile(r"\b(qu|[bcdghklmnpqrstvx]+)y\b")
_WS = re.compile(r"\s+")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_NBSP = re.compile("[\u00a0\u2007\u202f]")


def nfc(text: str) -> str:
    """NFC-normalise and drop zero-width characters; non-breaking spaces become spaces."""
    text = unicodedata.normalize("NFC", text)
    text = _ZERO_WIDTH.sub("", text)
    return _NBSP.sub(" ", text)


def strip_accents(text: str) -> str:
    """Remove tone and vowel marks and turn đ into d, keeping case ("Đắk Lắk" -> "Dak Lak")."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    )


def fold(text: str) -> str:
    """The comparison key: lowercase, no diacritics, đ -> d, i/y variants unified, spaces squeezed."""
    text = nfc(text).lower().translate(_EXTRA_FOLD)
    decomposed = unicodedata.normalize("NFD", text)
    text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    text = _FINAL_Y.sub(r"\1i", text)
    return _WS.sub(" ", text).strip()


def squeeze(text: str) -> str:
    """Collapse runs of white space into one space and trim."""
    return _WS.sub(" ", text).strip()
