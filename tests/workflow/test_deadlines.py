"""Each open task's due date in working days; a completion round pauses the appraisal clock (issue 17)."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.contrib.auth import get_user_model

from nominations.deadlines import suspensions
from nominations.models import StepDeadline
from workflow.deadlines import task_deadline
from workflow.demo import load_demo

from .helpers import F, act, add_nomination, complete_dossier, open_task, start, url

D = datetime.date
HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: datetime.date):
    return datetime.datetime.combine(day, datetime.time(9), tzinfo=HANOI)


@pytest.mark.django_db
def test_the_appraisal_clock_crosses_tet_and_stands_still_while_the_unit_completes(client):
    with time_machine.travel(at(D(2026, 2, 9)), tick=False) as traveller:  # Monday before Tết
        load_demo()
        users = {u.username: u for u in get_user_model().objects.all()}
        process = start(client, users["canbo_vinhtrai"])
        nomination = add_nomination(client, process.artifact, "Hoàng Thị Ánh")
        complete_dossier(client, process.artifact, [nomination])
        act(client, users["canbo_vinhtrai"], process, F.prepare)
        head_task = open_task(process, F.head_approval)
        # Five working days (an unconfirmed internal limit) from Monday 09/02: Tết pushes it to 23/02.
        head = task_deadline(head_task)
        assert head.due_on == D(2026, 2, 23) and head.working_days_left == 5 and not head.confirmed
        act(client, users["chutich_vinhtrai"], process, F.head_approval, {"decision": "submit"})

        # The province's appraisal: 20 working days from 09/02, across Tết → 16/03/2026.
        review = task_deadline(open_task(process, F.review))
        assert (review.due_on, review.working_days_left, review.working_days) == (D(2026, 3, 16), 20, 20)

        traveller.move_to(at(D(2026, 2, 11)))  # two working days used
        act(
            client,
            users["thamdinh_noivu"],
            process,
            F.review,
            {f"choice_{nomination.pk}": "complete", f"note_{nomination.pk}": "Thiếu biên bản họp"},
        )
        assert [(p.start, p.end) for p in suspensions(process.artifact)] == [(D(2026, 2, 11), None)]

        traveller.move_to(at(D(2026, 2, 25)))  # with the unit 12, 13, 23, 24, 25/02: 5 working days
        act(client, users["canbo_vinhtrai"], process, F.complete, {"comment": "Đã bổ sung"})
        assert [(p.start, p.end) for p in suspensions(process.artifact)] == [(D(2026, 2, 11), D(2026, 2, 25))]
        review = task_deadline(open_task(process, F.review))
        # 18 working days were left when it went back; they run again from 25/02.
        assert review.due_on == D(2026, 3, 23)
        assert review.working_days_left == 18

        traveller.move_to(at(D(2026, 3, 24)))
        assert task_deadline(open_task(process, F.review)).working_days_left == -1


@pytest.mark.django_db
def test_no_rule_no_deadline_and_the_level_specific_rule_wins(client):
    with time_machine.travel(at(D(2026, 2, 9)), tick=False):
        load_demo()
        users = {u.username: u for u in get_user_model().objects.all()}
        process = start(client, users["canbo_vinhtrai"])
        assert task_deadline(open_task(process, F.prepare)) is None  # the campaign's own deadline governs
        StepDeadline.objects.create(step="prepare", working_days=3, valid_from=D(2026, 1, 1))
        StepDeadline.objects.create(step="prepare", issuer_level=1, working_days=7, valid_from=D(2026, 1, 1))
        StepDeadline.objects.create(step="prepare", issuer_level=1, working_days=9, valid_from=D(2026, 3, 1))
        assert task_deadline(open_task(process, F.prepare)).working_days == 7


@pytest.mark.django_db
def test_the_task_page_shows_the_due_date_and_the_working_days_left(client):
    with time_machine.travel(at(D(2026, 2, 9)), tick=False) as traveller:
        load_demo()
        users = {u.username: u for u in get_user_model().objects.all()}
        process = start(client, users["canbo_vinhtrai"])
        nomination = add_nomination(client, process.artifact, "Hoàng Thị Ánh")
        complete_dossier(client, process.artifact, [nomination])
        act(client, users["canbo_vinhtrai"], process, F.prepare)
        task = open_task(process, F.head_approval)
        client.force_login(users["chutich_vinhtrai"])
        client.post(url(F.head_approval, "assign", task))
        page = client.get(url(F.head_approval, "execute", task)).content.decode()
        assert "Hạn xử lý: 23/02/2026 (5 ngày làm việc)" in page and "còn 5 ngày làm việc" in page
        traveller.move_to(at(D(2026, 2, 25)))
        client.force_login(users["chutich_vinhtrai"])  # the session of 09/02 has expired
        page = client.get(url(F.head_approval, "execute", task)).content.decode()
        assert "Quá hạn 2 ngày làm việc" in page


@pytest.mark.django_db
def test_the_api_gives_each_task_its_due_date(client):
    with time_machine.travel(at(D(2026, 2, 9)), tick=False):
        load_demo()
        users = {u.username: u for u in get_user_model().objects.all()}
        process = start(client, users["canbo_vinhtrai"])
        nomination = add_nomination(client, process.artifact, "Hoàng Thị Ánh")
        complete_dossier(client, process.artifact, [nomination])
        act(client, users["canbo_vinhtrai"], process, F.prepare)
        task = open_task(process, F.head_approval)
        client.force_login(users["chutich_vinhtrai"])
        body = client.get(f"/api/tasks/{task.pk}/").json()
        assert (body["due_on"], body["working_days_left"]) == ("2026-02-23", 5)
