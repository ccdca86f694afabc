"""The issuer's name, place (địa danh) and the heads of its bodies come from the org unit data and its history.

A ward of another province (Phường Hòa Khánh, Đà Nẵng) issues a decision, its Tờ trình, the council's minutes and
a revocation, all made by the services: each prints the ward's own name in proper case, its own place, the head
of its own standing body — and nothing of Lạng Sơn or of a city.
"""

import datetime
import subprocess

import pytest

from nominations.models import CouncilSession, Decision, Membership, OrgUnit, OrgUnitName, Role
from nominations.services.decision_documents import decision_documents_generate
from nominations.services.issuer_names import issuer_names
from nominations.services.minutes import minutes_docx, minutes_pdf
from nominations.services.revocation_documents import revocation_documents_generate
from tests.nominations.test_outcome_state_machine import START, Scripted, machine_world  # noqa: F401
from tests.private_storage import isolate

from .readers import docx_text

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout
    return " ".join(out.decode().split())


def read(field) -> str:
    with field.open("rb") as f:
        data = f.read()
    return " ".join(docx_text(data).split()) if field.name.endswith(".docx") else pdf_text(data)


@pytest.fixture
def ward(machine_world, settings, tmp_path):  # noqa: F811 - the fixture imported above
    # The documents' own text is checked: CI's test token signs as "thành phố Lạng Sơn" (token_setup), whose
    # visible stamp would print that name on a ward's PDF; this test renders unsigned PDFs.
    settings.THIDUA_PKCS11_MODULE = ""
    """The state machine's world, its issuer made a ward of Đà Nẵng with its own standing body."""
    isolate(settings, tmp_path)
    province = OrgUnit.objects.create(code="dn", name="Thành phố Đà Nẵng", kind="province", level=1, valid_from=START)
    issuer = machine_world["city"]
    OrgUnit.objects.filter(pk=issuer.pk).update(name="Phường Hòa Khánh", kind="ward", parent=province)
    body = OrgUnit.objects.create(
        code="hk-vhxh", name="Phòng Văn hóa – Xã hội", short_name="VHXH", kind="agency", level=4, parent=issuer,
        valid_from=START,
    )  # fmt: skip
    Membership.objects.create(
        user=machine_world["thuky"], unit=body, role=Role.COUNCIL_SECRETARY, valid_from=START,
        title="Trưởng phòng Văn hóa – Xã hội",
    )  # fmt: skip
    return issuer


def test_every_document_of_a_ward_of_another_province_prints_its_own_names(ward):
    run = Scripted()
    try:
        run.a_starting_dossier(start="signed")
        decision = run.machine._decisions(Decision.Status.SIGNED)[0]
        run._revoke(decision)
        decision = decision_documents_generate(decision.pk)
        decision = revocation_documents_generate(decision.pk)
        session = CouncilSession.objects.get()
        texts = {
            "decision": [read(decision.docx), read(decision.pdf)],
            "letter": [read(decision.letter_docx), read(decision.letter_pdf)],
            "revocation": [read(decision.revocation_docx), read(decision.revocation_pdf)],
            "minutes": [" ".join(docx_text(minutes_docx(session)).split()), pdf_text(minutes_pdf(session))],
        }
    finally:
        run.machine.teardown()

    day = decision.decision_date
    place = f"Hòa Khánh, ngày {day.day:02d} tháng {day.month if day.month > 2 else f'{day.month:02d}'} năm {day.year}"
    for kind, (docx, pdf) in texts.items():
        for text in (docx, pdf):
            assert "Lạng Sơn" not in text and "thành phố" not in text.replace("Thành phố Đà Nẵng", ""), kind
            assert "PHƯỜNG HÒA KHÁNH" in text, kind
            if kind != "minutes":  # the minutes print where the council met
                assert place in text, (kind, text[:300])
    for kind in ("decision", "revocation"):
        for text in texts[kind]:
            assert "Chủ tịch Ủy ban nhân dân phường Hòa Khánh" in text
            assert "Theo đề nghị của Trưởng phòng Văn hóa – Xã hội (Cơ quan Thường trực" in text
            assert "Chánh Văn phòng HĐND và UBND phường, Trưởng phòng Văn hóa – Xã hội" in text
            assert "CT, các PCT UBND phường" in text and "Lưu: VT, VHXH" in text
    for text in texts["letter"]:  # the standing body's own letter, under the ward's committee
        assert "UBND PHƯỜNG HÒA KHÁNH" in text and "PHÒNG VĂN HÓA – XÃ HỘI" in text
        assert "Kính gửi: Chủ tịch Ủy ban nhân dân phường Hòa Khánh" in text


def test_a_renamed_issuer_keeps_its_old_name_in_documents_of_the_past(db):
    """The names on a date are the unit's names then (OrgUnitName): a decision of 2024 keeps the old name."""
    province = OrgUnit.objects.create(code="dn", name="Thành phố Đà Nẵng", kind="province", level=1, valid_from=START)
    ward = OrgUnit.objects.create(
        code="hk", name="Phường Hòa Khánh", kind="ward", level=3, parent=province, valid_from=START
    )
    OrgUnitName.objects.create(
        unit=ward, name="Phường Hòa Khánh Bắc", valid_from=START, valid_to=datetime.date(2025, 6, 30)
    )
    finance = OrgUnit.objects.create(
        code="hk-tc", name="Phòng Tài chính – Kế hoạch", kind="agency", level=4, parent=ward, valid_from=START
    )
    old = issuer_names(ward, datetime.date(2024, 8, 26))
    new = issuer_names(ward, datetime.date(2025, 7, 1))
    assert (old.name, old.place, old.header) == ("Phường Hòa Khánh Bắc", "Hòa Khánh Bắc", "PHƯỜNG HÒA KHÁNH BẮC")
    assert old.authority == "Chủ tịch Ủy ban nhân dân phường Hòa Khánh Bắc"
    assert (new.name, new.place, new.authority) == (
        "Phường Hòa Khánh",
        "Hòa Khánh",
        "Chủ tịch Ủy ban nhân dân phường Hòa Khánh",
    )
    # No standing body in the data: the proposal is the standing body's by its function, never a city's office.
    assert new.proposer == "Cơ quan Thường trực Hội đồng Thi đua – Khen thưởng"
    assert new.executors == ["Chánh Văn phòng HĐND và UBND phường", "Trưởng phòng Tài chính – Kế hoạch"]
    assert new.executors[1] == f"Trưởng phòng {finance.name.removeprefix('Phòng ')}"
