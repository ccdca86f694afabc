"""Documents rendered from what the services produce (not from samples), read back as a clerk's tools would."""

import subprocess

import pytest
from django.contrib.auth import get_user_model

from nominations.documents.legal_texts import LOCAL_GOVERNMENT_LAWS, as_bases, in_force
from nominations.documents.naming import lower_first, place_name
from nominations.models import AwardType, Decision
from nominations.selectors import rule_set_on
from nominations.services.decision_documents import decision_data, decision_documents_generate
from tests.private_storage import isolate, local_copy
from tests.workflow.helpers import signed_decision

from .readers import docx_text


@pytest.fixture
def users(demo):
    return {u.username: u for u in get_user_model().objects.all()}


@pytest.fixture
def signed(client, users):
    """A decision of the demo's rehearsal campaign signed by the chairman through the pages."""
    return signed_decision(client, users)[0]


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, text=True, check=True).stdout


def test_the_signed_decision_cites_the_law_in_force_and_names_the_issuer_properly(signed, settings, tmp_path):
    isolate(settings, tmp_path)
    decision = decision_documents_generate(signed.pk)
    issuer = decision.issuer.name  # e.g. "Thành phố Lạng Sơn"
    docx = docx_text(decision.docx.read())
    pdf = pdf_text(local_copy(decision.pdf, tmp_path))
    rule = rule_set_on(decision.award_type, decision.decision_date)
    for text in (docx, " ".join(pdf.split())):
        # Every legal basis line starts "Căn cứ", from the rule set and the law in force on the decision date.
        for law in in_force(LOCAL_GOVERNMENT_LAWS, decision.decision_date):
            assert f"Căn cứ {law}" in text
        for basis in as_bases(rule.legal_basis):
            assert basis.startswith("Căn cứ") and basis in text
        if decision.decision_date.year >= 2026:  # the demo's rule set since 01/07/2025 cites Nghị định 152/2025
            assert "152/2025" in text and "98/2023" not in text
        # The issuer in proper case inside the sentence, never all lower case.
        assert f"Ủy ban nhân dân {lower_first(issuer)}" in text
        assert issuer.lower() not in text.replace(lower_first(issuer), "")
        assert f"{place_name(issuer)}, ngày" in text
        assert decision.signed_by.get_full_name() in text
    assert "CHỦ TỊCH" in docx and "Như Điều 3" in docx  # prize money → Điều 2 is the money, Điều 3 executes


def test_no_money_moves_the_executing_article_and_a_title_is_recognised(signed):
    signed.items.update(prize_amount=0)
    signed.award_type.form = AwardType.Form.HONOUR
    signed.award_type.name = "Công dân tiêu biểu"
    signed.award_type.save()
    data = decision_data(Decision.objects.get(pk=signed.pk))
    assert data.recipients[0] == "Như Điều 2"
    assert (data.award_verb, data.award_name) == ("Công nhận", "danh hiệu “Công dân tiêu biểu”")


@pytest.mark.parametrize(
    "name, place",
    [
        ("Thành phố Lạng Sơn", "TP. Lạng Sơn"),
        ("Phường Vĩnh Trại", "Vĩnh Trại"),
        ("Phường 1", "Phường 1"),
        ("Tỉnh Lạng Sơn", "Lạng Sơn"),
        ("Xã Mai Pha", "Mai Pha"),
        ("Thị xã Kỳ Lừa", "Kỳ Lừa"),
    ],
)
def test_place_names(name, place):
    assert place_name(name) == place


def test_the_local_government_law_follows_the_date():
    import datetime

    assert "19 tháng 6 năm 2015" in in_force(LOCAL_GOVERNMENT_LAWS, datetime.date(2024, 10, 5))[0]
    assert "16 tháng 6 năm 2025" in in_force(LOCAL_GOVERNMENT_LAWS, datetime.date(2026, 12, 4))[0]
    assert as_bases("Luật Thi đua, khen thưởng 06/2022/QH15; Nghị định 152/2025/NĐ-CP.") == [
        "Căn cứ Luật Thi đua, khen thưởng 06/2022/QH15",
        "Căn cứ Nghị định 152/2025/NĐ-CP",
    ]
    assert as_bases("Thực hiện Kế hoạch số 65/KH-UBND") == ["Thực hiện Kế hoạch số 65/KH-UBND"]


def test_the_submission_letter_keeps_a_struck_name_as_proposed(signed):
    from nominations.services.decision_documents import letter_data

    item = signed.items.order_by("pk").first()
    signed.items.filter(pk=item.pk).update(struck=True, strike_reason="Trùng thành tích")
    decision = Decision.objects.get(pk=signed.pk)
    assert item.nomination.candidate.name in {row.name for row in letter_data(decision).awardees}
    assert item.nomination.candidate.name not in {row.name for row in decision_data(decision).awardees}
