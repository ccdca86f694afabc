"""Light pages (issue 18): the session, ballot and decision pages cost a pinned number of statements whatever
their number of rows (2 or 20), and the counters every page shows are cached per user for a few seconds and
moved by the user's own actions."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from viewflow.workflow.status import STATUS

from nominations.models import CampaignAward, CouncilMember, Decision, Nomination
from notifications.models import Notification
from workflow.flows import CouncilFlow as C

from .helpers import accepted_dossier, council_session, draft_decision


@pytest.fixture
def users(demo):
    CampaignAward.objects.filter(campaign__code="dien-tap").update(default_quota=None)  # 20 from one unit
    return {u.username: u for u in get_user_model().objects.all()}


def _statements(client, url):
    client.get(url)  # warm (content types, the session, this user's cached counters), as in a running server
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len([q for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]), response.content.decode()


def _session(client, users, size, tag, vote):
    _process, noms = accepted_dossier(client, users, [f"Người {tag} {i}" for i in range(size)])
    return council_session(client, users, noms, vote=vote, title=f"Phiên {tag}"), noms


def _ballot(process, username):
    member = CouncilMember.objects.get(user__username=username, council__issuer__code="ls")
    task = process.task_set.get(flow_task=C.vote, data__member_id=member.pk, status=STATUS.ASSIGNED)
    return reverse("council:vote:execute", args=[process.pk, task.pk])


# Pinned: a change says why. The bell's count and the flow menu's counts are read from the cache (workflow
# .counters); the rows come from one query of plain values each (workflow.views.council_pages.agenda_rows,
# workflow.views.council.ballot_html, workflow.page_rows.decision_rows).
# Session 9: its agenda is kept once per session, status and round (workflow.views.council_pages.agenda_block);
# 8: the flow menu's queue count reads no grants when cached (as the ballot below). 6: the side menu is kept a few
# seconds per person (workflow/templatetags/frame.py): the flows' global permissions are not read for it.
SESSION_PAGE = 6
# Ballot 24: the vote step's page reads its task with the process (workflow.nodes.LeanView, issue 18 item 3).
# 20: on a cached ballot the items' ids key it, and the threshold is kept with it (no rows, no rule read); the
# form is built once (its ids were read twice). 19: the flow menu's queue count no longer reads the user's unit
# grants when the count is cached (workflow.viewsets.NominationFlowViewset.get_context_data).
# 16: who may see the session asked in one query on the process (permissions.can_view_session_process, issue 18
# item 2: was the process, the session, its council and the seat). 15: the user's own and group permissions in one
# statement (workflow.backends.PermissionSetBackend; ModelBackend read them in two; issue 18, s25rights).
# 14: the side panel kept under a digest of the process and the session's columns (s25ballot,
# workflow.views.council.panel_key): its campaign and opener are not read again on every page.
# 13: both of the above.
# 8 (s26ballot): the page's head (the deadline, the session's council) kept under the panel's digest with the
# task, its status and the day (workflow.views.council.head_key: the council, the issuer's level, the deadline
# rules and the calendar not read on a kept page), and the member not read (its id is all the page needs).
BALLOT_PAGE = 8
# 9: the user's permissions in one statement (as the ballot's 15).
DECISION_PAGE = 9


def test_the_session_and_ballot_pages_cost_the_same_for_2_and_20_items(client, users):
    few, _ = _session(client, users, 2, "A", vote=False)
    many, _ = _session(client, users, 20, "B", vote=False)
    client.force_login(users["uyvien_1"])
    counts = {}
    for name, process in (("few", few), ("many", many)):
        counts[f"session {name}"], page = _statements(client, f"/sessions/{process.artifact.pk}/")
        assert page.count("/recusal/") == process.artifact.items.count()  # every row written, with its link
        counts[f"ballot {name}"], page = _statements(client, _ballot(process, "uyvien_1"))
        assert page.count('value="abstain"') == process.artifact.items.count()
    assert counts == {
        "session few": SESSION_PAGE,
        "session many": SESSION_PAGE,
        "ballot few": BALLOT_PAGE,
        "ballot many": BALLOT_PAGE,
    }, counts


def test_the_decision_page_costs_the_same_for_2_and_20_awardees(client, users):
    counts = {}
    for size, tag in ((2, "C"), (20, "D")):
        _process, noms = _session(client, users, size, tag, vote=True)
        draft_decision(client, users, list(Nomination.objects.filter(pk__in=[n.pk for n in noms])))
        decision = Decision.objects.latest("pk")
        client.force_login(users["thuky_hoidong"])
        counts[size], page = _statements(client, f"/decisions/{decision.pk}/")
        assert page.count(f"Người {tag} ") == size
    assert counts == {2: DECISION_PAGE, 20: DECISION_PAGE}, counts


def test_the_bell_is_counted_once_every_few_seconds_and_at_once_after_the_users_own_action(client, users):
    clerk = users["canbo_vinhtrai"]
    client.force_login(clerk)
    Notification.objects.create(user=clerk, kind=Notification.Kind.ASSIGNED, title="Việc mới", dedup_key="a")
    assert 'data-unread="1"' in client.get("/dossiers/").content.decode()
    # Written behind the application's back (no signal): the page keeps the cached count for a few seconds…
    Notification.objects.bulk_create(
        [Notification(user=clerk, kind=Notification.Kind.ASSIGNED, title="Việc khác", dedup_key="b")]
    )
    assert 'data-unread="1"' in client.get("/dossiers/").content.decode()
    cache.clear()  # …until it expires
    assert 'data-unread="2"' in client.get("/dossiers/").content.decode()
    # Her own action (marking them read) shows on her next page at once.
    client.post("/notifications/read/")
    assert "data-unread" not in client.get("/dossiers/").content.decode()


def test_taking_a_task_moves_the_takers_menu_counts_at_once(client, users):
    process, _noms = accepted_dossier(client, users, ["Hoàng Thị Ánh"])
    member = users["uyvien_1"]
    client.force_login(member)
    council_session(client, users, list(Nomination.objects.filter(submission=process.artifact)), vote=False)
    client.force_login(member)
    page = client.get("/council/inbox/").content.decode()
    before = page.count("mdc-list-item__meta")
    assert before  # the flow menu shows its counts
    # Another of her tasks appears through the application (a task saved for her): the next page counts again.
    inbox = C.task_class._default_manager.filter(owner=member, status=STATUS.ASSIGNED)
    shown = inbox.count()
    assert f'<span class="mdc-list-item__meta">{shown}</span>' in page
    task = inbox.first()
    task.status = STATUS.NEW
    task.owner = None
    task.save()  # no longer hers: her counters move with the save
    member_page = client.get("/council/inbox/").content.decode()
    assert f'<span class="mdc-list-item__meta">{shown - 1}</span>' in member_page


def _session_writes(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len([q for q in ctx.captured_queries if q["sql"].startswith("UPDATE") and "django_session" in q["sql"]])


def test_a_list_opened_again_does_not_rewrite_the_session(client, users):
    """viewflow's lists remember the address the user came from on every visit; the same address again is no
    change, so the session row is not written (workflow/sessions.py); another list is."""
    client.force_login(users["canbo_vinhtrai"])
    client.get("/nomination/inbox/")
    assert _session_writes(client, "/nomination/inbox/") == 0
    assert _session_writes(client, "/nomination/queue/") == 1  # viewflow's "back" link now leads there
    assert client.session["vf-pin-location"] == "/nomination/queue/"
    assert _session_writes(client, "/nomination/queue/") == 0


def test_the_side_menu_reads_no_roles_on_a_list_and_follows_a_new_role_at_once(client, users):
    """The administration's entry in the side menu is cached with the counters (workflow/templatetags/site_menu.py):
    a list that needs no role reads none, and a role given or ended shows on the holder's next page."""
    from nominations.models import Membership, Role

    clerk, menu = users["canbo_dongkinh"], reverse("administration:index")
    client.force_login(clerk)
    client.get("/dossiers/")
    with CaptureQueriesContext(connection) as ctx:
        page = client.get("/dossiers/").content.decode()
    assert menu not in page
    assert not [q for q in ctx.captured_queries if "nominations_membership" in q["sql"]]
    theirs = Membership.objects.filter(user=users["quantri_ubnd"], role=Role.ADMINISTRATOR).first()
    role = Membership.objects.create(user=clerk, unit=theirs.unit, role=theirs.role, valid_from=theirs.valid_from)
    assert menu in client.get("/dossiers/").content.decode()
    assert client.get(menu).status_code == 200
    role.valid_to = role.valid_from
    role.save()
    assert menu not in client.get("/dossiers/").content.decode()
    assert client.get(menu).status_code == 403  # the page itself is checked on every request


def test_a_session_value_mutated_and_assigned_back_is_still_saved(db):
    from workflow.sessions import SessionStore

    first = SessionStore()
    first.update({"cart": [1], "where": "/nomination/inbox/", "flag": 1})
    first.save()
    session = SessionStore(first.session_key)
    session["where"] = "/nomination/inbox/"
    session["flag"] = 1
    assert not session.modified  # the same plain values: nothing to write
    session["flag"] = True  # equal, but not the same value once stored
    assert session.modified
    session = SessionStore(first.session_key)
    cart = session["cart"]
    cart.append(2)
    session["cart"] = cart  # Django's documented way to save a list changed in place
    assert session.modified
    session.save()
    assert SessionStore(first.session_key)["cart"] == [1, 2]
