"""Who may see a council session, asked on its process in one query (permissions.can_view_session_process, issue
18): the same answer as loading the process and its session and asking can_view_session."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.nominations import council_factory
from workflow import permissions as perms
from workflow.flows import CouncilFlow, DecisionFlow
from workflow.scope import task_of_process


@pytest.mark.django_db
def test_the_one_query_answer_is_can_view_sessions():
    process, seats, secretary = council_factory.open_over_http(3, "Phiên kiểm tra quyền xem")
    User = get_user_model()
    admin = User.objects.create_superuser("quantri-hd", password="x")  # no seat: the secretary's right, globally
    outsider = User.objects.create_user("nguoi-ngoai")
    cases = {seats[0].user: True, secretary.user: True, admin: True, outsider: False, AnonymousUser(): False}
    for user, expected in cases.items():
        assert perms.can_view_session(user, process.artifact) is expected
        assert perms.can_view_session_process(user, process.pk, CouncilFlow) is expected, user
    with CaptureQueriesContext(connection) as queries:
        assert perms.can_view_session_process(seats[0].user, process.pk, CouncilFlow)
    assert len(queries) == 1
    # Another flow's class, a process that does not exist, a task that is not the process's: nobody sees anything.
    assert not perms.can_view_session_process(admin, process.pk, DecisionFlow)
    assert not perms.can_view_session_process(admin, process.pk + 10_000, CouncilFlow)
    vote = process.task_set.filter(flow_task=CouncilFlow.vote).first()
    assert perms.can_view_session_process(
        seats[0].user, process.pk, CouncilFlow, task=task_of_process(CouncilFlow, vote.pk, CouncilFlow.vote)
    )
    other = task_of_process(CouncilFlow, vote.pk + 10_000, CouncilFlow.vote)
    assert not perms.can_view_session_process(admin, process.pk, CouncilFlow, task=other)
