"""The administrator's pages for the national rules: award types with their dated rule sets, the base-salary table.

Only the administrator of a province-level committee reaches them (``award_rules.rules_keeper``; anyone else
403). Each write is one service of ``nominations.services.award_rules`` (the API calls the same).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views import generic

from nominations.models import AwardType
from nominations.services import award_rules

from ..forms import award_rules as forms
from .administration import _add_errors


def _keeper(user):
    issuer = award_rules.rules_keeper(user)
    if issuer is None:
        raise PermissionDenied
    return issuer


class AwardRulesView(generic.TemplateView):
    """Every award type with its rule sets and their validity; the base salaries with theirs."""

    template_name = "workflow/admin_award_rules.html"

    def get_context_data(self, **kwargs):
        _keeper(self.request.user)
        award_types = AwardType.objects.prefetch_related("rule_sets").order_by("name")
        return super().get_context_data(award_types=award_types, salaries=award_rules.salary_table(), **kwargs)


class _RulesFormView(generic.FormView):
    template_name = "workflow/admin_form.html"
    back = "administration:award_rules"

    def dispatch(self, request, *args, **kwargs):
        _keeper(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.title, back=self.back, **kwargs)

    def form_valid(self, form):
        try:
            self.perform(form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.done)
        return redirect(self.back)


class AwardTypeCreateView(_RulesFormView):
    form_class = forms.AwardTypeForm
    title = _("Thêm hình thức khen thưởng")
    done = _("Đã thêm hình thức khen thưởng.")

    def perform(self, data):
        award_rules.award_type_create(actor=self.request.user, **data)


class RuleSetCreateView(_RulesFormView):
    form_class = forms.RuleSetForm
    title = _("Bộ quy định mới")
    done = _("Đã áp dụng bộ quy định mới; bộ quy định trước kết thúc vào ngày hôm trước.")

    def dispatch(self, request, *args, **kwargs):
        self.award_type = get_object_or_404(AwardType, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "award_type": self.award_type}

    def get_context_data(self, **kwargs):
        return super().get_context_data(unit=self.award_type, **kwargs)

    def perform(self, data):
        award_rules.rule_set_add(award_type=self.award_type, actor=self.request.user, **data)


class BaseSalaryCreateView(_RulesFormView):
    form_class = forms.BaseSalaryForm
    title = _("Mức lương cơ sở mới")
    done = _("Đã áp dụng mức lương cơ sở mới; mức trước áp dụng đến ngày hôm trước.")

    def perform(self, data):
        award_rules.base_salary_add(actor=self.request.user, **data)
