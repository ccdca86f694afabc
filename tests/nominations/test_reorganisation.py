"""Applying a reorganisation (issue 13): a merger moves the old ward's open dossiers, roles, quotas and units to
its successor with their task permissions and sharing, so that the successor's clerk acts and the old ward's
people no longer can; a split waits for the administrator's decisions; everything is audited, the dossier keeps
its trail. The clock is frozen (time-machine) on the effective day and on the day after.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from nominations.models import Campaign, Membership, OrgUnit, Role, UnitQuota
from nominations.services import reorganisation
from tests.workflow.helpers import F, act, add_nomination, complete_dossier, open_task, start, url
from workflow import audit
from workflow import permissions as perms
from workflow.models import AuditEvent

User = get_user_model()
TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


def on(day):
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(10), ZoneInfo(settings.TIME_ZONE)), tick=False
    )


@pytest.fixture
def users(demo):
    return {u.username: u for u in User.objects.all()}


def unit(code):
    return OrgUnit.objects.get(code=code)


def _dossier_at_head_approval(client, users):
    process = start(client, users["canbo_dongkinh"], unit_code="p-dong-kinh-moi", title="Tờ trình Đông Kinh")
    nomination = add_nomination(client, process.artifact, "Lộc Văn Hải")
    complete_dossier(client, process.artifact, [nomination])
    assert act(client, users["canbo_dongkinh"], process, F.prepare).status_code == 302
    return process


def _end_old_roles(users):
    old = Membership.objects.filter(unit__code="p-dong-kinh-moi")
    return {f"membership:{m.pk}": reorganisation.END for m in old}


def test_a_merger_moves_open_dossiers_with_their_tasks_and_the_old_wards_people_lose_them(client, users):
    admin = users["quantri_ubnd"]
    with on(TODAY):
        preparing = start(client, users["canbo_dongkinh"], unit_code="p-dong-kinh-moi", title="Hồ sơ đang soạn")
        submitted = _dossier_at_head_approval(client, users)
        trail_before = list(
            AuditEvent.objects.filter(scope=submitted.artifact.audit_scope).values_list("pk", flat=True)
        )
        assert perms.can_view_submission(users["canbo_dongkinh"], submitted.artifact)
        items = reorganisation.apply(
            actor=admin,
            old_units=[unit("p-dong-kinh-moi")],
            successors=[unit("p-ky-lua")],
            effective=TODAY,
            decisions=_end_old_roles(users),
            reason="Nghị quyết sắp xếp đơn vị hành chính (minh họa)",
        )
    assert {i.key for i in items if i.kind == "dossier"} == {
        f"dossier:{preparing.artifact.pk}",
        f"dossier:{submitted.artifact.pk}",
    }
    old_ward = unit("p-dong-kinh-moi")
    assert old_ward.valid_to == TODAY - DAY and old_ward.successor == unit("p-ky-lua")
    for process in (preparing, submitted):
        process.artifact.refresh_from_db()
        assert process.artifact.unit == unit("p-ky-lua")
    # The personal task of the old clerk passed to the successor's clerk; the head's task names the successor.
    prepare = open_task(preparing, F.prepare)
    assert prepare.owner_permission_obj_pk == str(users["canbo_vinhtrai"].pk)
    head = open_task(submitted, F.head_approval)
    assert head.owner_permission_obj_pk == str(unit("p-ky-lua").pk)

    with on(TODAY + DAY):
        # The old ward's people: no page, no task (403/404), nothing changes.
        client.force_login(users["canbo_dongkinh"])
        assert client.get(f"/dossiers/submissions/{preparing.artifact.pk}/").status_code in (403, 404)
        assert client.post(url(F.prepare, "assign", prepare)).status_code in (403, 404)
        client.force_login(users["chutich_dongkinh"])
        assert client.post(url(F.head_approval, "assign", head)).status_code in (403, 404)
        assert open_task(submitted, F.head_approval).owner is None
        # The successor's clerk and head act: the clerk edits the moved dossier and sends it on.
        client.force_login(users["canbo_vinhtrai"])
        nomination = add_nomination(client, preparing.artifact, "Hoàng Thị Mơ")
        complete_dossier(client, preparing.artifact, [nomination])
        assert act(client, users["canbo_vinhtrai"], preparing, F.prepare).status_code == 302
        assert open_task(preparing, F.head_approval).owner_permission_obj_pk == str(unit("p-ky-lua").pk)
        response = act(client, users["chutich_vinhtrai"], submitted, F.head_approval, {"decision": "submit"})
        assert response.status_code == 302
    assert open_task(submitted, F.ward_review if submitted.artifact.needs_ward_review else F.review)

    # The dossier keeps its trail and gains the move; the chain holds.
    trail = list(AuditEvent.objects.filter(scope=submitted.artifact.audit_scope).order_by("pk"))
    assert [e.pk for e in trail][: len(trail_before)] == trail_before
    moved = [e for e in trail if e.event_type == audit.SUBMISSION_UNIT_MOVED]
    assert moved and moved[0].changes == {"unit": [old_ward.pk, unit("p-ky-lua").pk]} and moved[0].actor == admin
    reorganised = AuditEvent.objects.get(event_type=audit.ORGUNIT_REORGANISED, target_id=str(old_ward.pk))
    assert reorganised.data["effective"] == TODAY.isoformat()
    ok, bad, _reason = audit.verify()
    assert ok, bad


def test_a_merger_moves_roles_quotas_and_units_unless_the_administrator_ends_a_role(users):
    admin = users["quantri_ubnd"]
    campaign = Campaign.objects.get(code="dien-tap")
    offer = campaign.offers.first()
    UnitQuota.objects.create(offer=offer, unit=unit("p-ky-lua"), kind="individual", quota=3)
    UnitQuota.objects.create(offer=offer, unit=unit("p-dong-kinh-moi"), kind="individual", quota=2)
    head = Membership.objects.get(unit__code="p-ky-lua", user=users["chutich_vinhtrai"], role=Role.UNIT_HEAD)
    with on(TODAY):
        reorganisation.apply(
            actor=admin,
            old_units=[unit("p-ky-lua")],
            successors=[unit("p-dong-kinh-moi")],
            effective=TODAY,
            decisions={f"membership:{head.pk}": reorganisation.END},
        )
    successor = unit("p-dong-kinh-moi")
    # Quotas of a merged unit add up in the successor.
    assert UnitQuota.objects.get(offer=offer, unit=successor, kind="individual").quota == 5
    assert not UnitQuota.objects.filter(unit__code="p-ky-lua").exists()
    # The residential group under the old ward now sits under the successor (its path follows).
    child = unit("p-ky-lua-khoi-5")
    assert child.parent == successor and child.path.startswith(successor.path)
    # Roles move unless ended; the ended one stops the day before.
    clerk = Membership.objects.get(unit=successor, user=users["canbo_vinhtrai"], role=Role.UNIT_CLERK)
    assert clerk.valid_from == TODAY
    head.refresh_from_db()
    assert head.valid_to == TODAY - DAY
    assert not Membership.objects.filter(unit=successor, user=users["chutich_vinhtrai"]).exists()
    with on(TODAY):
        assert successor.pk in perms.roles.units_with(users["canbo_vinhtrai"], perms.PROPOSE)
        assert not perms.roles.units_with(users["chutich_vinhtrai"], perms.SUBMIT)
    events = AuditEvent.objects.filter(scope=f"administration:{unit('ls').pk}").values_list("event_type", flat=True)
    assert {audit.MEMBERSHIP_ENDED, audit.MEMBERSHIP_ADDED, audit.ORGUNIT_MOVED, audit.ORGUNIT_REORGANISED} <= set(
        events
    )
    assert AuditEvent.objects.filter(scope=campaign.audit_scope, event_type=audit.QUOTA_MOVED).exists()


def test_a_split_waits_for_a_decision_on_every_item_and_writes_nothing_until_then(users):
    admin = users["quantri_ubnd"]
    successors = [unit("p-dong-kinh-moi"), unit("ls-vhttdl")]
    demo_reform = AuditEvent.objects.filter(event_type=audit.ORGUNIT_REORGANISED).count()  # load_demo's 2025 reform
    with on(TODAY):
        items = reorganisation.plan(old_units=[unit("p-ky-lua")], successors=successors, effective=TODAY)
        assert items and all(i.target is None for i in items)
        with pytest.raises(ValidationError) as error:
            reorganisation.apply(actor=admin, old_units=[unit("p-ky-lua")], successors=successors, effective=TODAY)
    assert "Cần chọn đơn vị kế thừa" in str(error.value.message_dict["decisions"])
    assert unit("p-ky-lua").valid_to is None
    assert AuditEvent.objects.filter(event_type=audit.ORGUNIT_REORGANISED).count() == demo_reform

    decisions = {i.key: successors[0].pk for i in items}
    decisions[items[0].key] = 999999  # not a successor
    with on(TODAY), pytest.raises(ValidationError) as error:
        reorganisation.apply(
            actor=admin, old_units=[unit("p-ky-lua")], successors=successors, effective=TODAY, decisions=decisions
        )
    assert "Lựa chọn không hợp lệ" in str(error.value.message_dict["decisions"])
    assert unit("p-ky-lua").valid_to is None


@pytest.mark.parametrize(
    ("who", "effective", "field"),
    [
        ("quantri_ubnd", TODAY + DAY, "effective"),
        ("quantri_ubnd", TODAY - 40 * DAY, "effective"),
        ("canbo_vinhtrai", TODAY, None),
    ],
)
def test_a_reorganisation_ahead_of_its_date_or_by_someone_else_is_refused(users, who, effective, field):
    with on(TODAY), pytest.raises(ValidationError) as error:
        reorganisation.apply(
            actor=users[who], old_units=[unit("p-dong-kinh-moi")], successors=[unit("p-ky-lua")], effective=effective
        )
    if field:
        assert field in error.value.message_dict
    else:
        assert "quản trị hệ thống" in str(error.value)
    assert unit("p-dong-kinh-moi").valid_to is None
