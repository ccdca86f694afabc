"""Vietnamese text helpers: accent-insensitive search and alphabetical order.

Vietnamese sorts by its own alphabet (a ă â b c d đ e ê …), then by tone;
byte or Unicode code-point order puts "Đ" after "Z" and "Ă" after "Z".
"""

import unicodedata

from django.utils.text import slugify

_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_ORDER = {ch: i for i, ch in enumerate(_ALPHABET)}
# Tone marks in the conventional order: none, huyền, sắc, hỏi, ngã, nặng.
_TONES = {"\u0300": 1, "\u0301": 2, "\u0309": 3, "\u0303": 4, "\u0323": 5}
_VOWEL_MARKS = {"\u0306": "ă", "\u0302": "â", "\u031b": "ơ"}


def fold(text: str) -> str:
    """Lower-case text with every diacritic removed (đ → d), for search."""
    text = unicodedata.normalize("NFD", text.lower()).replace("đ", "d")
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _letter_keys(word: str):
    keys, tone = [], 0
    for ch in unicodedata.normalize("NFD", word.lower()):
        if ch in _TONES:
            tone = max(tone, _TONES[ch])
        elif unicodedata.combining(ch) and keys:
            base = keys[-1][1]
            if ch == "\u0302":
                composed = {"a": "â", "e": "ê", "o": "ô"}.get(base, base)
            elif ch == "\u031b":
                composed = {"o": "ơ", "u": "ư"}.get(base, base)
            else:
                composed = _VOWEL_MARKS.get(ch, base) if base == "a" else base
            keys[-1] = (_ORDER.get(composed, 100), composed)
        else:
            keys.append((_ORDER.get(ch, 100 + ord(ch)), ch))
    return [k for k, _ in keys], tone


def sort_key(text: str) -> str:
    """A string that sorts like Vietnamese text under a byte-order collation."""
    letters, tones = [], []
    for word in text.split():
        keys, tone = _letter_keys(word)
        letters.append("".join(chr(0x4E00 + k) for k in keys))
        tones.append(str(tone))
    return " ".join(letters) + "|" + "".join(tones)


def person_sort_key(full_name: str) -> str:
    """Vietnamese names are listed by given name (the last word) first."""
    words = full_name.split()
    if len(words) > 1:
        words = [words[-1]] + words[:-1]
    return sort_key(" ".join(words))


def safe_file_name(*parts, ext: str, max_length: int = 80) -> str:
    """An ASCII file name for zip entries and downloads: ``safe_file_name(5, "Hoàng Văn Thắng", ext="pdf")``
    → ``"5-hoang-van-thang.pdf"``.

    Only letters, digits and hyphens survive, so no path separator, "..",
    quote, control character or markup from a stored name can reach a zip
    entry or a Content-Disposition header.
    """
    stem = "-".join(filter(None, (slugify(fold(str(part))) for part in parts)))
    stem = stem[:max_length].strip("-") or "tep"
    return f"{stem}.{slugify(ext) or 'bin'}"
