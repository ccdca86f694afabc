"""The decision flow's step pages: template and context only (what they do is in workflow.steps.decision)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from nominations.models import Decision

from ..page_rows import decision_rows
from .base import StepView


class DraftDecisionView(StepView):
    template_name = "workflow/start_form.html"
    success_message = _("Đã lập dự thảo quyết định {process}.")


class DecisionStepView(StepView):
    template_name = "workflow/decision_task.html"

    @property
    def decision(self) -> Decision:
        return self.activation.process.artifact

    def get_context_data(self, **kwargs):
        rows = decision_rows(self.decision, show_certificates=False)
        return super().get_context_data(decision=self.decision, decision_rows=rows, **kwargs)


class SignView(DecisionStepView):
    def get_success_url(self):
        """Signed: the chairman follows the documents and certificates being made (the progress page)."""
        if self.decision.status == Decision.Status.SIGNED:
            return reverse("decisions:progress", args=[self.decision.pk])
        return super().get_success_url()


class RedraftView(DecisionStepView):
    pass
