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
