"""How an organisation's name is written in a document: in a sentence, as the place (địa danh), in the header.

Names are stored as people write them ("Thành phố Lạng Sơn", "Phường Vĩnh Trại"). Inside a sentence the
unit type is lower case but the proper name keeps its capitals ("Chủ tịch Ủy ban nhân dân thành phố Lạng Sơn");
``str.lower()`` of the whole name would print "thành phố lạng sơn".
"""

# Unit types that open an administrative unit's name, longest first so "Thị xã" wins over "Xã".
_UNIT_TYPES = ("Thành phố", "Thị trấn", "Thị xã", "Phường", "Huyện", "Quận", "Tỉnh", "Xã")


def lower_first(text: str) -> str:
    """ "Thành phố Lạng Sơn" → "thành phố Lạng Sơn": only the first letter changes."""
    return text[:1].lower() + text[1:]


def _split(name: str) -> tuple[str, str]:
    """("Thành phố", "Lạng Sơn") for "Thành phố Lạng Sơn"; ("", name) when no unit type opens it."""
    for unit_type in _UNIT_TYPES:
        if name.startswith(unit_type + " "):
            return unit_type, name[len(unit_type) + 1 :]
    return "", name


def place_name(name: str) -> str:
    """The địa danh printed before the date (Decree 30/2020, Appendix I, I.4), from the unit's name.

    The proper name without its unit type ("Phường Vĩnh Trại" → "Vĩnh Trại", "Tỉnh Lạng Sơn" → "Lạng Sơn"),
    except that a city keeps "TP." as the city's own documents do (the seed: "TP. Lạng Sơn, ngày …"), which also
    tells it apart from the province of the same name; and a unit named by a number keeps its full name
    ("Phường 1"), as the decree requires.
    """
    unit_type, proper = _split(name)
    if proper.isdigit():
        return name
    if unit_type == "Thành phố":
        return f"TP. {proper}"
    return proper


def unit_type(name: str) -> str:
    """ "Phường" for "Phường Hòa Khánh"; "" when no unit type opens the name."""
    return _split(name)[0]


# How the head of a body is called, by the word that opens the body's name (the longest first).
_HEADS = (("Văn phòng", "Chánh"), ("Phòng", "Trưởng"), ("Sở", "Giám đốc"), ("Ban", "Trưởng"))


def head_title(body: str) -> str:
    """ "Phòng Nội vụ" → "Trưởng phòng Nội vụ", "Sở Nội vụ" → "Giám đốc Sở Nội vụ", "Văn phòng HĐND và UBND" →
    "Chánh Văn phòng HĐND và UBND"; "Thủ trưởng …" for any other body."""
    for opening, head in _HEADS:
        if body.startswith(opening + " "):
            # A "phòng" or "ban" folds into the head's title ("Trưởng phòng"); a Sở or an office keeps its capital.
            return f"{head} {lower_first(body)}" if opening in ("Phòng", "Ban") else f"{head} {body}"
    return f"Thủ trưởng {body}"
