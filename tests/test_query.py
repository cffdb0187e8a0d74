import pytest

from indexer.query import QueryError, Term, parse_date_bound, parse_text
from indexer.snippets import make_snippet


def test_words_are_folded_terms():
    assert parse_text("Người phát ngôn") == [Term(("nguoi",)), Term(("phat",)), Term(("ngon",))]


def test_quotes_and_punctuated_tokens_are_phrases():
    assert parse_text('"phát ngôn" Nghị') == [Term(("phat", "ngon")), Term(("nghi",))]
    assert parse_text("09/2017/NĐ-CP") == [Term(("09", "2017", "nd", "cp"))]
    assert parse_text("TP.HCM") == [Term(("tp", "hcm"))]


@pytest.mark.parametrize(
    "q", ['"', "(", ")", "*", " - ", "AND OR NOT", '"unbalanced', "NEAR(", "{}[]^:"]
)
def test_punctuation_never_breaks(q):
    terms = parse_text(q)
    assert all(all(w.replace("_", "").isalnum() for w in t.words) for t in terms)


def test_date_bounds():
    assert parse_date_bound("2022") == "2022-01-01"
    assert parse_date_bound("2022", end=True) == "2022-12-31"
    assert parse_date_bound("2024-02", end=True) == "2024-02-29"
    assert parse_date_bound("23/9/2022") == "2022-09-23"
    with pytest.raises(QueryError):
        parse_date_bound("31/2/2022")
    with pytest.raises(QueryError):
        parse_date_bound("yesterday")


def test_snippet_marks_accented_words_for_folded_query():
    s = make_snippet("Hội nghị tập huấn kỹ năng phát ngôn cho cán bộ.", ["phat", "ngon"])
    assert "<mark>phát</mark> <mark>ngôn</mark>" in s
