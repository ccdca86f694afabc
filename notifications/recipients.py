"""Who holds a task (its owner, its person, or everyone who may take it) and whom to tell when it is late."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection
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
    if task.owner_permission not in roles.UNIT_PERMS:
        return [user for user in users.filter(_candidates(unit, day)).order_by("pk") if perms.could_take(user, task)]
    if unit.valid_from <= day and (unit.valid_to is None or unit.valid_to >= day):
        return _unit_holders_compiled(task.owner_permission, unit, day)
    return list(_unit_holders(task.owner_permission, unit, day))  # a dissolved unit: only global grants


def _candidates(unit, day) -> Q:
    """Roles act on their own unit or on the committee above (roles.ROLE_GRANTS); a delegate is a vice-chairman
    of the issuer in force (Delegation.objects.in_force_on), so a member of the unit too."""
    return Q(pk__in=Membership.objects.filter(_in_force(day), Q(unit=unit) | Q(unit__parent=unit)).values("user"))


def _unit_holders(perm: str, unit, day):
    """The active people who may take a task of the unit right ``perm`` on ``unit``: perms.could_take for every
    candidate, in one query: a role in force on the unit (roles.holders, the rights read from the task's side: a
    district's members and its wards' are dozens, its holders a few), or among the unit's people a global grant
    (ModelBackend: superuser, own or group permission)."""
    candidates = _candidates(unit, day)
    app_label, _, codename = perm.rpartition(".")
    own = {"user_permissions__codename": codename, "user_permissions__content_type__app_label": app_label}
    group = {"groups__permissions__codename": codename, "groups__permissions__content_type__app_label": app_label}
    global_grant = Q(is_superuser=True) | Q(**own) | Q(**group)  # joins, not subqueries: cheaper to build
    holders = roles.holders(perm, unit, day) | (candidates & global_grant)
    return get_user_model().objects.filter(is_active=True).filter(holders).distinct().order_by("pk")


# ``_unit_holders``' SQL, built once per process for each right and kind of unit (with or without a unit above):
# building it cost the ORM ~5 ms of the worker per notice, more than PostgreSQL spends running it. It is built for
# a stand-in unit and day, whose values are then replaced by the real ones in its parameters; the text depends on
# no data, so every call reads the rows as they are now (a role given or ended shows at once).
_HOLDERS_SQL: dict[tuple, tuple[str, list] | None] = {}
_STAND_IN_UNIT, _STAND_IN_DAY = -91_827_364, datetime.date(1901, 2, 3)
_UNIT, _DAY = object(), object()  # the parameters' slots the real unit and day fill


def _compiled(perm: str, unit) -> tuple[str, list] | None:
    """``_unit_holders``' SQL and parameter slots for ``perm`` on a unit of ``unit``'s kind (see ``_HOLDERS_SQL``);
    None when it cannot be compiled (built by the ORM each time)."""
    key = (connection.vendor, perm, unit.parent_id is None)
    if key not in _HOLDERS_SQL:
        stand_in = OrgUnit(
            pk=_STAND_IN_UNIT,
            parent_id=None if unit.parent_id is None else _STAND_IN_UNIT - 1,
            valid_from=_STAND_IN_DAY,
            valid_to=None,
        )
        sql, params = _unit_holders(perm, stand_in, _STAND_IN_DAY).query.sql_with_params()
        day_value = connection.ops.adapt_datefield_value(_STAND_IN_DAY)
        slots = [_UNIT if p == _STAND_IN_UNIT else _DAY if p in (_STAND_IN_DAY, day_value) else p for p in params]
        # Any other trace of the stand-in (its parent, or the unit as text) would not be replaced: build each time.
        clean = _UNIT in slots and not any(p in (_STAND_IN_UNIT - 1, str(_STAND_IN_UNIT)) for p in params)
        _HOLDERS_SQL[key] = (sql, slots) if clean else None
    return _HOLDERS_SQL[key]


def _filled(slots, unit, day) -> list:
    day_value = connection.ops.adapt_datefield_value(day)
    return [unit.pk if p is _UNIT else day_value if p is _DAY else p for p in slots]


def _unit_holders_compiled(perm: str, unit, day) -> list:
    """``_unit_holders`` of a unit in force on ``day``, its SQL compiled once (see ``_HOLDERS_SQL``)."""
    compiled = _compiled(perm, unit)
    if compiled is None:
        return list(_unit_holders(perm, unit, day))
    sql, slots = compiled
    return list(get_user_model().objects.raw(sql, _filled(slots, unit, day)))


def _units_holders_compiled(pairs, day) -> list[list]:
    """``_unit_holders_compiled`` of several (right, unit in force) pairs in one statement (a burst of notices
    for the queues of several units): each pair's compiled statement is one branch of a UNION ALL, its rows
    tagged with the branch's number, in the order of ``_unit_holders`` (the people's ids) within each."""
    found = [None] * len(pairs)
    branches, params, of_branch = [], [], []
    for i, (perm, unit) in enumerate(pairs):
        compiled = _compiled(perm, unit)
        if compiled is None:
            found[i] = list(_unit_holders(perm, unit, day))
            continue
        sql, slots = compiled
        branches.append(f"SELECT {len(of_branch)} AS holders_branch, h.* FROM ({sql}) h")
        params += _filled(slots, unit, day)
        of_branch.append(i)
        found[i] = []
    if len(of_branch) == 1:  # one statement as it is, with nothing around it
        perm, unit = pairs[of_branch[0]]
        found[of_branch[0]] = _unit_holders_compiled(perm, unit, day)
    elif of_branch:
        pk = connection.ops.quote_name(get_user_model()._meta.pk.column)
        sql = f"SELECT * FROM ({' UNION ALL '.join(branches)}) b ORDER BY holders_branch, {pk}"
        for user in get_user_model().objects.raw(sql, params):
            found[of_branch[user.holders_branch]].append(user)
    return found


def holders_of_tasks(tasks) -> dict:
    """``task_holders`` of each task ({task pk: people}), worked out once for the tasks that share them: the same
    owner, or the same unit right on the same unit (a burst of dossiers sent to one head's queue). The units of
    the unit rights are read together, and their holders in one statement (``_units_holders_compiled``)."""
    found, by_task, queues = {}, {}, {}
    for task in tasks:
        if task.owner_id:
            key = ("owner", task.owner_id)
        elif task.owner_permission in roles.UNIT_PERMS:
            key = (task.owner_permission, task.owner_permission_content_type_id, task.owner_permission_obj_pk)
            if task.owner_permission_content_type_id == _orgunit_type_id():
                queues.setdefault(key, task)
                by_task[task.pk] = key
                continue
        else:  # a personal task, or a right whose holders may depend on the task itself (perms.could_take)
            key = ("task", task.pk)
        if key not in found:
            found[key] = task_holders(task)
        by_task[task.pk] = key
    if queues:
        units = OrgUnit.objects.in_bulk({int(task.owner_permission_obj_pk) for task in queues.values()})
        day = timezone.localdate()
        pairs, keys = [], []
        for key, task in queues.items():
            unit = units.get(int(task.owner_permission_obj_pk))
            if unit is None:
                found[key] = []  # the unit is gone: nobody holds a right on it (as task_holders)
            elif unit.valid_from <= day and (unit.valid_to is None or unit.valid_to >= day):
                pairs.append((task.owner_permission, unit))
                keys.append(key)
            else:
                found[key] = list(_unit_holders(task.owner_permission, unit, day))  # a dissolved unit (task_holders)
        for key, people in zip(keys, _units_holders_compiled(pairs, day), strict=True):
            found[key] = people
    return {pk: found[key] for pk, key in by_task.items()}


def _orgunit_type_id() -> int:
    return ContentType.objects.get_for_model(OrgUnit).pk  # cached by ContentType's manager


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
