"""Who may do what, as the domain declares it: permission codenames, the roles' and audiences' tables, and the
writers of the grants that let people see a dossier.

The right to act is read from the memberships and delegations in force when it is checked
(``workflow.roles``): nothing here grants it. What is written is visibility: a dossier is shared with the
audience groups of the units it reaches (``share_submission``), and a member joins the audience groups of
their roles when a membership, council seat or delegation is saved (``grant_membership`` and the others,
called by ``workflow.signals``). The services import this module; the workflow layer reads the same tables.
"""

from django.contrib.auth.models import Group, Permission
from django.db import connection
from guardian.utils import get_content_type, get_group_obj_perms_model

from .models import CouncilMember, Membership, OrgUnit, Role, Submission

# The task permissions, all granted on an OrgUnit (viewflow's .Permission(obj=…)).
PROPOSE = "nominations.propose_nomination"
SUBMIT = "nominations.submit_nomination"
WARD_REVIEW = "nominations.ward_review_nomination"
REVIEW = "nominations.review_nomination"
RECORD_COUNCIL = "nominations.record_council_result"
APPROVE = "nominations.approve_decision"
# Not a task permission (no viewflow node asks for it): the administration and campaign pages read it.
ADMINISTER = "nominations.administer_unit"
UNIT_PERMS = frozenset({PROPOSE, SUBMIT, WARD_REVIEW, REVIEW, RECORD_COUNCIL, APPROVE, ADMINISTER})
# Registrations (đăng ký thi đua) follow the dossiers' roles: the unit's clerk writes, its head signs, the
# issuer's standing body (Phòng Nội vụ's reviewers) accepts or returns. Named apart so the rule can change alone.
REGISTER = PROPOSE
SIGN_REGISTRATION = SUBMIT
ACCEPT_REGISTRATION = REVIEW

# Which unit a role's permission is on: the member's own unit, or the People's
# Committee it serves ("parent": Phòng Nội vụ works for the city).
ROLE_GRANTS = {
    Role.UNIT_CLERK: [(PROPOSE, "unit")],
    Role.UNIT_HEAD: [(PROPOSE, "unit"), (SUBMIT, "unit")],
    Role.WARD_REVIEWER: [(WARD_REVIEW, "unit")],
    Role.REVIEWER: [(REVIEW, "parent")],
    Role.COUNCIL_SECRETARY: [(RECORD_COUNCIL, "parent")],
    Role.CHAIRMAN: [(APPROVE, "unit")],
    Role.ADMINISTRATOR: [(ADMINISTER, "unit")],
}

VIEW_SUBMISSION = "nominations.view_submission"
# viewflow's flow-level permissions (codenames of the workflow app's process models).
USE_FLOW = "workflow.view_submissionprocess"
USE_COUNCIL_FLOW = "workflow.view_councilprocess"
USE_DECISION_FLOW = "workflow.view_decisionprocess"

FLOW_USERS_GROUP = "Người dùng quy trình"

# Audiences that see a dossier, by the step it has reached.
UNIT, WARD, REVIEWERS, COUNCIL, LEADERS = "unit", "ward", "reviewers", "council", "leaders"
ROLE_AUDIENCE = {
    Role.UNIT_CLERK: (UNIT, "unit"),
    Role.UNIT_HEAD: (UNIT, "unit"),
    Role.WARD_REVIEWER: (WARD, "unit"),
    Role.REVIEWER: (REVIEWERS, "parent"),
    Role.COUNCIL_SECRETARY: (COUNCIL, "parent"),
    Role.COUNCIL_MEMBER: (COUNCIL, "unit"),
    Role.COUNCIL_CHAIR: (COUNCIL, "unit"),
    Role.CHAIRMAN: (LEADERS, "unit"),
    Role.VICE_CHAIRMAN: (LEADERS, "unit"),
}


def audience_group(audience: str, unit: OrgUnit) -> Group:
    """The group of users who see dossiers as ``audience`` of ``unit``."""
    group, _ = Group.objects.get_or_create(name=_audience_name(audience, unit))
    return group


def _audience_name(audience: str, unit: OrgUnit) -> str:
    return f"{audience}:{unit.code}"


def _target(membership: Membership, where: str) -> OrgUnit:
    return membership.unit.parent if where == "parent" and membership.unit.parent else membership.unit


def flow_users() -> Group:
    """The group whose members may open the flows' pages at all (viewflow's flow-level permission)."""
    group, _ = Group.objects.get_or_create(name=FLOW_USERS_GROUP)
    codenames = [perm.split(".")[1] for perm in (USE_FLOW, USE_COUNCIL_FLOW, USE_DECISION_FLOW)]
    group.permissions.add(*Permission.objects.filter(content_type__app_label="workflow", codename__in=codenames))
    return group


def grant_membership(membership: Membership) -> None:
    """Let a member open the flows and see the dossiers of their role's audience.

    The task permissions themselves are not written anywhere: ``workflow.roles`` reads
    the membership when they are checked. Called on every save of a
    membership (``workflow.signals``), however it was made.
    """
    user = membership.user
    user.groups.add(flow_users())
    if membership.role in ROLE_AUDIENCE:
        audience, where = ROLE_AUDIENCE[membership.role]
        user.groups.add(audience_group(audience, _target(membership, where)))


def grant_signing(user, issuer: OrgUnit) -> None:
    """A delegate sees the issuer's decisions; the power to sign is read from the delegation in force."""
    user.groups.add(flow_users(), audience_group(LEADERS, issuer))


def grant_council_seat(member: CouncilMember) -> None:
    """A council seat lets its holder see the dossiers put before the council."""
    member.user.groups.add(flow_users(), audience_group(COUNCIL, member.council.issuer))


def share_submission(submission: Submission, audience: str, unit: OrgUnit) -> None:
    """Let ``audience`` of ``unit`` see ``submission`` from now on."""
    name = _audience_name(audience, unit)
    if not _grant_to_group(name, VIEW_SUBMISSION, submission):
        # Nothing written: the group is new, or the grant exists already (a dossier sent up again).
        audience_group(audience, unit)
        _grant_to_group(name, VIEW_SUBMISSION, submission)


def _grant_to_group(group_name: str, perm: str, obj) -> bool:
    """Write guardian's grant of ``perm`` on ``obj`` to the group named ``group_name``, in one statement.

    Most steps share their dossier once; assign_perm costs seven statements
    for that. The group and permission ids are looked up inside the INSERT, so no
    id is cached across requests (test databases recreate those rows). The
    UNIQUE (group, permission, object_pk) makes a repeat a no-op. Returns
    whether a row was written (False: no such group, or granted already).
    """
    model = get_group_obj_perms_model(obj)
    q = connection.ops.quote_name
    sql = (
        f"INSERT INTO {q(model._meta.db_table)} (group_id, permission_id, content_type_id, object_pk) "
        f"SELECT g.id, p.id, p.content_type_id, %s FROM {q(Group._meta.db_table)} g, {q(Permission._meta.db_table)} p "
        "WHERE g.name = %s AND p.codename = %s AND p.content_type_id = %s "
        "ON CONFLICT DO NOTHING"
    )
    codename = perm.split(".", 1)[1]
    content_type = get_content_type(obj)  # Django's cache, cleared when the table is rebuilt
    with connection.cursor() as cursor:
        cursor.execute(sql, [str(obj.pk), group_name, codename, content_type.pk])
        return cursor.rowcount > 0


def move_shares(submission: Submission, old: OrgUnit, new: OrgUnit) -> int:
    """The audiences of ``old`` that saw ``submission`` stop seeing it; the same audiences of ``new`` see it instead.

    A reorganisation moves a dossier to the successor unit: its clerks and head see it, the old unit's no longer
    do. Returns how many audiences were moved.
    """
    model = get_group_obj_perms_model(submission)
    content_type = get_content_type(submission)
    prefix = {f"{audience}:{old.code}": audience for audience in (UNIT, WARD, REVIEWERS, COUNCIL, LEADERS)}
    rows = model.objects.filter(
        content_type=content_type, object_pk=str(submission.pk), group__name__in=list(prefix)
    ).select_related("group")
    moved = 0
    for row in rows:
        share_submission(submission, prefix[row.group.name], new)
        row.delete()
        moved += 1
    return moved
