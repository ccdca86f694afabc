"""The chairman's delegation forms (the page and the API bind the same ones)."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from nominations.models import AwardType
from nominations.services import delegations

_DATE = {
    "widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    "input_formats": ["%Y-%m-%d", "%d/%m/%Y"],
}


class DelegationForm(forms.Form):
    delegate = forms.ModelChoiceField(label=_("Phó Chủ tịch được ủy quyền"), queryset=get_user_model().objects.none())
    valid_from = forms.DateField(label=_("Từ ngày"), **_DATE)
    valid_to = forms.DateField(label=_("Đến ngày"), **_DATE)
    award_types = forms.ModelMultipleChoiceField(
        label=_("Hình thức khen thưởng được ký"),
        queryset=AwardType.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Để trống: mọi hình thức khen thưởng của cơ quan."),
    )
    delegate_title = forms.CharField(
        label=_("Chức vụ ghi ở chữ ký"), max_length=128, initial="PHÓ CHỦ TỊCH", required=False
    )
    basis = forms.CharField(label=_("Căn cứ phân công"), max_length=255, required=False)

    def __init__(self, *args, issuer, **kwargs):
        super().__init__(*args, **kwargs)
        self.issuer = issuer
        self.fields["delegate"].queryset = delegations.vice_chairmen(issuer)
        self.fields["delegate"].label_from_instance = lambda user: user.get_full_name() or user.username

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return data


class EndDelegationForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do chấm dứt"), max_length=255, widget=forms.TextInput(attrs={"placeholder": _("Lý do chấm dứt")})
    )
