"""Who may see and act on what: the checks. The codenames, audiences and grant writers are the domain's
(``nominations.access``), the queue rules are in ``queues``; both are re-exported here.

Task-routing permissions are held per *unit* and derived when checked from the
memberships and delegations in force on the day (``workflow.roles``): nothing
is granted in guardian's tables for acting, so a role takes effect however it
was written and ends on its end date. Visibility of a dossier is a guardian
permission on the Submission, granted to audience groups as the dossier
moves through the flow; a member joins the audience groups of their roles when
the membership is saved (``workflow.signals``). Editing is never granted: it
belongs to whoever holds the open editing task of the dossier's process.
"""

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.db.models import BigIntegerField, Exists, OuterRef, Q
from django.db.models.functions import Cast
from guardian.exceptions import WrongAppError
from guardian.models import GroupObjectPermission, UserObjectPermission
from guardian.shortcuts import get_objects_for_user
from guardian.utils import get_content_type, get_group_obj_perms_model, get_user_obj_perms_model

# The domain declares the codenames, audiences and grant writers (nominations.access) and the workflow
# layer the queue rules (queues): re-exported so that the pages, the API and the tests name one module.
from nominations.access import (  # noqa: F401
    APPROVE,
    COUNCIL,
    FLOW_USERS_GROUP,
    LEADERS,
    PROPOSE,
    RECORD_COUNCIL,
    REVIEW,
    REVIEWERS,
    SUBMIT,
    UNIT,
    USE_COUNCIL_FLOW,
    USE_DECISION_FLOW,
    USE_FLOW,
    VIEW_SUBMISSION,
    WARD,
    WARD_REVIEW,
    audience_group,
    flow_users,
    grant_council_seat,
    grant_membership,
    grant_signing,
    share_submission,
)
from nominations.models import Council, CouncilMember, CouncilSession, Decision, Nomination, OrgUnit, Submission

from . import roles
from .id_lists import AnyOf, Probe  # noqa: F401 -- registers the any_of and probe lookups
from .queues import (  # noqa: F401
    PERSONAL_TASK,
    can_edit_submission,
    human_nodes,
    may_take,
    prime_queue_cache,
    queue_tasks,
)


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
    return Submission.objects.filter(pk__in=_granted_submissions(user))


def _granted_submissions(user):
    """The ids of the dossiers ``user`` holds an object grant on (their own or a group's): a subquery."""
    grant = {
        "content_type": ContentType.objects.get_for_model(Submission),
        "permission__codename": VIEW_SUBMISSION.split(".")[1],
    }
    # The user's groups by their ids in the membership table: ``group__user`` joined every granted row to
    # auth_group as well (a reviewer's 2,000 grants: half the statement's time, issue 18).
    groups = get_user_model().groups.through.objects.filter(user=user).values("group_id")
    granted = [
        model.objects.filter(holder, **grant).values(submission_id=Cast("object_pk", BigIntegerField()))
        for model, holder in ((UserObjectPermission, Q(user=user)), (GroupObjectPermission, Q(group__in=groups)))
    ]
    return granted[0].union(granted[1])


def sees_every_dossier(user) -> bool:
    """A global grant (inspectors, the emulation board) or a superuser: no dossier is hidden."""
    return user.is_authenticated and (user.is_superuser or user.has_perm(VIEW_SUBMISSION))


def visible_nominations(user, *, probe: bool = False):
    """Nominations of the dossiers the user may see.

    ``probe``: the same rows, written for reading a few of them in the list's order (workflow.id_lists.Probe:
    PostgreSQL walks the index of the order and looks each nomination's dossier up in a hash of the granted ones)
    rather than for reading them all (the granted dossiers' nominations looked up one dossier at a time, then
    sorted). Which is cheaper depends on the page and on how much of the table the user sees
    (``DeferredJoinPaginator``)."""
    if sees_every_dossier(user):
        # Without the semi-join, PostgreSQL counts the table and pages over the index of the list's order.
        return Nomination.objects.all()
    if not user.is_authenticated:
        return Nomination.objects.filter(submission__in=visible_submissions(user).values("pk"))
    if probe:
        return Nomination.objects.filter(submission_id__probe=_granted_submissions(user))
    # The granted dossiers' ids as one array (workflow.id_lists), looked up in the nominations' index (a grant
    # on a dossier since deleted matches no nomination).
    return Nomination.objects.filter(submission_id__any_of=_granted_submissions(user))


def can_view_submission(user, submission: Submission) -> bool:
    return can(user, VIEW_SUBMISSION, submission)


def can_view_submission_process(user, process_pk, flow_class, *, task=None) -> bool:
    """``can_view_submission`` on the dossier of process ``process_pk``, without loading either.

    ``task``: a further condition on the process (workflow.scope.TaskOfProcess: the URL's task is the process's
    own, at the URL's node), checked in the same query.

    Same answer as loading the process (of ``flow_class``), its dossier and then asking ``can_view_submission``:
    no such process or no dossier → False; a superuser or global grant → True; otherwise an active user with
    an object grant (their own or a group's) on the dossier. One statement, written as SQL once
    (``_process_gate_sql``): every task page and every step pays this gate, and building it with the ORM cost
    a quarter of a step's CPU (issue 18). The grant is looked up only when no global grant answers; its
    subqueries are correlated with the one process row (index lookups by user, object and permission).
    """
    if not user.is_authenticated:
        return False
    grant = not user.has_perm(VIEW_SUBMISSION)
    if grant and not user.is_active:
        return False
    process_model, task_model = flow_class.process_class, flow_class.task_class
    submission_type = get_content_type(Submission).pk
    codename = VIEW_SUBMISSION.rpartition(".")[2]
    args = [process_pk, process_model._meta.get_field("flow_class").get_prep_value(flow_class), submission_type]
    if task is not None:
        args += [task.task_pk, task_model._meta.get_field("flow_task").get_prep_value(task.node)]
    if grant:
        args += [user.pk, submission_type, submission_type, codename] * 2
    sql = _process_gate_sql(process_model._meta.db_table, task_model._meta.db_table, task is not None, grant)
    with connections[process_model.objects.db].cursor() as cursor:
        cursor.execute(sql, args)
        return cursor.fetchone() is not None


@functools.cache
def _process_gate_sql(process_table: str, task_table: str, with_task: bool, grant: bool) -> str:
    """The gate's statement: a row when the process (with its dossier, and the task) is there and the grant
    holds. Parameters in order: process id, flow class, content type; task id and node when ``with_task``;
    the grant's (user, content type, content type, codename; twice) when ``grant``."""
    user_groups = get_user_model()._meta.get_field("groups").remote_field.through._meta.db_table
    permission = f"(SELECT id FROM {Permission._meta.db_table} WHERE content_type_id = %s AND codename = %s)"
    object_pk = "CAST(p.artifact_object_id AS VARCHAR(255))"
    where = [
        "p.id = %s AND p.flow_class = %s AND p.artifact_content_type_id = %s",
        f"EXISTS (SELECT 1 FROM {Submission._meta.db_table} s WHERE s.id = p.artifact_object_id)",
    ]
    if with_task:
        where.append(
            f"EXISTS (SELECT 1 FROM {task_table} t WHERE t.id = %s AND t.process_id = p.id AND t.flow_task = %s)"
        )
    if grant:
        where.append(
            f"(EXISTS (SELECT 1 FROM {get_user_obj_perms_model(Submission)._meta.db_table} u WHERE u.user_id = %s"
            f" AND u.content_type_id = %s AND u.object_pk = {object_pk} AND u.permission_id IN {permission})"
            f" OR EXISTS (SELECT 1 FROM {get_group_obj_perms_model(Submission)._meta.db_table} g"
            f" INNER JOIN {user_groups} ug ON ug.group_id = g.group_id WHERE ug.user_id = %s"
            f" AND g.content_type_id = %s AND g.object_pk = {object_pk} AND g.permission_id IN {permission}))"
        )
    return f"SELECT 1 FROM {process_table} p WHERE {' AND '.join(where)}"


# Object resolvers for the flow's .Permission(obj=...): named, never lambdas.
def proposing_unit(process) -> OrgUnit:
    return process.artifact.unit


def reviewing_ward(process) -> OrgUnit:
    return process.artifact.unit.parent


def issuing_unit(process) -> OrgUnit:
    return process.artifact.campaign.issuer


def decision_issuer(process) -> OrgUnit:
    return process.artifact.issuer


def can_view_decision(user, decision) -> bool:
    """The council's secretaries and those who sign for the issuer see its decisions."""
    return can(user, RECORD_COUNCIL, decision.issuer) or can(user, APPROVE, decision.issuer)


def visible_decisions(user):
    return Decision.objects.filter(issuer__in=roles.units_with(user, RECORD_COUNCIL, APPROVE))


def may_open_session(user) -> bool:
    """Start of the council flow: the secretary of some council."""
    return councils_managed_by(user).exists()


def councils_managed_by(user):
    """Councils whose sessions ``user`` may open and run (their secretary)."""
    return Council.objects.filter(issuer__in=roles.units_with(user, RECORD_COUNCIL))


def visible_sessions(user):
    """Council sessions the user sits on or runs."""
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


def can_view_session_process(user, process_pk, flow_class, *, task=None) -> bool:
    """``can_view_session`` on the council session of process ``process_pk``, without loading the process, the
    session and its council (issue 18: each of a council's ballots, and its page, asked four queries).

    ``task``: a further condition on the process (workflow.scope.TaskOfProcess), in the same query. Same answer as
    loading the process (of ``flow_class``), its session and asking ``can_view_session``: no such process or session
    → False; a member of the session's council (any seat, as ``can_view_session``) → True; otherwise the
    council's secretary right on its issuer (``can``, the issuer read only then). One statement written as SQL once
    (``_session_gate_sql``), as the dossier's gate: building it with the ORM's Exists cost a fifth of the ballot
    page's CPU (s26ballot).
    """
    if not user.is_authenticated:
        return False
    process_model, task_model = flow_class.process_class, flow_class.task_class
    args = [user.pk, process_pk, process_model._meta.get_field("flow_class").get_prep_value(flow_class)]
    args.append(get_content_type(CouncilSession).pk)
    if task is not None:
        args += [task.task_pk, task_model._meta.get_field("flow_task").get_prep_value(task.node)]
    sql = _session_gate_sql(process_model._meta.db_table, task_model._meta.db_table, task is not None)
    with connections[process_model.objects.db].cursor() as cursor:
        cursor.execute(sql, args)
        row = cursor.fetchone()
    if row is None:
        return False
    if row[1]:
        return True
    issuer = OrgUnit.objects.filter(council__sessions=row[0]).first()
    return issuer is not None and can(user, RECORD_COUNCIL, issuer)


@functools.cache
def _session_gate_sql(process_table: str, task_table: str, with_task: bool) -> str:
    """The council gate's statement: (the session's id, whether the user sits on its council) when the process
    (with its session, and the task) is there. Parameters in order: user id, process id, flow class, content
    type; task id and node when ``with_task``."""
    session, member = CouncilSession._meta.db_table, CouncilMember._meta.db_table
    where = [
        "p.id = %s AND p.flow_class = %s AND p.artifact_content_type_id = %s",
        f"EXISTS (SELECT 1 FROM {session} s WHERE s.id = p.artifact_object_id)",
    ]
    if with_task:
        where.append(
            f"EXISTS (SELECT 1 FROM {task_table} t WHERE t.id = %s AND t.process_id = p.id AND t.flow_task = %s)"
        )
    sits = (
        f"EXISTS (SELECT 1 FROM {session} s INNER JOIN {member} m ON m.council_id = s.council_id"
        " WHERE s.id = p.artifact_object_id AND m.user_id = %s)"
    )
    return f"SELECT p.artifact_object_id, {sits} FROM {process_table} p WHERE {' AND '.join(where)} LIMIT 1"
