"""Through the flow on the demo: the dossier's clerk links a collective nomination to its unit's works and
targets while preparing the dossier; the reviewer, then a council member of the session, read the unit's
self-assessment and the basis next to the nomination (page and API)."""

from django.urls import reverse
from rest_framework.test import APIClient

from nominations.models import Registration
from nominations.services import evaluations
from tests.workflow.helpers import F, act, add_nomination, complete_dossier, council_session, start


def test_reviewer_and_council_read_the_evaluation_next_to_the_nomination(client, demo):
    from django.contrib.auth import get_user_model

    users = {u.username: u for u in get_user_model().objects.all()}
    clerk = users["canbo_vinhtrai"]
    process = start(client, clerk)
    submission = process.artifact
    team = add_nomination(client, submission, "Tổ dân phố số 3", kind="collective", gender="", birth_year="")
    registration = Registration.objects.get(campaign=submission.campaign, unit=submission.unit)
    plan, work = registration.plans.first(), registration.works.first()
    evaluations.evaluation_save(
        registration=registration,
        actor=clerk,
        plans={plan.pk: {"result": "exceeded", "comment": "Vượt chỉ tiêu được giao"}},
    )
    # The clerk holds the preparing step: the link is on the page, and the form saves it.
    client.force_login(clerk)
    basis_url = reverse("registrations:basis", args=[team.pk])
    assert basis_url in client.get(reverse("dossiers:nomination", args=[team.pk])).content.decode()
    assert client.post(basis_url, {"works": [work.pk], "plans": [plan.pk]}).status_code == 302
    complete_dossier(client, submission, [team])
    act(client, clerk, process, F.prepare)
    # Once the dossier has left the clerk, the link can no longer be changed.
    client.force_login(clerk)
    assert client.post(basis_url, {"works": []}).status_code == 403
    act(client, users["chutich_vinhtrai"], process, F.head_approval, {"decision": "submit"})
    for reader in ("thamdinh_noivu",):
        client.force_login(users[reader])
        page = client.get(reverse("dossiers:nomination", args=[team.pk])).content.decode()
        assert "Tự đánh giá của đơn vị" in page and "Vượt chỉ tiêu được giao" in page
        assert f"Công trình: {work.title}" in page and basis_url not in page
    act(
        client,
        users["thamdinh_noivu"],
        process,
        F.review,
        {f"choice_{team.pk}": "accept", f"note_{team.pk}": ""},
    )
    council_session(client, users, [team], vote=False)
    api = APIClient()
    api.force_authenticate(users["uyvien_1"])
    data = api.get(reverse("api:nomination-basis", args=[team.pk])).json()
    assert (data["works"], data["plans"], data["registration"]) == ([work.pk], [plan.pk], registration.pk)
    assert data["assessments"][0]["result_label"] == "Hoàn thành vượt mức"
