"""Decision pages: the flow's steps, the decision page, documents, certificates, revocation."""

import io
import zipfile

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views import generic

from nominations.models import Decision
from nominations.services import decisions
from nominations.services.decision_documents import certificates_progress
from nominations.text import safe_file_name

from .. import audit, decision_steps
from .. import decision_forms as forms
from .. import permissions as perms
from ..access import access_decision
from .tasks import StepFormView, add_errors


class DecisionTaskView(StepFormView):
    template_name = "workflow/decision_task.html"

    @property
    def decision(self) -> Decision:
        return self.request.activation.process.artifact

    def get_context_data(self, **kwargs):
        return super().get_context_data(decision=self.decision, items=self._items(), **kwargs)

    def _items(self):
        return self.decision.items.select_related("nomination__candidate", "nomination__submission__unit")


class DraftDecisionView(DecisionTaskView):
    template_name = "workflow/start_form.html"
    form_class = forms.DraftDecisionForm
    success_message = _("Đã lập dự thảo quyết định {process}.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        return generic.FormView.get_context_data(self, **kwargs)

    def perform(self, form):
        decision_steps.draft(self.request.activation, actor=self.request.user, **form.cleaned_data)


class SignView(DecisionTaskView):
    form_class = forms.SignForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "items": self._items()}

    def perform(self, form):
        data = form.cleaned_data
        if data["decision"] == "sign":
            decision_steps.sign(
                self.request.activation,
                actor=self.request.user,
                password=data["password"],
                struck=form.struck(),
                comment=data["comment"],
            )
        else:
            decision_steps.give_back(self.request.activation, actor=self.request.user, comment=data["comment"])


class RedraftView(DecisionTaskView):
    form_class = forms.RedraftForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "items": self._items()}

    def perform(self, form):
        decision_steps.redraft(
            self.request.activation,
            actor=self.request.user,
            remove=[int(pk) for pk in form.cleaned_data["remove"]],
            comment=form.cleaned_data["comment"],
        )


class DecisionListView(generic.ListView):
    template_name = "workflow/decision_list.html"
    context_object_name = "decisions"

    def get_queryset(self):
        return perms.visible_decisions(self.request.user).select_related("campaign", "award_type")


class DecisionDetailView(generic.TemplateView):
    template_name = "workflow/decision_detail.html"

    def get_context_data(self, **kwargs):
        decision = access_decision(self.request.user, kwargs["pk"])
        done, total = certificates_progress(decision)
        return super().get_context_data(
            decision=decision,
            done=done,
            total=total,
            items=decision.items.select_related("nomination__candidate", "nomination__submission__unit", "certificate"),
            show_certificates=True,
            timeline=audit.timeline(decisions.scope_of(decision)),
            may_revoke=decision.status == Decision.Status.SIGNED
            and perms.can(self.request.user, perms.APPROVE, decision.issuer),
            **kwargs,
        )


# URL name → (file field, download name's stem, extension).
_FILES = {
    "docx": ("docx", "quyet-dinh", "docx"),
    "pdf": ("pdf", "quyet-dinh", "pdf"),
    "letter.docx": ("letter_docx", "to-trinh", "docx"),
    "letter.pdf": ("letter_pdf", "to-trinh", "pdf"),
}


def decision_file(request, pk, name):
    """The Quyết định or the Tờ trình, to those who may see the decision."""
    decision = access_decision(request.user, pk)
    field_name, stem, ext = _FILES.get(name, ("", "", ""))
    field = getattr(decision, field_name, None)
    if not field:
        raise Http404
    # Named from the decision, never from the stored file's name.
    filename = safe_file_name(stem, decision.number or "du-thao", decision.pk, ext=ext)
    return FileResponse(field.open("rb"), as_attachment=True, filename=filename)


def revocation_file(request, pk, fmt):
    """The Quyết định hủy bỏ of a revoked decision (DOCX or PDF), to those who may see the decision."""
    decision = access_decision(request.user, pk)
    field = getattr(decision, f"revocation_{fmt}") if fmt in ("docx", "pdf") else None
    if not field:
        raise Http404
    filename = safe_file_name("quyet-dinh-huy-bo", decision.revocation_number, decision.pk, ext=fmt)
    return FileResponse(field.open("rb"), as_attachment=True, filename=filename)


def draft_preview(request, pk, name):
    """The unnumbered draft of the Quyết định or the Tờ trình, rendered now, for the chairman to read before signing."""
    from nominations.documents import decision as decision_docs
    from nominations.documents import submission as letter_docs
    from nominations.services.decision_documents import decision_data, letter_data

    decision = access_decision(request.user, pk)
    renderers = {
        "docx": (decision_docs.render_decision_docx, decision_data, "du-thao-quyet-dinh.docx"),
        "pdf": (decision_docs.render_decision_pdf, decision_data, "du-thao-quyet-dinh.pdf"),
        "letter.docx": (letter_docs.render_submission_letter_docx, letter_data, "du-thao-to-trinh.docx"),
        "letter.pdf": (letter_docs.render_submission_letter_pdf, letter_data, "du-thao-to-trinh.pdf"),
    }
    if name not in renderers:
        raise Http404
    render, build, filename = renderers[name]
    response = HttpResponse(render(build(decision)), content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def certificates_zip(request, pk):
    """Every certificate of the decision in one zip file."""
    decision = access_decision(request.user, pk)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in decision.items.filter(certificate__generated_at__isnull=False).select_related(
            "certificate", "nomination__candidate"
        ):
            # A slug of the name, never the name itself: a stored "../../x" must not become a path (zip slip).
            entry = safe_file_name(f"{item.pk:04d}", item.nomination.candidate.name, ext="pdf")
            with item.certificate.pdf.open("rb") as pdf:
                archive.writestr(entry, pdf.read())
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    filename = safe_file_name("giay-khen", decision.number or decision.pk, ext="zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class RevokeView(generic.FormView):
    """Revoking a signed decision: a page that says what will happen, the reason and the password again."""

    template_name = "workflow/decision_revoke.html"
    form_class = forms.RevokeForm

    def dispatch(self, request, *args, **kwargs):
        self.decision = access_decision(request.user, kwargs["pk"])
        if not perms.can(request.user, perms.APPROVE, self.decision.issuer):
            raise PermissionDenied
        if self.decision.status != Decision.Status.SIGNED:
            return redirect("decisions:detail", pk=self.decision.pk)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        done, _total = certificates_progress(self.decision)
        return super().get_context_data(
            decision=self.decision,
            awarded=self.decision.items.filter(struck=False).count(),
            certificates=done,
            **kwargs,
        )

    def form_valid(self, form):
        try:
            decisions.decision_revoke(decision=self.decision, actor=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Đã hủy bỏ quyết định."))
        return redirect("decisions:detail", pk=self.decision.pk)
