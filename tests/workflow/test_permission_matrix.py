"""Every step × every role × (own unit, other unit): allowed, or 403/404 with nothing changed.

And every URL pattern that takes an object id, enumerated from the URLconf,
refuses an outsider without changing anything.
"""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver

from nominations.models import (
    Attachment,
    BallotCast,
    CouncilMember,
    Membership,
    Nomination,
    OrgUnit,
    Registration,
    Role,
    SealedBallot,
    Submission,
)
from workflow.flows import CouncilFlow as C
from workflow.flows import DecisionFlow as D
from workflow.models import AuditEvent
from workflow.permissions import grant_membership

from .helpers import F, act, add_nomination, complete_dossier, council_session, draft_decision, open_task, start, url

User = get_user_model()
OTHER_CITY_ROLES = {
    "thamdinh_khac": Role.REVIEWER,
    "thuky_khac": Role.COUNCIL_SECRETARY,
    "uyvien_khac": Role.COUNCIL_MEMBER,
    "chutich_khac": Role.CHAIRMAN,
}
# role → (own-unit user, other-unit user)
ROLES = {
    "unit_clerk": ("canbo_vinhtrai", "canbo_dongkinh"),
    "unit_head": ("chutich_vinhtrai", "chutich_dongkinh"),
    "ward_reviewer": ("thidua_vinhtrai", "thidua_dongkinh"),
    "reviewer": ("thamdinh_noivu", "thamdinh_khac"),
    "council_secretary": ("thuky_hoidong", "thuky_khac"),
    "council_member": ("uyvien_1", "uyvien_khac"),
    "chairman": ("chutich_ubnd", "chutich_khac"),
    "vice_chairman": ("phochutich_ubnd", None),
}
# step → the one user who may act on it
ACTORS = {
    "prepare": "canbo_vinhtrai",
    "head_approval": "chutich_vinhtrai",
    "ward_review": "thidua_vinhtrai",
    "review": "thamdinh_noivu",
    "complete": "canbo_vinhtrai",
    # council flow: one member's ballot, and the secretary's close task
    "vote": "uyvien_2",
    "close_voting": "thuky_hoidong",
    "sign": "chutich_ubnd",  # decision flow
}


@pytest.fixture
def world(demo, client):
    """The demo plus another city and another ward, and one dossier stopped at every step."""
    day = datetime.date(2024, 1, 1)
    province = OrgUnit.objects.get(code="ls")
    city = OrgUnit.objects.create(
        code="tp-khac", name="Huyện Khác", kind="city", level=2, parent=province, valid_from=day
    )
    office = OrgUnit.objects.create(
        code="tp-khac-noi-vu", name="Phòng Nội vụ huyện Khác", kind="agency", level=4, parent=city, valid_from=day
    )
    where = {Role.REVIEWER: office, Role.COUNCIL_SECRETARY: office}
    for username, role in OTHER_CITY_ROLES.items():
        user = User.objects.create_user(username, password="x")
        grant_membership(Membership.objects.create(user=user, unit=where.get(role, city), role=role, valid_from=day))
    user = User.objects.create_user("thidua_dongkinh", password="x")
    grant_membership(
        Membership.objects.create(
            user=user, unit=OrgUnit.objects.get(code="p-dong-kinh-moi"), role=Role.WARD_REVIEWER, valid_from=day
        )
    )
    users = {u.username: u for u in User.objects.all()}
    return {"users": users, "processes": _processes_at_every_step(client, users)}


def _dossier(client, users, unit_code="p-ky-lua", clerk="canbo_vinhtrai", head="chutich_vinhtrai"):
    process = start(client, users[clerk], unit_code=unit_code)
    nomination = add_nomination(client, process.artifact, "Hà Thị Thu")
    complete_dossier(client, process.artifact, [nomination])
    return process, nomination


def _processes_at_every_step(client, u):
    steps = {}
    steps["prepare"], _ = _dossier(client, u)
    p, n = _dossier(client, u)
    act(client, u["canbo_vinhtrai"], p, F.prepare)
    steps["head_approval"] = p
    p, n = _dossier(client, u, "p-ky-lua-khoi-5", "canbo_khoi5")
    act(client, u["canbo_khoi5"], p, F.prepare)
    act(client, u["truongkhoi_khoi5"], p, F.head_approval, {"decision": "submit"})
    steps["ward_review"] = p
    p, n = _dossier(client, u)
    act(client, u["canbo_vinhtrai"], p, F.prepare)
    act(client, u["chutich_vinhtrai"], p, F.head_approval, {"decision": "submit"})
    steps["review"] = p
    p, n = _dossier(client, u)
    act(client, u["canbo_vinhtrai"], p, F.prepare)
    act(client, u["chutich_vinhtrai"], p, F.head_approval, {"decision": "submit"})
    act(client, u["thamdinh_noivu"], p, F.review, {f"choice_{n.pk}": "complete", f"note_{n.pk}": "Thiếu ảnh"})
    steps["complete"] = p
    p, n = _dossier(client, u)
    act(client, u["canbo_vinhtrai"], p, F.prepare)
    act(client, u["chutich_vinhtrai"], p, F.head_approval, {"decision": "submit"})
    act(client, u["thamdinh_noivu"], p, F.review, {f"choice_{n.pk}": "accept", f"note_{n.pk}": ""})
    n.refresh_from_db()
    council_session(client, u, [n])
    n.refresh_from_db()
    steps["decided"] = p  # the dossier, waiting for the decision
    steps["sign"] = draft_decision(client, u, [n])
    p, n = _dossier(client, u)
    act(client, u["canbo_vinhtrai"], p, F.prepare)
    act(client, u["chutich_vinhtrai"], p, F.head_approval, {"decision": "submit"})
    act(client, u["thamdinh_noivu"], p, F.review, {f"choice_{n.pk}": "accept", f"note_{n.pk}": ""})
    n.refresh_from_db()
    # A session left open: nobody has voted yet.
    session = council_session(
        client, u, [n], present=["uyvien_1", "uyvien_2", "uyvien_3", "phochutich_ubnd"], choices=None, vote=False
    )
    steps["vote"] = steps["close_voting"] = session
    client.logout()
    return steps


def snapshot():
    """Everything a refused request must leave untouched."""
    return (
        list(F.task_class.objects.order_by("pk").values_list("pk", "status", "owner_id")),
        list(Nomination.objects.order_by("pk").values_list("pk", "status", "updated_at", "achievement")),
        list(Submission.objects.order_by("pk").values_list("pk", "status", "review_rounds")),
        BallotCast.objects.count(),
        SealedBallot.objects.count(),
        Attachment.objects.count(),
        AuditEvent.objects.exclude(scope__in=["auth", "access"]).count(),
    )


def _payload(node, process):
    data = {"decision": "submit", "comment": "thử"}
    if node.flow_class is D:
        return {"decision": "sign", "comment": "", "password": "thidua-demo-2024"}
    if node.flow_class is C:
        data.update({f"item_{i.pk}": "agree" for i in process.artifact.items.all()})
        return data
    for n in process.artifact.nominations.all():
        data.update({f"choice_{n.pk}": "accept", f"note_{n.pk}": "x"})
    return data


def _open_task(step, process, users):
    if step == "vote":
        member = CouncilMember.objects.get(user=users[ACTORS["vote"]], council__issuer__code="ls")
        return C.vote, process.task_set.get(flow_task=C.vote, data__member_id=member.pk)
    node = getattr({"close_voting": C, "sign": D}.get(step, F), step)
    return node, open_task(process, node)


def test_every_step_every_role(world, client):
    users, failures = world["users"], []
    for step, process in world["processes"].items():
        if step not in ACTORS:
            continue
        node, task = _open_task(step, process, users)
        for role, pair in ROLES.items():
            for username in filter(None, pair):
                if username == ACTORS[step]:
                    continue
                before = snapshot()
                client.force_login(users[username])
                codes = [
                    client.post(url(node, "assign", task)).status_code,
                    client.post(url(node, "execute", task), _payload(node, process)).status_code,
                    client.get(url(node, "execute", task)).status_code,
                ]
                if any(code not in (403, 404) for code in codes) or snapshot() != before:
                    failures.append(f"{step} × {role} ({username}): {codes}")
        # The rightful actor may take and open the task.
        actor = users[ACTORS[step]]
        client.force_login(actor)
        if task.status == "NEW":
            assert client.post(url(node, "assign", task)).status_code == 302, step
        assert client.get(url(node, "execute", task)).status_code == 200, step
    assert not failures, "\n".join(failures)


def _object_patterns():
    """(route, name, kwargs names) of every URL pattern that takes an object id."""
    found = []

    def walk(resolver, prefix, namespace):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern, prefix + str(pattern.pattern), ns)
            elif isinstance(pattern, URLPattern):
                converters = {**getattr(resolver.pattern, "converters", {}), **pattern.pattern.converters}
                route = prefix + str(pattern.pattern)
                if any(k in route for k in ("<int:", "<path:object_id>", "<str:")) and converters is not None:
                    found.append((route, f"{namespace}{pattern.name}"))

    walk(get_resolver(), "", "")
    return found


def _fill(route, name, world):
    """A concrete URL for ``route`` pointing at objects of the Vĩnh Trại dossier at the review step."""
    process = world["processes"]["decided"]
    submission = process.artifact
    nomination = submission.nominations.first()
    attachment = submission.attachments.first()
    flow = F
    if route.startswith(("council/", "sessions/")):
        process, flow = world["processes"]["vote"], C
    if route.startswith(("decision/", "decisions/")):
        process, flow = world["processes"]["sign"], D
    node_name = route.split("/")[2] if "/<int:process_pk>/" in route else None
    node = getattr(flow, node_name, None) if node_name else None
    node_task = process.task_set.filter(flow_task=node).first() if hasattr(node, "flow_class") else None
    session = world["processes"]["vote"].artifact
    ids = {
        "process_pk": process.pk,
        "task_pk": (node_task or process.task_set.first()).pk,
        "nomination_pk": nomination.pk,
        # The dossier's own file under the dossier's id (a file of another dossier: test_completion_rounds).
        "attachment_pk": attachment.pk,
        "object_id": submission.pk,
        "content_type_id": ContentType.objects.get_for_model(Submission).pk,
    }
    if name.startswith("registrations:"):
        registrations = Registration.objects.filter(campaign=submission.campaign_id).order_by("unit__path")
        registration = registrations.filter(unit=submission.unit_id).first() or registrations.first()
        by_campaign = name.startswith(("registrations:table", "registrations:remind"))
        ids["pk"] = submission.campaign_id if by_campaign else registration.pk
    elif name.startswith("decisions:statistics"):
        ids["pk"] = submission.campaign.issuer_id
    elif name.startswith("decisions:"):
        ids["pk"] = world["processes"]["sign"].artifact.pk if "summary" not in name else submission.campaign_id
        ids["name"] = "pdf"
    elif name.startswith("sessions:"):
        ids["pk"] = session.items.first().pk if name == "sessions:recusal" else session.pk
        ids["fmt"] = "pdf"
    elif name in ("dossiers:attachment_replace", "dossiers:attachment_remove"):
        ids["pk"] = submission.pk
    elif "attachment" in name:
        ids["pk"] = attachment.pk
    elif "nomination" in name and name.startswith("dossiers:"):
        ids["pk"] = nomination.pk if name != "dossiers:nomination_add" else submission.pk
    else:
        ids["pk"] = submission.pk
    path = "/" + route
    for key, value in ids.items():
        for conv in ("int", "path", "str"):
            path = path.replace(f"<{conv}:fmt>", str(ids.get("fmt", "pdf")))
            path = path.replace(f"<{conv}:name>", "pdf").replace(
                f"<{conv}:code>", "00000000-0000-0000-0000-000000000000"
            )
            path = path.replace(f"<{conv}:{key}>", str(value))
    return path


def test_every_object_url_refuses_an_outsider(world, client):
    # The REST API has its own matrix (tests/api), with its own expectations for reference data.
    # Verification and published results are public by design (tested in test_decisions).
    # Registering is open to every unit's clerk for a launched campaign (itself public): the registration it
    # makes is the clerk's own unit's (tests/registrations).
    public = {"verify", "public_results", "registrations:create"}
    patterns = [(r, n) for r, n in _object_patterns() if not n.startswith("api:") and n not in public]
    assert len(patterns) > 60  # viewflow's task URLs, dossier pages, admin pages
    outsider = world["users"]["canbo_dongkinh"]
    client.force_login(outsider)
    failures = []
    for route, name in patterns:
        path = _fill(route, name, world)
        if "<" in path:
            failures.append(f"unfilled {route}")
            continue
        before = snapshot()
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            # A read-only page answers POST with 405 before any lookup.
            allowed = (403, 404) if method == "get" else (403, 404, 405)
            if name.startswith("admin:"):
                allowed = (302,)  # not staff: sent to the admin login
                assert response.status_code != 302 or "/admin/login/" in response["Location"], path
            if response.status_code not in allowed:
                failures.append(f"{method.upper()} {path} ({name}) → {response.status_code}")
        if snapshot() != before:
            failures.append(f"{path} changed data")
    assert not failures, "\n".join(failures)


# A title no Vĩnh Trại user may ever read: the foreign dossiers of the decoy test carry it.
FOREIGN_TITLE = "Tờ trình riêng của Đông Kinh"


def _foreign_dossiers(client, users):
    """Đông Kinh dossiers, which no Vĩnh Trại user sees: one being prepared, one at its head."""
    clerk = users["canbo_dongkinh"]
    preparing = start(client, clerk, unit_code="p-dong-kinh-moi", title=FOREIGN_TITLE)
    waiting = start(client, clerk, unit_code="p-dong-kinh-moi", title=FOREIGN_TITLE)
    nomination = add_nomination(client, waiting.artifact, "Nông Văn Bí")
    complete_dossier(client, waiting.artifact, [nomination])
    act(client, clerk, waiting, F.prepare)
    return [preparing, waiting]


def _decoys(route, world, foreign):
    """(who, URL process, decoy tasks) for a task route: the user sees the URL's process, never the task in it.

    Decoys: a task of the same node in a process the user may not see, or (no such task) any task the user may
    not see; a task of another flow; a task of the same process at another node; for the council, a task of
    another session the user does see (a task must belong to the very process of the URL).
    """
    flow_name, node_name = route.split("/")[0], route.split("/")[2]
    processes = world["processes"]
    own = {"nomination": processes["head_approval"], "council": processes["vote"], "decision": processes["sign"]}[
        flow_name
    ]
    who = "canbo_vinhtrai" if flow_name == "nomination" else "thuky_hoidong"
    foreign_tasks = F.task_class.objects.filter(process__in=foreign).order_by("pk")
    decoys = [foreign_tasks.filter(flow_task=getattr(F, node_name, None)).first() or foreign_tasks.first()]
    decoys.append(own.task_set.exclude(flow_task=getattr(own.flow_class, node_name)).first())
    if flow_name == "council":
        decoys.append(F.task_class.objects.filter(process__flow_class=C).exclude(process=own).first())
    return who, own, decoys


def test_a_task_url_answers_only_for_its_own_process(world, client):
    """An id the user may see with one they may not (or of another process or node): 404, nothing leaks."""
    foreign = _foreign_dossiers(client, world["users"])
    routes = [r for r, n in _object_patterns() if "<int:task_pk>" in r]
    assert {r.split("/")[0] for r in routes} == {"nomination", "council", "decision"}
    failures = []
    for route in routes:
        who, own, decoys = _decoys(route, world, foreign)
        client.force_login(world["users"][who])
        for task in decoys:
            path = "/" + route.replace("<int:process_pk>", str(own.pk)).replace("<int:task_pk>", str(task.pk))
            before = snapshot()
            for method in ("get", "post"):
                response = getattr(client, method)(path)
                body = response.content.decode()
                if response.status_code != 404 or FOREIGN_TITLE in body:
                    failures.append(f"{who}: {method.upper()} {path} → {response.status_code}")
            if snapshot() != before:
                failures.append(f"{who}: {path} changed data")
    assert not failures, "\n".join(failures)


def test_the_rightful_task_url_still_answers(world, client):
    """The gate lets the URL of a task in its own process and node through."""
    users, process = world["users"], world["processes"]["head_approval"]
    task = open_task(process, F.head_approval)
    client.force_login(users["canbo_vinhtrai"])
    assert client.get(url(F.head_approval, "detail", task)).status_code == 200
    assert client.get(url(F.head_approval, "index", task)).status_code == 302
