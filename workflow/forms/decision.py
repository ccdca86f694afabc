"""Forms of the decision flow."""

from django import forms
from django.utils.translation import gettext_lazy as _

from nominations.models import AwardType, Campaign, Nomination

from .. import permissions as perms
from ..choices import SignDecision
from ..form_layout import FormLayout
from .council import agenda_label


class DraftDecisionForm(forms.Form):
    layout = FormLayout()
    campaign = forms.ModelChoiceField(label=_("Phong trào"), queryset=Campaign.objects.none())
    award_type = forms.ModelChoiceField(label=_("Hình thức khen thưởng"), queryset=AwardType.objects.all())
    subject = forms.CharField(label=_("Trích yếu (để trống để hệ thống soạn)"), max_length=500, required=False)
    nominations = forms.ModelMultipleChoiceField(
        label=_("Người được Hội đồng thông qua"),
        queryset=Nomination.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        issuers = perms.councils_managed_by(user).values("issuer")
        self.fields["campaign"].queryset = Campaign.objects.filter(issuer__in=issuers)
        self.fields["nominations"].queryset = Nomination.objects.filter(
            status=Nomination.Status.COUNCIL_PASSED,
            submission__campaign__issuer__in=issuers,
            decision_item__isnull=True,
        ).select_related("candidate", "award_type", "submission__unit")
        self.fields["nominations"].label_from_instance = agenda_label


class SignForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Ý kiến"),
        widget=forms.RadioSelect,
        choices=SignDecision.choices,
    )
    comment = forms.CharField(label=_("Ý kiến"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    password = forms.CharField(
        label=_("Nhập lại mật khẩu để xác nhận ký"), required=False, widget=forms.PasswordInput(render_value=False)
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"strike_{item.pk}"] = forms.BooleanField(
                label=_("Gạch tên: %(n)s") % {"n": item.nomination.candidate}, required=False
            )
            self.fields[f"reason_{item.pk}"] = forms.CharField(label=_("Lý do gạch tên"), required=False)
        # The names to strike next to the decision's list, the password last, just above the button.
        self.order_fields([*(f for f in self.fields if f.startswith(("strike_", "reason_"))), "comment", "password"])

    def struck(self) -> dict:
        data = self.cleaned_data
        return {i.pk: data[f"reason_{i.pk}"] for i in self.items if data.get(f"strike_{i.pk}")}


class RedraftForm(forms.Form):
    layout = FormLayout()
    comment = forms.CharField(label=_("Giải trình"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["remove"] = forms.MultipleChoiceField(
            label=_("Bỏ khỏi dự thảo"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            choices=[(i.pk, str(i.nomination.candidate)) for i in items],
        )


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Lý do hủy bỏ quyết định"), widget=forms.Textarea(attrs={"rows": 3}))
    password = forms.CharField(
        label=_("Nhập lại mật khẩu để xác nhận hủy bỏ"), widget=forms.PasswordInput(render_value=False)
    )
