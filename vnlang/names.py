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
