"""Every API route that takes an object id, called by the wrong user: 403/404 (401 anonymous), nothing changes.

The routes are enumerated from workflow.api.urls: a new id-taking route fails
``test_every_id_route_is_in_the_matrix`` until it is added here.
"""

import datetime
import itertools

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from rest_framework.test import APIClient

from nominations.demo import DEMO_PASSWORD
from nominations.models import (
    AgendaItem,
    Attachment,
    AwardType,
    BallotCast,
    Campaign,
    Candidate,
    Council,
    CouncilMember,
    CouncilSession,
    Decision,
    Delegation,
    Membership,
    Nomination,
    OrgUnit,
    Registration,
    Submission,
)
from workflow.api import urls as api_urls
from workflow.flows import NominationFlow
from workflow.models import AuditEvent

from .helpers import (
    act,
    add_nomination,
    attach,
    complete_dossier,
    council_session,
    find_decision_task,
    find_task,
    items,
    ok,
    pdf,
    start,
)

METHODS = ("get", "post", "put", "patch", "delete")
# Route → the families of objects it takes; each object is private to those who may see its dossier/session.
PRIVATE = {
    "submission-detail": ["submissions"],
    "submission-timeline": ["submissions"],
    "submission-nominations": ["submissions"],
    "submission-attachments": ["submissions"],
    "nomination-detail": ["nominations"],
    "nomination-timeline": ["nominations"],
    "attachment-download": ["attachments"],
    "attachment-remove": ["attachments"],
    "attachment-replace": ["attachments"],
    "submission-rounds": ["submissions"],
    "task-detail": ["tasks", "council_tasks", "decision_tasks"],
    "task-claim": ["tasks", "council_tasks", "decision_tasks"],
    "task-complete": ["tasks", "council_tasks", "decision_tasks"],
    "session-detail": ["sessions"],
    "session-timeline": ["sessions"],
    "decision-detail": ["decisions"],
    "decision-timeline": ["decisions"],
    "decision-revoke": ["decisions"],
    "delegation-detail": ["delegations"],
    "delegation-end": ["delegations"],
    "session-written-vote": ["sessions"],
    "session-minutes": ["sessions"],
    "agenda-item-recusal": ["agenda_items"],
    "decision-file": ["decisions"],
    "decision-draft": ["decisions"],
    "decision-certificates": ["decisions"],
    "decision-certificates-zip": ["decisions"],
    "decision-certificates-progress": ["decisions"],
    "decision-progress": ["decisions"],
    "task-unassign": ["tasks", "council_tasks", "decision_tasks"],
    "campaign-summary": ["campaigns"],
    "campaign-summary-export": ["campaigns"],
    "campaign-reminders": ["campaigns"],
    "registration-evaluation": ["registrations"],
    "nomination-basis": ["nominations"],
    "statistics": ["issuers"],
    "statistics-export": ["issuers"],
    "statistics-records": ["issuers"],
    # The administrator's writes (issue 13): only the committee's administrator (campaigns: or its emulation office).
    "admin-membership-end": ["admin_memberships"],
    "admin-unit-rename": ["admin_units"],
    "admin-unit-dissolve": ["admin_units"],
    "admin-campaign-update": ["admin_campaigns"],
    "admin-campaign-launch": ["admin_campaigns"],
    "admin-campaign-close": ["admin_campaigns"],
    "admin-campaign-summarise": ["admin_campaigns"],
    "admin-council-seats": ["admin_councils"],
    "admin-council-seat-end": ["admin_council_seats"],
    # The national rules: only a province-level committee's administrator.
    "admin-award-type-rule-sets": ["admin_award_types"],
    "campaign-progress": ["campaigns"],
    "campaign-progress-export": ["campaigns"],
    "registration-detail": ["registrations"],
    "registration-sign": ["registrations"],
    "registration-review": ["registrations"],
    "registration-reports": ["registrations"],
    "orgunit-board": ["issuers"],
    "orgunit-board-export": ["issuers"],
}
# Reference data any signed-in user reads, and the public results: readable, never writable.
PUBLIC = {"campaign-detail", "orgunit-detail", "awardtype-detail", "public-results"}
# Addressed by a certificate's unguessable code, open to anyone (tests/api/test_parity_endpoints.py).
BY_CODE = {"public-certificate"}
# A person's own rows (a notification): anyone else gets 404, whatever the method (test below).
OWN = {"notification-read"}
# Route → the path's arguments after the id (a file's name or format, not an id).
EXTRA_ARGS = {"session-minutes": ["pdf"], "decision-file": ["pdf"], "decision-draft": ["pdf"]}
# Who must not reach each family: another unit's clerk; a council member not yet involved in the
# dossier; the ward's chairman, who sits on no council.
OUTSIDERS = {
    "submissions": ["canbo_dongkinh", "uyvien_1"],
    "nominations": ["canbo_dongkinh", "uyvien_1"],
    "attachments": ["canbo_dongkinh", "uyvien_1"],
    "tasks": ["canbo_dongkinh", "uyvien_1"],
    "council_tasks": ["canbo_dongkinh", "chutich_vinhtrai"],
    "sessions": ["canbo_dongkinh", "chutich_vinhtrai"],
    "decision_tasks": ["canbo_dongkinh", "uyvien_1"],
    "decisions": ["canbo_dongkinh", "uyvien_1"],
    # Only the issuer's chairman sees or ends a delegation: not even its delegate.
    "delegations": ["canbo_dongkinh", "phochutich_ubnd"],
    "agenda_items": ["canbo_dongkinh", "chutich_vinhtrai"],
    # The summary is the issuing body's reviewers', secretary's and leaders': not a unit's, not a member's.
    "campaigns": ["canbo_dongkinh", "uyvien_1"],
    "admin_memberships": ["canbo_dongkinh", "chutich_ubnd"],
    "admin_units": ["canbo_dongkinh", "chutich_ubnd"],
    "admin_campaigns": ["canbo_dongkinh", "chutich_ubnd"],
    "admin_councils": ["canbo_dongkinh", "chutich_ubnd"],
    "admin_council_seats": ["canbo_dongkinh", "chutich_ubnd"],
    "admin_award_types": ["canbo_dongkinh", "chutich_ubnd"],
    # A registration is its unit's clerk's and head's and the standing body's: not another unit's, not a member's.
    "registrations": ["canbo_dongkinh", "uyvien_1"],
    # An issuer's TT 02 statistics and its board of open dossiers are its standing body's, secretary's and leaders':
    # not a unit's, not a member's.
    "issuers": ["canbo_dongkinh", "uyvien_1"],
}


def _nomination_body(world, pk):
    award = Campaign.objects.get(code="dien-tap").award_types.get(code="giay-khen")
    return {"kind": "collective", "name": "Tổ dân phố 1", "award_type": award.pk, "achievement": "Xuất sắc"}


def _complete_body(world, pk):
    """A valid body for the task: a ballot agreeing on every item, or the head's decision."""
    if pk in world["decision_tasks"]:
        return {"decision": "sign", "password": DEMO_PASSWORD}
    if pk in world["council_tasks"]:
        items = AgendaItem.objects.filter(session_id__in=world["sessions"]).values_list("pk", flat=True)
        return {"items": {str(item): {"choice": "agree"} for item in items}}
    return {"decision": "submit", "comment": "thử"}


BODIES = {
    ("submission-nominations", "post"): _nomination_body,
    ("nomination-detail", "put"): _nomination_body,
    ("nomination-detail", "patch"): lambda world, pk: {"achievement": "Đã sửa"},
    ("submission-attachments", "post"): lambda world, pk: {"kind": "other", "file": pdf()},
    ("attachment-replace", "post"): lambda world, pk: {"file": pdf()},
    ("task-complete", "post"): _complete_body,
    ("decision-revoke", "post"): lambda world, pk: {"reason": "Sai sót", "password": DEMO_PASSWORD},
    ("delegation-end", "post"): lambda world, pk: {"reason": "Thử chấm dứt"},
    ("agenda-item-recusal", "post"): lambda world, pk: {"reason": "Người thân"},
    ("admin-membership-end", "post"): lambda world, pk: {"last_day": datetime.date.today().isoformat()},
    ("admin-unit-rename", "post"): lambda world, pk: {"name": "Tên mới", "effective": "2099-01-01"},
    ("admin-unit-dissolve", "post"): lambda world, pk: {"last_day": datetime.date.today().isoformat()},
    ("admin-council-seats", "post"): lambda world, pk: {
        "user": get_user_model().objects.get(username="canbo_dongkinh").pk,
        "position": "member",
        "valid_from": datetime.date.today().isoformat(),
    },
    ("admin-council-seat-end", "post"): lambda world, pk: {"last_day": datetime.date.today().isoformat()},
    ("admin-award-type-rule-sets", "post"): lambda world, pk: {
        "valid_from": "2099-01-01",
        "authority_level": 1,
        "recipient_kinds": ["individual"],
        "prize_coefficient": "0.3",
    },
    ("registration-review", "post"): lambda world, pk: {"decision": "return", "comment": "Thử"},
    ("registration-detail", "put"): lambda world, pk: {"plans": []},
    ("registration-evaluation", "put"): lambda world, pk: {"plans": {}},
    ("nomination-basis", "put"): lambda world, pk: {"works": [], "plans": []},
    ("campaign-reminders", "post"): lambda world, pk: {
        "unit": OrgUnit.objects.get(code="p-ky-lua").pk,
        "message": "Đề nghị đơn vị báo cáo tiến độ",
    },
    ("registration-reports", "post"): lambda world, pk: {
        "target": Registration.objects.get(pk=pk).plans.first().target_id,
        "day": datetime.date.today().isoformat(),
        "value": "50",
    },
}


def id_routes() -> dict:
    return {p.name: p for p in api_urls.urlpatterns if p.pattern.converters}


def methods_of(pattern) -> list[str]:
    view = pattern.callback.view_class
    return [m for m in METHODS if hasattr(view, m)]


def snapshot():
    """Everything a refused request must leave untouched."""
    return (
        list(NominationFlow.task_class.objects.order_by("pk").values_list("pk", "status", "owner_id", "finished")),
        list(Nomination.objects.order_by("pk").values_list("pk", "status", "updated_at", "achievement")),
        list(Submission.objects.order_by("pk").values_list("pk", "status", "review_rounds")),
        list(Candidate.objects.order_by("pk").values_list("pk", "name")),
        list(Attachment.objects.order_by("pk").values_list("pk", "kind")),
        list(CouncilSession.objects.order_by("pk").values_list("pk", "status", "round")),
        BallotCast.objects.count(),
        list(Decision.objects.order_by("pk").values_list("pk", "status", "number")),
        AuditEvent.objects.exclude(scope__in=["auth", "access"]).count(),
        list(Delegation.objects.order_by("pk").values_list("pk", "ended_on", "valid_to")),
        list(Membership.objects.order_by("pk").values_list("pk", "valid_to")),
        list(OrgUnit.objects.order_by("pk").values_list("pk", "name", "valid_to", "successor")),
        list(Campaign.objects.order_by("pk").values_list("pk", "status")),
    )


@pytest.fixture
def world(api):
    """Two dossiers of Vĩnh Trại: one being prepared (clerk holds it), one waiting for the head;
    and a third before the council: a session voting (a member's ballot open), a draft decision to sign."""
    clerk, head = api("canbo_vinhtrai"), api("chutich_vinhtrai")
    session, vote, decision, sign = _council_and_decision(api)
    preparing = start(clerk)
    n1 = add_nomination(clerk, preparing, "Hà Thị Thu")
    a1 = ok(attach(clerk, preparing, "review_minutes"), 201)
    waiting = start(clerk)
    n2 = add_nomination(clerk, waiting, "Vi Văn Hải", gender="male")
    complete_dossier(clerk, waiting, [n2])
    ok(act(clerk, waiting, "prepare"))
    today = datetime.date.today()
    delegation = {
        "issuer": OrgUnit.objects.get(code="ls").pk,
        "delegate": get_user_model().objects.get(username="phochutich_ubnd").pk,
        "valid_from": today.isoformat(),
        "valid_to": (today + datetime.timedelta(days=30)).isoformat(),
    }
    delegation = ok(api("chutich_ubnd").post("/api/delegations/", delegation, format="json"), 201)
    for name in {name for names in OUTSIDERS.values() for name in names}:  # tokens before the snapshots
        api(name)
    return {
        "submissions": [preparing["id"], waiting["id"]],
        "nominations": [n1["id"], n2["id"]],
        "attachments": [a1["id"]],
        "tasks": [find_task(clerk, preparing, "prepare")["id"], find_task(head, waiting, "head_approval")["id"]],
        "council_tasks": [vote["id"]],
        "sessions": [session["id"]],
        "decision_tasks": [sign["id"]],
        "decisions": [decision["id"]],
        "delegations": [delegation["id"]],
        "agenda_items": list(AgendaItem.objects.filter(session=session["id"]).values_list("pk", flat=True)),
        "campaigns": [preparing["campaign"]],
        "admin_memberships": [Membership.objects.get(user__username="canbo_dongkinh", unit__code="p-dong-kinh-moi").pk],
        "admin_units": [OrgUnit.objects.get(code="p-dong-kinh-moi").pk],
        "admin_campaigns": [preparing["campaign"]],
        "admin_councils": [Council.objects.get(issuer__code="ls").pk],
        "admin_council_seats": [CouncilMember.objects.filter(council__issuer__code="ls").first().pk],
        "admin_award_types": [AwardType.objects.get(code="giay-khen").pk],
        "campaign": preparing["campaign"],
        "issuers": [Campaign.objects.get(pk=preparing["campaign"]).issuer_id],
        "registrations": list(
            Registration.objects.filter(campaign=preparing["campaign"], unit__code="p-ky-lua").values_list(
                "pk", flat=True
            )
        ),
    }


def _council_and_decision(api):
    clerk, secretary = api("canbo_vinhtrai"), api("thuky_hoidong")
    dossier = start(clerk)
    x = add_nomination(clerk, dossier, "Lương Thị Mai")
    y = add_nomination(clerk, dossier, "Lương Văn Nam", gender="male")
    complete_dossier(clerk, dossier, [x, y])
    ok(act(clerk, dossier, "prepare"))
    ok(act(api("chutich_vinhtrai"), dossier, "head_approval", {"decision": "submit"}))
    ok(act(api("thamdinh_noivu"), dossier, "review", {"items": items((x, "accept", ""), (y, "accept", ""))}))
    council_session(api, [x])
    award = Nomination.objects.get(pk=x["id"]).award_type_id
    body = {"campaign": dossier["campaign"], "award_type": award, "nominations": [x["id"]]}
    decision = ok(secretary.post("/api/decisions/", body, format="json"), 201)
    sign = find_decision_task(api("chutich_ubnd"), decision, "sign")
    session = council_session(api, [y], title="Phiên họp thứ hai", vote=False)
    vote = ok(api("uyvien_2").get("/api/tasks/", {"session": session["id"], "node": "vote"}))["results"][0]
    return session, vote, decision, sign


def _call(client, name, method, pk, world):
    body = BODIES.get((name, method), lambda world, pk: {})(world, pk)
    fmt = "multipart" if name in ("submission-attachments", "attachment-replace") else "json"
    url = reverse(f"api:{name}", args=[pk, *EXTRA_ARGS.get(name, [])])
    return getattr(client, method)(url, body, format=fmt) if method != "get" else client.get(url)


def test_every_id_route_is_in_the_matrix():
    assert set(id_routes()) == set(PRIVATE) | PUBLIC | BY_CODE | OWN


def test_another_persons_notification_is_not_found_whatever_the_method(api, users):
    from notifications.models import Notification  # a test of the notifications app's route, kept with the matrix

    note = Notification.objects.create(user=users["canbo_vinhtrai"], kind="assigned", title="Việc mới", dedup_key="t1")
    url = reverse("api:notification-read", args=[note.pk])
    for method in METHODS:
        assert getattr(api("canbo_dongkinh"), method)(url, {}, format="json").status_code == 404, method
    assert APIClient().post(url, {}, format="json").status_code == 401
    note.refresh_from_db()
    assert note.read_at is None
    assert api("canbo_vinhtrai").post(url, {}, format="json").json()["marked"] == 1


def test_no_route_pairs_two_ids():
    """Decoys (an id the caller may see with one they may not) need two ids in one URL: the API has none.

    A task is addressed by its own id and checked against its own process (task_actions.visible_task);
    the items of a completion body are validated by the step's form, built from the task's process.
    A route with a second id must get the UI matrix's decoy test (tests/workflow) first.
    """
    ids = {name: set(p.pattern.converters) - {"fmt", "name"} for name, p in id_routes().items()}
    assert all(len(names) == 1 for names in ids.values()), ids


def test_outsiders_and_anonymous_are_refused_and_nothing_changes(world, api):
    failures = []
    for name, pattern in id_routes().items():
        for family in PRIVATE.get(name, []):
            callers = {who: api(who) for who in OUTSIDERS[family]} | {"anonymous": APIClient()}
            for pk, method, (who, client) in itertools.product(world[family], methods_of(pattern), callers.items()):
                before = snapshot()
                response = _call(client, name, method, pk, world)
                allowed = (401,) if who == "anonymous" else (403, 404)
                if response.status_code not in allowed:
                    failures.append(f"{who}: {method.upper()} {name}({pk}) → {response.status_code}")
                if snapshot() != before:
                    failures.append(f"{who}: {method.upper()} {name}({pk}) changed data")
    assert not failures, "\n".join(failures)


def test_a_colleague_who_sees_the_dossier_cannot_change_it(world, api):
    """The unit head sees the dossier being prepared, but only the clerk holding it may edit."""
    head = api("chutich_vinhtrai")
    submission, nomination = world["submissions"][0], world["nominations"][0]
    assert head.get(reverse("api:submission-detail", args=[submission])).status_code == 200
    writes = [
        ("submission-nominations", "post", submission),
        ("submission-attachments", "post", submission),
        ("attachment-remove", "post", world["attachments"][0]),
        ("attachment-replace", "post", world["attachments"][0]),
        ("nomination-detail", "put", nomination),
        ("nomination-detail", "patch", nomination),
        ("nomination-detail", "delete", nomination),
    ]
    for name, method, pk in writes:
        before = snapshot()
        response = _call(head, name, method, pk, world)
        assert response.status_code == 403, (name, method, response.content)
        assert response.json()["code"] == "permission_denied"
        assert snapshot() == before


def test_public_routes_are_read_only(world, api):
    ids = {
        "campaign-detail": world["campaign"],
        "public-results": world["campaign"],
        "orgunit-detail": Submission.objects.get(pk=world["submissions"][0]).unit_id,
        "awardtype-detail": Nomination.objects.get(pk=world["nominations"][0]).award_type_id,
    }
    routes = id_routes()
    outsider = api("canbo_dongkinh")
    for name in PUBLIC:
        before = snapshot()
        assert ok(outsider.get(reverse(f"api:{name}", args=[ids[name]])))
        assert methods_of(routes[name]) == ["get"], name
        assert outsider.post(reverse(f"api:{name}", args=[ids[name]]), {}).status_code == 405
        assert snapshot() == before
    anonymous = APIClient()
    assert anonymous.get(reverse("api:campaign-detail", args=[world["campaign"]])).status_code == 401
    assert anonymous.get(reverse("api:public-results", args=[world["campaign"]])).status_code == 200


def test_lists_show_only_what_the_user_may_see(world, api):
    outsider = api("canbo_dongkinh")
    assert ok(outsider.get("/api/submissions/"))["results"] == []
    assert ok(outsider.get("/api/nominations/"))["results"] == []
    assert ok(outsider.get("/api/tasks/"))["results"] == []
    clerk = api("canbo_vinhtrai")
    mine = {s["id"] for s in ok(clerk.get("/api/submissions/", {"page_size": 200}))["results"]}
    assert set(world["submissions"]) <= mine
    assert all(Submission.objects.get(pk=pk).unit.code == "p-ky-lua" for pk in mine)
