"""A task landing in someone's work tells them once, in the app and by e-mail (issue 17)."""

import pytest
from django.contrib.auth import get_user_model

from notifications.models import Notification
from tests.workflow.helpers import F, act, add_nomination, complete_dossier, start

from .helpers import arrival_jobs, run

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(demo):
    return {u.username: u for u in get_user_model().objects.all()}


def test_exactly_one_notification_per_assignment_even_when_the_job_runs_twice(client, users, mailoutbox):
    process = start(client, users["canbo_vinhtrai"])
    nomination = add_nomination(client, process.artifact, "Hoàng Thị Ánh")
    complete_dossier(client, process.artifact, [nomination])
    with arrival_jobs() as jobs:
        act(client, users["canbo_vinhtrai"], process, F.prepare)
    assert len(jobs) == 1  # the head's approval task
    run(jobs, times=2)
    head = users["chutich_vinhtrai"]
    notes = Notification.objects.filter(kind=Notification.Kind.ASSIGNED)
    assert list(notes.values_list("user__username", flat=True)) == ["chutich_vinhtrai"]
    note = notes.get()
    assert note.title.startswith("Việc mới: Thủ trưởng đơn vị duyệt, ký tờ trình")
    assert note.url == f"/nomination/{process.pk}/head_approval/{process.task_set.latest('pk').pk}/"
    assert [m.to for m in mailoutbox] == [[head.email]]
    assert "Kính gửi" in mailoutbox[0].body and "Xem chi tiết: http" in mailoutbox[0].body


def test_no_email_to_a_person_without_an_address(client, users, mailoutbox):
    get_user_model().objects.filter(username="chutich_vinhtrai").update(email="")
    process = start(client, users["canbo_vinhtrai"])
    nomination = add_nomination(client, process.artifact, "Hoàng Thị Ánh")
    complete_dossier(client, process.artifact, [nomination])
    with arrival_jobs() as jobs:
        act(client, users["canbo_vinhtrai"], process, F.prepare)
    run(jobs)
    assert Notification.objects.filter(user__username="chutich_vinhtrai", emailed_at__isnull=True).count() == 1
    assert mailoutbox == []


def test_a_return_for_completion_carries_the_reviewers_checklist(client, users):
    process = start(client, users["canbo_vinhtrai"])
    nomination = add_nomination(client, process.artifact, "Hoàng Thị Ánh")
    complete_dossier(client, process.artifact, [nomination])
    act(client, users["canbo_vinhtrai"], process, F.prepare)
    act(client, users["chutich_vinhtrai"], process, F.head_approval, {"decision": "submit"})
    with arrival_jobs() as jobs:
        act(
            client,
            users["thamdinh_noivu"],
            process,
            F.review,
            {f"choice_{nomination.pk}": "complete", f"note_{nomination.pk}": "Thiếu biên bản họp bình xét"},
        )
    run(jobs, times=2)
    note = Notification.objects.get(kind=Notification.Kind.RETURNED)
    assert note.user == users["canbo_vinhtrai"]
    assert "Hồ sơ trả lại để bổ sung" in note.title
    assert "Hoàng Thị Ánh: Thiếu biên bản họp bình xét" in note.body


def test_the_bell_counts_unread_and_the_list_marks_them_read(client, users):
    process = start(client, users["canbo_vinhtrai"])
    nomination = add_nomination(client, process.artifact, "Hoàng Thị Ánh")
    complete_dossier(client, process.artifact, [nomination])
    client.force_login(users["chutich_vinhtrai"])
    assert 'data-unread="' not in client.get("/dossiers/").content.decode()
    with arrival_jobs() as jobs:
        act(client, users["canbo_vinhtrai"], process, F.prepare)
    run(jobs)
    client.force_login(users["chutich_vinhtrai"])
    assert 'data-unread="1"' in client.get("/dossiers/").content.decode()
    page = client.get("/notifications/").content.decode()
    assert "Việc mới: Thủ trưởng đơn vị duyệt" in page and "Đánh dấu đã đọc" in page
    note = Notification.objects.get()
    # Someone else's notification cannot be marked from another login.
    client.force_login(users["canbo_vinhtrai"])
    assert client.post(f"/notifications/{note.pk}/read/").status_code == 404
    note.refresh_from_db()
    assert note.read_at is None
    client.force_login(users["chutich_vinhtrai"])
    assert client.post(f"/notifications/{note.pk}/read/").status_code == 302
    note.refresh_from_db()
    assert note.read_at is not None
    assert 'data-unread="' not in client.get("/dossiers/").content.decode()


def test_the_api_lists_and_marks_read(client, users):
    process = start(client, users["canbo_vinhtrai"])
    nomination = add_nomination(client, process.artifact, "Hoàng Thị Ánh")
    complete_dossier(client, process.artifact, [nomination])
    with arrival_jobs() as jobs:
        act(client, users["canbo_vinhtrai"], process, F.prepare)
    run(jobs)
    client.force_login(users["chutich_vinhtrai"])
    body = client.get("/api/notifications/?unread=1").json()
    assert [n["kind"] for n in body["results"]] == ["assigned"]
    bad = client.post("/api/notifications/read/", {"ids": ["x"]}, content_type="application/json")
    assert bad.status_code == 400
    done = client.post("/api/notifications/read/", {}, content_type="application/json").json()
    assert done == {"marked": 1, "unread": 0}
    client.logout()
    assert client.get("/api/notifications/").status_code == 401
