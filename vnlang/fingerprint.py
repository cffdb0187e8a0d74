"""Near-duplicate detection: one report republished by several sites.

`fingerprint` is a 64-bit simhash over folded word 3-shingles of the body (the title only for a
very short body: copies are often retitled). Shingle i of n weighs exp(-i / max(40, n / 2)), so
a copy whose ending was trimmed or extended (a dropped last paragraph, an added "related news"
line or byline) keeps nearly all the weight of the original, while two reports of the same genre,
which share stock phrases but not their sequence, stay far apart (on the evaluation articles:
copies within 0-6 bits for articles of 300 words and more, different reports 16 bits or more
apart). A copy whose lead was rewritten is not recognised.

`band_keys` splits a fingerprint into 4 bands of 16 bits ("0:abcd") for candidate lookup: two
fingerprints within Hamming distance 3 always share a band; `near_duplicate` (distance <= 6 by
default) is the test to apply to the candidates.
"""

from __future__ import annotations

import math
from hashlib import blake2b

from vnlang.text import fold_words

# Words of folded text (letters and digits).
_DECAY_MIN = 40.0  # words: the decay scale is max(_DECAY_MIN, n * _DECAY_SHARE)
_DECAY_SHARE = 0.5
_MIN_WORDS = 40  # below this the title's words are added in front of the body's
_LANE = 32  # bits per counter lane in the packed accumulators
# Byte value -> its 8 bits spread into 8 lanes of _LANE bits (bit j -> lane j).
_SPREAD = [sum(((b >> j) & 1) << (_LANE * j) for j in range(8)) for b in range(256)]
_LANE_MASK = (1 << _LANE) - 1


def _shingles(title: str, body: str) -> list[str]:
    words = fold_words(body).split()
    if len(words) < _MIN_WORDS:
        words = fold_words(title).split() + words
    if len(words) < 3:
        return [" ".join(words)] if words else []
    return [f"{words[i]} {words[i + 1]} {words[i + 2]}" for i in range(len(words) - 2)]


def fingerprint(title: str, body: str) -> int:
    """64-bit simhash of position-weighted folded word 3-shingles."""
    shingles = _shingles(title, body)
    scale = max(_DECAY_MIN, len(shingles) * _DECAY_SHARE)
    # Packed counters: acc[k] holds 8 lanes, one per bit of byte k of the shingle hashes.
    acc = [0] * 8
    total = 0
    for i, sh in enumerate(shingles):
        w = max(1, round(1000 * math.exp(-i / scale)))
        digest = blake2b(sh.encode(), digest_size=8).digest()
        for k in range(8):
            acc[k] += _SPREAD[digest[k]] * w
        total += w
    fp = 0
    for k in range(8):
        for j in range(8):
            if 2 * ((acc[k] >> (_LANE * j)) & _LANE_MASK) > total:
                fp |= 1 << (8 * k + j)
    return fp


def band_keys(fp: int) -> list[str]:
    """Four 16-bit bands of a fingerprint, as "band:hex" keys."""
    return [f"{i}:{(fp >> (16 * i)) & 0xFFFF:04x}" for i in range(4)]


def hamming(a: int, b: int) -> int:
    return (a ^ b).bit_count()


def near_duplicate(a: int, b: int, max_distance: int = 6) -> bool:
    """Are two fingerprints within `max_distance` differing bits?"""
    return hamming(a, b) <= max_distance
