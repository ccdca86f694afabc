"""The administration services write their events through ``audit.record_transition``: people, units and roles in
the committee's administration trail, a campaign in its own; the hash chain holds."""

import ast
import datetime
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from nominations.models import OrgUnit, Role
from nominations.services import administration, org_units
from workflow import audit
from workflow.models import AuditEvent

User = get_user_model()
ROOT = Path(__file__).resolve().parents[2]
SERVICES = ["administration.py", "org_units.py", "campaigns.py", "reorganisation.py"]


@pytest.mark.parametrize("name", SERVICES)
def test_the_administration_services_call_the_one_transition_writer(name):
    path = ROOT / "nominations" / "services" / name
    tree = ast.parse(path.read_text())
    raw = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "record"
        and getattr(node.func.value, "id", "") == "audit"
    ]
    assert raw == [], f"{name} writes audit.record(…) by hand at lines {raw}"


def test_people_units_and_roles_land_in_the_committee_trail_chained(demo):
    admin = User.objects.get(username="quantri_ubnd")
    province = OrgUnit.objects.get(code="ls")
    today = datetime.date.today()
    # The demo's 2025 reform is in the same trail (applied through the service): only what follows counts.
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    unit = org_units.unit_create(
        parent=province, code="p-moi", name="Phường Mới", kind="ward", level=3, valid_from=today, actor=admin
    )
    user = administration.person_create(
        username="canbo_moi",
        full_name="Lò Văn Mới",
        email="moi@thidua.invalid",
        unit=unit,
        role=Role.UNIT_CLERK,
        valid_from=today,
        actor=admin,
    )
    events = list(AuditEvent.objects.filter(scope=f"administration:{province.pk}", id__gt=before).order_by("id"))
    assert [e.event_type for e in events] == [audit.ORGUNIT_CREATED, audit.PERSON_CREATED, audit.MEMBERSHIP_ADDED]
    assert [e.target_type for e in events] == ["nominations.orgunit", "auth.user", "nominations.membership"]
    assert events[1].target_id == str(user.pk) and events[0].actor == admin
    assert events[0].data["code"] == "p-moi" and events[2].data["role"] == Role.UNIT_CLERK
    ok, bad, _reason = audit.verify()
    assert ok, bad
