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


def _strip_table(lower: bool) -> dict[int, str]:
    """Precomposed Latin letter -> its base letter(s), as `strip_accents`/`fold` strip them."""
    table: dict[int, str] = {}
    for code in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        ch = chr(code)
        src = ch.lower().replace("ð", "d") if lower else ch
        src = src.replace("đ", "d").replace("Đ", "D")
        base = "".join(c for c in unicodedata.normalize("NFD", src) if not unicodedata.combining(c))
        if base != ch:
            table[code] = base
    return table


_FOLD_TABLE = _strip_table(lower=True)
_STRIP_TABLE = _strip_table(lower=False)
# Any character the tables do not cover (other scripts, symbols, stray combining marks): text
# with one goes the slow, general path.
_UNCOVERED = re.compile("[^\x00-\u012f\u0131-\u024f\u1e00-\u1eff\u2000-\u206f\u20a0-\u20cf]")


def fold_fast(text: str) -> str:
    """`fold(text)` by table lookup: the same result (tested over every code point), faster."""
    text = nfc(text)
    if _UNCOVERED.search(text):
        return fold(text)
    out = text.lower().translate(_FOLD_TABLE)
    out = _FINAL_Y.sub(r"\1i", out)
    return _WS.sub(" ", out).strip()


def strip_table() -> dict[int, str]:
    """The table `strip_accents_fast` translates covered text by (a copy): code point -> base."""
    return dict(_STRIP_TABLE)


def strip_accents_fast(text: str) -> str:
    """`strip_accents(text)` for NFC text, by table lookup; keeps the length of NFC text."""
    return strip_accents(text) if _UNCOVERED.search(text) else text.translate(_STRIP_TABLE)


# ASCII byte -> itself for letters and digits, a space for anything else.
_WORD_BYTES = bytes(c if chr(c).isalnum() else 32 for c in range(128)) + b" " * 128


def fold_words(text: str) -> str:
    """The words of `fold(text)`, space-separated: punctuation becomes a space, and characters
    with no ASCII base (other scripts) are dropped. A quick key for phrase matching."""
    text = text.lower().replace("đ", "d").replace("ð", "d")
    raw = unicodedata.normalize("NFD", text).encode("ascii", "ignore").translate(_WORD_BYTES)
    return _FINAL_Y.sub(r"\1i", " ".join(raw.decode("ascii").split()))
