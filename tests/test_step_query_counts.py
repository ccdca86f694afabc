"""Pinned statement counts of every step type and every list page (issue 7; perf-reliability P2, P6).

Each step is one POST to its task's ``execute`` URL, driven over HTTP as the users do (tests/workflow/helpers.py);
the count is every statement the request sends (SAVEPOINTs included: they are round trips too). Every step is
measured on dossiers of 1 and of 5 nominations, after the same step ran once on a warm-up dossier (caches such
as content types are then warm, as in a running server). A count may differ between the two sizes only where
the step does work per nomination or per agenda item; each such place is named in ``PER_ITEM``.

List pages are measured at two data sizes and must cost the same.

The numbers are exact and the same on both databases (SQLite in ``make test``, PostgreSQL in ``make test-pg``):
a change that adds a statement to a step fails here and must update the table on purpose.
"""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from viewflow.workflow.status import STATUS

from nominations.demo import DEMO_PASSWORD
from nominations.models import CampaignAward, CouncilMember, Nomination
from workflow.flows import CouncilFlow as C
from workflow.flows import DecisionFlow as D

from .workflow.helpers import (
    F,
    add_nomination,
    complete_dossier,
    council_session,
    dossiers_move_on,
    draft_decision,
    open_task,
    start,
)
from .workflow.helpers import url as task_url

# Statements of each step's execute POST for a dossier (or session, or decision) of 1 and of 5 items, on
# SQLite and on PostgreSQL alike.
EXPECTED = {
    # +1 on each step that creates a human task: its "task arrived" notification job (notifications/signals.py).
    # Lower since issue 18 item 3 (workflow/nodes.py: LeanView, Gate): no savepoint inside the process lock's own
    # transaction (-2), the task read with its process (-1), the owner compared by id (-1, views with an owner);
    # each gateway's task written once with no savepoint around its condition (-3 per If gateway passed).
    # -1 on every dossier step since issue 18 item 3 (s24steps): the URL gate (workflow.scope) asks for the process,
    # its task and the dossier's grant in one statement (permissions.can_view_submission_process), not two.
    # -1 on every step since issue 18 (s25rights): the user's own and group permissions in one statement
    # (workflow.backends.PermissionSetBackend, before ModelBackend, which read them in two).
    # -2 since issue 18 item 3 (s26steps): the clerk's send-to-head runs in the step's transaction, without a
    # savepoint of its own (nominations.services.review._in_transaction: its errors come before its writes).
    # -1 since issue 18 (s27svc): the dossier's nominations and its attachments' kinds in one statement
    # (nominations.services.review._dossier_rows, a UNION ALL), not two.
    # -1 on every step since issue 18 (s27flow): the process lock's statement reads the task and its process
    # (nodes._LockReadingTask); on PostgreSQL -1 again where the step creates a human task: the task and its
    # ``previous`` link written in one statement (nodes.insert_linked).
    "prepare": (14, 14) if connection.vendor == "postgresql" else (15, 15),
    "head submit": (22, 22) if connection.vendor == "postgresql" else (23, 23),  # the decision is the dossier's
    # status: no process UPDATE. The same for the ward's; +1 since issue 13: the endorsement is the standing body's
    # reception, whose day (Submission.received_on) fixes the rules that judge the dossier.
    "ward review": (19, 19) if connection.vendor == "postgresql" else (20, 20),
    "review": (25, 37) if connection.vendor == "postgresql" else (26, 38),
    "complete": (21, 21) if connection.vendor == "postgresql" else (22, 22),
    "re-review": (29, 29),
    # +3 since issue 18 (ballots in parallel): the ballot is recorded in its own transaction before the process
    # lock (a savepoint and its release here, inside the test's transaction; BEGIN/COMMIT in production, which
    # Django does not log), and the task is read again under the lock.
    # -3 since issue 18 (ballot CPU): the member read with their user (the audit event names them), and the join's
    # condition reads the open nodes in one query (voting_done: was one per node).
    # Issue 18 item 3 (nodes.LeanJoin): every ballot after the first gives the join's task the process it holds
    # (viewflow read it again: -1 on ballots 2..n; the pinned ballot is the first, which creates the join's task).
    # -3 since issue 18 item 2 (s24ballot): the cast written with ON CONFLICT DO NOTHING (no savepoint and release),
    # and the join's is_done takes the open nodes its condition read (no EXISTS after voting_done); -1: the member's
    # attendance read with the session under its shared lock; -3: the council's pages ask who may see the session in
    # one query on the process (permissions.can_view_session_process: was the process, the session, its council).
    # -4 since issue 18 item 2 (s25ballot): the ballot's transaction is the service's own (no savepoint and release
    # inside another), the round's public key read with the session under its shared lock, and a ballot sent no
    # longer reads the session as the process's artifact (the service reads it under the lock; the form's item ids
    # take the round in their own statement; the receipt's address takes the process's artifact id).
    # -1 (s25rights): the user's own and group permissions in one statement (workflow.backends.PermissionSetBackend).
    # -1 since s26ballot: a ballot sent does not read its member (the service reads the member's user id with the
    # session; the audit event names the request's user, the member's own). On PostgreSQL one less again: the
    # member's items read with the session under its lock (SQLite reads them apart, as pinned here).
    "ballot": (24, 24) if connection.vendor == "postgresql" else (25, 25),
    # +9: the minutes take their number in the council's register (minutes_issue); +1: the council's result is told
    # to the units by a job of the outbox (notifications/signals.py, issue 17).
    # +1 since issue 18 (ballots in parallel): the close locks the session row first (ballot_box_check), so that
    # it waits for the ballots recorded outside the process lock that are under way.
    # -2 since issue 18 item 3 (nodes.LeanJoin): the join's task, found, is given the process the close holds, with
    # its session already read (viewflow read the process again, and the count after the join the session).
    # -3 since issue 18 item 2 (s24ballot): who may see the session in one query on the process (the secretary's
    # issuer read only then): permissions.can_view_session_process.
    # -1 on PostgreSQL since s26ballot: the join's task, found, is linked to the incoming task in the statement that
    # reads it (workflow.nodes._join_tasks_linked, a CTE); each ballot after the first gains the same.
    # -2 on PostgreSQL since s27ballot: that statement also reads the join's incoming tokens and the process's open
    # nodes (the join's is_done and voting_done asked for them apart); each ballot after the first gains the same.
    # -1 since s27flow: the process lock's statement reads the task (nodes._LockReadingTask).
    "close voting": (86, 86) if connection.vendor == "postgresql" else (89, 89),
    # Flat since issue 18 (the chairman never waits): prices and strikes in one UPDATE, the awards in one INSERT,
    # the nominations' outcomes in one UPDATE and their audit events in one record_many (chain head + INSERT).
    # -1 since issue 18: the signing service takes the items the sign form read under the lock (not read twice).
    # Issue 16: +3, the decision's TT 02 tally recounted from its award records (DELETE, one aggregate, INSERT).
    # -1 since s27flow: the process lock's statement reads the task (nodes._LockReadingTask).
    "decision sign": (54, 54),
}

# Where a step's count grows with the items it handles (1 → 5), and why.
PER_ITEM = {
    # +3 per nomination: submission_review() saves each nomination and records its audit event (last hash + INSERT;
    # on PostgreSQL the chain's lock comes with the read). The rule sets are read once per award type.
    "review": "one UPDATE + one audit event per nomination",
    # "close voting" is flat: voting_close() tallies every item in one aggregate query and one UPDATE, the
    # shuffle is one DELETE + one INSERT per batch, and session_conclude() updates the nominations in one UPDATE
    # and appends their audit events with one audit.record_many (the chain's head, read under its lock on
    # PostgreSQL, + INSERT). On SQLite, multi-row statements are split into batches of at most 999 parameters
    # (from about 60 items on: audit events have 17 columns), so large sessions take a few more statements there.
    # Neither "close voting" nor "decision sign" moves the dossiers on in the request: that is
    # workflow.tasks.resume_dossiers_task, sent on commit (run after the count, not counted). Each background job
    # is one INSERT into the outbox in the step's transaction (jobs/outbox.py): +1 for "close voting" (the
    # dossiers' resume), +4 for "decision sign" (documents, two certificate tasks, the dossiers' resume). The signing
    # service takes the dossiers' ids from the items it has loaded (no query of its own).
    # "close voting" also checks the sealed ballot box before anything moves (council.ballot_box_check: +3
    # statements, the casts, the round's key, its sealed rows and its items, less one read of the join), so
    # that a row edited in the database is refused with a message, not a count failing half-way (issue 15).
}

# The demo rehearsal's quota would stop the dossiers from growing.
SIZES = (1, 5)


@pytest.fixture
def users(demo):
    CampaignAward.objects.filter(campaign__code="dien-tap").update(default_quota=None)
    return {u.username: u for u in get_user_model().objects.all()}


def statements(client, user, process, node, data=None, task=None) -> int:
    """Statements of the execute POST of ``node``'s open task of ``process`` (taking it first is not counted)."""
    client.force_login(user)
    task = task or open_task(process, node)
    if task.status == STATUS.NEW:
        assert client.post(task_url(node, "assign", task)).status_code == 302
    # Work the step sends on commit (the dossiers moving on after a council or a decision) runs after the
    # request, in a Celery task: not counted, but run, so the dossiers reach their next step.
    with dossiers_move_on(), CaptureQueriesContext(connection) as ctx:
        response = client.post(task_url(node, "execute", task), data or {})
    assert response.status_code == 302, (node.name, response.status_code)
    return len(ctx.captured_queries)


def dossier(client, users, size, unit="p-ky-lua", clerk="canbo_vinhtrai", tag=""):
    process = start(client, users[clerk], unit_code=unit)
    nominations = [add_nomination(client, process.artifact, f"Người đề nghị {tag}{size}-{i}") for i in range(size)]
    complete_dossier(client, process.artifact, nominations)
    return process, nominations


def review_data(nominations, first="accept"):
    data = {}
    for i, n in enumerate(nominations):
        decision = first if i == 0 else "accept"
        data[f"choice_{n.pk}"] = decision
        data[f"note_{n.pk}"] = "Thiếu xác nhận" if decision == "complete" else ""
    data["comment"] = ""
    return data


def check(measured: dict) -> None:
    """Compare with EXPECTED; one failure lists every step, so the table can be updated at once."""
    expected = EXPECTED
    wrong = {step: (counts, expected.get(step)) for step, counts in measured.items() if expected.get(step) != counts}
    assert not wrong, "statements (measured, expected) per step for sizes 1 and 5: " + repr(wrong)
    for step, (small, large) in measured.items():
        assert small == large or step in PER_ITEM, f"{step} grows with the items without a reason in PER_ITEM"


def test_every_step_has_a_pinned_statement_count(client, users):
    clerk, head, reviewer = users["canbo_vinhtrai"], users["chutich_vinhtrai"], users["thamdinh_noivu"]
    secretary, chairman = users["thuky_hoidong"], users["chutich_ubnd"]
    warm, *measured_dossiers = [
        dossier(client, users, size, tag=t) for size, t in ((1, "w"), *((s, "") for s in SIZES))
    ]
    counts = {}

    def step(name, run):
        run(warm)
        counts[name] = tuple(run(d) for d in measured_dossiers)

    step("prepare", lambda d: statements(client, clerk, d[0], F.prepare))
    step("head submit", lambda d: statements(client, head, d[0], F.head_approval, {"decision": "submit"}))
    # Appraisal asks completion of the first nomination and accepts the rest; the clerk completes; re-appraisal.
    step("review", lambda d: statements(client, reviewer, d[0], F.review, review_data(d[1], first="complete")))
    step("complete", lambda d: statements(client, clerk, d[0], F.complete, {"comment": "Đã bổ sung"}))
    step("re-review", lambda d: statements(client, reviewer, d[0], F.review, review_data(d[1][:1])))
    for _process, nominations in [warm, *measured_dossiers]:
        for n in nominations:
            n.refresh_from_db()
        assert {n.status for n in nominations} == {Nomination.Status.ACCEPTED}

    # Council: a session per dossier; one ballot (not the last) is counted, then the secretary closes early
    # (the remaining ballot is cancelled, the votes counted, the results carried to the dossiers).
    voters = [
        m
        for m in CouncilMember.objects.filter(council__issuer__code="ls").select_related("user").order_by("pk")
        if m.votes
    ]

    sessions = {}

    def ballot(d):
        process = council_session(client, users, d[1], title=f"Phiên {d[0].pk}", vote=False)
        sessions[d[0].pk] = process
        data = {f"item_{i.pk}": "agree" for i in process.artifact.items.all()}
        first = process.task_set.get(flow_task=C.vote, data__member_id=voters[0].pk)
        counted = statements(client, voters[0].user, process, C.vote, data, task=first)
        for member in voters[1:-1]:  # everyone but the last votes; the secretary then closes
            client.force_login(member.user)
            task = process.task_set.get(flow_task=C.vote, data__member_id=member.pk)
            assert client.post(task_url(C.vote, "execute", task), data).status_code == 302
        return counted

    step("ballot", ballot)
    step("close voting", lambda d: statements(client, secretary, sessions[d[0].pk], C.close_voting, {"confirm": "on"}))
    for _process, nominations in [warm, *measured_dossiers]:
        assert set(Nomination.objects.filter(pk__in=[n.pk for n in nominations]).values_list("status", flat=True)) == {
            Nomination.Status.COUNCIL_PASSED
        }

    def sign(d):
        nominations = list(Nomination.objects.filter(pk__in=[n.pk for n in d[1]]).order_by("pk"))
        process = draft_decision(client, users, nominations)
        data = {"decision": "sign", "comment": "", "password": DEMO_PASSWORD}
        return statements(client, chairman, process, D.sign, data)

    step("decision sign", sign)
    for process, _n in measured_dossiers:
        process.refresh_from_db()
        assert process.status == STATUS.DONE

    # The ward's review, for a unit under a ward (Khối 5 of Vĩnh Trại).
    ward = [
        dossier(client, users, size, unit="p-ky-lua-khoi-5", clerk="canbo_khoi5", tag=f"k{t}")
        for size, t in ((1, "w"), *((s, "") for s in SIZES))
    ]
    for d in ward:
        statements(client, users["canbo_khoi5"], d[0], F.prepare)
        statements(client, users["truongkhoi_khoi5"], d[0], F.head_approval, {"decision": "submit"})
    statements(client, users["thidua_vinhtrai"], ward[0][0], F.ward_review, {"decision": "endorse"})
    counts["ward review"] = tuple(
        statements(client, users["thidua_vinhtrai"], d[0], F.ward_review, {"decision": "endorse"}) for d in ward[1:]
    )
    check(counts)


# --------------------------------------------------------------------------- list pages

PAGES = [
    ("/nomination/inbox/", "canbo_vinhtrai"),
    ("/nomination/queue/", "chutich_vinhtrai"),
    ("/nomination/archive/", "canbo_vinhtrai"),
    ("/nomination/flows/", "canbo_vinhtrai"),
    ("/dossiers/", "canbo_vinhtrai"),
    ("/sessions/", "thuky_hoidong"),
    ("/decisions/", "thuky_hoidong"),
]

# Each page counts the person's unread notifications once, for the bell in the header (+1, issue 17).
# The inbox and the queue show each task's due date (issue 17): +3 for the page, whatever its size
# (workflow.deadlines.task_deadlines: the issuing levels, the step rules, the calendar's exceptions; a page with
# appraisal tasks adds their receipts and pauses, one query each).
# Issue 18: the bell's count and the flow menu's inbox and queue counts are cached per user for a few seconds
# (workflow.counters): −1 on every page, −2 more on a flow's pages (the page is read a second time here).
# Issue 18 (the frame): viewflow's lists no longer rewrite the session when they store the address they already
# hold (−3: BEGIN, UPDATE, COMMIT; workflow/sessions.py); the roles are read neither for the flow menu's cached
# queue count nor for the side menu's administration entry, cached with the counters (−1 where the page itself
# needs no role); the inbox's and queue's sizes are cached like /dossiers/ (−1).
# −1 on every page that checks a global permission (issue 18, s25rights): the user's own and group permissions in
# one statement (workflow.backends.PermissionSetBackend; ModelBackend read them in two).
EXPECTED_PAGES = {
    # −1 each (issue 18 item 1): the deadlines' issuing levels come with the page's dossiers (their campaign's
    # issuer loaded with them, workflow.viewsets.LightTaskListMixin), not from a query of their own.
    "/nomination/inbox/": 7,
    # +2: the queue's tasks and which of their dossiers the user sees, then by task id; −1 (s26lists): the queue's
    # (task, dossier, created) read at once and sorted in Python (its size their number, the page's ids known),
    # the page's tasks read with their dossiers in one statement (workflow.task_lists.queue_ids, page_tasks).
    # The inbox stays at 7: its ids in one statement and its rows with their dossiers in one more, where the tasks
    # and their dossiers were read (workflow.task_lists.inbox_ids).
    "/nomination/queue/": 9,
    "/nomination/archive/": 6,
    "/nomination/flows/": 6,
    # +1: the roles in force, read for the administration menu (issue 13); −1: the list's size is cached a few
    # seconds per user and filter (issue 18); −1: the administration menu's answer is cached (issue 18)
    "/dossiers/": 4,
    # −2: the side menu is kept a few seconds per person (workflow/templatetags/frame.py): the flows' global
    # permissions are read only by the pages that need them (viewflow's flow pages, which check them).
    "/sessions/": 4,
    "/decisions/": 4,
}
PAGE_LIMIT = 20  # statements; the perf brief's P6 asks ≤ 10 for list pages: viewflow's own lists cost more


def page_statements(client, user, path) -> int:
    client.force_login(user)
    client.get(path)  # warm (content types, the session's first save)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(ctx.captured_queries)


def grow(client, users, dossiers: int, sessions: int, tag: str):
    """More dossiers in every list: some prepared and waiting for the head, some through council and decision."""
    clerk, head, reviewer = users["canbo_vinhtrai"], users["chutich_vinhtrai"], users["thamdinh_noivu"]
    for i in range(dossiers):
        process, _noms = dossier(client, users, 1, tag=f"{tag}{i}-")
        statements(client, clerk, process, F.prepare)
    for i in range(sessions):
        process, noms = dossier(client, users, 2, tag=f"{tag}s{i}-")
        statements(client, clerk, process, F.prepare)
        statements(client, head, process, F.head_approval, {"decision": "submit"})
        statements(client, reviewer, process, F.review, review_data(noms))
        council_session(client, users, [Nomination.objects.get(pk=n.pk) for n in noms], title=f"Phiên {tag}{i}")
        draft_decision(client, users, list(Nomination.objects.filter(pk__in=[n.pk for n in noms])))


def test_list_pages_cost_the_same_at_two_sizes(client, users):
    grow(client, users, dossiers=1, sessions=1, tag="a")
    small = {path: page_statements(client, users[user], path) for path, user in PAGES}
    grow(client, users, dossiers=6, sessions=3, tag="b")
    large = {path: page_statements(client, users[user], path) for path, user in PAGES}
    assert large == small, {p: (small[p], large[p]) for p in small if small[p] != large[p]}
    assert large == EXPECTED_PAGES, "measured: " + repr(large)
    assert all(n <= PAGE_LIMIT for n in large.values()), large
