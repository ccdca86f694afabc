import pytest

from nominations.documents.money import format_number, format_vnd, vnd_in_words


@pytest.mark.parametrize(
    ("amount", "figures", "words"),
    [
        (0, "0 đồng", "Không đồng"),
        (5, "5 đồng", "Năm đồng"),
        (15, "15 đồng", "Mười lăm đồng"),
        (21, "21 đồng", "Hai mươi mốt đồng"),
        (105, "105 đồng", "Một trăm linh năm đồng"),
        (702_000, "702.000 đồng", "Bảy trăm linh hai nghìn đồng"),
        (1_000_000, "1.000.000 đồng", "Một triệu đồng"),
        (1_053_000, "1.053.000 đồng", "Một triệu không trăm năm mươi ba nghìn đồng"),
        (1_404_000, "1.404.000 đồng", "Một triệu bốn trăm linh bốn nghìn đồng"),
        (2_340_000, "2.340.000 đồng", "Hai triệu ba trăm bốn mươi nghìn đồng"),
        (10_530_000, "10.530.000 đồng", "Mười triệu năm trăm ba mươi nghìn đồng"),
    ],
)
def test_amount_in_figures_and_words(amount, figures, words):
    assert format_vnd(amount) == figures
    assert vnd_in_words(amount) == words


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (10, "Mười đồng"),
        (11, "Mười một đồng"),  # "một" after "mười", "mốt" only from twenty on
        (25, "Hai mươi lăm đồng"),
        (110, "Một trăm mười đồng"),
        (1_001, "Một nghìn không trăm linh một đồng"),
        (2_000_500, "Hai triệu năm trăm đồng"),
        (1_000_000_000, "Một tỷ đồng"),
        (1_000_000_050, "Một tỷ không trăm năm mươi đồng"),
        (1_000_000_000_000, "Một nghìn tỷ đồng"),
    ],
)
def test_reading_rules(amount, words):
    assert vnd_in_words(amount) == words


def test_numbers_group_with_dots():
    assert format_number(8_775_000) == "8.775.000"
    assert format_number(999) == "999"


def test_negative_amounts_are_refused():
    with pytest.raises(ValueError):
        format_vnd(-1)
    with pytest.raises(ValueError):
        vnd_in_words(-1)
