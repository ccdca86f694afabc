"""The ballot a council member reads: per item the award type, candidate, unit, achievement, the appraisal and
the files, the threshold in force; "agree to all" with a confirmation; written votes and recusal reachable
from the session page; the page's statements flat in the number of items."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from viewflow.workflow.status import STATUS

from nominations.models import Attachment, BallotCast, CouncilMember, CouncilSession
from workflow.flows import CouncilFlow as C

from .helpers import accepted_dossier, council_session


@pytest.fixture
def users(demo):
    return {u.username: u for u in get_user_model().objects.all()}


def ballot(process, username):
    member = CouncilMember.objects.get(user__username=username, council__issuer__code="ls")
    task = process.task_set.get(flow_task=C.vote, data__member_id=member.pk, status=STATUS.ASSIGNED)
    return reverse("council:vote:execute", args=[process.pk, task.pk])


def open_session(client, users, names):
    _process, noms = accepted_dossier(client, users, names)
    return council_session(client, users, noms, vote=False, title=f"Phiên {len(names)}"), noms


def test_the_ballot_shows_what_the_council_decides_on(client, users):
    process, (anh, binh) = open_session(client, users, ["Hoàng Thị Ánh", "Lý Văn Bình"])
    client.force_login(users["uyvien_1"])
    page = client.get(ballot(process, "uyvien_1")).content.decode()
    for nomination in (anh, binh):
        assert str(nomination.candidate) in page
        assert str(nomination.award_type) in page
        assert nomination.submission.unit.name in page
        for attachment in Attachment.objects.filter(nomination=nomination):
            assert f'href="/dossiers/attachments/{attachment.pk}/"' in page
    assert page.count("Hoàn thành xuất sắc nhiệm vụ.") >= 2  # each achievement summary
    reviewer = users["thamdinh_noivu"]
    assert page.count("<dd>Đạt (") == 2 and (reviewer.get_full_name() or reviewer.username) in page
    minutes = Attachment.objects.get(submission=anh.submission, nomination=None)
    assert page.count(f'href="/dossiers/attachments/{minutes.pk}/"') == 2  # the dossier's minutes, with each item
    assert "Ngưỡng thông qua" in page and "70%" in page
    assert "Không tham gia biểu quyết nội dung này" in page
    # The files the ballot links to open for the member.
    assert client.get(f"/dossiers/attachments/{minutes.pk}/").status_code == 200


def test_agree_to_all_shows_the_filled_ballot_to_confirm_and_sends_nothing_yet(client, users):
    process, noms = open_session(client, users, ["Hoàng Thị Ánh", "Lý Văn Bình"])
    client.force_login(users["uyvien_1"])
    url = ballot(process, "uyvien_1")
    assert "Tán thành tất cả…" in client.get(url).content.decode()
    before = BallotCast.objects.count()
    response = client.post(url, {"agree_all": "1"})
    page = response.content.decode()
    assert response.status_code == 200 and BallotCast.objects.count() == before
    assert "Đã chọn “Tán thành” cho tất cả 2 nội dung." in page and "Phiếu chưa được gửi" in page
    assert page.count('value="agree" required checked') == 2
    assert "Tán thành tất cả…" not in page  # the button that sends is now the only one
    items = process.artifact.items.all()
    response = client.post(url, {f"item_{item.pk}": "agree" for item in items})
    assert response.status_code == 302 and response["Location"].endswith(f"/sessions/{process.artifact.pk}/receipt/")
    assert BallotCast.objects.count() == before + 1


def test_the_session_page_links_to_recusal_and_written_votes(client, users):
    process, noms = open_session(client, users, ["Hoàng Thị Ánh"])
    session = process.artifact
    session.written_votes_allowed = True
    session.save(update_fields=["written_votes_allowed"])
    client.force_login(users["uyvien_1"])
    page = client.get(f"/sessions/{session.pk}/").content.decode()
    assert f'href="/sessions/items/{session.items.get().pk}/recusal/"' in page
    client.force_login(users["thuky_hoidong"])
    page = client.get(f"/sessions/{session.pk}/").content.decode()
    assert f'href="/sessions/{session.pk}/written-vote/"' in page


def _statements(client, url):
    client.get(url)  # warm caches (content types, the session), as in a running server
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len([q for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]])


def test_the_ballot_pages_statements_do_not_grow_with_its_items(client, users):
    small, _ = open_session(client, users, ["Hoàng Thị Ánh"])
    large, _ = open_session(client, users, [f"Nguyễn Văn Tâm {i}" for i in range(6)])
    client.force_login(users["uyvien_1"])
    few = _statements(client, ballot(small, "uyvien_1"))
    many = _statements(client, ballot(large, "uyvien_1"))
    assert few == many


def _written_votes_row(page: str) -> str:
    return re.search(r"Cho phép phiếu bằng văn bản</th>\s*<td>([^<]+)</td>", page).group(1)


def test_the_council_pages_side_panel_is_kept_and_follows_a_raw_write_at_once(client, users):
    """The side panel (the process and the session's fields) is kept under a digest of the rows it is read from
    (s25ballot): the second page reads none of its rows (the campaign only it shows), and a raw write to the session
    shows on the next page."""
    process, _ = open_session(client, users, ["Hoàng Thị Ánh"])
    client.force_login(users["uyvien_1"])
    path = ballot(process, "uyvien_1")
    assert _written_votes_row(client.get(path).content.decode()) == "Không"
    with CaptureQueriesContext(connection) as queries:
        page = client.get(path).content.decode()
    assert _written_votes_row(page) == "Không"
    assert not [q for q in queries if q["sql"].startswith('SELECT "nominations_campaign"')]
    CouncilSession.objects.filter(pk=process.artifact_object_id).update(written_votes_allowed=True)
    assert _written_votes_row(client.get(path).content.decode()) == "Có"


def test_the_council_pages_head_is_kept_per_task_and_day_and_follows_a_raw_write_at_once(client, users, monkeypatch):
    """The page's head (the task's deadline, the session's title and council) is kept under the panel's digest with
    the task, its status and the day (s26ballot): the second page reads neither the council nor the deadline's
    rules, a raw write to the session shows on the next page, and no task's head is another task's or day's."""
    import datetime

    from django.utils import timezone

    from workflow.views.council import head_key, panel_key

    process, _ = open_session(client, users, ["Hoàng Thị Ánh"])
    client.force_login(users["uyvien_1"])
    path = ballot(process, "uyvien_1")
    assert "Phiên 1" in client.get(path).content.decode()
    with CaptureQueriesContext(connection) as queries:
        page = client.get(path).content.decode()
    assert "Phiên 1" in page
    read = " ".join(q["sql"] for q in queries)
    assert '"nominations_council"' not in read and '"nominations_stepdeadline"' not in read
    CouncilSession.objects.filter(pk=process.artifact_object_id).update(title="Phiên đã đổi tên")
    assert "Phiên đã đổi tên" in client.get(path).content.decode()

    class Activation:
        def __init__(self, task):
            self.task = task

    tasks = list(process.task_set.filter(flow_task=C.vote, status=STATUS.ASSIGNED)[:2])
    process.refresh_from_db()
    key = panel_key(process)
    keys = {head_key(key, Activation(t)) for t in tasks}
    assert len(keys) == 2
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: tomorrow)
    assert head_key(key, Activation(tasks[0])) not in keys
