"""Nodes the flows need beyond open-source viewflow, made by subclassing it.

DataSplit: a Split that starts one task per item of a data source. viewflow
documents ``Split.Next(..., data_source=...)`` but ships without it (it lives
in the commercial edition).

PersonalView: a human task that belongs to the one person the flow assigns
it to, even after they give it back.

RecordingView: a PersonalView whose page records before taking the process
lock (the ballots of a whole council at once).
"""

from functools import update_wrapper

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path
from viewflow.fsm import TransitionNotAllowed
from viewflow.workflow import Activation
from viewflow.workflow.exceptions import FlowRuntimeError
from viewflow.workflow.flow import Split, View
from viewflow.workflow.nodes.split import SplitActivation

from . import permissions as perms


class DataSplitActivation(SplitActivation):
    @Activation.status.super()
    def activate(self):
        for node, condition, data_source in self.flow_task._branches:
            if condition and not condition(self):
                continue
            if data_source is None:
                self.next_tasks.append((node, None))
            else:
                self.next_tasks.extend((node, data) for data in data_source(self))
        if not self.next_tasks:
            raise FlowRuntimeError(f"No next task available for {self.flow_task.name}")


class DataSplit(Split):
    activation_class = DataSplitActivation

    def Next(self, node, case=None, task_data_source=None):  # noqa: N802 (viewflow's naming)
        self._activate_next.append((node, case, task_data_source))
        return self

    def _resolve(self, instance):
        super()._resolve(instance)
        for node, _case, data_source in self._activate_next:
            if data_source is not None:
                node._multi_instance = True  # drawn with the multi-instance marker in charts and BPMN


class PersonalView(View):
    """A View whose task is the person's named by ``.Assign(fn)``: given back, only they may take it again.

    viewflow lets anyone take a task without ``.Permission`` once its owner
    gives it back (a council secretary would cast a member's ballot). The task
    records its person instead: ``owner_permission`` is the PERSONAL_TASK
    marker and its object is the person, so ``can_assign``, the queues
    (permissions.may_take, viewflow's user_queue) and the API's claim offer it
    to that person alone.
    """

    def calc_owner_permission(self, activation):
        return perms.PERSONAL_TASK

    def calc_owner_permission_obj(self, activation):
        # Called before calc_owner: the person is looked up once for both.
        activation.person = super().calc_owner(activation)
        return activation.person

    def calc_owner(self, activation):
        if hasattr(activation, "person"):
            return activation.person
        return super().calc_owner(activation)

    def can_assign(self, user, task):
        return task.owner_id is None and user is not None and perms.is_task_person(user, task)


def _wrap_unlocked_view(flow_task, origin_view):
    """viewflow's ``utils.wrap_view`` without its process lock and transaction around a POST: the view takes
    them itself, only for completing the task (steps.base.record_then_complete)."""

    def view(request, *args, **kwargs):
        task = get_object_or_404(flow_task.flow_class.task_class, pk=kwargs["task_pk"])
        if task.process.flow_class != flow_task.flow_class or task.process_id != kwargs["process_pk"]:
            raise Http404
        request.activation = flow_task.activation_class(task)
        if not flow_task.can_execute(request.user, task=task):
            raise PermissionDenied
        try:
            request.activation.start(request)
            return origin_view(request, *args, **kwargs)
        except TransitionNotAllowed as error:
            raise PermissionDenied(",".join(error.args)) from error

    update_wrapper(view, origin_view)
    return view


class RecordingView(PersonalView):
    """A PersonalView whose step records before the process lock (``Step.record``: a ballot)."""

    @property
    def view_path(self):
        return path(
            f"<int:process_pk>/{self.name}/<int:task_pk>/execute/",
            _wrap_unlocked_view(self, self.view),
            name="execute",
        )
