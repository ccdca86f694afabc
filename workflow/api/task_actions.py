"""My tasks over the API: list, claim, complete.

Claim and complete run like viewflow's own task views (``wrap_view`` in
viewflow/workflow/flow/utils.py): inside ``NominationFlow.lock(process)`` and
one transaction, with the task re-read under the lock. A task taken or
finished meanwhile is a 409 with a stable code, never a duplicate step.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from viewflow.fsm import TransitionNotAllowed
from viewflow.workflow.status import STATUS

from .. import permissions as perms
from ..flows import NominationFlow
from ..viewsets import visible_processes, with_dossier
from . import errors, task_steps

F = NominationFlow


def _tasks():
    return F.task_class._default_manager.filter(process__flow_class=F, flow_task_type="HUMAN")


def inbox(user):
    """Tasks assigned to ``user`` and not yet done (viewflow's inbox)."""
    return _tasks().filter(owner=user, status=STATUS.ASSIGNED)


def queue(user):
    """Unassigned tasks ``user`` may take, on dossiers ``user`` may see (the UI's queue)."""
    return (
        F.task_class._default_manager.all()
        .user_queue(user, flow_class=F)
        .filter(status=STATUS.NEW, process__in=visible_processes(user, F))
    )


def my_tasks(user):
    """Inbox and queue together, with process and dossier loaded."""
    tasks = _tasks().filter(Q(pk__in=inbox(user).values("pk")) | Q(pk__in=queue(user).values("pk")))
    return with_dossier(tasks)


def _read(pk):
    return _tasks().select_related("process", "owner").filter(pk=pk).first()


def visible_task(user, pk):
    """A human task of the flow whose dossier ``user`` may see, or 404."""
    task = _read(pk)
    submission = task.process.artifact if task is not None else None
    if submission is None or not perms.can_view_submission(user, submission):
        raise Http404
    return task


def _check_open(task, user) -> None:
    if task.status not in (STATUS.NEW, STATUS.ASSIGNED):
        raise errors.Conflict(
            _("Công việc này đã hoàn thành hoặc không còn mở. Không có thay đổi nào được ghi."), code="task_finished"
        )
    if task.owner_id not in (None, user.pk):
        raise errors.Conflict(
            _("Công việc này đã được người khác nhận. Không có thay đổi nào được ghi."), code="task_taken"
        )


def claim(user, pk):
    """Assign the task to ``user`` (viewflow's assign), under the process lock."""
    task = visible_task(user, pk)
    with F.lock(task.process_id), transaction.atomic():
        task = _read(pk)
        _check_open(task, user)
        if task.owner_id == user.pk:
            raise errors.Conflict(_("Bạn đã nhận công việc này rồi."), code="task_already_claimed")
        if not task.flow_task.can_assign(user, task):
            raise PermissionDenied(_("Bạn không có quyền nhận công việc này."))
        try:
            task.flow_task.activation_class(task).assign(user)
        except TransitionNotAllowed as exc:
            raise errors.Conflict(code="task_unavailable") from exc
    return task


def complete(user, pk, request, *, parse):
    """Check the task is the caller's, validate the body (``parse()``, then the step's UI form),
    run the step, advance the flow."""
    task = visible_task(user, pk)
    step = task_steps.STEPS[task.flow_task.name]
    with F.lock(task.process_id), transaction.atomic():
        task = _read(pk)
        _check_open(task, user)
        if task.owner_id is None:
            if task.flow_task.can_assign(user, task):
                raise errors.Conflict(_("Hãy nhận công việc trước khi hoàn thành."), code="task_not_claimed")
            raise PermissionDenied(_("Bạn không có quyền thực hiện công việc này."))
        if not task.flow_task.can_execute(user, task):
            raise PermissionDenied(_("Bạn không có quyền thực hiện công việc này."))
        activation = task.flow_task.activation_class(task)
        try:
            payload = parse()
            activation.start(request)
            form = task_steps.bind(step, activation, payload)
            step.perform(activation, user, form)
            activation.execute()
        except DjangoValidationError as error:
            raise errors.from_django(error, rename=task_steps.api_field) from error
        except TransitionNotAllowed as exc:
            raise errors.Conflict(code="task_unavailable") from exc
    return task


def form_of(task) -> dict:
    """The choices a client needs to complete ``task``."""
    activation = task.flow_task.activation_class(task)
    return task_steps.describe(task_steps.STEPS[task.flow_task.name], activation)


def can_claim(user, task) -> bool:
    return task.status == STATUS.NEW and task.flow_task.can_assign(user, task)


def can_complete(user, task) -> bool:
    return task.status == STATUS.ASSIGNED and task.flow_task.can_execute(user, task)
