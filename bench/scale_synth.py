"""Generated articles with their index fields, fast enough for a million.

`bench.synth.article` draws every filler word and `indexer.fts.index_fields` folds every body: about 2 ms an article here, so half an hour for a million. This generator draws the
same kind of article (the same titles, leads, speakers, roles, documents, ~12% training reports,
dates 2016-2025, the same Zipf-skewed filler vocabulary) but takes the filler from a pool of
10,000 pre-folded blocks of 3-10 paragraphs (so a filler block recurs in ~1 article in 10,000), so an article's folded body is a join of pre-computed
parts plus the fold of its two short personal paragraphs. `check()` verifies on a sample that
the fields equal `index_fields` (the fingerprint apart: each article gets a random 64-bit
simhash, which is what distinct texts give, since bodies that share pool paragraphs would
otherwise look like near-copies of each other). Deterministic for a (seed, chunk).
"""

from __future__ import annotations

import html
import random
import re
from dataclasses import dataclass, replace
from functools import cache

from bench.synth import (
    DOCS,
    FILLER,
    NEWS,
    PROVINCES,
    ROLES,
    TOPICS,
    TRAINING_SHARE,
    VOCAB,
    filler,
    person,
)
from indexer.fts import IndexFields, decrees_key, fts_tags, index_fields, speakers_key
from indexer.model import Article, Speaker, document_core
from vnlang.text import fold_fast as fold

# The realistic corpus (`realistic=True`: a provincial archive as issue 12 describes it): 0.5%
# training reports, and the words of the topics, documents and queries (in the worst case above
# they are in nearly every article) in ~3% of the other articles, which alone name a speaker
# and a document; the filler is drawn from the vocabulary without those words.
REALISTIC_TRAINING_SHARE = 0.005
REALISTIC_TOPIC_SHARE = 0.03
_QUERY_WORDS = "người phát ngôn tập huấn kĩ năng báo chí thông tin đối ngoại chuyển đổi số"
_TOPIC_SYLLABLES = {
    w for text in [*TOPICS, *DOCS, _QUERY_WORDS] for w in re.findall(r"\w+", fold(text))
}
_PLAIN_VOCAB = [w for w in VOCAB if not set(re.findall(r"\w+", fold(w))) & _TOPIC_SYLLABLES]
_TOPIC_SENTENCES = [f for f in FILLER if set(re.findall(r"\w+", fold(f))) & _TOPIC_SYLLABLES]
POOL_PARAGRAPHS = 20_000
POOL_BLOCKS = 10_000  # filler blocks of 3-10 pool paragraphs, each joined once
_fold = cache(fold)  # of the short fragments articles are made of (names, roles, places)


@dataclass(frozen=True)
class _Para:
    text: str
    folded: str


def _para(text: str, folded: str | None = None) -> _Para:
    return _Para(text, fold(text) if folded is None else folded)


def _plain_filler(rng: random.Random, words: int) -> str:
    """`bench.synth.filler` from the vocabulary without the topic words."""
    ranks = [int(len(_PLAIN_VOCAB) * (rng.random() ** 2.5)) for _ in range(words)]
    text = " ".join(_PLAIN_VOCAB[r] for r in ranks)
    return text[0].upper() + text[1:] + "."


@cache
def _pool(seed: int = 3, realistic: bool = False) -> list[_Para]:
    rng = random.Random(seed)
    draw = _plain_filler if realistic else filler
    return [_para(draw(rng, rng.randint(30, 70))) for _ in range(POOL_PARAGRAPHS)]


@cache
def _blocks(seed: int = 5, realistic: bool = False) -> list[_Para]:
    rng = random.Random(seed)
    pool = _pool(realistic=realistic)
    out = []
    for _ in range(POOL_BLOCKS):
        parts = [pool[rng.randrange(len(pool))] for _ in range(rng.randint(3, 10))]
        out.append(_Para(*_join(parts)))
    return out


def _join(parts: list[_Para]) -> tuple[str, str]:
    """(body, folded body) of paragraphs, as `index_fields` computes them."""
    return "\n".join(p.text for p in parts), " ".join(p.folded for p in parts)


def _article(
    rng: random.Random, i: int, blocks: list[_Para], realistic: bool = False
) -> tuple[Article, IndexFields]:
    prov, speaker, role = rng.choice(PROVINCES), person(rng), rng.choice(ROLES)
    d, m, y = rng.randint(1, 28), rng.randint(1, 12), rng.randint(2016, 2025)
    training = rng.random() < (REALISTIC_TRAINING_SHARE if realistic else TRAINING_SHARE)
    # Realistic: only training reports and a few others name a speaker and a document.
    named = not realistic or training or rng.random() < REALISTIC_TOPIC_SHARE
    # Texts as bench.synth.article writes them, folded fragment by fragment (cached): the
    # fold of a text is the fold of its space-separated pieces joined by spaces.
    fp, fs, fr = _fold(prov), _fold(speaker), _fold(role)
    if training:
        topic = rng.choice(TOPICS)
        title = f"{prov}: Tập huấn {topic} năm {y}"
        title_folded = f"{fp}: tap huan {_fold(topic)} nam {y}"
        lead = f"Sáng {d}/{m}/{y}, Sở Thông tin và Truyền thông tỉnh {prov} tổ chức hội nghị tập huấn {topic}."
        lead_folded = f"sang {d}/{m}/{y}, so thong tin va truyen thong tinh {fp} to chuc hoi nghi tap huan {_fold(topic)}."
    else:
        topic = rng.choice(NEWS)
        title = f"{prov} {topic} năm {y}"
        title_folded = f"{fp} {_fold(topic)} nam {y}"
        lead = f"Ngày {d}/{m}/{y}, UBND tỉnh {prov} {topic}."
        lead_folded = f"ngay {d}/{m}/{y}, ubnd tinh {fp} {_fold(topic)}."
    doc = rng.choice(DOCS)
    parts = [_para(lead, lead_folded)]
    if named:
        talk = f"Phát biểu, đồng chí {speaker} - {role} nhấn mạnh yêu cầu thực hiện {doc}."
        talk_folded = f"phat bieu, dong chi {fs} - {fr} nhan manh yeu cau thuc hien {_fold(doc)}."
        parts.append(_para(talk, talk_folded))
        if realistic and not training:
            sentence = rng.choice(_TOPIC_SENTENCES)
            parts.append(_para(sentence, _fold(sentence)))
    parts += [blocks[rng.randrange(len(blocks))], _para(f"Bài số {i}.", f"bai so {i}.")]
    body, body_folded = _join(parts)
    relevant = training and "du lịch" not in title and "nông nghiệp" not in title
    date = f"{y}-{m:02d}-{d:02d}"
    topics = ["phát ngôn"] if not realistic or training else []
    a = Article(
        id=f"s{i:08d}",
        url=f"https://bench{i % 40}.gov.vn/tin/{i}.html",
        source=f"bench{i % 40}",
        title=title,
        body=body,
        published=date,
        date=date,
        province=prov,
        province_now=prov,
        speakers=[Speaker(speaker, role)] if named else [],
        decrees=["09/2017/NĐ-CP"] if i % 3 == 0 and named else [],
        relevant=relevant,
        topics=topics,
        fetched_at="2026-11-22T00:00:00+00:00",
    )
    extra = [fs, fr] if named else []
    extra += [_fold(x) for x in a.decrees] + (["phat ngon"] if topics else []) + [fp, fp]
    f = IndexFields(
        fingerprint=rng.getrandbits(64),
        title_folded=title_folded,
        body_folded=body_folded,
        extra_folded=" ".join(extra),
        tags=_tags(relevant, y, prov),
        speakers_key=speakers_key([speaker] if named else []),
        decrees_key=decrees_key(a.decrees),
        document=document_core(a),
    )
    return a, f


@cache
def _tags(relevant: bool, year: int, province: str) -> str:
    return fts_tags(
        Article("", "", "", "", "", date=f"{year}-01-01", province=province, relevant=relevant)
    )


def generate(
    start: int, count: int, seed: int = 11, realistic: bool = False
) -> list[tuple[Article, IndexFields]]:
    """Articles number `start` .. `start + count - 1` with their index fields."""
    rng = random.Random(seed * 1_000_003 + start)
    blocks = _blocks(realistic=realistic)
    return [_article(rng, i, blocks, realistic) for i in range(start, start + count)]


def generate_realistic(start: int, count: int) -> list[tuple[Article, IndexFields]]:
    return generate(start, count, realistic=True)


def check(sample: int = 300, realistic: bool = False) -> None:
    """The generated fields are `index_fields` of the generated article (fingerprint apart)."""
    for a, f in generate(0, sample, seed=99, realistic=realistic):
        expected = replace(index_fields(a), fingerprint=f.fingerprint)
        if f != expected:
            raise AssertionError(f"generated index fields differ from index_fields for {a.id}")


def page_html(a: Article) -> str:
    """The article as a page of the generated site (`bench.synth.write_site`'s template)."""
    paras = "".join(f"<p>{html.escape(p)}</p>" for p in a.body.split("\n"))
    y, m, d = (a.date or "2020-01-01").split("-")
    return (
        f"<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'><title>{html.escape(a.title)}"
        f" - Sở TTTT</title><meta property='og:type' content='article'></head><body>"
        f"<div class='article'><h1>{html.escape(a.title)}</h1><div class='date'>Ngày đăng: "
        f"{d}/{m}/{y} 08:00</div>{paras}</div></body></html>"
    )
