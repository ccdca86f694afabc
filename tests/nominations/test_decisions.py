"""Decisions: prize money, signing authority and delegation, numbering, documents, revocation, public pages."""

import datetime
import io
import os
import shutil
import subprocess
import threading
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from docx import Document
from pypdf import PdfReader

from nominations.models import (
    AwardRecord,
    BaseSalary,
    Candidate,
    Certificate,
    Decision,
    Delegation,
    Membership,
    Nomination,
    Role,
)
from nominations.services import decisions
from nominations.services.decision_documents import certificates_generate, decision_documents_generate

from .council_factory import build

D = datetime.date
PASSWORD = "mat-khau-ky-2024"


@pytest.fixture
def setup(db):
    council, seats, secretary, noms, campaign = build(
        members=5,
        nominations=3,
        prize_coefficient=Decimal("0.3"),
        collective_multiplier=Decimal("2"),
        household_multiplier=Decimal("1.5"),
    )
    BaseSalary.objects.create(valid_from=D(2023, 7, 1), amount=1_800_000)
    BaseSalary.objects.create(valid_from=D(2024, 7, 1), amount=2_340_000)
    kinds = ["individual", "household", "collective"]
    for nomination, kind in zip(noms, kinds, strict=True):
        Candidate.objects.filter(pk=nomination.candidate_id).update(kind=kind)
    Nomination.objects.filter(pk__in=[n.pk for n in noms]).update(status="council_passed")
    User = get_user_model()
    chairman = User.objects.create_user("chutich", password=PASSWORD, first_name="Nguyễn Văn Hạnh")
    Membership.objects.create(user=chairman, unit=campaign.issuer, role=Role.CHAIRMAN, valid_from=D(2020, 1, 1))
    vice = User.objects.create_user("phochutich", password=PASSWORD, first_name="Hoàng Minh Đức")
    # A delegation gives power only to a vice-chairman of the issuer in force on the day.
    Membership.objects.create(user=vice, unit=campaign.issuer, role=Role.VICE_CHAIRMAN, valid_from=D(2020, 1, 1))
    noms = list(Nomination.objects.filter(pk__in=[n.pk for n in noms]).select_related("candidate", "submission"))
    return {"campaign": campaign, "noms": noms, "chairman": chairman, "vice": vice, "secretary": secretary.user}


def delegated(s, valid_from, valid_to, basis):
    """A delegation of the past, recorded as history (the service grants only from today on)."""
    return Delegation.objects.create(
        issuer=s["campaign"].issuer,
        delegate=s["vice"],
        valid_from=valid_from,
        valid_to=valid_to,
        basis=basis,
        created_by=s["chairman"],
    )


def draft(s, noms=None):
    noms = noms or s["noms"]
    return decisions.decision_draft(
        campaign=s["campaign"], award_type=noms[0].award_type, nominations=noms, actor=s["secretary"]
    )


def prizes(decision):
    return {i.nomination.candidate.kind: i.prize_amount for i in decision.items.select_related("nomination__candidate")}


def test_prize_before_and_after_the_base_salary_change(setup):
    decision = decisions.decision_sign(
        decision=draft(setup), actor=setup["chairman"], password=PASSWORD, day=D(2024, 6, 30)
    )
    # 0.3 × 1,800,000; household × 1.5; collective × 2 — already multiples of 10,000.
    assert prizes(decision) == {"individual": 540_000, "household": 810_000, "collective": 1_080_000}


def test_prize_on_the_new_base_salary_is_rounded_up_to_10000(setup):
    decision = decisions.decision_sign(
        decision=draft(setup), actor=setup["chairman"], password=PASSWORD, day=D(2024, 7, 1)
    )
    # 702,000 → 710,000; 1,053,000 → 1,060,000; 1,404,000 → 1,410,000.
    assert prizes(decision) == {"individual": 710_000, "household": 1_060_000, "collective": 1_410_000}
    records = AwardRecord.objects.filter(decision=decision)
    assert records.count() == 3 and {r.decision_number for r in records} == {"01/QĐ-UBND"}
    assert {r.unit_name for r in records} == {"Phường Thử"}


def test_signing_needs_the_password_again(setup):
    decision = draft(setup)
    with pytest.raises(ValidationError) as err:
        decisions.decision_sign(decision=decision, actor=setup["chairman"], password="sai", day=D(2024, 10, 5))
    assert "Mật khẩu xác nhận không đúng" in str(err.value)
    decision.refresh_from_db()
    assert decision.status == "draft" and decision.number is None


def test_a_vice_chairman_signs_only_with_a_delegation_in_force(setup):
    decision = draft(setup)
    with pytest.raises(ValidationError, match="không có ủy quyền ký"):
        decisions.decision_sign(decision=decision, actor=setup["vice"], password=PASSWORD, day=D(2024, 10, 5))
    delegated(setup, D(2024, 1, 1), D(2024, 9, 30), "Quyết định phân công")
    with pytest.raises(ValidationError, match="không có ủy quyền ký còn hiệu lực ngày 05/10/2024"):
        decisions.decision_sign(decision=decision, actor=setup["vice"], password=PASSWORD, day=D(2024, 10, 5))
    decision.refresh_from_db()
    assert decision.number is None  # the expired delegation changed nothing
    signed = decisions.decision_sign(decision=decision, actor=setup["vice"], password=PASSWORD, day=D(2024, 9, 30))
    assert signed.delegation is not None and signed.signed_by == setup["vice"]


def test_numbers_run_per_issuer_and_year(setup):
    noms = setup["noms"]
    first = decisions.decision_sign(
        decision=draft(setup, noms[:1]), actor=setup["chairman"], password=PASSWORD, day=D(2024, 10, 5)
    )
    second = decisions.decision_sign(
        decision=draft(setup, noms[1:2]), actor=setup["chairman"], password=PASSWORD, day=D(2024, 12, 31)
    )
    third = decisions.decision_sign(
        decision=draft(setup, noms[2:]), actor=setup["chairman"], password=PASSWORD, day=D(2025, 1, 2)
    )
    assert [first.reference, second.reference, third.reference] == ["01/QĐ-UBND", "02/QĐ-UBND", "01/QĐ-UBND"]


def test_a_failed_signature_leaves_no_gap(setup):
    noms = setup["noms"]
    decisions.decision_sign(
        decision=draft(setup, noms[:1]), actor=setup["chairman"], password=PASSWORD, day=D(2024, 10, 5)
    )
    failing = draft(setup, noms[1:2])
    with pytest.raises(ValidationError):  # striking everyone is refused after the number was taken
        decisions.decision_sign(
            decision=failing,
            actor=setup["chairman"],
            password=PASSWORD,
            day=D(2024, 10, 6),
            struck={failing.items.get().pk: "Trùng thành tích"},
        )
    ok = decisions.decision_sign(
        decision=draft(setup, noms[2:]), actor=setup["chairman"], password=PASSWORD, day=D(2024, 10, 7)
    )
    assert ok.number == 2


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_concurrent_signing_gives_no_gap_and_no_duplicate(committed_db):
    s = _committed_setup()
    drafts = [draft(s, [n]) for n in s["noms"]]
    barrier, errors = threading.Barrier(len(drafts)), []

    def sign(decision):
        barrier.wait()
        try:
            decisions.decision_sign(decision=decision, actor=s["chairman"], password=PASSWORD, day=D(2024, 10, 5))
        except Exception as exc:  # noqa: BLE001 — collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign, args=(d,)) for d in drafts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    numbers = sorted(Decision.objects.values_list("number", flat=True))
    assert numbers == list(range(1, len(drafts) + 1))


def _committed_setup():
    council, seats, secretary, noms, campaign = build(members=5, nominations=6, prize_coefficient=Decimal("0.3"))
    BaseSalary.objects.create(valid_from=D(2024, 7, 1), amount=2_340_000)
    Nomination.objects.filter(pk__in=[n.pk for n in noms]).update(status="council_passed")
    chairman = get_user_model().objects.create_user("chutich", password=PASSWORD)
    Membership.objects.create(user=chairman, unit=campaign.issuer, role=Role.CHAIRMAN, valid_from=D(2020, 1, 1))
    noms = list(Nomination.objects.filter(pk__in=[n.pk for n in noms]).select_related("submission"))
    return {"campaign": campaign, "noms": noms, "chairman": chairman, "secretary": secretary.user}


def _text_of_docx(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_documents_hold_number_signature_and_every_awardee(setup, tmp_path):
    delegated(setup, D(2024, 1, 1), D(2024, 12, 31), "Phân công")
    decision = decisions.decision_sign(
        decision=draft(setup), actor=setup["vice"], password=PASSWORD, day=D(2024, 10, 5)
    )
    decision = decision_documents_generate(decision.pk)
    docx_text = _text_of_docx(decision.docx.read())
    pdf_bytes = decision.pdf.open("rb").read()
    pdf_text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf_bytes)).pages)
    for text in (docx_text, pdf_text):
        assert "01/QĐ-UBND" in text
        assert "KT. CHỦ TỊCH" in text and "PHÓ CHỦ TỊCH" in text and "Hoàng Minh Đức" in text
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
        for nomination in setup["noms"]:
            assert nomination.candidate.name in text
    assert _text_of_docx(decision.letter_docx.read()).count("TỜ TRÌNH") >= 1
    # One page as a picture, for a person to look at (kept by CI when THIDUA_ARTIFACTS_DIR is set).
    if shutil.which("pdftoppm"):
        pdf_path = tmp_path / "quyet-dinh.pdf"
        pdf_path.write_bytes(pdf_bytes)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf_path), str(tmp_path / "quyet-dinh")],
            check=True,
        )
        png = next(tmp_path.glob("quyet-dinh*.png"))
        assert png.stat().st_size > 1000
        if os.environ.get("THIDUA_ARTIFACTS_DIR"):
            shutil.copy(png, os.path.join(os.environ["THIDUA_ARTIFACTS_DIR"], "quyet-dinh-ky-thay-trang-1.png"))


def test_certificates_once_per_awardee_and_verification_shows_revocation(setup, client):
    noms = setup["noms"]
    decision = draft(setup)
    struck_item = decision.items.get(nomination=noms[2])
    decision = decisions.decision_sign(
        decision=decision,
        actor=setup["chairman"],
        password=PASSWORD,
        day=D(2024, 10, 5),
        struck={struck_item.pk: "Trùng thành tích"},
    )
    assert certificates_generate(decision.pk, batch=1) == 2
    assert certificates_generate(decision.pk) == 0  # idempotent: nothing left to make
    certificates = Certificate.objects.filter(item__decision=decision)
    assert certificates.count() == 2 and all(c.pdf.open("rb").read(4) == b"%PDF" for c in certificates)
    anonymous = Client()
    page = anonymous.get(f"/verify/{certificates.first().code}/").content.decode()
    assert "Giấy khen hợp lệ" in page and "01/QĐ-UBND" in page
    with pytest.raises(ValidationError) as wrong:
        decisions.decision_revoke(decision=decision, actor=setup["chairman"], reason="Kê khai sai", password="sai")
    assert "password" in wrong.value.message_dict
    assert Decision.objects.get(pk=decision.pk).status == Decision.Status.SIGNED
    decisions.decision_revoke(
        decision=decision, actor=setup["chairman"], reason="Kê khai thành tích không đúng", password=PASSWORD
    )
    page = anonymous.get(f"/verify/{certificates.first().code}/").content.decode()
    assert "đã bị hủy bỏ" in page and "Kê khai thành tích không đúng" in page
    assert AwardRecord.objects.filter(decision=decision, revoked_at__isnull=False).count() == 2


def test_public_results_show_name_unit_award_only(setup):
    for nomination in setup["noms"]:
        Candidate.objects.filter(pk=nomination.candidate_id).update(
            birth_year=1977, ethnicity="Nùng", position="Bí thư chi bộ", address="Số 9 ngõ 3"
        )
    decisions.decision_sign(decision=draft(setup), actor=setup["chairman"], password=PASSWORD, day=D(2024, 10, 5))
    page = Client().get(f"/public/campaigns/{setup['campaign'].pk}/").content.decode()
    for nomination in setup["noms"]:
        assert nomination.candidate.name in page
    assert "Phường Thử" in page and "Giấy khen" in page
    for private in ("1977", "Nùng", "Bí thư chi bộ", "Số 9 ngõ 3", "710.000", "710000"):
        assert private not in page
