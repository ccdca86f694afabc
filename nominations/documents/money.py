"""Vietnamese money formatting: "702.000 đồng" and the amount in words.

Decisions state the total prize both in figures and in words ("Bằng chữ"),
the way accounting documents do, so a misprinted figure can be caught.
"""

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
# Every third power of ten has a name up to "tỷ"; larger amounts repeat the
# cycle after "tỷ" ("nghìn tỷ"), the way the numbers are read aloud.
_SCALES = ("", "nghìn", "triệu")


def format_number(amount: int) -> str:
    """Digits grouped by dots, the Vietnamese convention: 1404000 → "1.404.000"."""
    if amount < 0:
        raise ValueError("amount must not be negative")
    return f"{amount:,}".replace(",", ".")


def format_vnd(amount: int) -> str:
    """Amount in figures with the currency: 702000 → "702.000 đồng"."""
    return f"{format_number(amount)} đồng"


def vnd_in_words(amount: int) -> str:
    """Amount in words, capitalised: 702000 → "Bảy trăm linh hai nghìn đồng"."""
    if amount < 0:
        raise ValueError("amount must not be negative")
    words = _read(amount) if amount else "không"
    return f"{words[0].upper()}{words[1:]} đồng"


def _read(number: int) -> str:
    """Words for a positive number; billions nest ("một nghìn tỷ")."""
    billions, rest = divmod(number, 1_000_000_000)
    parts = []
    if billions:
        parts.append(f"{_read(billions)} tỷ")
    parts.extend(_read_below_billion(rest, leading=not billions))
    return " ".join(parts)


def _read_below_billion(number: int, *, leading: bool) -> list[str]:
    groups = [(number // 1000**i) % 1000 for i in (2, 1, 0)]
    parts = []
    for group, scale in zip(groups, reversed(_SCALES), strict=True):
        if not group:
            continue
        # Only the first spoken group may drop its hundreds: 1.053.000 is
        # "một triệu không trăm năm mươi ba nghìn".
        parts.append(_read_group(group, full=not leading))
        if scale:
            parts.append(scale)
        leading = False
    return parts


def _read_group(number: int, *, full: bool) -> str:
    hundreds, tens, units = number // 100, number // 10 % 10, number % 10
    words = []
    if hundreds or full:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append("linh")  # 105: "một trăm linh năm"
    elif tens == 1:
        words.append("mười")
    else:
        words += [_DIGITS[tens], "mươi"]
    if units:
        words.append(_unit_word(tens, units))
    return " ".join(words)


def _unit_word(tens: int, units: int) -> str:
    if units == 1 and tens >= 2:
        return "mốt"  # 21: "hai mươi mốt", but 11: "mười một"
    if units == 5 and tens >= 1:
        return "lăm"  # 15: "mười lăm", but 105: "một trăm linh năm"
    return _DIGITS[units]
