"""Personal names in Vietnamese text: surnames (Kinh and ethnic minorities), the shape of a
Vietnamese syllable (to tell a foreign name written in Latin letters, "Andrew Pemberton", from
Vietnamese syllables), and capitalised words that name countries, not people."""

from __future__ import annotations

import re
from functools import lru_cache

from vnlang.text import fold_fast

# Common surnames (Kinh and ethnic minorities): a Vietnamese name starts with one.
# fmt: off
SURNAMES = frozenset([
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý", "Đào", "Đầu", "Đinh", "Lâm", "Mai", "Trịnh", "Trương", "Cao",
    "Tạ", "Hà", "Lưu", "Vương", "Thái", "Quách", "Kiều", "Châu", "Lương", "Tô", "Tôn", "Thân",
    "Nông", "Hứa", "Âu", "Lục", "Đàm", "Đoàn", "Đồng", "Đường", "Giang", "Giáp", "Hầu", "Khổng",
    "Khúc", "Kim", "La", "Lã", "Lại", "Lò", "Lường", "Mạc", "Mạnh", "Mẫn", "Nghiêm", "Ngọ",
    "Ninh", "Phí", "Phùng", "Quan", "Quản", "Sầm", "Thạch", "Thiều", "Tiêu", "Tòng",
    "Triệu", "Trình", "Từ", "Vi", "Viên", "Yên", "Chu", "Chử", "Công", "Cù", "Doãn",
    "Diệp", "Điểu", "Hàn", "Hồng", "Hùng", "Khương", "Kha", "Lạc", "Lô", "Lợi", "Mã", "Mông",
    "Nhâm", "Quàng", "Sùng", "Giàng", "Thào", "Vàng", "Mùa", "Ksor", "Siu", "Rơ", "Y",
    "Bế", "Bạch", "Cầm", "Chế", "Chiêm", "Đạo", "Đậu", "Đôn", "Tăng", "Tống", "Uông",
    "Ứng", "Vòng", "Xa", "Ma", "Lộc", "Nay", "Kiên", "Chau", "Danh", "Kpă", "Rah", "Hờ",
    "Lầu", "Ly", "Hạng", "Tẩn", "Chẩu", "Đèo", "Lèo", "Khà", "Bàn", "Lù", "Pờ", "Bhling",
    "Alăng", "Zơ", "Puih", "Rcom", "Niê", "Bkrông", "Kră", "Khuất", "Lỗ", "Nhữ", "Tưởng",
    "Thiệu", "Cấn", "Bạc", "Khiếu", "Đàng", "Chamaléa", "Pinăng", "Katơr", "A",
])
# fmt: on
# Capitalised words that name a country or people, not a person ("Đại sứ quán Hà Lan").
COUNTRIES = frozenset(
    {
        "Việt Nam",
        "Trung Quốc",
        "Hàn Quốc",
        "Hoa Kỳ",
        "Nhật Bản",
        "Hà Lan",
        "Ba Lan",
        "Thái Lan",
        "Triều Tiên",
        "Liên Xô",
        "Cu Ba",
        "Ấn Độ",
        "Lào",
        "Campuchia",
        "Đức",
        "Pháp",
        "Anh",
        "Mỹ",
        "Nga",
        "Úc",
        "Ý",
        "Bỉ",
        "Thụy Điển",
        "Thụy Sĩ",
        "Na Uy",
        "Đan Mạch",
        "Phần Lan",
        "Tây Ban Nha",
        "Bồ Đào Nha",
        "Hy Lạp",
        "Ai Cập",
        "Nam Phi",
        "Tân Tây Lan",
        "Hồng Kông",
        "Đài Loan",
        "Hoàng Sa",
        "Trường Sa",
        "Biển Đông",
    }
)  # fmt: skip
# Nationality words that stand before a foreign name ("chuyên gia Đức Thomas K").
NATIONALITIES = frozenset(w for c in COUNTRIES for w in c.split()) | {
    "Ô-xtrây-li-a",
    "Niu Di-lân",
    "Xin-ga-po",
    "Ma-lai-xi-a",
    "In-đô-nê-xi-a",
    "Phi-líp-pin",
}

# Words of organisations' names in Latin letters ("BBC World Service", "X Communications").
ORG_WORDS = frozenset({
    "Service", "Services", "Communications", "Communication", "Partners", "Group", "Company",
    "Vina", "Foundation", "Institute", "University", "Agency", "News", "Media", "Corporation",
    "Ltd", "Inc", "Co", "Precision", "Consulting", "Network", "Center", "Centre", "Association",
    "Bank", "Fund", "Project", "Program", "Programme", "Tourism", "Travel", "Hotel", "Resort",
    "Press", "Times", "Post", "Television", "Radio", "Online", "Global", "International",
    "Holdings", "Solutions", "Technology", "Technologies", "Industries", "Electronics",
})  # fmt: skip
# The shape of one Vietnamese syllable, folded: an onset, a vowel nucleus, a final consonant.
_SYLLABLE = re.compile(
    r"^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
    r"(?:[aeiouy]{1,3})"
    r"(?:ch|ng|nh|[cmnpt])?$"
)
_LATIN = re.compile(r"^[A-Za-z][A-Za-z'’-]*$")


@lru_cache(maxsize=8192)
def is_vietnamese_syllable(word: str) -> bool:
    """Could `word` be one Vietnamese syllable ("Nguyễn", "Thanh", "Ngọc"; not "Thomas")?"""
    folded = fold_fast(word)
    return bool(folded) and bool(_SYLLABLE.match(folded))


def is_foreign_word(word: str) -> bool:
    """A capitalised word in plain Latin letters that no Vietnamese syllable spells
    ("Pemberton", "Marc", "Kessler"): part of a foreign name."""
    if not _LATIN.match(word) or len(word) < 2 or not word[0].isupper():
        return False
    return any(not is_vietnamese_syllable(p) for p in re.split(r"['’-]", word) if p)


# One word of a person's name as documents write it: a capital then lower-case letters
# ("Nguyễn", "Byă", "Kdăm"), a lone capital (the "Y" of Ê Đê men's names, the "A" of Mông
# names), or a capital with an apostrophe, alone or joined to the next syllable ("K'" in "K'
# Brỏi", "H'Lan", "Ma'Rơ").
_NAME_WORD = re.compile(r"^[^\W\d_](?:['’](?:[^\W\d_][^\W\d_]*)?|[^\W\d_]*)$")


def is_name_word(word: str) -> bool:
    """Could `word` be one word of a Vietnamese person's name, any ethnic group's?"""
    if not _NAME_WORD.match(word) or not word[0].isupper():
        return False
    parts = re.split(r"['’]", word, maxsplit=1)
    lower = [parts[0][1:]] + ([parts[1][1:]] if len(parts) == 2 and parts[1] else [])
    return all(not x or x.islower() for x in lower)


# One word that is a whole name: a one-letter ethnic prefix joined by an apostrophe to a
# capitalised syllable ("K'Brơi", "H'Lan").
_JOINED_NAME = re.compile(r"^[^\W\d_]['’][^\W\d_][^\W\d_]+$")
# The one-letter prefixes of Ê Đê, Mông, Ba Na... names that may stand before a single given
# name ("Y Mai", "A Khoa").
ETHNIC_PREFIXES = frozenset({"Y", "A"})


def is_person_name(text: str, titled: bool = False) -> bool:
    """Is `text` a person's full name: two to six name words (`is_name_word`), at least two of
    them longer than one letter and not a country's name ("Nguyễn Văn An", "Y Kiêm Byă",
    "H'Lan Niê Kdăm", "K' Brỏi Ha Thương", "Sùng A Páo"; not "Hà Lan", "Lưu VT", "Điều 3"), or
    one word joining a prefix to a syllable by an apostrophe ("K'Brơi"). `titled`: the text
    follows "ông"/"bà"/"đồng chí", so an ethnic prefix and one given name ("Y Mai", "A Khoa")
    is a name too."""
    words = text.split()
    if len(words) == 1:
        return bool(_JOINED_NAME.match(text)) and is_name_word(text)
    if not 2 <= len(words) <= 6 or not all(is_name_word(w) for w in words):
        return False
    if text in COUNTRIES:
        return False
    if titled and len(words) == 2 and words[0] in ETHNIC_PREFIXES and len(words[1]) > 1:
        return True
    return sum(1 for w in words if len(w.strip("'’")) > 1) >= 2


def name_prefix(words: list[str], titled: bool = False) -> int:
    """How many of `words` (from the first) make a person's name: the longest run of name
    words (up to six) that `is_person_name` accepts (`titled`: after "ông"/"bà"); 0 when
    none."""
    run = 0
    while run < len(words) and run < 6 and is_name_word(words[run].rstrip(",.;:)")):
        run += 1
        if words[run - 1] != words[run - 1].rstrip(",.;:)"):
            break  # "Trứ," ends the name
    for n in range(run, 1, -1):
        if is_person_name(" ".join(w.rstrip(",.;:)") for w in words[:n]), titled):
            return n
    return 0
