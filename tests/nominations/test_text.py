from nominations.text import fold, person_sort_key


def test_fold_removes_diacritics_and_d_bar():
    assert fold("Đỗ Thị Ánh Tuyết") == "do thi anh tuyet"


def test_vietnamese_names_sort_by_given_name_in_alphabet_order():
    names = ["Vi Văn Đức", "Lê Ấn", "Hà Thị Ánh", "Trần Ân", "Nông Văn Dũng", "Phạm Văn Zũ", "Mã Ăn", "Lý Bình"]
    ordered = sorted(names, key=person_sort_key)
    # a < ă < â … d < đ: code-point order would put Đ and Ă after Z.
    assert ordered == [
        "Hà Thị Ánh",
        "Mã Ăn",
        "Lê Ấn",
        "Trần Ân",
        "Lý Bình",
        "Nông Văn Dũng",
        "Vi Văn Đức",
        "Phạm Văn Zũ",
    ]
