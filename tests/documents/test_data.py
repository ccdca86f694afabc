import pytest

from nominations.documents.data import Signer

from . import samples


def test_signature_block_of_the_head_and_of_a_deputy():
    assert Signer.head("Nguyễn Văn Hạnh").lines == ("CHỦ TỊCH",)
    assert Signer.deputy("Đoàn Thu Hà").lines == ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    assert Signer.head("Lăng Văn Quang", title="TRƯỞNG PHÒNG").lines == ("TRƯỞNG PHÒNG",)


def test_list_arguments_are_frozen_as_tuples():
    decision = samples.decision()
    assert isinstance(decision.awardees, tuple) and isinstance(decision.recipients, tuple)
    with pytest.raises(AttributeError):
        decision.number = "124/QĐ-UBND"
