"""Driving the nomination flow over HTTP as the real users do."""

from contextlib import contextmanager

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from viewflow.workflow.status import STATUS

from nominations.models import Campaign, Nomination, OrgUnit
from workflow.flows import NominationFlow

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
F = NominationFlow


def pdf(name="bao-cao.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def sent_jobs(callbacks, task):
    """The outbox jobs of ``task`` among captured on-commit callbacks (jobs.outbox.enqueue sends each on commit)."""
    from jobs.outbox import send

    return [c.args[0] for c in callbacks if getattr(c, "func", None) is send and c.args[0].task == task.name]


@contextmanager
def dossiers_move_on():
    """Run the dossier-resuming tasks that the block's requests send on commit, once the block ends.

    The test's transaction never commits, so on-commit callbacks never run by themselves. Closing a council
    session or signing a decision sends workflow.tasks.resume_dossiers_task on commit; this runs only those
    (inline, even with a broker configured); other on-commit work (notices, documents) stays unsent as before.
    Yields the list of captured callbacks.
    """
    from django.test import TestCase

    from config.celery import app
    from workflow.tasks import resume_dossiers_task

    with TestCase.captureOnCommitCallbacks() as callbacks:
        yield callbacks
    from jobs.outbox import send

    resumes = sent_jobs(callbacks, resume_dossiers_task)
    old = app.conf.CELERY_TASK_ALWAYS_EAGER
    app.conf.CELERY_TASK_ALWAYS_EAGER = True
    try:
        for job in resumes:
            send(job)
    finally:
        app.conf.CELERY_TASK_ALWAYS_EAGER = old


def open_task(process, node):
    return process.task_set.get(flow_task=node, status__in=[STATUS.NEW, STATUS.ASSIGNED])


_NAMESPACES = {"CouncilFlow": "council", "DecisionFlow": "decision", "NominationFlow": "nomination"}


def url(node, action, task):
    namespace = _NAMESPACES[node.flow_class.__name__]
    return reverse(f"{namespace}:{node.name}:{action}", args=[task.process_id, task.pk])


def act(client, user, process, node, data=None):
    """Take (if needed) and execute the open task ``node`` of ``process`` as ``user``."""
    client.force_login(user)
    task = open_task(process, node)
    if task.status == STATUS.NEW:
        response = client.post(url(node, "assign", task))
        assert response.status_code == 302, response.status_code
    with dossiers_move_on():
        return client.post(url(node, "execute", task), data or {})


def start(client, clerk, unit_code="p-ky-lua", campaign_code="dien-tap", title="Tờ trình đề nghị"):
    client.force_login(clerk)
    response = client.post(
        reverse("nomination:start:execute"),
        {
            "campaign": Campaign.objects.get(code=campaign_code).pk,
            "unit": OrgUnit.objects.get(code=unit_code).pk,
            "title": title,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return F.process_class.objects.filter(flow_class=F).latest("pk")


def nomination_form(submission, name, **extra):
    """The add-a-candidate form as a clerk fills it in (an individual, a Giấy khen)."""
    data = {
        "kind": "individual",
        "name": name,
        "gender": "female",
        "birth_year": 1980,
        "ethnicity": "Tày",
        "position": "Công chức",
        "award_type": extra.get("award_type") or submission.campaign.award_types.get(code="giay-khen").pk,
        "achievement": "Hoàn thành xuất sắc nhiệm vụ.",
    }
    data.update(extra)
    return data


def add_nomination(client, submission, name, **extra):
    data = nomination_form(submission, name, **extra)
    response = client.post(f"/dossiers/submissions/{submission.pk}/nominations/add/", data)
    assert response.status_code == 302, [line for line in response.content.decode().splitlines() if "errorlist" in line]
    return Nomination.objects.filter(submission=submission).latest("pk")


def attach(client, submission, kind, nomination=None, upload=None):
    data = {"kind": kind, "file": upload or pdf()}
    if nomination is not None:
        data["nomination"] = nomination.pk
    return client.post(f"/dossiers/submissions/{submission.pk}/attachments/add/", data)


def complete_dossier(client, submission, nominations):
    """Attach the documents the rule set requires: minutes once, a report per nomination."""
    assert attach(client, submission, "review_minutes").status_code == 302
    for nomination in nominations:
        assert attach(client, submission, "achievement_report", nomination).status_code == 302


def council_session(
    client,
    users,
    nominations,
    choices=None,
    present=None,
    title="Phiên họp Hội đồng",
    vote=True,
    issuer="ls",
    secretary="thuky_hoidong",
):
    """The ``secretary`` of ``issuer``'s council opens a session on ``nominations``; every present member votes
    (default: agree)."""
    from django.utils import timezone

    from nominations.models import Council
    from nominations.services.council import voting_members
    from workflow.flows import CouncilFlow

    council = Council.objects.get(issuer__code=issuer)
    members = list(voting_members(council, timezone.localdate()))
    present = [m for m in members if present is None or m.user.username in present]
    client.force_login(users[secretary])
    response = client.post(
        reverse("council:start:execute"),
        {
            "council": council.pk,
            "campaign": nominations[0].submission.campaign_id,
            "title": title,
            "held_on": timezone.localdate().strftime("%d/%m/%Y"),
            "place": "Phòng họp số 1",
            "nominations": [n.pk for n in nominations],
            "present": [m.pk for m in present],
        },
    )
    assert response.status_code == 302, [line for line in response.content.decode().splitlines() if "errorlist" in line]
    process = CouncilFlow.process_class.objects.filter(flow_class=CouncilFlow).latest("pk")
    for member in present if vote else []:
        vote_as(client, process, member, (choices or {}).get(member.user.username, "agree"))
    return process


def vote_as(client, process, member, choice):
    """``member`` casts a ballot giving ``choice`` (or a dict per nomination) on every item they may vote on."""
    from nominations.models import AgendaItem
    from workflow.flows import CouncilFlow

    task = process.task_set.filter(
        flow_task=CouncilFlow.vote, data__member_id=member.pk, status=STATUS.ASSIGNED
    ).first()
    if task is None:
        return None
    session = process.artifact
    items = AgendaItem.objects.filter(session=session, round=session.round, result="pending").exclude(
        recusals__member=member
    )
    data = {f"item_{i.pk}": choice.get(i.nomination_id, "agree") if isinstance(choice, dict) else choice for i in items}
    client.force_login(member.user)
    with dossiers_move_on():  # the last ballot closes the session
        response = client.post(reverse("council:vote:execute", args=[process.pk, task.pk]), data)
    assert response.status_code == 302, (response.status_code, response.content.decode()[-3000:])
    return response


def draft_decision(client, users, nominations, secretary="thuky_hoidong"):
    """The council secretary drafts a decision for ``nominations`` (council-passed, one award type)."""
    from workflow.flows import DecisionFlow

    client.force_login(users[secretary])
    response = client.post(
        reverse("decision:start:execute"),
        {
            "campaign": nominations[0].submission.campaign_id,
            "award_type": nominations[0].award_type_id,
            "subject": "",
            "nominations": [n.pk for n in nominations],
        },
    )
    assert response.status_code == 302, [line for line in response.content.decode().splitlines() if "errorlist" in line]
    return DecisionFlow.process_class.objects.filter(flow_class=DecisionFlow).latest("pk")


def sign_decision(client, user, process, data):
    """``user`` takes the signing task and posts ``data`` (decision, comment, password, strike_<item>…)."""
    from workflow.flows import DecisionFlow

    return act(client, user, process, DecisionFlow.sign, data)


def accepted_dossier(client, users, candidates):
    """A Vĩnh Trại dossier accepted by the standing body, waiting for the council: (process, nominations).

    ``candidates``: names, or (name, {other fields of the form}) pairs.
    """
    process = start(client, users["canbo_vinhtrai"])
    pairs = [(c, {}) if isinstance(c, str) else c for c in candidates]
    noms = [add_nomination(client, process.artifact, name, **fields) for name, fields in pairs]
    complete_dossier(client, process.artifact, noms)
    act(client, users["canbo_vinhtrai"], process, F.prepare)
    act(client, users["chutich_vinhtrai"], process, F.head_approval, {"decision": "submit"})
    act(
        client,
        users["thamdinh_noivu"],
        process,
        F.review,
        {k: v for n in noms for k, v in ((f"choice_{n.pk}", "accept"), (f"note_{n.pk}", ""))},
    )
    for n in noms:
        n.refresh_from_db()
    return process, noms


def signed_decision(client, users, names=("Hoàng Thị Ánh", "Lý Văn Bình")):
    """A decision of the rehearsal campaign for ``names``, accepted, passed and signed by the chairman through the
    pages: (decision, nominations)."""
    from nominations.demo import DEMO_PASSWORD
    from nominations.models import Decision

    _process, noms = accepted_dossier(client, users, list(names))
    council_session(client, users, noms)
    decision_process = draft_decision(client, users, noms)
    sign_decision(
        client, users["chutich_ubnd"], decision_process, {"decision": "sign", "comment": "", "password": DEMO_PASSWORD}
    )
    decision = Decision.objects.get(pk=decision_process.artifact.pk)
    assert decision.status == "signed"
    return decision, noms
