"""My tasks over the API: list, claim, give back, complete, for the nomination, council and decision flows.

Claim and complete run like viewflow's own task views (``wrap_view`` in
viewflow/workflow/flow/utils.py): inside ``Flow.lock(process)`` and one
transaction, with the task re-read under the lock. A task taken or finished
meanwhile is a 409 with a stable code, never a duplicate step.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from viewflow.fsm import TransitionNotAllowed
from viewflow.workflow.status import STATUS

from .. import kinds
from .. import permissions as perms
from ..flows import NominationFlow
from ..nodes import step_transaction
from ..steps import step_for
from ..steps.base import AlreadyRecorded, record_then_complete, task_assigned
from ..viewsets import attach_dossiers, visible_processes, with_dossier
from . import errors, task_steps

FLOWS = tuple(kind.flow_class for kind in kinds.KINDS)
Task = NominationFlow.task_class  # one table for every flow


def _of_flows():
    condition = Q()
    for flow_class in FLOWS:
        condition |= Q(process__flow_class=flow_class)
    return condition


def _tasks():
    return Task._default_manager.filter(_of_flows(), flow_task_type="HUMAN")


def inbox(user):
    """Tasks assigned to ``user`` and not yet done (viewflow's inbox)."""
    return _tasks().filter(owner=user, status=STATUS.ASSIGNED)


def queue(user):
    """Unassigned tasks ``user`` may take, on dossiers or sessions ``user`` may see (the UI's queue)."""
    visible = Q()
    for flow_class in FLOWS:
        visible |= Q(process__in=visible_processes(user, flow_class))
    # The UI's rule (permissions.may_take): viewflow's user_queue would read every object grant row by row.
    return Task._default_manager.filter(
        perms.may_take(user), _of_flows(), visible, flow_task_type="HUMAN", status=STATUS.NEW
    )


def my_tasks(user):
    """Inbox and queue together, with process and owner loaded."""
    tasks = _tasks().filter(Q(pk__in=inbox(user).values("pk")) | Q(pk__in=queue(user).values("pk")))
    return with_dossier(tasks)


def attach_artifacts(tasks) -> list:
    """Set ``task.dossier`` (submission or session) on a page of tasks, one query per flow."""
    tasks = list(tasks)
    for flow_class in FLOWS:
        attach_dossiers([t for t in tasks if t.process.flow_class is flow_class], flow_class)
    return tasks


def can_view(user, artifact) -> bool:
    """The UI's rule for the flow's artifact: a dossier, a council session or a decision."""
    kind = kinds.of_artifact(artifact)
    return kind is not None and kind.can_view(user, artifact)


def _read(pk):
    return _tasks().select_related("process", "owner").filter(pk=pk).first()


def visible_task(user, pk):
    """A human task whose dossier or session ``user`` may see, or 404."""
    task = _read(pk)
    if task is None or not can_view(user, task.process.artifact):
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
    with task.flow_task.flow_class.lock(task.process_id), step_transaction():
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
        task_assigned(task, user)
    return task


def unassign(user, pk):
    """Give the task back (viewflow's unassign), under the process lock. viewflow's rule: its owner, or a flow
    manager; a personal task (nodes.PersonalView) keeps its person, so only they may take it again."""
    task = visible_task(user, pk)
    with task.flow_task.flow_class.lock(task.process_id), step_transaction():
        task = _read(pk)
        if task.status != STATUS.ASSIGNED:
            raise errors.Conflict(_("Công việc này chưa được nhận hoặc không còn mở."), code="task_not_assigned")
        if not task.flow_task.can_unassign(user, task):
            raise PermissionDenied(_("Bạn không có quyền trả lại công việc này."))
        try:
            task.flow_task.activation_class(task).unassign()
        except TransitionNotAllowed as exc:
            raise errors.Conflict(code="task_unavailable") from exc
        task_assigned(task, user, assigned=False)
    return task


# Refusals whose audit event must outlive the request (a tampered ballot box): the step writes nothing else.
KEEP_WHEN_REFUSED = {"ballot_box_integrity"}


def complete(user, pk, request, *, parse):
    """Check the task is the caller's, validate the body (``parse()``, then the step's UI form),
    run the step, advance the flow; return the task and what the step gives back (a ballot receipt)."""
    task = visible_task(user, pk)
    step = task_steps.step_of(task)
    if step is None:
        raise errors.Conflict(_("Bước này chưa thực hiện được qua API; hãy dùng giao diện."), code="step_not_in_api")
    if step.record is not None:
        result = _record_then_complete(user, pk, request, step, parse)
        return _read(pk), result
    refused = None
    with task.flow_task.flow_class.lock(task.process_id), step_transaction():
        task = _read(pk)
        _check_executable(task, user)
        activation = task.flow_task.activation_class(task)
        try:
            payload = parse()
            activation.start(request)
            form = task_steps.bind(step, activation, payload, user)
            result = step.perform(activation, user, form)
            activation.execute()
        except DjangoValidationError as error:
            if getattr(error, "code", None) not in KEEP_WHEN_REFUSED:
                raise errors.from_django(error, rename=task_steps.api_field) from error
            refused = error
        except TransitionNotAllowed as exc:
            raise errors.Conflict(code="task_unavailable") from exc
    if refused is not None:  # committed (nothing moved but the refusal's audit event), as the page does
        raise errors.from_django(refused, rename=task_steps.api_field) from refused
    return task, result or {}


def _check_executable(task, user) -> None:
    _check_open(task, user)
    if task.owner_id is None:
        if task.flow_task.can_assign(user, task):
            raise errors.Conflict(_("Hãy nhận công việc trước khi hoàn thành."), code="task_not_claimed")
        raise PermissionDenied(_("Bạn không có quyền thực hiện công việc này."))
    if not task.flow_task.can_execute(user, task):
        raise PermissionDenied(_("Bạn không có quyền thực hiện công việc này."))


def _record_then_complete(user, pk, request, step, parse) -> dict:
    """A step that records before the lock (a ballot): checked and recorded outside the process lock, then the
    task completed under it (steps.base.record_then_complete). A double submission is the 409 of a finished task."""
    task = _read(pk)
    _check_executable(task, user)
    activation = task.flow_task.activation_class(task)
    try:
        form = task_steps.bind(step, activation, parse(), user)
        return record_then_complete(step, activation, user, form, request) or {}
    except AlreadyRecorded as exc:
        raise errors.Conflict(
            _("Công việc này đã hoàn thành hoặc không còn mở. Không có thay đổi nào được ghi."), code="task_finished"
        ) from exc
    except DjangoValidationError as error:
        raise errors.from_django(error, rename=task_steps.api_field) from error
    except TransitionNotAllowed as exc:
        raise errors.Conflict(code="task_unavailable") from exc


def start(request, node, data: dict):
    """Start ``node``'s flow as its start view does (viewflow's wrap_start_view), from a JSON body
    validated by the start step's form; return what the start step returns (the new artifact)."""
    user = request.user
    step = step_for(node)
    activation = node.activation_class.create(node, None, None)
    if not node.can_execute(user, activation.task):
        raise PermissionDenied(_("Bạn không được bắt đầu việc này."))
    form = step.form_class(data=data, **step.form_kwargs(activation, user))
    if not form.is_valid():
        raise errors.from_django(DjangoValidationError(form.errors.as_data()))
    with transaction.atomic():
        activation.start(request._request)
        artifact = step.perform(activation, user, form)
        activation.execute()
    return artifact


def form_of(task) -> dict | None:
    """The choices a client needs to complete ``task`` (None for a step the API does not map)."""
    step = task_steps.step_of(task)
    return task_steps.describe(step, task.flow_task.activation_class(task)) if step else None


def can_claim(user, task) -> bool:
    return task.status == STATUS.NEW and task.flow_task.can_assign(user, task)


def can_complete(user, task) -> bool:
    return task.status == STATUS.ASSIGNED and task.flow_task.can_execute(user, task)
