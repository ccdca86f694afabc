"""What a person does in the application, done through the pages (UIDriver) or the REST API (APIDriver).

One journey test runs over both, so the pages and the API are held to the same outcomes. Drivers speak in model
ids (dossier, nomination, session, decision) and act as the user last logged in. A step the application refuses
raises ``Refused`` with the Vietnamese messages shown (the page's form errors, or the API's 400 body); anything
else unexpected (a 403/404/500, a redirect to nowhere) fails the test at once.

The drivers use only URLs (``reverse`` names, ``/api/`` paths), the models and the test helpers: never the
workflow's step, view or form modules, so they survive those being moved. To find an open task, the UI driver
reads the task table as a person reads the inbox; the API driver asks ``/api/tasks/``.
"""

import datetime
import re
from typing import Protocol

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import STATUS

from nominations.demo import DEMO_PASSWORD
from nominations.models import AgendaItem, CouncilSession, Decision, DecisionItem, Nomination, Submission
from tests.workflow.helpers import dossiers_move_on

from .pages import page_errors, page_form, table_rows, timeline_entries

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="bao-cao.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


class Refused(Exception):
    """The application refused the step and said why (in Vietnamese)."""

    def __init__(self, messages, body=None):
        self.messages = [str(m) for m in messages]
        self.body = body  # the API's JSON error body (None for a page)
        super().__init__("; ".join(self.messages))

    @property
    def text(self) -> str:
        return " ".join(self.messages)


class Driver(Protocol):
    name: str

    def login(self, username: str, password: str = DEMO_PASSWORD) -> None: ...
    def open_dossier(self, *, campaign: int, unit: int, title: str) -> int: ...
    def add_nomination(self, dossier: int, *, name: str, award_type: int, **fields) -> int: ...
    def attach(self, dossier: int, kind: str, nomination: int | None = None) -> None: ...
    def send_to_head(self, dossier: int, comment: str = "") -> None: ...
    def head_decides(self, dossier: int, *, submit: bool, comment: str = "") -> None: ...
    def ward_decides(self, dossier: int, *, endorse: bool, comment: str = "") -> None: ...
    def appraise(self, dossier: int, choices: dict, comment: str = "") -> None: ...
    def complete(self, dossier: int, comment: str = "") -> None: ...
    def open_session(self, *, council: int, campaign: int, title: str, nominations: list, present: list) -> int: ...
    def vote(self, session: int, choice) -> None: ...
    def close_voting(self, session: int) -> None: ...
    def second_round(self, session: int, *, revote: bool) -> None: ...
    def draft_decision(self, *, campaign: int, award_type: int, nominations: list) -> int: ...
    def sign(self, decision: int, *, password: str, strike: dict | None = None, comment: str = "") -> None: ...
    def give_back(self, decision: int, comment: str) -> None: ...
    def redraft(self, decision: int, comment: str = "", remove: tuple = ()) -> None: ...
    def revoke(self, decision: int, *, reason: str, password: str) -> None: ...
    def public_results(self, campaign: int) -> list[tuple]: ...
    def nomination_history(self, nomination: int) -> list[str]: ...


def _process(model, pk: int) -> Process:
    return Process.objects.get(artifact_content_type=ContentType.objects.get_for_model(model), artifact_object_id=pk)


def _ballot_items(session: int) -> dict:
    """{nomination id: agenda item id} of the current round's pending items."""
    current = CouncilSession.objects.get(pk=session)
    items = AgendaItem.objects.filter(session=current, round=current.round, result=AgendaItem.Result.PENDING)
    return dict(items.values_list("nomination_id", "pk"))


def _choice_for(choice, nomination: int) -> str:
    return choice.get(nomination, "agree") if isinstance(choice, dict) else choice


def _decision_items(decision: int) -> dict:
    """{nomination id: decision item id}."""
    return dict(DecisionItem.objects.filter(decision_id=decision).values_list("nomination_id", "pk"))


class UIDriver:
    """A person at the browser: each step GETs its page, fills in the form the page shows and posts it."""

    name = "ui"

    def __init__(self):
        self.clients, self.client, self.user = {}, None, None

    # --- plumbing
    def _get(self, url: str) -> str:
        response = self.client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response.content.decode()

    def _submit(self, url: str, data: dict, files: dict | None = None):
        """Fill ``data`` into the form ``url`` shows and post it: the redirect on success, Refused otherwise."""
        body = page_form(self._get(url), {**data, **(files or {})})
        with dossiers_move_on():  # closing a session or signing moves dossiers on, after commit
            response = self.client.post(url, body)
        if response.status_code in (200, 422):
            errors = page_errors(response.content.decode())
            assert errors, f"{url}: the page came back without saying why"
            raise Refused(errors)
        assert response.status_code == 302, (url, response.status_code, response.content.decode()[:1000])
        return response

    def _task_url(self, namespace: str, model, pk: int, node: str) -> str:
        """Take (if it is in the queue) the open task ``node`` of the object and return its execute page."""
        process = _process(model, pk)
        open_tasks = Task.objects.filter(process=process, status__in=[STATUS.NEW, STATUS.ASSIGNED]).order_by("pk")
        mine = [t for t in open_tasks if t.flow_task.name == node and t.owner_id in (None, self.user.pk)]
        assert mine, f"{self.user}: no open {node} task"
        task = mine[0]
        if task.status == STATUS.NEW:
            self._submit(reverse(f"{namespace}:{node}:assign", args=[process.pk, task.pk]), {})
        return reverse(f"{namespace}:{node}:execute", args=[process.pk, task.pk])

    def _dossier_step(self, dossier: int, node: str, data: dict) -> None:
        self._submit(self._task_url("nomination", Submission, dossier, node), data)

    # --- people
    def login(self, username, password=DEMO_PASSWORD):
        if username not in self.clients:
            client = Client()
            self.client = client
            response = client.post(
                "/accounts/login/",
                page_form(self._get("/accounts/login/"), {"username": username, "password": password}),
            )
            assert response.status_code == 302, response.content.decode()[:1000]
            self.clients[username] = client
        self.client = self.clients[username]
        self.user = get_user_model().objects.get(username=username)

    # --- the dossier
    def open_dossier(self, *, campaign, unit, title):
        before = set(Submission.objects.values_list("pk", flat=True))
        self._submit(reverse("nomination:start:execute"), {"campaign": campaign, "unit": unit, "title": title})
        (new,) = set(Submission.objects.values_list("pk", flat=True)) - before
        return new

    def add_nomination(self, dossier, *, name, award_type, **fields):
        before = set(Nomination.objects.values_list("pk", flat=True))
        self._submit(
            reverse("dossiers:nomination_add", args=[dossier]), {"name": name, "award_type": award_type, **fields}
        )
        (new,) = set(Nomination.objects.values_list("pk", flat=True)) - before
        return new

    def attach(self, dossier, kind, nomination=None):
        data = {"kind": kind, **({"nomination": nomination} if nomination else {})}
        self._submit(reverse("dossiers:attachment_add", args=[dossier]), data, {"file": pdf()})

    def send_to_head(self, dossier, comment=""):
        self._dossier_step(dossier, "prepare", {"comment": comment})

    def head_decides(self, dossier, *, submit, comment=""):
        self._dossier_step(dossier, "head_approval", {"decision": "submit" if submit else "return", "comment": comment})

    def ward_decides(self, dossier, *, endorse, comment=""):
        self._dossier_step(dossier, "ward_review", {"decision": "endorse" if endorse else "return", "comment": comment})

    def appraise(self, dossier, choices, comment=""):
        data = {"comment": comment}
        for pk, (choice, note) in choices.items():
            data.update({f"choice_{pk}": choice, f"note_{pk}": note})
        self._dossier_step(dossier, "review", data)

    def complete(self, dossier, comment=""):
        self._dossier_step(dossier, "complete", {"comment": comment})

    # --- the council
    def open_session(self, *, council, campaign, title, nominations, present):
        before = set(CouncilSession.objects.values_list("pk", flat=True))
        data = {
            "council": council,
            "campaign": campaign,
            "title": title,
            "place": "Phòng họp số 1",
            "nominations": list(nominations),
            "present": list(present),
        }
        self._submit(reverse("council:start:execute"), data)
        (new,) = set(CouncilSession.objects.values_list("pk", flat=True)) - before
        return new

    def vote(self, session, choice):
        url = self._task_url("council", CouncilSession, session, "vote")
        items = _ballot_items(session)
        self._submit(url, {f"item_{item}": _choice_for(choice, nomination) for nomination, item in items.items()})

    def close_voting(self, session):
        self._submit(self._task_url("council", CouncilSession, session, "close_voting"), {"confirm": "on"})

    def second_round(self, session, *, revote):
        url = self._task_url("council", CouncilSession, session, "second_round")
        self._submit(url, {"decision": "revote" if revote else "conclude"})

    # --- the decision
    def draft_decision(self, *, campaign, award_type, nominations):
        before = set(Decision.objects.values_list("pk", flat=True))
        data = {"campaign": campaign, "award_type": award_type, "subject": "", "nominations": list(nominations)}
        self._submit(reverse("decision:start:execute"), data)
        (new,) = set(Decision.objects.values_list("pk", flat=True)) - before
        return new

    def sign(self, decision, *, password, strike=None, comment=""):
        items = _decision_items(decision)
        data = {"decision": "sign", "comment": comment, "password": password}
        for nomination, reason in (strike or {}).items():
            data.update({f"strike_{items[nomination]}": "on", f"reason_{items[nomination]}": reason})
        self._submit(self._task_url("decision", Decision, decision, "sign"), data)

    def give_back(self, decision, comment):
        data = {"decision": "return", "comment": comment}
        self._submit(self._task_url("decision", Decision, decision, "sign"), data)

    def redraft(self, decision, comment="", remove=()):
        items = _decision_items(decision)
        data = {"comment": comment, **({"remove": [items[n] for n in remove]} if remove else {})}
        self._submit(self._task_url("decision", Decision, decision, "redraft"), data)

    def revoke(self, decision, *, reason, password):
        self._submit(reverse("decisions:revoke", args=[decision]), {"reason": reason, "password": password})

    def nomination_history(self, nomination):
        return timeline_entries(self._get(reverse("dossiers:nomination", args=[nomination])))

    # --- the public
    def public_results(self, campaign):
        html = Client().get(reverse("public_results", args=[campaign])).content.decode()
        rows = [r for r in table_rows(html) if len(r) == 5]
        return sorted(
            (name, unit, award, re.search(r"Số (\S+) ngày", decision)[1]) for _n, name, unit, award, decision in rows
        )


class APIDriver:
    """A portal or a script: token auth against /api/, JSON bodies, tasks found through /api/tasks/."""

    name = "api"

    def __init__(self):
        self.clients, self.client, self.user = {}, None, None

    def _ok(self, response, *statuses):
        if response.status_code == 400:
            body = response.json()
            messages = [body.get("detail", "")]
            for errors in (body.get("errors") or {}).values():
                messages += [e["message"] for e in errors]
            raise Refused([m for m in messages if m], body)
        assert response.status_code in (statuses or (200,)), (response.status_code, response.content.decode()[:1000])
        return response.json() if response.content else None

    def _task(self, params: dict, node: str) -> dict:
        page = self._ok(self.client.get("/api/tasks/", {**params, "node": node}))
        assert page["results"], f"{self.user}: no open {node} task"
        task = page["results"][0]
        if task["status"] == "NEW":
            self._ok(self.client.post(f"/api/tasks/{task['id']}/claim/"))
        return task

    def _complete(self, params: dict, node: str, body: dict):
        task = self._task(params, node)
        with dossiers_move_on():  # closing a session or signing moves dossiers on, after commit
            return self._ok(self.client.post(f"/api/tasks/{task['id']}/complete/", body, format="json"))

    def login(self, username, password=DEMO_PASSWORD):
        if username not in self.clients:
            client = APIClient()
            token = self._ok(client.post("/api/auth/token/", {"username": username, "password": password}))["token"]
            client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
            self.clients[username] = client
        self.client = self.clients[username]
        self.user = get_user_model().objects.get(username=username)

    def open_dossier(self, *, campaign, unit, title):
        body = {"campaign": campaign, "unit": unit, "title": title}
        return self._ok(self.client.post("/api/submissions/", body, format="json"), 201)["id"]

    def add_nomination(self, dossier, *, name, award_type, **fields):
        body = {"name": name, "award_type": award_type, **fields}
        url = f"/api/submissions/{dossier}/nominations/"
        return self._ok(self.client.post(url, body, format="json"), 201)["id"]

    def attach(self, dossier, kind, nomination=None):
        data = {"kind": kind, "file": pdf(), **({"nomination": nomination} if nomination else {})}
        self._ok(self.client.post(f"/api/submissions/{dossier}/attachments/", data, format="multipart"), 201)

    def send_to_head(self, dossier, comment=""):
        self._complete({"submission": dossier}, "prepare", {"comment": comment})

    def head_decides(self, dossier, *, submit, comment=""):
        body = {"decision": "submit" if submit else "return", "comment": comment}
        self._complete({"submission": dossier}, "head_approval", body)

    def ward_decides(self, dossier, *, endorse, comment=""):
        body = {"decision": "endorse" if endorse else "return", "comment": comment}
        self._complete({"submission": dossier}, "ward_review", body)

    def appraise(self, dossier, choices, comment=""):
        items = {str(pk): {"choice": choice, "note": note} for pk, (choice, note) in choices.items()}
        self._complete({"submission": dossier}, "review", {"items": items, "comment": comment})

    def complete(self, dossier, comment=""):
        self._complete({"submission": dossier}, "complete", {"comment": comment})

    def open_session(self, *, council, campaign, title, nominations, present):
        body = {
            "council": council,
            "campaign": campaign,
            "title": title,
            "held_on": datetime.date.today().isoformat(),
            "place": "Phòng họp số 1",
            "nominations": list(nominations),
            "present": list(present),
        }
        return self._ok(self.client.post("/api/council-sessions/", body, format="json"), 201)["id"]

    def vote(self, session, choice):
        task = self._task({"session": session, "box": "inbox"}, "vote")
        form = self._ok(self.client.get(f"/api/tasks/{task['id']}/"))["form"]
        nomination_of = {item: nomination for nomination, item in _ballot_items(session).items()}
        ballot = {str(i["id"]): {"choice": _choice_for(choice, nomination_of[i["id"]])} for i in form["items"]}
        with dossiers_move_on():  # the last ballot closes the session
            done = self._ok(self.client.post(f"/api/tasks/{task['id']}/complete/", {"items": ballot}, format="json"))
        assert done["status"] == "DONE" and done["result"]["receipt"]

    def close_voting(self, session):
        self._complete({"session": session}, "close_voting", {})

    def second_round(self, session, *, revote):
        self._complete({"session": session}, "second_round", {"decision": "revote" if revote else "conclude"})

    def draft_decision(self, *, campaign, award_type, nominations):
        body = {"campaign": campaign, "award_type": award_type, "nominations": list(nominations)}
        return self._ok(self.client.post("/api/decisions/", body, format="json"), 201)["id"]

    def sign(self, decision, *, password, strike=None, comment=""):
        items = _decision_items(decision)
        struck = {str(items[n]): {"choice": "strike", "note": reason} for n, reason in (strike or {}).items()}
        body = {"decision": "sign", "comment": comment, "password": password, "items": struck}
        self._complete({"decision": decision}, "sign", body)

    def give_back(self, decision, comment):
        self._complete({"decision": decision}, "sign", {"decision": "return", "comment": comment})

    def redraft(self, decision, comment="", remove=()):
        items = _decision_items(decision)
        body = {"comment": comment, "items": {str(items[n]): {"choice": "remove"} for n in remove}}
        self._complete({"decision": decision}, "redraft", body)

    def revoke(self, decision, *, reason, password):
        body = {"reason": reason, "password": password}
        self._ok(self.client.post(f"/api/decisions/{decision}/revoke/", body, format="json"))

    def nomination_history(self, nomination):
        url = f"/api/nominations/{nomination}/timeline/"
        events = self._ok(self.client.get(url, {"page_size": 200}))["results"]
        return [f"{e['label']} {e['comment']}" for e in events]

    def public_results(self, campaign):
        results = self._ok(APIClient().get(f"/api/public/campaigns/{campaign}/results/"))["results"]
        return sorted((r["candidate"], r["unit"], r["award_type"], r["decision_number"]) for r in results)


DRIVERS = {"ui": UIDriver, "api": APIDriver}
