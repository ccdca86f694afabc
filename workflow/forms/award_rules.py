"""The administrator's forms for the national rules: award types, a rule set from a day, a base salary from a day.

The page and the API bind the same forms; the service (``nominations.services.award_rules``) decides the rest.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from nominations.models import AwardRuleSet, AwardType, BaseSalary
from nominations.models.awards import DocumentKind, RecipientKind

from .administration import DATE


class AwardTypeForm(forms.ModelForm):
    class Meta:
        model = AwardType
        fields = ["code", "name", "form", "level", "description"]


class RuleSetForm(forms.ModelForm):
    """A rule set from ``valid_from``; its end is the day before the next one (set when that one is added)."""

    valid_from = forms.DateField(label=_("Áp dụng từ ngày"), **DATE)
    recipient_kinds = forms.MultipleChoiceField(
        label=_("Đối tượng"), choices=RecipientKind.choices, widget=forms.CheckboxSelectMultiple
    )
    required_documents = forms.MultipleChoiceField(
        label=_("Thành phần hồ sơ bắt buộc"),
        choices=DocumentKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = AwardRuleSet
        fields = [
            "valid_from",
            "authority_level",
            "legal_basis",
            "recipient_kinds",
            "required_documents",
            "completion_requests_limit",
            "quorum",
            "vote_threshold",
            "vote_base",
            "ballot",
            "written_votes_allowed",
            "prize_coefficient",
            "collective_multiplier",
            "household_multiplier",
            "rounding",
            "rounding_unit",
        ]
        widgets = {"legal_basis": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, award_type=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The current rule set's values are the starting point of the next one.
        latest = award_type.rule_sets.order_by("-valid_from").first() if award_type else None
        if latest is not None and not self.is_bound:
            for name in self.fields:
                if name != "valid_from":
                    self.initial[name] = getattr(latest, name)


class BaseSalaryForm(forms.ModelForm):
    valid_from = forms.DateField(label=_("Áp dụng từ ngày"), **DATE)

    class Meta:
        model = BaseSalary
        fields = ["valid_from", "amount", "legal_basis"]

    def validate_unique(self):
        """The service answers a date already in the table (its rows only grow later)."""
