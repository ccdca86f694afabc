"""The chairman's delegation pages: who signs for them, for which dates and awards; grant and end early."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import generic

from nominations.models import Delegation
from nominations.services import delegations

from ..forms import delegation as forms


def status_of(delegation: Delegation, day) -> str:
    """How a delegation stands on ``day``, for people (the API gives the dates)."""
    if delegation.ended_on is not None and delegation.ended_on <= day:
        return _("Đã chấm dứt từ %(d)s") % {"d": delegation.ended_on.strftime("%d/%m/%Y")}
    if delegation.valid_to < day:
        return _("Đã hết hạn")
    if delegation.valid_from > day:
        return _("Chưa đến ngày hiệu lực")
    return _("Đang hiệu lực")


def may_end(delegation: Delegation, day) -> bool:
    return delegation.ended_on is None and delegation.valid_to >= day


class DelegationListView(generic.TemplateView):
    """Each committee the user chairs today, with its delegations; others get 403."""

    template_name = "workflow/delegation_list.html"

    def get_context_data(self, **kwargs):
        issuers = list(delegations.issuers_chaired_by(self.request.user))
        if not issuers:
            raise PermissionDenied
        day = timezone.localdate()
        groups = [
            (issuer, [(d, status_of(d, day), may_end(d, day)) for d in delegations.delegations_of(issuer)])
            for issuer in issuers
        ]
        return super().get_context_data(groups=groups, end_form=forms.EndDelegationForm(), **kwargs)


class DelegationCreateView(generic.FormView):
    """Grant: only for a committee the user chairs today (404 otherwise)."""

    template_name = "workflow/delegation_form.html"
    form_class = forms.DelegationForm

    def dispatch(self, request, *args, **kwargs):
        self.issuer = get_object_or_404(delegations.issuers_chaired_by(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "issuer": self.issuer}

    def get_context_data(self, **kwargs):
        return super().get_context_data(issuer=self.issuer, title=_("Ủy quyền ký"), **kwargs)

    def form_valid(self, form):
        try:
            delegations.delegation_grant(issuer=self.issuer, actor=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Đã ủy quyền ký."))
        return redirect("decisions:delegations")


def end(request, pk):
    """End early: from today the delegate can no longer sign; 404 to anyone but the issuer's chairman."""
    delegation = get_object_or_404(
        Delegation.objects.filter(issuer__in=delegations.issuers_chaired_by(request.user)), pk=pk
    )
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = forms.EndDelegationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Cần ghi lý do chấm dứt ủy quyền."))
        return redirect("decisions:delegations")
    try:
        delegations.delegation_end(delegation=delegation, actor=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("Đã chấm dứt ủy quyền ký."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("decisions:delegations")
