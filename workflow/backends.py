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
