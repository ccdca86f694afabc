"""The one view of every human step: the flow's step table says what it does."""

from urllib.parse import quote as urlquote

from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views import generic
from viewflow.workflow.flow.views import mixins

from ..steps import step_for
from ..steps.base import AlreadyRecorded, record_then_complete


def add_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form, by field where it names one."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class StepView(mixins.SuccessMessageMixin, mixins.TaskSuccessUrlMixin, generic.FormView):
    """A human step of any flow: bind the step's form, run its ``perform``, execute the activation, redirect.

    The form class, its arguments and the service call come from the node's entry in ``workflow.steps``;
    a subclass gives only the template, the context and where to go next. A service's ValidationError is
    shown on the form and nothing moves.
    """

    success_message = _("Đã hoàn thành công việc {task}.")

    @property
    def activation(self):
        return self.request.activation

    @cached_property
    def step(self):
        return step_for(self.activation.flow_task)

    def get_success_message(self, cleaned_data):
        """viewflow's message, without reversing the process's URL when the message does not show it (the step's
        own names only the task): one URL lookup less on every step."""
        if "{process}" in str(self.success_message):
            return super().get_success_message(cleaned_data)
        task = self.activation.task
        url = task.flow_task.reverse("index", args=[task.process_id, task.pk])
        return format_html(self.success_message, task=format_html('<a href="{}">#{}</a>', urlquote(url), task.pk))

    def get_form_class(self):
        return self.step.form_class

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), **self.step.form_kwargs(self.activation, self.request.user)}

    def form_valid(self, form):
        if self.step.record is not None:
            return self._record_then_complete(form)
        try:
            result = self.step.perform(self.activation, self.request.user, form)
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        self.done(result)
        self.activation.execute()
        return super().form_valid(form)

    def _record_then_complete(self, form):
        """A step that records before the lock (nodes.RecordingView: the page runs without viewflow's lock)."""
        try:
            result = record_then_complete(self.step, self.activation, self.request.user, form, self.request)
        except AlreadyRecorded:
            message = _("Công việc này đã được người khác nhận hoặc đã hoàn thành. Không có thay đổi nào được ghi.")
            return TemplateResponse(self.request, "workflow/conflict.html", {"message": message}, status=409)
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        self.done(result)
        return super().form_valid(form)

    def done(self, result) -> None:
        """What the page does with the step's result (the ballot's receipt) before the flow moves on."""
