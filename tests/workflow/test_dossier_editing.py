"""Editing a dossier: file checks, clear Vietnamese errors, nothing half-written, the one-time completion rule."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from nominations.models import Attachment, Candidate, Nomination

from .helpers import PDF, F, act, add_nomination, attach, complete_dossier, open_task, start


@pytest.fixture
def users(demo):
    return {u.username: u for u in get_user_model().objects.all()}


@pytest.fixture
def dossier(client, users):
    process = start(client, users["canbo_vinhtrai"])
    return process, add_nomination(client, process.artifact, "Triệu Văn Bảo", gender="male")


def test_a_file_is_judged_by_its_content(client, dossier):
    process, _nomination = dossier
    fake = SimpleUploadedFile("bao-cao.pdf", b"MZ\x90\x00 this is an executable", content_type="application/pdf")
    response = attach(client, process.artifact, "achievement_report", upload=fake)
    assert response.status_code == 200
    assert "Chỉ chấp nhận tệp PDF, DOCX, JPEG hoặc PNG" in response.content.decode()
    renamed = SimpleUploadedFile("anh.png", PDF, content_type="image/png")  # a PDF named .png
    assert attach(client, process.artifact, "other", upload=renamed).status_code == 200
    assert not Attachment.objects.exists()


def test_a_file_over_the_limit_is_refused(client, dossier, settings):
    process, _nomination = dossier
    settings.THIDUA_MAX_UPLOAD_BYTES = 1000
    big = SimpleUploadedFile("bao-cao.pdf", PDF + b"0" * 2000, content_type="application/pdf")
    response = attach(client, process.artifact, "achievement_report", upload=big)
    assert "Tệp quá lớn" in response.content.decode()
    assert not Attachment.objects.exists()


def test_files_are_stored_under_unguessable_names_and_served_by_permission(client, users, dossier):
    process, nomination = dossier
    assert attach(client, process.artifact, "achievement_report", nomination).status_code == 302
    stored = Attachment.objects.get()
    assert "bao-cao" not in stored.file.name and len(stored.file.name.rsplit("/", 1)[-1]) == 32
    response = client.get(f"/dossiers/attachments/{stored.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(users["canbo_dongkinh"])
    assert client.get(f"/dossiers/attachments/{stored.pk}/").status_code == 404


def test_invalid_nomination_keeps_what_was_typed_and_writes_nothing(client, dossier):
    process, _nomination = dossier
    before = (Candidate.objects.count(), Nomination.objects.count())
    response = client.post(
        f"/dossiers/submissions/{process.artifact.pk}/nominations/add/",
        {
            "kind": "individual",
            "name": "Hà Thị Mỹ Duyên",
            "gender": "",
            "achievement": "Nhiều đóng góp",
            "award_type": process.artifact.campaign.award_types.get(code="giay-khen").pk,
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Cần chọn giới tính của cá nhân." in page
    assert "Hà Thị Mỹ Duyên" in page and "Nhiều đóng góp" in page
    assert (Candidate.objects.count(), Nomination.objects.count()) == before


def test_completion_may_be_requested_only_once(client, users, dossier):
    process, nomination = dossier
    complete_dossier(client, process.artifact, [nomination])
    act(client, users["canbo_vinhtrai"], process, F.prepare)
    act(client, users["chutich_vinhtrai"], process, F.head_approval, {"decision": "submit"})
    ask = {f"choice_{nomination.pk}": "complete", f"note_{nomination.pk}": "Thiếu ảnh"}
    assert act(client, users["thamdinh_noivu"], process, F.review, ask).status_code == 302
    act(client, users["canbo_vinhtrai"], process, F.complete, {"comment": "Đã bổ sung"})
    response = act(client, users["thamdinh_noivu"], process, F.review, ask)
    assert response.status_code == 200
    assert "chỉ cho phép 1 lần" in response.content.decode()
    assert open_task(process, F.review).status == "ASSIGNED"
    nomination.refresh_from_db()
    assert nomination.status == "submitted"
