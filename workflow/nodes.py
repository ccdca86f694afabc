"""Nodes the flows need beyond open-source viewflow, made by subclassing it.

DataSplit: a Split that starts one task per item of a data source. viewflow
documents ``Split.Next(..., data_source=...)`` but ships without it (it lives
in the commercial edition).

PersonalView: a human task that belongs to the one person the flow assigns
it to, even after they give it back.
"""

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
