"""The object-permission backend: guardian's, except that rights on units come from the roles in force.

viewflow asks ``user.has_perm(task.owner_permission, obj=unit)`` when a task is
taken; answering from ``workflow.roles`` there means a membership or delegation
counts only within its dates, and a guardian row on a unit (written by hand in
the Django admin, or left from an older version) gives nothing.
"""

from guardian.backends import ObjectPermissionBackend

from nominations.models import OrgUnit

from . import roles


class RoleObjectPermissionBackend(ObjectPermissionBackend):
    def has_perm(self, user_obj, perm, obj=None):
        if isinstance(obj, OrgUnit) and perm in roles.UNIT_PERMS:
            return roles.holds(user_obj, perm, obj)
        return super().has_perm(user_obj, perm, obj)


class PermissionSetBackend:
    """Global permissions from one statement per request (``roles.permissions``), placed before ModelBackend.

    ModelBackend reads a user's own and their groups' permissions in two statements; ``roles.permissions`` reads
    both in one UNION (compiled once per process, run every request) and keeps them in ModelBackend's own
    per-request sets, so ModelBackend, asked after this backend says no, answers from them without a statement.
    Still read every request: a permission or group removed shows on the next one. Authentication and the
    session's user stay ModelBackend's (``authenticate`` answers no one, and no ``get_user``: sessions keep its
    path). Object permissions are guardian's (``RoleObjectPermissionBackend``); a superuser is answered by Django
    before any backend is asked; an inactive user holds nothing.
    """

    def authenticate(self, request, **credentials):
        return None  # Django asks every backend; ModelBackend signs people in

    @staticmethod
    def _answers(user_obj, obj) -> bool:
        return obj is None and user_obj.is_active and not user_obj.is_anonymous and not user_obj.is_superuser

    def has_perm(self, user_obj, perm, obj=None):
        return self._answers(user_obj, obj) and perm in roles.permissions(user_obj)

    # The sets asked for directly (``user.get_all_permissions()``: the queue's rule) come from the same statement.
    def get_all_permissions(self, user_obj, obj=None):
        return roles.permissions(user_obj) if self._answers(user_obj, obj) else set()

    def get_user_permissions(self, user_obj, obj=None):
        if not self._answers(user_obj, obj):
            return set()
        roles.permissions(user_obj)
        return user_obj._user_perm_cache

    def get_group_permissions(self, user_obj, obj=None):
        if not self._answers(user_obj, obj):
            return set()
        roles.permissions(user_obj)
        return user_obj._group_perm_cache
