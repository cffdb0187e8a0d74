import sqlite3

from vnlang.text import fold, nfc, strip_accents


def test_fold_accents_d_and_case():
    assert fold("Người Phát Ngôn") == "nguoi phat ngon"
    assert fold("Đắk Lắk") == "dak lak"
    assert fold("Thanh Hoá") == fold("Thanh Hóa") == "thanh hoa"


def test_fold_i_y_variants():
    assert fold("kỹ năng") == fold("kĩ năng")
    assert fold("lý") == fold("lí")
    assert fold("quy định") == fold("qui định")
    assert fold("Yên Bái") == "yen bai"  # initial y is not a variant
    assert fold("tuyên truyền") == "tuyen truyen"


def test_nfc_composes_decomposed_text_and_drops_zero_width():
    decomposed = "Ha\u0300 Na\u0302\u0301m\u200b"
    assert nfc(decomposed) == "Hà Nấm"
    assert strip_accents("Đà Nẵng") == "Da Nang"


def test_fts5_remove_diacritics_does_not_fold_d_but_fold_does():
    """Why we index folded text: FTS5's own remove_diacritics leaves đ alone."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='unicode61 remove_diacritics 2')")
    conn.execute("INSERT INTO t(x) VALUES ('Đắk Lắk')")
    assert conn.execute("SELECT count(*) FROM t WHERE t MATCH 'lak'").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM t WHERE t MATCH 'dak'").fetchone()[0] == 0
    conn.execute("CREATE VIRTUAL TABLE f USING fts5(x, tokenize='unicode61 remove_diacritics 0')")
    conn.execute("INSERT INTO f(x) VALUES (?)", (fold("Đắk Lắk"),))
    assert (
        conn.execute("SELECT count(*) FROM f WHERE f MATCH ?", (fold("dak lak"),)).fetchone()[0]
        == 1
    )
