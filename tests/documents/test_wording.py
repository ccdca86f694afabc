from nominations.documents.data import COLLECTIVE, HOUSEHOLD, INDIVIDUAL, AwardeeRow
from nominations.documents.wording import (
    NUMBER_BLANK,
    awardee_lines,
    document_number,
    kind_counts,
    percent,
    prize_rates,
    punctuate,
)


def row(kind=INDIVIDUAL, amount=702_000, group=""):
    return AwardeeRow(1, "Vi Văn Đức", "Phường Đông Kinh", "Giấy khen", amount, kind, group)


def test_lists_end_with_semicolons_and_a_full_stop():
    assert punctuate(["Như Điều 3;", " Lưu: VT, NV ", ""]) == ["Như Điều 3;", "Lưu: VT, NV."]


def test_counts_collectives_first_with_leading_zeros():
    rows = [row(), row(COLLECTIVE), row(), row(HOUSEHOLD)]
    assert kind_counts(rows) == "01 tập thể, 01 hộ gia đình và 02 cá nhân"
    assert kind_counts([row()] * 12) == "12 cá nhân"


def test_prize_rates_per_kind_or_a_pointer_to_the_list():
    assert prize_rates([row(), row(COLLECTIVE, 1_404_000)], "Giấy khen") == (
        "Kèm theo Giấy khen, mỗi tập thể được thưởng 1.404.000 đồng; mỗi cá nhân được thưởng 702.000 đồng"
    )
    uneven = [row(amount=702_000), row(amount=710_000)]
    assert "theo mức ghi tại danh sách kèm theo" in prize_rates(uneven, "Giấy khen")


def test_group_headings_are_inserted_when_the_group_changes():
    lines = awardee_lines([row(COLLECTIVE, group="I. TẬP THỂ"), row(group="II. CÁ NHÂN"), row(group="II. CÁ NHÂN")])
    assert [line.heading for line in lines] == ["I. TẬP THỂ", "", "II. CÁ NHÂN", "", ""]
    assert lines[1].amount == "702.000"


def test_percent_uses_a_decimal_comma():
    assert percent(9, 11) == "81,82%"
    assert percent(7, 10) == "70%"
    assert percent(0, 0) == "0%"


def test_unnumbered_draft_keeps_room_for_the_number():
    assert document_number("123/QĐ-UBND") == "123/QĐ-UBND"
    assert document_number("/QĐ-UBND") == f"{NUMBER_BLANK}/QĐ-UBND"
