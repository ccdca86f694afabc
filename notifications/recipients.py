"""Who holds a task (its owner, its person, or everyone who may take it) and whom to tell when it is late."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from nominations.models import Membership, OrgUnit, Role
from workflow import permissions as perms
from workflow import roles


def _in_force(day, prefix=""):
    return Q(**{f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
    )


def task_holders(task) -> list:
    """The people whose work the task is: its owner, the person of a personal task, else those who may take it."""
    users = get_user_model().objects.filter(is_active=True)
    if task.owner_id:
        return list(users.filter(pk=task.owner_id))
    if task.owner_permission == perms.PERSONAL_TASK:
        return list(users.filter(pk=task.owner_permission_obj_pk))
    unit = task.owner_permission_obj
    if not task.owner_permission or not isinstance(unit, OrgUnit):
        return []
    day = timezone.localdate()
    # Roles act on their own unit or on the committee above (roles.ROLE_GRANTS); a delegate is a vice-chairman
    # of the issuer in force (Delegation.objects.in_force_on), so a member of the unit too.
    candidates = Q(pk__in=Membership.objects.filter(_in_force(day), Q(unit=unit) | Q(unit__parent=unit)).values("user"))
    if task.owner_permission not in roles.UNIT_PERMS:
        return [user for user in users.filter(candidates).order_by("pk") if perms.could_take(user, task)]
    # perms.could_take for every candidate, in one query: a role in force on the unit (roles.holders, the rights
    # read from the task's side: a district's members and its wards' are dozens, its holders a few), or among the
    # unit's people a global grant (ModelBackend: superuser, own or group permission).
    app_label, _, codename = task.owner_permission.rpartition(".")
    own = {"user_permissions__codename": codename, "user_permissions__content_type__app_label": app_label}
    group = {"groups__permissions__codename": codename, "groups__permissions__content_type__app_label": app_label}
    global_grant = Q(is_superuser=True) | Q(**own) | Q(**group)  # joins, not subqueries: cheaper to build
    holders = roles.holders(task.owner_permission, unit, day) | (candidates & global_grant)
    return list(users.filter(holders).distinct().order_by("pk"))


def holders_of_tasks(tasks) -> dict:
    """``task_holders`` of each task ({task pk: people}), worked out once for the tasks that share them: the same
    owner, or the same unit right on the same unit (a burst of dossiers sent to one head's queue)."""
    found, by_task = {}, {}
    for task in tasks:
        if task.owner_id:
            key = ("owner", task.owner_id)
        elif task.owner_permission in roles.UNIT_PERMS:
            key = (task.owner_permission, task.owner_permission_content_type_id, task.owner_permission_obj_pk)
        else:  # a personal task, or a right whose holders may depend on the task itself (perms.could_take)
            key = ("task", task.pk)
        if key not in found:
            found[key] = task_holders(task)
        by_task[task.pk] = found[key]
    return by_task


def heads_of(users) -> list:
    """Heads of the units the people work in (the standing body's head for its reviewers), themselves excluded."""
    day = timezone.localdate()
    units = Membership.objects.filter(_in_force(day), user__in=users).values("unit")
    heads = Membership.objects.filter(_in_force(day), unit__in=units, role=Role.UNIT_HEAD).values("user")
    return list(
        get_user_model()
        .objects.filter(pk__in=heads, is_active=True)
        .exclude(pk__in=[u.pk for u in users])
        .order_by("pk")
    )


def units_people(units, day=None) -> list:
    """The clerks and heads in force on ``day`` of the units (a queryset of OrgUnit), active, once each."""
    day = day or timezone.localdate()
    people = Membership.objects.filter(_in_force(day), unit__in=units, role__in=[Role.UNIT_CLERK, Role.UNIT_HEAD])
    return list(get_user_model().objects.filter(pk__in=people.values("user"), is_active=True).order_by("pk"))


def campaign_audience(campaign) -> list:
    """Whom a launched campaign concerns: the clerks and heads of the units in force under its issuer."""
    day = timezone.localdate()
    units = OrgUnit.objects.valid_on(day).filter(path__startswith=campaign.issuer.path)
    return units_people(units, day)
