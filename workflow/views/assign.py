"""viewflow's assign / unassign pages, writing the audit trail."""

from viewflow.workflow.flow import views as vf

from ..steps.base import task_assigned


class AssignTaskView(vf.AssignTaskView):
    def form_valid(self, *args, **kwargs):
        response = super().form_valid(*args, **kwargs)
        task_assigned(self.request.activation.task, self.request.user)
        return response


class UnassignTaskView(vf.UnassignTaskView):
    def form_valid(self, *args, **kwargs):
        task = self.request.activation.task
        response = super().form_valid(*args, **kwargs)
        task_assigned(task, self.request.user, assigned=False)
        return response


def audit_assignments(*flow_classes) -> None:
    """Give every human task of the flows the audited assign/unassign pages."""
    for flow_class in flow_classes:
        for node in flow_class.instance.nodes():
            if hasattr(node, "assign_view_class"):
                node.assign_view_class = AssignTaskView
                node.unassign_view_class = UnassignTaskView
