"""Rights derived at check time from the roles in force on the day.

A membership (person, unit, role, from, to) is the one thing that gives a
right to act, and a delegation (issuer, vice-chairman, from, to) the one thing
that lets a deputy sign. Nothing is copied into guardian's grant tables for
acting: whichever way a membership was written (the pages, the Django admin, an
import, a shell), it is read here when a right is checked, so it takes effect
at once and stops the day after its end date. The member's unit (and, for the
roles that act for the People's Committee above, that committee) must be in
force on the day as well; a dissolved unit gives no right.

One statement per user and day (memberships, delegations and secretary's seats
in one UNION), kept on the user object: a request checks as often as it likes.
The user's global permissions (their own and their groups') likewise, in one
statement where Django's ModelBackend reads two (``permissions``, answered
through ``workflow.backends.PermissionSetBackend``). The SQL of both is
compiled once per process; every request runs it and reads the rows as they are
then: a role, permission or group changed shows on the next request.
"""

import datetime
import functools

from django.contrib.auth.models import Permission
from django.db import connection
from django.db.models import CharField, DateField, IntegerField, Q, Value
from django.utils import timezone
from django.utils.dateparse import parse_date

# The codenames and the roles' table are the domain's (nominations.access); the pages and backends read them here.
from nominations.access import (  # noqa: F401
    ADMINISTER,
    APPROVE,
    PROPOSE,
    RECORD_COUNCIL,
    REVIEW,
    ROLE_GRANTS,
    SUBMIT,
    UNIT_PERMS,
    WARD_REVIEW,
)
from nominations.models import CouncilMember, Delegation, Membership, OrgUnit, Role

from . import prepared

# A delegation in force is read as this pseudo-role: signing for its issuer.
DELEGATE = "delegate"
# A council secretary's seat in force, read as this pseudo-role: keeping the council's minutes (its sessions).
SECRETARY_SEAT = "secretary_seat"
_GRANTS = {**ROLE_GRANTS, DELEGATE: [(APPROVE, "unit")], SECRETARY_SEAT: [(RECORD_COUNCIL, "unit")]}


def _in_force(day: datetime.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
    )


def _rows(user, day: datetime.date, *, many: bool = False):
    """(role, unit, parent, parent's from, parent's to, unit's level) of every membership, delegation and
    secretary's seat in force on ``day``; with ``many``, ``user`` is a list of users and each row starts with the
    user's id."""
    first, *others = _branches(user, day, many=many)
    return first.union(*others, all=True)


def _branches(user, day: datetime.date, *, many: bool = False) -> list:
    """``_rows``' three statements (memberships, delegations, seats), each ordered by nothing."""
    no_parent = {
        "parent": Value(None, IntegerField()),
        "parent_from": Value(None, DateField()),
        "parent_to": Value(None, DateField()),
    }
    lookup = "__in" if many else ""
    first = ("user_id",) if many else ()
    memberships = Membership.objects.filter(
        _in_force(day), _in_force(day, "unit__"), **{f"user{lookup}": user}
    ).values_list(
        *first,
        "role",
        "unit_id",
        "unit__parent_id",
        "unit__parent__valid_from",
        "unit__parent__valid_to",
        "unit__level",
    )
    delegations = (
        Delegation.objects.in_force_on(day)
        .filter(_in_force(day, "issuer__"), **{f"delegate{lookup}": user})
        .annotate(kind=Value(DELEGATE, CharField()), **no_parent)
        .values_list(
            *(("delegate_id",) if many else ()),
            "kind",
            "issuer_id",
            "parent",
            "parent_from",
            "parent_to",
            "issuer__level",
        )
    )
    seats = (
        CouncilMember.objects.filter(
            _in_force(day),
            _in_force(day, "council__issuer__"),
            position=CouncilMember.Position.SECRETARY,
            **{f"user{lookup}": user},
        )
        .annotate(kind=Value(SECRETARY_SEAT, CharField()), **no_parent)
        .values_list(
            *first, "kind", "council__issuer_id", "parent", "parent_from", "parent_to", "council__issuer__level"
        )
    )
    return [memberships.order_by(), delegations.order_by(), seats.order_by()]


# The request's two statements (``_run``) are compiled once with these stand-ins for the user's id and the day,
# whose places among the parameters are then filled with each request's own: no real user has a negative id and
# no role is dated in the year 1001.
_ANY_USER = -424242
_ANY_DAY = datetime.date(1001, 1, 1)


def _permission_rows(user, source: str, holder: str):
    """``user``'s global permissions through ``holder`` (their own, or their groups'): (``source``, app label,
    codename), as ModelBackend's ``_get_permissions`` reads them."""
    return (
        Permission.objects.filter(**{holder: user})
        .order_by()
        .annotate(source=Value(source, CharField()))
        .values_list("source", "content_type__app_label", "codename")
    )


def _build(kind: str):
    if kind == "roles":
        first, *others = _branches(_ANY_USER, _ANY_DAY)
    else:  # ModelBackend's two statements in one
        first, *others = (
            _permission_rows(_ANY_USER, "user", "user"),
            _permission_rows(_ANY_USER, "group", "group__user"),
        )
    return first.union(*others, all=True)


@functools.cache
def _statement(kind: str, vendor: str) -> tuple[str, tuple, tuple]:
    """The SQL of ``kind``'s statement ("roles": ``_rows``; "permissions": a user's own and their groups'
    permissions), its parameters as compiled, and which of them are the user (``"user"``) or the day (``"day"``).
    Compiling it cost the ORM ~5 ms of CPU per request (issue 18); running it costs a fraction of a millisecond."""
    sql, params = _build(kind).query.sql_with_params()
    any_day = connection.ops.adapt_datefield_value(_ANY_DAY)
    slots = tuple(
        "user" if type(p) is int and p == _ANY_USER else "day" if type(p) is type(any_day) and p == any_day else ""
        for p in params
    )
    if "user" not in slots or (kind == "roles" and "day" not in slots):
        raise RuntimeError("the rights statement's parameters were not recognised")  # a change in Django
    return sql, tuple(params), slots


def _run(kind: str, user_id: int, day: datetime.date | None = None) -> list[tuple]:
    """The rows of ``kind``'s statement for ``user_id`` (and ``day``), read now."""
    sql, params, slots = _statement(kind, connection.vendor)
    day_value = connection.ops.adapt_datefield_value(day) if day is not None else None
    args = [
        user_id if slot == "user" else day_value if slot == "day" else param
        for param, slot in zip(params, slots, strict=True)
    ]
    # Prepared once per connection (workflow.prepared): every request runs both, PostgreSQL planned them each time.
    return prepared.rows(sql, args)


def _day(value):
    """A date column as a date (SQLite may hand one over as text)."""
    return parse_date(value) if isinstance(value, str) else value


def permissions(user) -> set[str]:
    """``user``'s global permissions ("app_label.codename": their own and their groups'), read once per request
    in one statement where ModelBackend reads two, and kept in ModelBackend's own per-request sets (which it then
    reads instead of querying). For an active user who is not a superuser (Django answers for a superuser before
    asking any backend; an inactive user holds nothing)."""
    if not hasattr(user, "_perm_cache"):
        own, groups = set(), set()
        for source, app_label, codename in _run("permissions", user.pk):
            (own if source == "user" else groups).add(f"{app_label}.{codename}")
        user._user_perm_cache, user._group_perm_cache, user._perm_cache = own, groups, own | groups
    return user._perm_cache


def _grants(rows, day: datetime.date) -> tuple[dict[str, set[str]], bool]:
    """The grants of ``rows`` and whether they keep the national award rules."""
    grants: dict[str, set[str]] = {}
    keeps_rules = False
    for role, unit, parent, parent_from, parent_to, level in rows:
        # Read with the rest (the unit's level comes in the same row): the administrator of a province-level
        # committee keeps the national award rules (``award_rules.rules_keeper``); kept apart from the grants,
        # which name only rights on units that tasks are routed by.
        keeps_rules = keeps_rules or (role == Role.ADMINISTRATOR and level == OrgUnit.Level.PROVINCE)
        for perm, where in _GRANTS.get(role, []):
            target = unit
            if where == "parent" and parent is not None:
                # The committee above must be in force too: a dissolved city's standing body acts for no one.
                if not (parent_from <= day and (parent_to is None or parent_to >= day)):
                    continue
                target = parent
            grants.setdefault(perm, set()).add(str(target))
    return grants, keeps_rules


def unit_grants(user, day: datetime.date | None = None) -> dict[str, set[str]]:
    """Permission → ids (as text, like viewflow's task.owner_permission_obj_pk) of the units ``user`` acts for."""
    day = day or timezone.localdate()
    if not user.is_authenticated or not user.is_active:
        return {}
    cached = getattr(user, "_role_grants", None)
    if cached is not None and cached[0] == day:
        return cached[1]
    rows = [(*row[:3], _day(row[3]), _day(row[4]), row[5]) for row in _run("roles", user.pk, day)]
    grants, keeps_rules = _grants(rows, day)
    user._role_grants = (day, grants)
    user._keeps_award_rules = keeps_rules
    return grants


def prime(users, day: datetime.date | None = None) -> None:
    """Read the rights of many users in one query and keep each on its user, as ``unit_grants`` would one by one
    (a task's notice checks every member of a unit and of the units under it)."""
    day = day or timezone.localdate()
    users = [u for u in users if u.is_authenticated and u.is_active]
    rows: dict[int, list] = {u.pk: [] for u in users}
    for user_id, *row in _rows(users, day, many=True):
        rows[user_id].append(row)
    for user in users:
        grants, keeps_rules = _grants(rows[user.pk], day)
        user._role_grants = (day, grants)
        user._keeps_award_rules = keeps_rules


def holds(user, perm: str, unit: OrgUnit, day: datetime.date | None = None) -> bool:
    """Does ``user`` hold ``perm`` on ``unit`` through a role (or delegation) in force on ``day``?"""
    return str(unit.pk) in unit_grants(user, day).get(perm, ())


def holders(perm: str, unit: OrgUnit, day: datetime.date | None = None) -> Q:
    """A filter on users: those who hold ``perm`` on ``unit`` through a role, delegation or secretary's seat in
    force on ``day`` (``holds`` read the other way round, for a whole queue in one query: a task's notice). Built
    from the same table as ``_grants``: a "parent" grant acts on the committee above the member's unit (both in
    force), or on the member's own unit when that has none above it."""
    day = day or timezone.localdate()
    if not (unit.valid_from <= day and (unit.valid_to is None or unit.valid_to >= day)):
        return Q(pk__in=[])  # a dissolved unit gives no right, on itself or through it
    here = [role for role, grants in _GRANTS.items() if (perm, "unit") in grants]
    above = [role for role, grants in _GRANTS.items() if (perm, "parent") in grants]
    members = Q(role__in=here, unit=unit)
    if above:
        members |= Q(role__in=above, unit__parent=unit)
        if unit.parent_id is None:
            members |= Q(role__in=above, unit=unit)
    who = Q(pk__in=Membership.objects.filter(members, _in_force(day), _in_force(day, "unit__")).values("user"))
    if DELEGATE in here:
        who |= Q(pk__in=Delegation.objects.in_force_on(day).filter(issuer=unit).values("delegate"))
    if SECRETARY_SEAT in here:
        seats = CouncilMember.objects.filter(_in_force(day), position=CouncilMember.Position.SECRETARY)
        who |= Q(pk__in=seats.filter(council__issuer=unit).values("user"))
    return who


def units_with(user, *perms: str, day: datetime.date | None = None) -> set[int]:
    """Ids of the units on which ``user`` holds any of ``perms`` today."""
    grants = unit_grants(user, day)
    return {int(pk) for perm in perms for pk in grants.get(perm, ())}


def keeps_award_rules(user) -> bool:
    """Does ``user`` administer a province-level committee today (who keeps the award rules)? Read from the
    rights already loaded for the request's menus: no statement of its own."""
    unit_grants(user)
    return getattr(user, "_keeps_award_rules", False)


def forget(user) -> None:
    """Drop the user's cached rights (after their roles changed within the same request)."""
    user.__dict__.pop("_role_grants", None)
    user.__dict__.pop("_keeps_award_rules", None)
