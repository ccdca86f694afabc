"""The URL gate of the dossier flow (workflow.scope → permissions.can_view_submission_process), one SQL statement
since issue 18 item 3: the same answer as loading the dossier and asking ``can_view_submission``, for everyone."""

import pytest
from django.contrib.auth import get_user_model

from workflow import permissions as perms
from workflow.flows import NominationFlow
from workflow.scope import task_of_process

from .helpers import F, act, add_nomination, complete_dossier, open_task, start

pytestmark = pytest.mark.django_db


def test_the_gate_answers_as_the_dossiers_own_check_for_every_user_process_and_task(client, demo):
    users = {u.username: u for u in get_user_model().objects.all()}
    sent = start(client, users["canbo_vinhtrai"])
    complete_dossier(client, sent.artifact, [add_nomination(client, sent.artifact, "Hoàng Thị Ánh")])
    act(client, users["canbo_vinhtrai"], sent, F.prepare)  # shared with the head's audience
    draft = start(client, users["canbo_vinhtrai"], title="Tờ trình thứ hai")
    tasks = {sent: open_task(sent, F.head_approval), draft: open_task(draft, F.prepare)}
    inactive = users["chutich_vinhtrai"]
    inactive.is_active = False
    inactive.save()
    seen = set()
    for user in get_user_model().objects.all():
        for process, task in tasks.items():
            other = tasks[draft if process == sent else sent]
            expected = perms.can_view_submission(user, process.artifact)
            seen.add(expected)
            assert perms.can_view_submission_process(user, process.pk, NominationFlow) is expected, user
            own = task_of_process(NominationFlow, task.pk, task.flow_task)
            assert perms.can_view_submission_process(user, process.pk, NominationFlow, task=own) is expected
            # Another process's task, or the right task named at another node: never.
            foreign = task_of_process(NominationFlow, other.pk, other.flow_task)
            assert not perms.can_view_submission_process(user, process.pk, NominationFlow, task=foreign)
            wrong_node = task_of_process(NominationFlow, task.pk, F.complete)
            assert not perms.can_view_submission_process(user, process.pk, NominationFlow, task=wrong_node)
        assert not perms.can_view_submission_process(user, 10**9, NominationFlow)
    assert seen == {True, False}  # some see the dossiers, some do not
