"""Pages around a decision: draft preview, documents, certificates zip, receipts, campaign summary and Excel."""

import io
import zipfile

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from openpyxl import load_workbook

from jobs.models import OutboxJob
from nominations.demo import DEMO_PASSWORD
from nominations.models import BallotReceipt

from .helpers import accepted_dossier, council_session, draft_decision, sign_decision


@pytest.fixture
def users(demo):
    return {u.username: u for u in get_user_model().objects.all()}


@pytest.fixture
def drafted(client, users):
    _process, noms = accepted_dossier(client, users, ["Mạc Thị Sen", ("Nông Văn Pó", {"gender": "male"})])
    session_process = council_session(client, users, noms)
    return draft_decision(client, users, noms), session_process, noms


def test_chairman_reads_the_draft_before_signing(client, users, drafted):
    decision_process, _session, noms = drafted
    client.force_login(users["chutich_ubnd"])
    response = client.get(reverse("decisions:draft", args=[decision_process.artifact.pk, "docx"]))
    assert response.status_code == 200
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "/QĐ-UBND" in text and "QUYẾT ĐỊNH" in text
    client.force_login(users["canbo_vinhtrai"])  # a unit clerk may not read the council's drafts
    assert client.get(reverse("decisions:draft", args=[decision_process.artifact.pk, "pdf"])).status_code == 404


def test_receipts_are_published_with_the_tally(client, users, drafted):
    _decision, session_process, _noms = drafted
    client.force_login(users["uyvien_1"])
    page = client.get(reverse("sessions:detail", args=[session_process.artifact.pk])).content.decode()
    codes = list(BallotReceipt.objects.filter(session=session_process.artifact).values_list("code", flat=True))
    assert len(codes) == 5 and all(code in page for code in codes)


def test_signed_decision_pages_summary_and_excel(
    client, users, drafted, django_capture_on_commit_callbacks, celery_inline
):
    decision_process, _session, noms = drafted
    signed = {"decision": "sign", "comment": "", "password": DEMO_PASSWORD}
    # Documents and certificates are queued after commit (run inline here: no broker configured).
    with django_capture_on_commit_callbacks(execute=True) as queued:
        assert sign_decision(client, users["chutich_ubnd"], decision_process, signed).status_code == 302
    # the documents, one certificate task per worker process, the dossiers' resume task and (sent by it,
    # once the dossier closed) the dossier's outcome notice
    assert len(queued) == 1 + settings.THIDUA_CERTIFICATE_TASKS + 1 + 1
    # each recorded in the outbox, and marked done by its task
    jobs = OutboxJob.objects.filter(pk__in=[callback.args[0].pk for callback in queued])
    assert jobs.count() == len(queued) and not jobs.filter(done_at=None).exists()
    decision = decision_process.artifact
    decision.refresh_from_db()
    client.force_login(users["thuky_hoidong"])
    page = client.get(reverse("decisions:detail", args=[decision.pk])).content.decode()
    assert "Đã in 2/2 giấy khen" in page  # Celery runs inline in the embedded default
    archive = zipfile.ZipFile(io.BytesIO(client.get(reverse("decisions:certificates", args=[decision.pk])).content))
    assert len(archive.namelist()) == 2 and all(archive.read(n)[:4] == b"%PDF" for n in archive.namelist())
    assert client.get(reverse("decisions:file", args=[decision.pk, "pdf"])).status_code == 200
    campaign = noms[0].submission.campaign
    summary = client.get(reverse("decisions:summary", args=[campaign.pk])).content.decode()
    assert "thidua-chart" in summary and "Phường Kỳ Lừa (minh họa)" in summary
    workbook = load_workbook(io.BytesIO(client.get(reverse("decisions:summary_export", args=[campaign.pk])).content))
    rows = {row[0]: row[1:] for row in workbook["Theo đơn vị"].iter_rows(min_row=2, values_only=True)}
    assert rows["Phường Kỳ Lừa (minh họa)"][1] == 2  # awarded
    genders = {row[0]: row[1:] for row in workbook["Theo giới tính"].iter_rows(min_row=2, values_only=True)}
    assert genders["Nữ"][1] == 1 and genders["Nam"][1] == 1
    client.force_login(users["canbo_vinhtrai"])  # the summary is for the issuing body's staff
    assert client.get(reverse("decisions:summary", args=[campaign.pk])).status_code == 404


def test_revoking_says_what_will_happen_and_asks_for_the_reason_and_the_password(client, users, drafted):
    from nominations.models import Decision

    decision_process, _session, _noms = drafted
    signed = {"decision": "sign", "comment": "", "password": DEMO_PASSWORD}
    assert sign_decision(client, users["chutich_ubnd"], decision_process, signed).status_code == 302
    decision = Decision.objects.get(pk=decision_process.artifact.pk)
    url = reverse("decisions:revoke", args=[decision.pk])
    # The decision page links to a confirmation page; nothing on the decision page revokes by itself.
    detail = client.get(reverse("decisions:detail", args=[decision.pk])).content.decode()
    assert f'href="{url}"' in detail and 'name="reason"' not in detail
    page = client.get(url).content.decode()
    assert "2 người, tập thể được khen thưởng" in page and "không thể hoàn tác" in page
    assert 'name="reason"' in page and 'type="password"' in page
    # Without the password, or with a wrong one, nothing changes and the error sits next to the field.
    for password in ("", "sai-mat-khau"):
        response = client.post(url, {"reason": "Kê khai sai thành tích", "password": password})
        assert response.status_code == 200 and 'id="id_password_errors"' in response.content.decode()
        assert Decision.objects.get(pk=decision.pk).status == Decision.Status.SIGNED
    # The council secretary may read the decision but not revoke it.
    client.force_login(users["thuky_hoidong"])
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "x", "password": DEMO_PASSWORD}).status_code == 403
    client.force_login(users["chutich_ubnd"])
    response = client.post(url, {"reason": "Kê khai sai thành tích", "password": DEMO_PASSWORD})
    assert response.status_code == 302 and response.url == reverse("decisions:detail", args=[decision.pk])
    decision.refresh_from_db()
    assert decision.status == Decision.Status.REVOKED and decision.revoke_reason == "Kê khai sai thành tích"
    # Once revoked, the page sends back to the decision.
    assert client.get(url).status_code == 302
