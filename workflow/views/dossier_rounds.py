"""A dossier's files and completion rounds on its pages: replace or remove a file, the reviewer's per-round
changes, the unit's banner with the reviewer's checklist, and the history of removed files."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views import generic

from nominations.models import Attachment
from nominations.services import attachments, rounds

from .. import permissions as perms
from ..access import access_dossier
from .base import add_errors


def dossier_extras(submission, *, reviewing: bool = False) -> dict:
    """The context every dossier page adds: the return banner, removed files, and (reviewer) the round's changes."""
    extras = {
        "return_notice": rounds.return_notice(submission),
        "attachment_history": list(attachments.attachment_history(submission)),
    }
    if reviewing:
        extras["round_changes"] = [c for c in rounds.changes_since_review(submission) if not c.empty]
    return extras


class ReplaceForm(forms.Form):
    file = forms.FileField(label=_("Tệp mới (PDF, DOCX, JPEG, PNG)"))


class _AttachmentAction(generic.FormView):
    """A file of the dossier the user holds: the dossier by its id, the file only among that dossier's own."""

    template_name = "workflow/attachment_action.html"

    def dispatch(self, request, *args, **kwargs):
        self.submission = access_dossier(request.user, kwargs["pk"])
        if not perms.can_edit_submission(request.user, self.submission):
            raise PermissionDenied(_("Hồ sơ không ở bước bạn được chỉnh sửa."))
        self.attachment = get_object_or_404(
            Attachment.objects.select_related("nomination__candidate"),
            pk=kwargs["attachment_pk"],
            submission=self.submission,
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=self.title, submission=self.submission, attachment=self.attachment, **kwargs
        )

    def form_valid(self, form):
        try:
            self.perform(form)
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success)
        return redirect("dossiers:submission", pk=self.submission.pk)


class AttachmentReplaceView(_AttachmentAction):
    form_class = ReplaceForm
    title = _("Thay tài liệu")
    success = _("Đã thay tài liệu; tệp cũ vẫn lưu trong lịch sử hồ sơ.")

    def perform(self, form):
        attachments.attachment_replace(
            submission=self.submission,
            attachment=self.attachment,
            upload=form.cleaned_data["file"],
            actor=self.request.user,
        )


class AttachmentRemoveView(_AttachmentAction):
    form_class = forms.Form
    title = _("Gỡ tài liệu")
    success = _("Đã gỡ tài liệu; tệp vẫn lưu trong lịch sử hồ sơ.")

    def perform(self, form):
        attachments.attachment_remove(submission=self.submission, attachment=self.attachment, actor=self.request.user)
