"""A Split that starts one task per item of a data source.

Open-source viewflow documents ``Split.Next(..., data_source=...)`` but ships
without it (it lives in the commercial edition); this restores it by
subclassing, leaving viewflow itself unmodified.
"""

from viewflow.workflow import Activation
from viewflow.workflow.exceptions import FlowRuntimeError
from viewflow.workflow.flow import Split
from viewflow.workflow.nodes.split import SplitActivation


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
