"""Which tasks a person may take, and who may change a dossier: the rules that read the flows' tasks.

viewflow's own queue matches ``owner_permission || '_' || owner_permission_obj_pk`` against every object
grant of the user, row by row; the rules here give the same answer from the roles in force (``roles``) in a
form the queue index answers.
"""

from django.db.models import Q
from viewflow.workflow.status import STATUS

from . import roles

# The owner_permission of a task the flow gives one named person (workflow.nodes.PersonalView): a marker
# nobody holds (no Permission row); the permission's object is that person, the only one who may take it.
PERSONAL_TASK = "workflow.personal_task"


def can_edit_submission(user, submission) -> bool:
    """Only the owner of the dossier's open preparing/completing task may change it."""
    # flows imports permissions, which re-exports this module: the flow is read when the rule runs.
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


def may_take(user) -> Q:
    """The tasks ``user`` may take: viewflow's ``user_queue`` rule, in a form the queue index answers.

    viewflow matches ``owner_permission || '_' || owner_permission_obj_pk`` against every object grant of the
    user, which no index can serve. The same rule is written here as ``owner_permission = p AND
    owner_permission_obj_pk IN (…)`` per permission, over the unit grants ``prime_queue_cache`` loads
    (index workflow_task_queue_idx, migration workflow 0005).
    """
    arms = may_take_arms(user)
    if not arms:
        return Q(pk__in=[])
    rule = arms[0]
    for arm in arms[1:]:
        rule |= arm
    return rule


def may_take_arms(user) -> list[Q]:
    """``may_take(user)`` as the conditions it ORs together (none for an anonymous user): the queue reads each
    arm on its own index (``queue_tasks_union``)."""
    if not user.is_authenticated:
        return []
    mine = Q(owner_permission=PERSONAL_TASK, owner_permission_obj_pk=str(user.pk))
    if user.is_superuser:
        # Everything but another person's task.
        return [~Q(owner_permission=PERSONAL_TASK), mine]
    prime_queue_cache(user)
    arms = [Q(owner_permission__isnull=True), Q(owner=user), mine]
    if held := user.get_all_permissions():
        arms.append(Q(owner_permission__in=sorted(held)))
    for perm, pks in sorted(user._unit_grants.items()):
        arms.append(Q(owner_permission=perm, owner_permission_obj_pk__in=sorted(pks)))
    return arms


def rule_key(user) -> tuple | None:
    """Every input of ``may_take(user)``: the key under which a statement built on it may be compiled once
    (nominations.compiled): the user, superuser or not, the permissions held and the unit grants in force today
    (``prime_queue_cache``). None for an anonymous user (no statement to keep)."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return (user.pk, True)
    prime_queue_cache(user)
    grants = tuple(sorted((perm, tuple(sorted(pks))) for perm, pks in user._unit_grants.items()))
    return (user.pk, False, tuple(sorted(user.get_all_permissions())), grants)


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


def queue_tasks_union(user, flow_class, fields: tuple, **annotations):
    """``queue_tasks(user, flow_class).values_list(*fields)`` as a UNION of one query per arm of the rule
    (``may_take_arms``), each a scan of the queue index (or the owner's) for its own condition.

    As one OR, PostgreSQL reads every NEW task through the status index and filters them (7–20 ms at 100,000
    nominations for a reviewer's 77): it expects the "no owner permission" arm to match 1,600 NEW human tasks,
    where it matches none, and so prices the index scans of the arms above the one scan of the status index.
    Apart, each arm has an index of its own: that arm the index of unrouted human tasks (migration workflow 0011),
    the others the queue index (0005). About 2 ms in all.
    ``fields`` may name ``annotations`` (made on each arm).
    """
    base = flow_class.task_class._default_manager.filter(
        flow_task__in=human_nodes(flow_class), flow_task_type="HUMAN", status=STATUS.NEW
    ).order_by()
    arms = [base.filter(arm).annotate(**annotations) for arm in may_take_arms(user)]
    if not arms:
        return base.none().values_list(*fields)
    first, *others = [arm.values_list(*fields) for arm in arms]
    return first.union(*others) if others else first
