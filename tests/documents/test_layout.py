"""The Decree 30/2020 layout of every document the product issues, read back from what the services produced.

One journey through the services and pages (dossier, council session with a recusal, a draft, a signature that
strikes a name, certificates, a revocation signed by a deputy under a delegation) produces every document kind;
each is read back as a clerk would (python-docx for DOCX, poppler's ``pdftotext`` for PDF) and checked for the
elements the decree requires: quốc hiệu and tiêu ngữ, issuing body, số/ký hiệu, địa danh and date, trích yếu,
căn cứ, nơi nhận, and the signature block (authority, title, name).
"""

import datetime
import re
import subprocess
import tempfile
import unicodedata

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from nominations.demo import DEMO_PASSWORD
from nominations.documents.naming import place_name
from nominations.models import CouncilMember, Decision
from nominations.services import council, decisions, delegations
from nominations.services.decision_documents import certificates_generate, decision_documents_generate
from nominations.services.minutes import minutes_docx, minutes_pdf
from nominations.services.revocation_documents import revocation_documents_generate
from tests.private_storage import isolate
from tests.workflow.helpers import accepted_dossier, council_session, draft_decision, sign_decision, vote_as

from .readers import docx_document, docx_text

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
# Decree 30: days 1-9 and months 1-2 with a leading zero, March to December without.
DATE = r"ngày \d{2} tháng (0[12]|[3-9]|1[0-2]) năm \d{4}"
NAMES = ["Hoàng Thị Ánh", "Lý Văn Bình", "Nông Thị Cúc"]
STRUCK = "Nông Thị Cúc"


def pdftotext(data: bytes, *area: str) -> str:
    """The PDF's text as poppler extracts it (optionally of an area: -x -y -W -H in points), whitespace folded."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(data)
        pdf.flush()
        command = ["pdftotext", "-f", "1", "-l", "1", *area, pdf.name, "-"] if area else ["pdftotext", pdf.name, "-"]
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return " ".join(unicodedata.normalize("NFC", out).split())


def fold(text: str) -> str:
    return " ".join(text.split())


def both(docx: bytes, pdf: bytes) -> list[tuple[str, str]]:
    """(whole text, what the top-left header column prints) of the DOCX and of the PDF.

    The header's two columns wrap side by side, so the issuer is read from its own column: the first header
    cell of the DOCX, the first page's top left (30 mm margin + 66 mm column, top 60 mm) of the PDF.
    """
    left = docx_document(docx).tables[0].cell(0, 0).text + " " + docx_document(docx).tables[0].cell(1, 0).text
    return [
        (fold(docx_text(docx)), fold(left)),
        (pdftotext(pdf), pdftotext(pdf, "-x", "0", "-y", "0", "-W", "272", "-H", "170")),
    ]


@pytest.fixture
def journey(client, demo, settings, tmp_path):
    """Every document kind, made by the services from one campaign's records."""
    isolate(settings, tmp_path)
    users = {u.username: u for u in get_user_model().objects.all()}
    _process, noms = accepted_dossier(client, users, NAMES)
    process = council_session(client, users, noms, vote=False)
    session = process.artifact
    members = list(council.voting_members(session.council, timezone.localdate()))
    recusing = next(m for m in members if m.user.username == "uyvien_2")
    item = session.items.get(nomination=noms[0])
    council.recusal_declare(item=item, member=recusing, reason="Có quan hệ gia đình với người được đề nghị")
    for member in members:
        vote_as(client, process, member, "agree")
    session.refresh_from_db()
    decision_process = draft_decision(client, users, noms)
    decision = decision_process.artifact
    struck = decision.items.get(nomination__candidate__name=STRUCK)
    sign_decision(
        client,
        users["chutich_ubnd"],
        decision_process,
        {
            "decision": "sign",
            "comment": "",
            "password": DEMO_PASSWORD,
            f"strike_{struck.pk}": "on",
            f"reason_{struck.pk}": "Trùng thành tích",
        },
    )
    decision = decision_documents_generate(decision.pk)
    certificates_generate(decision.pk)
    today = timezone.localdate()
    delegations.delegation_grant(
        issuer=decision.issuer,
        delegate=users["phochutich_ubnd"],
        valid_from=today,
        valid_to=today + datetime.timedelta(days=30),
        actor=users["chutich_ubnd"],
    )
    decisions.decision_revoke(
        decision=decision,
        actor=users["phochutich_ubnd"],
        reason="Kê khai thành tích không đúng",
        password=DEMO_PASSWORD,
    )
    decision = revocation_documents_generate(decision.pk)
    return {"users": users, "session": session, "decision": Decision.objects.get(pk=decision.pk), "recusing": recusing}


def read(field) -> bytes:
    with field.open("rb") as f:
        return f.read()


def assert_header(text: str, left: str, *, issuer: str, number: str, place: str | None):
    for line in MOTTO:
        assert line in text
    assert issuer in left  # top left, over the number
    assert re.search(r"Số: 0[1-9]/" + re.escape(number), left), f"no number like 01/{number} in {left!r}"
    if place is not None:
        assert re.search(re.escape(place) + ", " + DATE, text), f"no “{place}, ngày … tháng … năm …”"


def assert_closing(text: str, *, lines, name: str):
    assert "Nơi nhận:" in text
    # The signature block in its order: authority, title, then the signer's name.
    block = re.escape(" ".join(lines)) + r".*" + re.escape(name)
    assert re.search(block, text), f"no signature block {lines} … {name}"


def test_the_decision(journey):
    decision = journey["decision"]
    for text, left in both(read(decision.docx), read(decision.pdf)):
        assert_header(
            text, left, issuer=decision.issuer.name.upper(), number="QĐ-UBND", place=place_name(decision.issuer.name)
        )
        assert "QUYẾT ĐỊNH" in text and decision.subject in text
        assert text.count("Căn cứ") >= 3
        assert_closing(text, lines=["CHỦ TỊCH"], name="Nguyễn Văn Hạnh")
        assert "Hoàng Thị Ánh" in text and STRUCK not in text  # the list attached to it: only who was awarded


def test_the_submission_letter_has_its_number_and_signer_and_keeps_the_struck_name(journey):
    decision = journey["decision"]
    assert decision.letter_number and decision.letter_date  # taken when the draft went to the chairman
    for text, left in both(read(decision.letter_docx), read(decision.letter_pdf)):
        assert_header(
            text, left, issuer=decision.letter_unit.name.upper(), number="TTr-", place=place_name(decision.issuer.name)
        )
        assert "TỜ TRÌNH" in text and decision.subject in text and "Căn cứ" in text
        # The demo's secretary is "Phó Giám đốc Sở Nội vụ": a deputy signs for the head.
        assert_closing(text, lines=["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], name="Lăng Văn Hùng")
        assert STRUCK in text  # proposed, as the standing body proposed it


def test_the_minutes_are_numbered_signed_and_record_the_recusal(journey):
    session, recusing = journey["session"], journey["recusing"]
    present = session.attendance.filter(present=True).count()
    total = session.attendance.count()
    chair = session.council.members.get(position=CouncilMember.Position.CHAIR).user.get_full_name()
    secretary = session.council.members.get(position=CouncilMember.Position.SECRETARY).user.get_full_name()
    base = session.items.get(recusals__member=recusing).base  # those who could vote on it
    for text, left in both(minutes_docx(session), minutes_pdf(session)):
        assert_header(text, left, issuer=session.council.name.upper(), number="BB-HĐTĐKT", place=None)
        assert "BIÊN BẢN" in text and session.title in text and re.search(DATE, text)
        assert re.search(r"THƯ KÝ.*" + secretary, text) and re.search(r"CHỦ TỊCH HỘI ĐỒNG.*" + chair, text)
        # Who did not vote on which item, and the base that makes the tally add up.
        name = recusing.user.get_full_name()
        assert f"{present:02d}/{total:02d} thành viên có mặt, 01 không tham gia biểu quyết ({name}:" in text
        assert f"tính trên {base:02d} thành viên" in text


def test_the_certificate(journey):
    decision = journey["decision"]
    certificate = decision.items.filter(struck=False).first().certificate
    text = pdftotext(read(certificate.pdf))
    for line in MOTTO:
        assert line in text
    assert "GIẤY KHEN" in text and f"Quyết định số {decision.reference}" in text
    assert re.search(re.escape(place_name(decision.issuer.name)) + ", " + DATE, text)
    assert re.search(r"CHỦ TỊCH.*Nguyễn Văn Hạnh", text)


def test_the_revocation_decision_revokes_by_number_with_a_deputys_signature(journey):
    decision = journey["decision"]
    assert decision.revocation_reference == f"{decision.number + 1:02d}/QĐ-UBND"  # the issuer's register
    unit = decision.items.first().nomination.submission.unit.name
    for text, left in both(read(decision.revocation_docx), read(decision.revocation_pdf)):
        assert_header(
            text, left, issuer=decision.issuer.name.upper(), number="QĐ-UBND", place=place_name(decision.issuer.name)
        )
        assert f"Số: {decision.revocation_reference}" in text
        assert f"Về việc hủy bỏ Quyết định số {decision.reference}" in text
        assert f"Căn cứ Quyết định số {decision.reference}" in text and text.count("Căn cứ") >= 3
        assert re.search(r"Điều 1\. Hủy bỏ Quyết định số " + re.escape(decision.reference), text)
        assert "Hoàng Thị Ánh" in text and "Lý Văn Bình" in text and STRUCK not in text
        assert "Lý do: Kê khai thành tích không đúng." in text and "Điều 3." in text
        assert unit in text.split("Nơi nhận:")[1]  # the proposing unit receives it
        assert_closing(text, lines=["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"], name="Hoàng Minh Đức")


def test_the_revocation_decision_is_downloadable_from_the_decision_page(client, journey):
    decision = journey["decision"]
    client.force_login(journey["users"]["chutich_ubnd"])
    page = client.get(f"/decisions/{decision.pk}/").content.decode()
    assert f"/decisions/{decision.pk}/revocation.pdf" in page
    response = client.get(f"/decisions/{decision.pk}/revocation.pdf")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(f"/decisions/{decision.pk}/revocation.txt").status_code == 404
    client.force_login(journey["users"]["canbo_vinhtrai"])  # a unit's clerk does not see the decision
    assert client.get(f"/decisions/{decision.pk}/revocation.pdf").status_code == 404
