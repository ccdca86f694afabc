"""Who may act on what. Each permission is declared once here (the task permissions in ``roles``).

Task-routing permissions are held per *unit* and derived when checked from the
memberships and delegations in force on the day (``workflow.roles``): nothing
is granted in guardian's tables for acting, so a role takes effect however it
was written and ends on its end date. Visibility of a dossier is a guardian
permission on the Submission, granted to audience groups as the dossier
moves through the flow; a member joins the audience groups of their roles when
the membership is saved (``sync_membership``). Editing is never granted: it
belongs to whoever holds the open editing task of the dossier's process.
"""

from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.models import BigIntegerField, Exists, OuterRef, Q
from django.db.models.functions import Cast
from guardian.exceptions import WrongAppError
from guardian.shortcuts import get_objects_for_user
from guardian.utils import get_content_type, get_group_obj_perms_model, get_user_obj_perms_model
from viewflow.workflow.status import STATUS

from nominations.models import Membership, OrgUnit, Role, Submission

from . import roles
from .roles import APPROVE, PROPOSE, RECORD_COUNCIL, REVIEW, SUBMIT, WARD_REVIEW  # noqa: F401  (declared there)

VIEW_SUBMISSION = "nominations.view_submission"
USE_FLOW = "workflow.view_submissionprocess"
USE_COUNCIL_FLOW = "workflow.view_councilprocess"
USE_DECISION_FLOW = "workflow.view_decisionprocess"

FLOW_USERS_GROUP = "Người dùng quy trình"

# The owner_permission of a task the flow gives one named person (workflow.nodes.PersonalView): a marker
# nobody holds (no Permission row); the permission's object is that person, the only one who may take it.
PERSONAL_TASK = "workflow.personal_task"

# Audiences that see a dossier, by the step it has reached.
UNIT, WARD, REVIEWERS, COUNCIL, LEADERS = "unit", "ward", "reviewers", "council", "leaders"
_ROLE_AUDIENCE = {
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


def can(user, perm: str, obj=None) -> bool:
    """Global grant, a role in force today on the unit, or guardian object grant: the rule of can_assign."""
    if not user.is_authenticated:
        return False
    # Superusers and global grants: ModelBackend's answer, cached on the user for the request.
    if user.has_perm(perm):
        return True
    if isinstance(obj, OrgUnit) and perm in roles.UNIT_PERMS:
        return roles.holds(user, perm, obj)
    return obj is not None and user.is_active and _has_object_grant(user, perm, obj)


def _has_object_grant(user, perm: str, obj) -> bool:
    """guardian's object check (the user's own grants or their groups') in one query; its checker sends two.

    Same rule as ObjectPermissionChecker.has_perm for an active user who is not
    a superuser (``can`` has answered for the others).
    """
    content_type = get_content_type(obj)
    app_label, _, codename = perm.rpartition(".")
    if app_label and app_label != content_type.app_label:
        raise WrongAppError(f"{perm} is not a permission of {content_type.app_label} objects")
    return _granted(user, perm, obj, content_type, str(obj.pk))


def _granted(user, perm: str, model, content_type, object_pk) -> bool:
    """One query: does ``user`` (or a group of theirs) hold guardian's grant of ``perm`` on ``object_pk``?

    ``model``: the object (or its class) whose grant models guardian uses.
    """
    codename = perm.rpartition(".")[2]
    grant = {"permission": OuterRef("pk"), "content_type": content_type, "object_pk": object_pk}
    return (
        Permission.objects.filter(content_type=content_type, codename=codename)
        .filter(
            Exists(get_user_obj_perms_model(model).objects.filter(user=user, **grant))
            | Exists(get_group_obj_perms_model(model).objects.filter(group__user=user, **grant))
        )
        .exists()
    )


def audience_group(audience: str, unit: OrgUnit) -> Group:
    """The group of users who see dossiers as ``audience`` of ``unit``."""
    group, _ = Group.objects.get_or_create(name=_audience_name(audience, unit))
    return group


def _audience_name(audience: str, unit: OrgUnit) -> str:
    return f"{audience}:{unit.code}"


def _target(membership: Membership, where: str) -> OrgUnit:
    return membership.unit.parent if where == "parent" and membership.unit.parent else membership.unit


def _flow_users() -> Group:
    """The group whose members may open the flows' pages at all (viewflow's flow-level permission)."""
    group, _ = Group.objects.get_or_create(name=FLOW_USERS_GROUP)
    codenames = [perm.split(".")[1] for perm in (USE_FLOW, USE_COUNCIL_FLOW, USE_DECISION_FLOW)]
    group.permissions.add(*Permission.objects.filter(content_type__app_label="workflow", codename__in=codenames))
    return group


def grant_membership(membership: Membership) -> None:
    """Let a member open the flows and see the dossiers of their role's audience.

    The task permissions themselves are not written anywhere: ``roles`` reads
    the membership when they are checked. Called on every save of a
    membership (``workflow.signals``), however it was made.
    """
    user = membership.user
    user.groups.add(_flow_users())
    if membership.role in _ROLE_AUDIENCE:
        audience, where = _ROLE_AUDIENCE[membership.role]
        user.groups.add(audience_group(audience, _target(membership, where)))


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


def visible_submissions(user):
    """Submissions the user may see (guardian object grants or a global grant).

    What guardian's ``get_objects_for_user`` answers, with the grants' ``object_pk`` cast to an integer in
    the subquery rather than every submission's id cast to text: PostgreSQL then joins the few granted ids
    to the primary key (and estimates them right) instead of filtering every submission through a hashed
    subplan.
    """
    if not user.is_authenticated:
        return get_objects_for_user(user, VIEW_SUBMISSION, klass=Submission, accept_global_perms=True)
    if sees_every_dossier(user):
        return Submission.objects.all()
    from django.contrib.contenttypes.models import ContentType
    from guardian.models import GroupObjectPermission, UserObjectPermission

    grant = {
        "content_type": ContentType.objects.get_for_model(Submission),
        "permission__codename": VIEW_SUBMISSION.split(".")[1],
    }
    granted = [
        model.objects.filter(holder, **grant).values(submission_id=Cast("object_pk", BigIntegerField()))
        for model, holder in ((UserObjectPermission, Q(user=user)), (GroupObjectPermission, Q(group__user=user)))
    ]
    return Submission.objects.filter(pk__in=granted[0].union(granted[1]))


def sees_every_dossier(user) -> bool:
    """A global grant (inspectors, the emulation board) or a superuser: no dossier is hidden."""
    return user.is_authenticated and (user.is_superuser or user.has_perm(VIEW_SUBMISSION))


def visible_nominations(user):
    """Nominations of the dossiers the user may see."""
    from nominations.models import Nomination

    if sees_every_dossier(user):
        # Without the semi-join, PostgreSQL counts the table and pages over the index of the list's order.
        return Nomination.objects.all()
    return Nomination.objects.filter(submission__in=visible_submissions(user).values("pk"))


def can_view_submission(user, submission: Submission) -> bool:
    return can(user, VIEW_SUBMISSION, submission)


def can_view_submission_process(user, process_pk, flow_class, *, task=None) -> bool:
    """``can_view_submission`` on the dossier of process ``process_pk``, without loading either.

    ``task``: a further condition on the process (workflow.scope: the URL's task is the process's own),
    checked in the same query.

    Same answer as loading the process (of ``flow_class``), its dossier and then asking ``can_view_submission``:
    no such process or no dossier → False; a superuser or global grant → True; otherwise an active user with
    an object grant (their own or a group's) on the dossier. Two small queries: the dossier's id (checking
    that it exists), then the grant by (content type, object_pk). One query correlating the grant with the
    process costs more: Django's compile of the nested subqueries, and on PostgreSQL a hashed subplan over
    every grant of the user's groups.
    """
    if not user.is_authenticated:
        return False
    content_type = get_content_type(Submission)
    dossier_pk = next(
        iter(
            flow_class.process_class.objects.filter(
                Exists(Submission.objects.filter(pk=OuterRef("artifact_object_id"))),
                *([task] if task is not None else []),
                pk=process_pk,
                flow_class=flow_class,
                artifact_content_type=content_type,
            )
            .order_by()
            .values_list("artifact_object_id", flat=True)[:1]
        ),
        None,
    )
    if dossier_pk is None:
        return False
    if user.has_perm(VIEW_SUBMISSION):
        return True
    return user.is_active and _granted(user, VIEW_SUBMISSION, Submission, content_type, str(dossier_pk))


def can_edit_submission(user, submission: Submission) -> bool:
    """Only the owner of the dossier's open preparing/completing task may change it."""
    from .flows import NominationFlow

    if not user.is_authenticated:
        return False
    return (
        NominationFlow.task_class.objects.filter(
            process__artifact_object_id=submission.pk,
            process__flow_class=NominationFlow,
            owner=user,
            status__in=[STATUS.ASSIGNED, STATUS.STARTED],
        )
        # The steps during which the dossier may change: preparing and completing it.
        .filter(Q(flow_task=NominationFlow.prepare) | Q(flow_task=NominationFlow.complete))
        .exists()
    )


# Object resolvers for the flow's .Permission(obj=...): named, never lambdas.
def proposing_unit(process) -> OrgUnit:
    return process.artifact.unit


def reviewing_ward(process) -> OrgUnit:
    return process.artifact.unit.parent


def issuing_unit(process) -> OrgUnit:
    return process.artifact.campaign.issuer


def decision_issuer(process) -> OrgUnit:
    return process.artifact.issuer


def grant_signing(user, issuer: OrgUnit) -> None:
    """A delegate sees the issuer's decisions; the power to sign is read from the delegation in force (``roles``)."""
    user.groups.add(_flow_users(), audience_group(LEADERS, issuer))


def can_view_decision(user, decision) -> bool:
    """The council's secretaries and those who sign for the issuer see its decisions."""
    return can(user, RECORD_COUNCIL, decision.issuer) or can(user, APPROVE, decision.issuer)


def visible_decisions(user):
    from nominations.models import Decision

    return Decision.objects.filter(issuer__in=roles.units_with(user, RECORD_COUNCIL, APPROVE))


def may_open_session(user) -> bool:
    """Start of the council flow: the secretary of some council."""
    return councils_managed_by(user).exists()


def councils_managed_by(user):
    """Councils whose sessions ``user`` may open and run (their secretary)."""
    from nominations.models import Council

    return Council.objects.filter(issuer__in=roles.units_with(user, RECORD_COUNCIL))


def grant_council_seat(member) -> None:
    """A council seat lets its holder see the dossiers put before the council."""
    member.user.groups.add(_flow_users(), audience_group(COUNCIL, member.council.issuer))


def visible_sessions(user):
    """Council sessions the user sits on or runs."""
    from nominations.models import CouncilSession

    return CouncilSession.objects.filter(
        Q(council__members__user=user) | Q(council__in=councils_managed_by(user))
    ).distinct()


def can_view_session(user, session) -> bool:
    """Members of the session's council and its secretaries see the session."""
    if not user.is_authenticated:
        return False
    return session.council.members.filter(user=user).exists() or can(user, RECORD_COUNCIL, session.council.issuer)


def may_propose(user) -> bool:
    """Start node: any user who may propose for at least one unit."""
    return bool(units_user_may_propose_for(user))


def units_user_may_propose_for(user):
    """Units the user proposes for today: roles in force on units in force."""
    return list(OrgUnit.objects.filter(pk__in=roles.units_with(user, PROPOSE)))


def prime_queue_cache(user) -> None:
    """Load the task-routing rights (roles in force today) that viewflow's queue would read row by row.

    viewflow's ``user_queue`` loads every object permission of the user one
    query per row; task routing only ever uses rights on OrgUnit, which
    ``roles`` derives in one query. Called where a queue is built (the
    flow pages' counters, the queue, "continue" after a step), once per request:
    a step's own POST builds none.
    """
    if not user.is_authenticated or hasattr(user, "_unit_grants"):
        return
    grants = roles.unit_grants(user)
    # viewflow's user_queue matches "<owner_permission>_<object pk>": the user's personal tasks too.
    user._viewflow_per_object_perm_cache = {f"{perm}_{pk}" for perm, pks in grants.items() for pk in pks} | {
        f"{PERSONAL_TASK}_{user.pk}"
    }
    user._unit_grants = grants


def is_task_person(user, task) -> bool:
    """``task`` is a personal task (PERSONAL_TASK) and ``user`` the person the flow gave it to."""
    return (
        user.is_authenticated
        and task.owner_permission == PERSONAL_TASK
        and task.owner_permission_obj_pk == str(user.pk)
    )


def could_take(user, task) -> bool:
    """Whether ``user`` is among those a task is meant for, whoever holds it now."""
    if task.owner_permission == PERSONAL_TASK:
        return is_task_person(user, task)
    return bool(task.owner_permission) and can(user, task.owner_permission, task.owner_permission_obj)


def may_take(user) -> Q:
    """The tasks ``user`` may take: viewflow's ``user_queue`` rule, in a form the queue index answers.

    viewflow matches ``owner_permission || '_' || owner_permission_obj_pk`` against every object grant of the
    user, which no index can serve. The same rule is written here as ``owner_permission = p AND
    owner_permission_obj_pk IN (…)`` per permission, over the unit grants ``prime_queue_cache`` loads
    (index workflow_task_queue_idx, migration workflow 0005).
    """
    if not user.is_authenticated:
        return Q(pk__in=[])
    mine = Q(owner_permission=PERSONAL_TASK, owner_permission_obj_pk=str(user.pk))
    if user.is_superuser:
        # Everything but another person's task.
        return ~Q(owner_permission=PERSONAL_TASK) | mine
    prime_queue_cache(user)
    rule = Q(owner_permission__isnull=True) | Q(owner=user) | mine
    if held := user.get_all_permissions():
        rule |= Q(owner_permission__in=sorted(held))
    for perm, pks in sorted(user._unit_grants.items()):
        rule |= Q(owner_permission=perm, owner_permission_obj_pk__in=sorted(pks))
    return rule


def human_nodes(flow_class) -> list:
    """The flow's human steps (View nodes): the only tasks a queue or an inbox ever holds."""
    return [node for node in flow_class.instance.nodes() if node.task_type == "HUMAN"]


def queue_tasks(user, flow_class):
    """NEW human tasks of ``flow_class`` that ``user`` may take: what viewflow's queue holds, index-friendly.

    The flow is told by the tasks' nodes, not by a join to the process (viewflow's way): a task's node belongs
    to its process's flow, and without the join the planner keeps to the queue index.
    """
    tasks = flow_class.task_class._default_manager.filter(
        flow_task__in=human_nodes(flow_class), flow_task_type="HUMAN", status=STATUS.NEW
    )
    return tasks.filter(may_take(user))
