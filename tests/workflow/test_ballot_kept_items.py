"""A ballot sent is checked first against the items' ids kept for its session (issue 18: one statement fewer per
ballot, ``nominations.services.ballots.kept_item_ids``), never trusting them: the agenda or a recusal changed in
the database between two ballots, each ballot is still recorded on the items of the session's current round as
they are when it is cast, or refused as before; a vote on an item not on the round is never recorded."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.status import STATUS

from nominations.models import BallotCast, CouncilMember
from nominations.services import ballot_box
from nominations.services.ballots import _kept_key
from nominations.services.council import voting_members
from workflow.flows import CouncilFlow as C

from .helpers import accepted_dossier, council_session


@pytest.fixture
def users(demo):
    return {u.username: u for u in get_user_model().objects.all()}


@pytest.fixture
def session(client, users):
    """A secret session on three items (a, b, c), nobody has voted yet; its first member votes on all three."""
    _process, noms = accepted_dossier(client, users, ["Hoàng Thị Ánh", "Lý Văn Bình", "Trần Văn Cường"])
    process = council_session(client, users, noms, vote=False, title="Phiên sửa chương trình")
    items = list(process.artifact.items.order_by("number").values_list("pk", flat=True))
    members = list(voting_members(process.artifact.council, timezone.localdate()))
    assert len(items) == 3 and len(members) > 4  # the ballots below do not end the round
    return process, items, members


def send(client, process, member: CouncilMember, items, choice="agree"):
    task = process.task_set.get(flow_task=C.vote, data__member_id=member.pk, status=STATUS.ASSIGNED)
    client.force_login(member.user)
    return client.post(reverse("council:vote:execute", args=[process.pk, task.pk]), dict.fromkeys(items, choice))


def names(items):
    return [f"item_{pk}" for pk in items]


def raw(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def cast(process, member) -> bool:
    return BallotCast.objects.filter(session=process.artifact, member=member).exists()


def sealed_items(process) -> list[set]:
    return sorted((set(ballot.choices) for ballot in ballot_box.open_round(process.artifact)), key=sorted)


def test_the_second_ballot_reads_no_item_ids_of_its_own(client, session):
    process, items, members = session
    assert send(client, process, members[0], names(items)).status_code == 302
    assert cache.get(_kept_key(process.artifact.pk)) is not None  # the first ballot read them for the session
    task = process.task_set.get(flow_task=C.vote, data__member_id=members[1].pk, status=STATUS.ASSIGNED)
    client.force_login(members[1].user)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            reverse("council:vote:execute", args=[process.pk, task.pk]), dict.fromkeys(names(items), "agree")
        )
    assert response.status_code == 302
    # Only the service's read, with the session under its lock (PostgreSQL: in the session's statement).
    assert len([q for q in queries if '"nominations_agendaitem"' in q["sql"]]) == 1
    # The whole ballot: one statement fewer than when the form read the member's ids itself (19 and 23).
    assert len(queries) == (18 if connection.vendor == "postgresql" else 22)
    assert sealed_items(process) == [set(items), set(items)]


def test_an_item_taken_off_the_agenda_in_the_database_is_not_voted_on(client, session):
    process, (a, b, c), members = session
    assert send(client, process, members[0], names([a, b, c])).status_code == 302  # the items are kept
    raw("UPDATE nominations_agendaitem SET result = 'failed' WHERE id = %s", [c])
    # The page read before sends all three: recorded on the two items of the round (as before: the ids read anew).
    assert send(client, process, members[1], names([a, b, c])).status_code == 302
    # A ballot on the item taken off alone is refused, with the same message as before.
    response = send(client, process, members[2], names([c]))
    assert response.status_code == 200 and not cast(process, members[2])
    assert f'id="item_{a}_errors"' in response.content.decode()
    assert sealed_items(process) == [{a, b}, {a, b, c}]


def test_an_item_put_back_on_the_agenda_in_the_database_must_be_voted_on(client, session):
    process, (a, b, c), members = session
    raw("UPDATE nominations_agendaitem SET result = 'failed' WHERE id = %s", [c])
    assert send(client, process, members[0], names([a, b])).status_code == 302  # {a, b} kept for the session
    raw("UPDATE nominations_agendaitem SET result = 'pending' WHERE id = %s", [c])
    # A ballot without c is refused (the kept ids would have let it through: the service's are the authority).
    response = send(client, process, members[1], names([a, b]))
    page = response.content.decode()
    assert response.status_code == 200 and not cast(process, members[1])
    assert "Phiếu phải có ý kiến cho tất cả và chỉ các nội dung được biểu quyết." in page
    assert f'id="item_{c}_errors"' in page  # and the item without a choice is named, as the form did before
    assert send(client, process, members[1], names([a, b, c])).status_code == 302
    assert send(client, process, members[2], names([a, b, c])).status_code == 302
    assert sealed_items(process) == [{a, b}, {a, b, c}, {a, b, c}]


def test_a_recusal_written_in_the_database_after_the_items_were_kept(client, session):
    process, (a, b, c), members = session
    assert send(client, process, members[0], names([a, b, c])).status_code == 302
    raw(
        "INSERT INTO nominations_recusal (item_id, member_id, automatic, reason) VALUES (%s, %s, %s, %s)",
        [c, members[1].pk, False, "Người thân"],
    )
    # The member's page read before sends c too: recorded without it (as before: what is not on the ballot is
    # not read), and c is not on the sealed ballot.
    assert send(client, process, members[1], names([a, b, c])).status_code == 302
    # Another member still votes on the three items.
    assert send(client, process, members[2], names([a, b, c])).status_code == 302
    assert sealed_items(process) == [{a, b}, {a, b, c}, {a, b, c}]
