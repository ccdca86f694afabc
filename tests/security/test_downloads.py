"""Zip entries and download names come from a slug, never from a stored name (zip slip, header injection)."""

import io
import re
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from nominations.demo import DEMO_PASSWORD
from nominations.models import Attachment, Candidate, Decision

from ..workflow.helpers import accepted_dossier, attach, council_session, draft_decision, sign_decision, start

SAFE_NAME = re.compile(r'^attachment; filename="[a-z0-9][a-z0-9-]*\.[a-z]+"$')
EVIL = "../../../evil/zipslip"


@pytest.fixture
def users(demo):
    return {u.username: u for u in get_user_model().objects.all()}


@pytest.fixture
def signed(client, users, django_capture_on_commit_callbacks, celery_inline):
    _process, noms = accepted_dossier(client, users, ["Mạc Thị Sen", "Nông Văn Pó"])
    council_session(client, users, noms)
    decision_process = draft_decision(client, users, noms)
    with django_capture_on_commit_callbacks(execute=True):
        data = {"decision": "sign", "comment": "", "password": DEMO_PASSWORD}
        assert sign_decision(client, users["chutich_ubnd"], decision_process, data).status_code == 302
    return decision_process.artifact, noms


def test_certificate_zip_entries_are_slugs_even_for_a_malicious_stored_name(client, users, signed):
    decision, noms = signed
    # A name as an adversary stores it (straight into the table: no form in the way).
    Candidate.objects.filter(pk=noms[0].candidate_id).update(name=EVIL)
    client.force_login(users["thuky_hoidong"])
    response = client.get(reverse("decisions:certificates", args=[decision.pk]))
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert len(names) == 2
    assert all(re.fullmatch(r"\d{4}-[a-z0-9-]+\.pdf", name) for name in names), names
    assert any(name.endswith("-evilzipslip.pdf") for name in names)
    assert any(name.endswith("-mac-thi-sen.pdf") or name.endswith("-nong-van-po.pdf") for name in names)
    assert SAFE_NAME.match(response["Content-Disposition"])


def test_decision_file_names_do_not_come_from_the_stored_file(client, users, signed):
    decision, _noms = signed
    decision.refresh_from_db()
    # The file moved under a forged stored name (quote, markup): the download name ignores it.
    forged = default_storage.save('decisions/x"; a=b <b>.pdf', ContentFile(decision.pdf.open("rb").read()))
    Decision.objects.filter(pk=decision.pk).update(pdf=forged)
    client.force_login(users["thuky_hoidong"])
    response = client.get(reverse("decisions:file", args=[decision.pk, "pdf"]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="quyet-dinh-{decision.number}-{decision.pk}.pdf"'


def test_an_attachment_is_downloaded_under_a_slug_of_its_name(client, users):
    process = start(client, users["canbo_vinhtrai"])
    assert attach(client, process.artifact, "other").status_code == 302
    attachment = Attachment.objects.get()
    # Stored as an adversary would write it: CR/LF, quotes and markup.
    Attachment.objects.filter(pk=attachment.pk).update(original_name='Báo cáo"\r\nSet-Cookie: x=1 <script>.html')
    response = client.get(f"/dossiers/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="bao-cao-set-cookie-x1-script-{attachment.pk}.pdf"'
    assert "Set-Cookie" not in response.headers
