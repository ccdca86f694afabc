"""The decision PDF signed (PAdES) with the issuer's key in a PKCS#11 token, and validated with pyHanko.

The token is SoftHSM2's: the one ``scripts/softhsm.sh`` made when its settings are in the environment (CI's
PostgreSQL stage), else one made here in a folder of the test run, with a test CA. Without SoftHSM2 these tests
skip, unless THIDUA_REQUIRE_PKCS11 is set (CI): then they fail, so CI never passes with them skipped.
"""

import datetime
import io
import os
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from nominations.demo import DEMO_PASSWORD
from nominations.documents import pdf_signing
from nominations.documents.token_setup import DEFAULT_SUBJECT, provision
from nominations.models import AwardRecord, Certificate, Decision, DocumentCounter
from nominations.services import decision_documents
from nominations.services.decision_documents import certificates_generate, decision_documents_generate
from tests.private_storage import isolate, local_copy, stored_names
from tests.workflow.helpers import accepted_dossier, council_session, draft_decision, sign_decision, signed_decision
from workflow import audit
from workflow.models import AuditEvent

MODULE = "/usr/lib/softhsm/libsofthsm2.so"
PIN = "test-pin-1234"
pytestmark = pytest.mark.django_db

SETTINGS = ("THIDUA_PKCS11_MODULE", "THIDUA_PKCS11_TOKEN", "THIDUA_PKCS11_PIN", "THIDUA_PKCS11_KEY_LABEL")


@pytest.fixture(scope="session")
def token(tmp_path_factory):
    """The PKCS#11 settings of a SoftHSM2 token holding the issuer's key and certificate, and its trust root."""
    if not (Path(MODULE).is_file() and shutil.which("softhsm2-util")):
        reason = f"SoftHSM2 absent ({MODULE}, softhsm2-util): apt-get install softhsm2 to run the PAdES tests"
        if os.environ.get("THIDUA_REQUIRE_PKCS11"):
            pytest.fail(reason)
        pytest.skip(reason)
    if os.environ.get("THIDUA_PKCS11_MODULE"):  # scripts/softhsm.sh's token (its SOFTHSM2_CONF is set too)
        return {
            **{name: os.environ.get(name, "") for name in SETTINGS},
            "THIDUA_PDF_TRUST_ROOTS": os.environ.get("THIDUA_PDF_TRUST_ROOTS", "").split(","),
        }
    folder = tmp_path_factory.mktemp("softhsm")
    (folder / "tokens").mkdir()
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n")
    # Read by the library when this process first loads it; nothing loaded it before (session fixture).
    os.environ["SOFTHSM2_CONF"] = str(conf)
    subprocess.run(
        ["softhsm2-util", "--init-token", "--free", "--label", "thidua-test", "--pin", PIN, "--so-pin", "so-1234"],
        check=True,
        capture_output=True,
    )
    root = provision(module=MODULE, token="thidua-test", pin=PIN, label="issuer", out=folder)
    return {
        "THIDUA_PKCS11_MODULE": MODULE,
        "THIDUA_PKCS11_TOKEN": "thidua-test",
        "THIDUA_PKCS11_PIN": PIN,
        "THIDUA_PKCS11_KEY_LABEL": "issuer",
        "THIDUA_PDF_TRUST_ROOTS": [str(root)],
    }


@pytest.fixture
def signing(token, settings):
    """The token configured, as a deployment would through THIDUA_PKCS11_*."""
    for name, value in token.items():
        setattr(settings, name, value)
    return settings


@pytest.fixture
def storage(settings, tmp_path):
    isolate(settings, tmp_path / "private")


@pytest.fixture
def users(demo):
    return {u.username: u for u in get_user_model().objects.all()}


def events(decision, kind=audit.DECISION_PDF_SIGNED):
    return list(AuditEvent.objects.filter(event_type=kind, target_id=str(decision.pk)))


def stored_pdf(decision) -> bytes:
    with decision.pdf.open("rb") as f:
        return f.read()


def pdf_text(data: bytes) -> str:
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout
    return " ".join(out.decode().split())


def signature_widget(data: bytes):
    """(page index, rect) of the signature field's widget."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    for index, page in enumerate(reader.pages):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/FT") == "/Sig" or annot.get("/Parent", {}).get("/FT") == "/Sig":
                return index, [float(v) for v in annot["/Rect"]]
    return None, None


def text_positions(data: bytes, page: int, text: str) -> list[float]:
    """The heights at which ``text`` is drawn on the page."""
    found = []

    def visit(chunk, cm, tm, font, size):
        if text in chunk:
            found.append(pypdf.mult(tm, cm)[5])

    pypdf.PdfReader(io.BytesIO(data)).pages[page].extract_text(visitor_text=visit)
    return found


def verify_page(decision) -> str:
    certificates_generate(decision.pk)
    code = Certificate.objects.filter(item__decision=decision).first().code
    return Client().get(reverse("verify", args=[code])).content.decode()


def forged(signed: bytes) -> bytes:
    """The signed PDF with an incremental update that writes new text on page 1 (an edit after signing)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(signed), strict=False)
    font = generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/Font"),
            generic.NameObject("/Subtype"): generic.NameObject("/Type1"),
            generic.NameObject("/BaseFont"): generic.NameObject("/Helvetica"),
        }
    )
    stream = writer.add_object(
        generic.StreamObject(stream_data=b"BT /FForged 10 Tf 200 12 Td (THEM TEN GIA MAO) Tj ET")
    )
    resources = generic.DictionaryObject(
        {generic.NameObject("/Font"): generic.DictionaryObject({generic.NameObject("/FForged"): font})}
    )
    writer.add_stream_to_page(0, stream, resources=resources)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_the_decision_pdf_is_signed_by_the_issuer_once_and_validates(signing, storage, client, users):
    decision = signed_decision(client, users)[0]  # the chairman's password step, with the token configured
    before = timezone.now()
    decision = decision_documents_generate(decision.pk)
    data = stored_pdf(decision)

    result = pdf_signing.verify_pdf(data)
    assert result.ok and result.intact and result.valid and result.trusted and result.unmodified
    assert result.signer == DEFAULT_SUBJECT == decision.pdf_signer  # the issuer's certificate in the token
    assert before - datetime.timedelta(minutes=1) <= result.signed_at <= timezone.now()
    assert decision.pdf_sha256 == pdf_signing.sha256(data)
    # Still the decision: its number and the signer's name read from the signed file.
    assert decision.reference in pdf_text(data) and decision.signed_by.get_full_name() in pdf_text(data)

    # Visible in the signature block, between the title and the chairman's printed name.
    page, rect = signature_widget(data)
    name_at = text_positions(data, page, decision.signed_by.get_full_name())
    assert name_at and rect[1] > max(name_at) and rect[2] - rect[0] > 100

    (event,) = events(decision)
    assert event.data == {"file": decision.pdf.name, "sha256": pdf_signing.sha256(data), "signer": DEFAULT_SUBJECT}

    # A redelivered job (acks_late, the outbox relay) finds the documents made: nothing is signed again.
    again = decision_documents_generate(decision.pk)
    assert stored_pdf(again) == data and len(events(decision)) == 1

    client.force_login(users["chutich_ubnd"])
    page = client.get(reverse("decisions:detail", args=[decision.pk])).content.decode()
    assert "đã được ký số (PAdES) bởi " + DEFAULT_SUBJECT in page
    public = verify_page(decision)
    assert "Hợp lệ: ký số bởi " + DEFAULT_SUBJECT in public

    out = io.StringIO()
    call_command("verify_pdf", decision=decision.pk, stdout=out)
    assert "Chữ ký số hợp lệ." in out.getvalue() and f"Người ký: {DEFAULT_SUBJECT}" in out.getvalue()


def test_an_edited_copy_fails_validation(signing, storage, tmp_path):
    from tests.nominations.decision_factory import build_signed_decision

    decision = decision_documents_generate(build_signed_decision(3).pk)
    signed = stored_pdf(decision)
    assert pdf_signing.verify_pdf(signed).ok

    # One byte of the signed revision changed (a digit of the page size): the signed digest no longer matches.
    at = signed.index(b"/MediaBox") + len(b"/MediaBox [0 0 ")
    edited = signed[:at] + (b"6" if signed[at : at + 1] != b"6" else b"7") + signed[at + 1 :]
    result = pdf_signing.verify_pdf(edited)
    assert result.signed and not result.intact and not result.ok

    # New text appended as an incremental update: the signed bytes are intact, the document is not.
    appended = forged(signed)
    assert "THEM TEN GIA MAO" in pdf_text(appended)
    result = pdf_signing.verify_pdf(appended)
    assert result.signed and result.intact and not result.unmodified and not result.ok

    # Not trusted under another root: a signature by a key the validator was not told to trust is not enough.
    assert not pdf_signing.verify_pdf(signed, roots=()).ok

    # What the public page and the command say of an edited file stored in place of the signed one.
    decision.pdf.storage.delete(decision.pdf.name)
    decision.pdf.storage.save(decision.pdf.name, io.BytesIO(appended))
    path = local_copy(decision.pdf, tmp_path)
    with pytest.raises(CommandError, match="KHÔNG hợp lệ"):
        call_command("verify_pdf", str(path), stdout=io.StringIO())
    assert "Không hợp lệ: tệp PDF đã bị sửa đổi" in verify_page(decision)


def test_a_wrong_pin_stops_the_signature_with_nothing_half_done(signing, storage, client, users):
    _process, noms = accepted_dossier(client, users, ["Hoàng Thị Ánh"])
    council_session(client, users, noms)
    process = draft_decision(client, users, noms)
    counters = list(DocumentCounter.objects.values_list("pk", "last_number"))
    signing.THIDUA_PKCS11_PIN = "0000-sai"

    response = sign_decision(
        client, users["chutich_ubnd"], process, {"decision": "sign", "comment": "", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 200 and "Mã PIN của token ký số không đúng." in response.content.decode()
    decision = Decision.objects.get(pk=process.artifact.pk)
    assert decision.status == Decision.Status.DRAFT and decision.number is None
    assert list(DocumentCounter.objects.values_list("pk", "last_number")) == counters  # no number taken
    assert not events(decision, audit.DECISION_SIGNED) and not AwardRecord.objects.filter(decision=decision).exists()


def test_a_token_failing_when_the_documents_are_made_stores_nothing(token, signing, storage):
    from tests.nominations.decision_factory import build_signed_decision

    decision = build_signed_decision(2)
    signing.THIDUA_PKCS11_PIN = "0000-sai"  # e.g. the PIN changed between the signature and the job
    with pytest.raises(pdf_signing.SigningError, match="Mã PIN"):
        decision_documents_generate(decision.pk)  # the task raises and is retried later
    decision.refresh_from_db()
    assert not decision.pdf and not decision.pdf_sha256 and not stored_names()
    assert not events(decision) and not events(decision, audit.DECISION_DOCUMENTS)

    signing.THIDUA_PKCS11_PIN = token["THIDUA_PKCS11_PIN"]
    for name, value, message in [
        ("THIDUA_PKCS11_KEY_LABEL", "khong-co-khoa", "Token ký số không có khoá hoặc chứng thư"),
        ("THIDUA_PKCS11_TOKEN", "khong-co-token", "Không tìm thấy token ký số"),
        ("THIDUA_PKCS11_MODULE", "/khong/co/libpkcs11.so", "Không tìm thấy thư viện PKCS#11"),
    ]:
        setattr(signing, name, value)  # cumulative: the first failure met is the one reported
        with pytest.raises(pdf_signing.SigningError, match=message):
            pdf_signing.check_token()


def test_a_run_that_loses_the_race_keeps_the_other_runs_signature(signing, storage, monkeypatch):
    """Two deliveries of the job at once: each signs its own rendering, one is stored, one signature recorded."""
    from tests.nominations.decision_factory import build_signed_decision

    decision = build_signed_decision(2)
    sign = decision_documents.sign_decision_pdf
    other = {}

    def sign_while_another_run_finishes(decision, pdf):
        if "started" not in other:
            other["started"] = True
            other["decision"] = decision_documents_generate(decision.pk)
        return sign(decision, pdf)

    monkeypatch.setattr(decision_documents, "sign_decision_pdf", sign_while_another_run_finishes)
    result = decision_documents_generate(decision.pk)
    assert result.pdf.name == other["decision"].pdf.name
    (event,) = events(decision)
    assert event.data["sha256"] == pdf_signing.sha256(stored_pdf(result)) == result.pdf_sha256


def test_without_a_token_the_pdf_is_unsigned_and_the_pages_say_so(settings, storage, client, users):
    settings.THIDUA_PKCS11_MODULE = ""
    decision = decision_documents_generate(signed_decision(client, users)[0].pk)
    assert not decision.pdf_signer and decision.pdf_signed_at is None and not events(decision)
    result = pdf_signing.verify_pdf(stored_pdf(decision))
    assert not result.signed and not result.ok

    client.force_login(users["chutich_ubnd"])
    page = client.get(reverse("decisions:detail", args=[decision.pk])).content.decode()
    assert "Tệp PDF quyết định chưa được ký số (chưa cấu hình token ký số)" in page
    assert "Tệp PDF của quyết định không được ký số" in verify_page(decision)
    with pytest.raises(CommandError, match="không có chữ ký số"):
        call_command("verify_pdf", decision=decision.pk, stdout=io.StringIO())


# ---- the revocation decision's PDF, and each issuer's own key ---------------------------------------------------


def revoke(decision, users, **kwargs):
    from nominations.services.revocation import decision_revoke

    return decision_revoke(
        decision=decision, actor=users["chutich_ubnd"], reason="Kê khai thành tích không đúng", password=DEMO_PASSWORD
    )


def stored_revocation(decision) -> bytes:
    with decision.revocation_pdf.open("rb") as f:
        return f.read()


def revocation_row(page: str) -> str:
    start = page.index('id="revocation-pdf-signature"')
    return page[start : page.index("</td>", start)]


def test_the_revocation_pdf_is_signed_with_the_issuers_key_and_an_edited_copy_fails(signing, storage, client, users):
    from nominations.services.revocation_documents import revocation_documents_generate

    decision = decision_documents_generate(signed_decision(client, users)[0].pk)
    certificates_generate(decision.pk)
    revoke(decision, users)
    decision = revocation_documents_generate(decision.pk)
    data = stored_revocation(decision)

    result = pdf_signing.verify_pdf(data)
    assert result.ok and result.signer == DEFAULT_SUBJECT
    text = pdf_text(data)
    assert f"Số: {decision.revocation_reference}" in text and "hủy bỏ Quyết định số" in text
    # Visible in the revocation's own signature block, above the name of the chairman who revoked.
    page_index, rect = signature_widget(data)
    assert rect[1] > max(text_positions(data, page_index, decision.revoked_by.get_full_name()))
    signed_events = [e for e in events(decision) if e.data.get("revocation")]
    assert len(signed_events) == 1 and signed_events[0].data["sha256"] == pdf_signing.sha256(data)
    assert signed_events[0].data["file"] == decision.revocation_pdf.name
    # A redelivered job signs nothing twice.
    assert stored_revocation(revocation_documents_generate(decision.pk)) == data

    page = verify_page(decision)
    assert "đã bị hủy bỏ" in page and "Hợp lệ: ký số bởi " + DEFAULT_SUBJECT in revocation_row(page)

    # An edited copy put in place of the signed file: the page and the validator say so.
    decision.revocation_pdf.storage.delete(decision.revocation_pdf.name)
    decision.revocation_pdf.storage.save(decision.revocation_pdf.name, io.BytesIO(forged(data)))
    assert not pdf_signing.verify_pdf(forged(data)).ok
    assert "Không hợp lệ: tệp PDF đã bị sửa đổi" in revocation_row(verify_page(decision))


def test_without_a_token_the_revocation_pdf_is_unsigned_and_the_page_says_so(settings, storage, client, users):
    from nominations.services.revocation_documents import revocation_documents_generate

    settings.THIDUA_PKCS11_MODULE = ""
    decision = decision_documents_generate(signed_decision(client, users)[0].pk)
    revoke(decision, users)
    decision = revocation_documents_generate(decision.pk)
    assert not pdf_signing.verify_pdf(stored_revocation(decision)).signed and not events(decision)
    assert "Tệp PDF của quyết định hủy bỏ không được ký số" in revocation_row(verify_page(decision))


@pytest.fixture
def other_key(token):
    """A second issuer's key and certificate in the same token, issued by the same test CA."""
    subject = "Ủy ban nhân dân phường Hòa Khánh"
    folder = Path(token["THIDUA_PDF_TRUST_ROOTS"][0]).parent
    provision(
        module=token["THIDUA_PKCS11_MODULE"],
        token=token["THIDUA_PKCS11_TOKEN"],
        pin=token["THIDUA_PKCS11_PIN"],
        label="issuer-hoa-khanh",
        out=folder,
        subject=subject,
    )
    return "issuer-hoa-khanh", subject


def test_each_issuer_signs_with_its_own_key(signing, other_key, storage, client, users):
    """THIDUA_PKCS11_KEY_LABELS names each issuer's key: the decision and its revocation are signed with it."""
    from nominations.services.revocation_documents import revocation_documents_generate

    label, subject = other_key
    _process, noms = accepted_dossier(client, users, ["Hoàng Thị Ánh"])
    issuer = noms[0].submission.campaign.issuer
    signing.THIDUA_PKCS11_KEY_LABELS = {issuer.code: label, "another-issuer": token_label(signing)}
    council_session(client, users, noms)
    process = draft_decision(client, users, noms)
    sign_decision(
        client, users["chutich_ubnd"], process, {"decision": "sign", "comment": "", "password": DEMO_PASSWORD}
    )
    decision = decision_documents_generate(process.artifact.pk)
    assert decision.status == Decision.Status.SIGNED
    assert decision.pdf_signer == subject == pdf_signing.verify_pdf(stored_pdf(decision)).signer
    revoke(decision, users)
    decision = revocation_documents_generate(decision.pk)
    result = pdf_signing.verify_pdf(stored_revocation(decision))
    assert result.ok and result.signer == subject


def token_label(settings) -> str:
    return settings.THIDUA_PKCS11_KEY_LABEL


def test_an_issuer_without_a_key_cannot_sign_and_nothing_is_half_done(signing, storage, client, users):
    """Keys are listed per issuer and this issuer has none (or its token is locked): the chairman is told in
    Vietnamese, no number is taken, nothing is marked — for a signature and for a revocation."""
    _process, noms = accepted_dossier(client, users, ["Hoàng Thị Ánh"])
    council_session(client, users, noms)
    process = draft_decision(client, users, noms)
    signing.THIDUA_PKCS11_KEY_LABELS = {"another-issuer": signing.THIDUA_PKCS11_KEY_LABEL}
    counters = list(DocumentCounter.objects.values_list("pk", "last_number"))

    response = sign_decision(
        client, users["chutich_ubnd"], process, {"decision": "sign", "comment": "", "password": DEMO_PASSWORD}
    )
    issuer = noms[0].submission.campaign.issuer
    assert response.status_code == 200
    assert f"Chưa cấu hình khoá ký số cho cơ quan ban hành “{issuer.name}”" in response.content.decode()
    decision = Decision.objects.get(pk=process.artifact.pk)
    assert decision.status == Decision.Status.DRAFT and decision.number is None
    assert list(DocumentCounter.objects.values_list("pk", "last_number")) == counters

    # Signed while the key was there; then the key goes (or the PIN is locked): the revocation stops whole.
    signing.THIDUA_PKCS11_KEY_LABELS = {}
    sign_decision(
        client, users["chutich_ubnd"], process, {"decision": "sign", "comment": "", "password": DEMO_PASSWORD}
    )
    decision.refresh_from_db()
    assert decision.status == Decision.Status.SIGNED
    counters = list(DocumentCounter.objects.values_list("pk", "last_number"))

    pin = signing.THIDUA_PKCS11_PIN
    for labels, pin_now, message in [
        ({"another-issuer": "issuer"}, pin, "Chưa cấu hình khoá ký số"),
        ({}, "0000-sai", "Mã PIN của token ký số không đúng."),
    ]:
        signing.THIDUA_PKCS11_KEY_LABELS, signing.THIDUA_PKCS11_PIN = labels, pin_now
        with pytest.raises(ValidationError, match=message):
            revoke(decision, users)
        decision.refresh_from_db()
        noms[0].refresh_from_db()
        assert decision.status == Decision.Status.SIGNED and decision.revocation_number is None
        assert noms[0].status == "awarded" and not events(decision, audit.DECISION_REVOKED)
        assert list(DocumentCounter.objects.values_list("pk", "last_number")) == counters
        assert AwardRecord.objects.filter(decision=decision, revoked_at__isnull=True).exists()
