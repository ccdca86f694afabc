"""Reminders before a deadline and an escalation after it, on working days only, each once (issue 17)."""

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model

from notifications.alerts import TASK_ESCALATED, TASK_REMINDED, send_reminders
from notifications.models import Notification
from tests.workflow.helpers import F, act, add_nomination, complete_dossier, start
from workflow.demo import load_demo
from workflow.models import AuditEvent

from .helpers import at

D = datetime.date
K = Notification.Kind


def reminders_on(traveller, day):
    traveller.move_to(at(day, 8))
    first = send_reminders()
    assert send_reminders() == 0  # the beat firing again the same day (or after a restart) writes nothing
    return first


@pytest.mark.django_db
def test_reminders_and_an_escalation_across_tet(client, mailoutbox):
    with time_machine.travel(at(D(2026, 2, 9)), tick=False) as traveller:
        load_demo()
        users = {u.username: u for u in get_user_model().objects.all()}
        process = start(client, users["canbo_vinhtrai"])
        nomination = add_nomination(client, process.artifact, "Hoàng Thị Ánh")
        complete_dossier(client, process.artifact, [nomination])
        act(client, users["canbo_vinhtrai"], process, F.prepare)
        act(client, users["chutich_vinhtrai"], process, F.head_approval, {"decision": "submit"})
        act(
            client,
            users["thamdinh_noivu"],
            process,
            F.review,
            {f"choice_{nomination.pk}": "complete", f"note_{nomination.pk}": "Thiếu biên bản"},
        )
        # The unit has 10 working days from Monday 09/02 to complete: Tết (14–22/02) makes it Monday 02/03.
        assert reminders_on(traveller, D(2026, 2, 13)) == 0  # 6 working days left
        assert reminders_on(traveller, D(2026, 2, 19)) == 0  # Tết: no reminder on a day off
        assert reminders_on(traveller, D(2026, 2, 25)) == 0  # 3 left
        assert reminders_on(traveller, D(2026, 2, 26)) == 1  # 2 left
        assert reminders_on(traveller, D(2026, 2, 28)) == 0  # Saturday
        assert reminders_on(traveller, D(2026, 3, 2)) == 1  # the due day
        assert reminders_on(traveller, D(2026, 3, 3)) == 2  # one day late: reminder + escalation to the head
        assert reminders_on(traveller, D(2026, 3, 4)) == 1  # reminded again; escalated only once

        clerk_notes = Notification.objects.filter(user__username="canbo_vinhtrai", kind=K.REMINDER)
        assert clerk_notes.count() == 4
        assert clerk_notes.filter(title__startswith="Quá hạn 1 ngày làm việc").exists()
        (escalation,) = Notification.objects.filter(kind=K.ESCALATION)
        assert escalation.user.username == "chutich_vinhtrai"
        assert "Hạn xử lý là ngày 02/03/2026" in escalation.body
        assert AuditEvent.objects.filter(event_type=TASK_REMINDED).count() == 4
        assert AuditEvent.objects.filter(event_type=TASK_ESCALATED).count() == 1
        assert any("Quá hạn" in m.subject for m in mailoutbox)
