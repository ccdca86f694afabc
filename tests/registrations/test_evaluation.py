"""The end-of-campaign evaluation: the unit assesses each commitment, work and target of its accepted
registration (all or nothing, audited); a collective nomination links the works and targets it rests on (its
unit's, for its campaign), and its page shows them beside the unit's assessment."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from nominations.models import NominationBasis, SelfAssessment
from nominations.services import evaluations
from tests.nominations.services.world import add, dossier, nothing_written
from workflow.models import AuditEvent

from .world import build_registration_world, registered


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    w = build_registration_world()
    w.rule.recipient_kinds = ["individual", "collective"]
    w.rule.save(update_fields=["recipient_kinds"])
    return w


def assess(registration, actor, **items):
    return evaluations.evaluation_save(registration=registration, actor=actor, **items)


def test_the_unit_assesses_each_item_and_may_revise(world):
    registration = registered(world)
    commitment, work, plan = registration.commitments.get(), registration.works.get(), registration.plans.first()
    assess(
        registration,
        world.clerk,
        commitments={commitment.pk: {"result": "done", "comment": "Đúng hạn"}},
        works={str(work.pk): {"result": "exceeded", "comment": "Sớm hai tuần"}},
        plans={plan.pk: {"result": "partly", "comment": ""}},
    )
    assess(registration, world.clerk, plans={plan.pk: {"result": "done", "comment": "Đạt sau bổ sung"}})
    rows = {(a.commitment_id, a.work_id, a.plan_id): (a.result, a.comment) for a in SelfAssessment.objects.all()}
    assert rows == {
        (commitment.pk, None, None): ("done", "Đúng hạn"),
        (None, work.pk, None): ("exceeded", "Sớm hai tuần"),
        (None, None, plan.pk): ("done", "Đạt sau bổ sung"),
    }
    events = AuditEvent.objects.filter(event_type="registration.evaluated", scope=registration.audit_scope)
    assert events.count() == 2 and events.last().data == {f"plan:{plan.pk}": "done"}


def test_bad_assessments_write_nothing(world):
    draft = registered(world, accept=False)
    other = registered(world, unit=world.ward)
    accepted = registered(world, unit=world.group)
    with nothing_written(), pytest.raises(ValidationError, match="đã được chấp thuận"):
        assess(draft, world.clerk, plans={draft.plans.first().pk: {"result": "done"}})
    good = {"result": "done", "comment": ""}
    with nothing_written(), pytest.raises(ValidationError) as error:
        # The first item is fine, the second is another registration's: neither is written.
        assess(accepted, world.clerk, plans={accepted.plans.first().pk: good, other.plans.first().pk: good})
    assert "plans" in error.value.message_dict
    with pytest.raises(ValidationError, match="không hợp lệ"):
        assess(other, world.clerk, plans={other.plans.first().pk: {"result": "xuất sắc"}})
    with pytest.raises(ValidationError, match="Chưa có mục nào"):
        assess(other, world.clerk)
    assert not SelfAssessment.objects.exists()


def test_a_collective_nomination_rests_on_its_units_works_and_targets(world):
    registration = registered(world)
    other = registered(world, unit=world.ward)
    submission, (person,) = dossier(world, "Nguyễn Thị Lan")
    team = add(world, submission, "Tổ văn phòng", kind="collective", gender="", birth_year=None)
    work, plan = registration.works.get(), registration.plans.first()
    evaluations.nomination_basis_set(nomination=team, actor=world.clerk, works=[work.pk], plans=[plan.pk])
    assert set(team.basis.values_list("work_id", "plan_id")) == {(work.pk, None), (None, plan.pk)}
    assert AuditEvent.objects.filter(event_type="nomination.basis_set", scope=team.audit_scope).exists()
    with nothing_written(), pytest.raises(ValidationError, match="tập thể"):
        evaluations.nomination_basis_set(nomination=person, actor=world.clerk, works=[work.pk])
    with nothing_written(), pytest.raises(ValidationError) as error:
        evaluations.nomination_basis_set(nomination=team, actor=world.clerk, works=[other.works.get().pk])
    assert "works" in error.value.message_dict
    assert NominationBasis.objects.count() == 2


def test_the_nomination_page_shows_the_assessment_and_basis(client, world):
    registration = registered(world)
    plan = registration.plans.first()
    assess(registration, world.clerk, plans={plan.pk: {"result": "exceeded", "comment": "Vượt 5%"}})
    submission, _people = dossier(world, "Nguyễn Thị Lan")
    team = add(world, submission, "Tổ văn phòng", kind="collective", gender="", birth_year=None)
    evaluations.nomination_basis_set(nomination=team, actor=world.clerk, plans=[plan.pk])
    client.force_login(world.clerk)
    page = client.get(reverse("dossiers:nomination", args=[team.pk])).content.decode()
    assert "Tự đánh giá của đơn vị" in page and "Hoàn thành vượt mức" in page and "Vượt 5%" in page
    assert "Căn cứ của đề nghị" in page and f"Chỉ tiêu: {plan.target.name}" in page
    # Changing the basis is the preparing step's (tests/registrations/test_evaluation_flow.py): no task, no change.
    basis_url = reverse("registrations:basis", args=[team.pk])
    assert basis_url not in page
    assert client.post(basis_url, {"plans": []}).status_code == 403
    assert team.basis.count() == 1


def test_the_evaluation_page(client, world):
    registration = registered(world)
    plan = registration.plans.first()
    url = reverse("registrations:evaluate", args=[registration.pk])
    client.force_login(world.reviewer)
    assert client.get(url).status_code == 403
    client.force_login(world.clerk)
    assert client.get(url).status_code == 200
    empty = client.post(url, {})
    assert empty.status_code == 200 and "Chưa có mục nào" in empty.content.decode()
    done = client.post(url, {f"plan_{plan.pk}_result": "done", f"plan_{plan.pk}_comment": "Đạt"})
    assert done.status_code == 302 and SelfAssessment.objects.get().result == "done"
    detail = client.get(reverse("registrations:detail", args=[registration.pk])).content.decode()
    assert "Hoàn thành" in detail and url in detail


def test_the_evaluation_api(world):
    from rest_framework.test import APIClient

    registration = registered(world)
    plan = registration.plans.first()
    url = reverse("api:registration-evaluation", args=[registration.pk])
    api = APIClient()
    api.force_authenticate(world.reviewer)
    body = {"plans": {str(plan.pk): {"result": "done", "comment": "Đạt"}}}
    assert api.put(url, body, format="json").status_code == 403
    assert api.get(url).json() == []
    api.force_authenticate(world.clerk)
    bad = api.put(url, {"plans": {str(plan.pk): {"result": "tốt"}}}, format="json")
    assert bad.status_code == 400 and "không hợp lệ" in str(bad.json())
    done = api.put(url, body, format="json")
    assert done.status_code == 200 and done.json()[0]["result_label"] == "Hoàn thành"
