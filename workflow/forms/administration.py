"""The administrator's forms: people, roles, campaigns (the page and the API bind the same ones)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from nominations.models import AwardType, CouncilMember, OrgUnit, Role
from nominations.models.awards import RecipientKind
from nominations.services import campaigns, council_seats, reorganisation

DATE = {
    "widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    "input_formats": ["%Y-%m-%d", "%d/%m/%Y"],
}


class _UnitsForm(forms.Form):
    """Forms whose units are those of the committees the administrator manages."""

    def __init__(self, *args, issuers, **kwargs):
        super().__init__(*args, **kwargs)
        units = OrgUnit.objects.none()
        for issuer in issuers:
            units = units | issuer.descendants(include_self=True)
        if "unit" in self.fields:
            self.fields["unit"].queryset = units.order_by("path")
        self.units = units


class MembershipForm(_UnitsForm):
    unit = forms.ModelChoiceField(label=_("Đơn vị"), queryset=OrgUnit.objects.none())
    role = forms.ChoiceField(label=_("Vai trò"), choices=Role.choices)
    title = forms.CharField(label=_("Chức vụ"), max_length=255, required=False)
    valid_from = forms.DateField(label=_("Từ ngày"), **DATE)
    valid_to = forms.DateField(
        label=_("Đến ngày"), required=False, help_text=_("Để trống nếu chưa có ngày kết thúc."), **DATE
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return data


class PersonForm(MembershipForm):
    username = forms.SlugField(label=_("Tên đăng nhập"), max_length=150)
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)
    invite = forms.BooleanField(label=_("Gửi thư mời đặt mật khẩu"), required=False, initial=True)

    field_order = ["username", "full_name", "email", "unit", "role", "title", "valid_from", "valid_to", "invite"]

    def clean(self):
        data = super().clean()
        if data.get("invite") and not data.get("email"):
            self.add_error("email", _("Cần e-mail để gửi thư mời."))
        return data


class EndMembershipForm(forms.Form):
    last_day = forms.DateField(label=_("Ngày cuối cùng giữ vai trò"), **DATE)
    reason = forms.CharField(label=_("Lý do"), max_length=255, required=False)


class DayForm(forms.Form):
    day = forms.DateField(label=_("Ngày"), required=False, **DATE)


class CampaignForm(forms.Form):
    """A campaign's fields, its content areas one per line, its offers and the units' quotas as lines."""

    code = forms.SlugField(label=_("Mã"), max_length=64)
    title = forms.CharField(label=_("Tên phong trào"), max_length=500)
    legal_basis = forms.CharField(label=_("Căn cứ"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    theme = forms.CharField(label=_("Chủ đề"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    goal = forms.CharField(label=_("Mục tiêu"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    doc_number = forms.CharField(label=_("Số văn bản phát động"), max_length=64, required=False)
    doc_date = forms.DateField(label=_("Ngày văn bản"), required=False, **DATE)
    period_start = forms.DateField(label=_("Bắt đầu"), **DATE)
    period_end = forms.DateField(label=_("Kết thúc"), **DATE)
    nomination_deadline = forms.DateField(label=_("Hạn nộp hồ sơ đề nghị"), **DATE)
    ceremony_date = forms.DateField(label=_("Ngày tổng kết, tôn vinh"), required=False, **DATE)
    content_areas = forms.CharField(
        label=_("Nội dung thi đua"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Mỗi dòng một nội dung."),
    )
    award_types = forms.ModelMultipleChoiceField(
        label=_("Hình thức khen thưởng"),
        queryset=AwardType.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    default_quota = forms.IntegerField(
        label=_("Chỉ tiêu mỗi đơn vị"), min_value=0, required=False, help_text=_("Để trống nếu không giới hạn.")
    )
    quotas = forms.CharField(
        label=_("Chỉ tiêu theo đơn vị"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_(
            "Mỗi dòng: mã đơn vị; mã hình thức; chỉ tiêu cá nhân; chỉ tiêu tập thể (để trống nếu không giới hạn)."
        ),
    )

    FIELDS = campaigns.FIELDS

    def __init__(self, *args, issuer, quota_formset=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.issuer = issuer
        # The page sets quotas in a formset (a row per unit and award, individuals and collectives apart); the
        # API keeps the lines of ``quotas``.
        self.quota_formset = quota_formset
        if quota_formset is not None:
            del self.fields["quotas"]

    def clean_quotas(self):
        lines = [line.strip() for line in self.cleaned_data["quotas"].splitlines() if line.strip()]
        parsed = []
        errors = []
        units = {u.code: u for u in self.issuer.descendants(include_self=True)}
        for number, line in enumerate(lines, 1):
            parts = [p.strip() for p in line.split(";")]
            parts += [""] * (4 - len(parts))
            unit_code, award_code, individuals, collectives = parts[:4]
            unit = units.get(unit_code)
            if unit is None:
                errors.append(
                    _("Dòng %(n)s: không có đơn vị mã “%(c)s” thuộc cơ quan.") % {"n": number, "c": unit_code}
                )
                continue
            for kind, value in ((RecipientKind.INDIVIDUAL, individuals), (RecipientKind.COLLECTIVE, collectives)):
                if not value:
                    continue
                if not value.isdigit():
                    errors.append(_("Dòng %(n)s: chỉ tiêu “%(v)s” không phải số.") % {"n": number, "v": value})
                    continue
                parsed.append((unit, award_code, kind, int(value)))
        if errors:
            raise ValidationError(errors)
        return parsed

    def clean(self):
        data = super().clean()
        if self.quota_formset is not None:
            data["quotas"] = self._formset_quotas()
        chosen = {a.code: a for a in data.get("award_types") or []}
        for unit, award_code, _kind, _quota in data.get("quotas") or []:
            if award_code not in chosen:
                self.add_error(
                    None if self.quota_formset is not None else "quotas",
                    _("Hình thức “%(c)s” ở chỉ tiêu của %(u)s chưa được chọn.") % {"c": award_code, "u": unit},
                )
        return data

    def _formset_quotas(self) -> list:
        if not self.quota_formset.is_valid():
            self.add_error(None, _("Chỉ tiêu theo đơn vị có lỗi: xem từng dòng bên dưới."))
            return []
        parsed = []
        for row in self.quota_formset.cleaned_data:
            if not row or row.get("DELETE") or not row.get("unit"):
                continue
            for kind, name in ((RecipientKind.INDIVIDUAL, "individuals"), (RecipientKind.COLLECTIVE, "collectives")):
                if row.get(name) is not None:
                    parsed.append((row["unit"], row["award_type"].code, kind, row[name]))
        return parsed

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        quotas = {}
        for unit, award_code, kind, quota in data["quotas"]:
            quotas.setdefault(award_code, []).append(campaigns.Quota(unit, kind, quota))
        return {
            **{name: data.get(name) for name in self.FIELDS if name in self.fields},
            "content_areas": [line.strip() for line in data["content_areas"].splitlines() if line.strip()],
            "offers": [
                campaigns.Offer(a, default_quota=data.get("default_quota"), quotas=quotas.get(a.code, []))
                for a in data["award_types"]
            ],
        }

    @staticmethod
    def quota_rows_of(campaign) -> list[dict]:
        """The formset's initial rows: one per unit and award, individuals and collectives side by side."""
        rows = {}
        for offer in campaign.offers.select_related("award_type").prefetch_related("unit_quotas__unit"):
            for q in offer.unit_quotas.all():
                row = rows.setdefault(
                    (q.unit_id, offer.award_type_id), {"unit": q.unit, "award_type": offer.award_type}
                )
                row["individuals" if q.kind == RecipientKind.INDIVIDUAL else "collectives"] = q.quota
        return list(rows.values())

    @classmethod
    def initial_of(cls, campaign) -> dict:
        offers = list(campaign.offers.select_related("award_type").prefetch_related("unit_quotas__unit"))
        lines = {}
        for offer in offers:
            for q in offer.unit_quotas.all():
                row = lines.setdefault((q.unit.code, offer.award_type.code), ["", ""])
                row[0 if q.kind == RecipientKind.INDIVIDUAL else 1] = str(q.quota)
        return {
            **{name: getattr(campaign, name) for name in cls.FIELDS if name in cls.base_fields},
            "content_areas": "\n".join(a.title for a in campaign.content_areas.all()),
            "award_types": [o.award_type for o in offers],
            "default_quota": offers[0].default_quota if offers else None,
            "quotas": "\n".join(f"{u}; {a}; {i}; {c}" for (u, a), (i, c) in lines.items()),
        }


class UnitCreateForm(_UnitsForm):
    parent = forms.ModelChoiceField(label=_("Đơn vị cấp trên"), queryset=OrgUnit.objects.none())
    code = forms.SlugField(label=_("Mã"), max_length=64)
    name = forms.CharField(label=_("Tên"), max_length=255)
    kind = forms.ChoiceField(label=_("Loại"), choices=OrgUnit.Kind.choices)
    level = forms.TypedChoiceField(label=_("Cấp"), choices=OrgUnit.Level.choices, coerce=int)
    valid_from = forms.DateField(label=_("Hiệu lực từ"), **DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = self.units.order_by("path")


class UnitRenameForm(forms.Form):
    name = forms.CharField(label=_("Tên mới"), max_length=255)
    effective = forms.DateField(label=_("Ngày bắt đầu dùng tên mới"), **DATE)


class UnitDissolveForm(_UnitsForm):
    last_day = forms.DateField(label=_("Ngày cuối cùng hoạt động"), **DATE)
    successor = forms.ModelChoiceField(label=_("Đơn vị kế thừa"), queryset=OrgUnit.objects.none(), required=False)
    reason = forms.CharField(label=_("Căn cứ, lý do"), max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["successor"].queryset = self.units.order_by("path")


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp Excel (.xlsx)"))
    dry_run = forms.BooleanField(label=_("Chỉ chạy thử (không ghi gì)"), required=False, initial=True)


class ReorganiseForm(_UnitsForm):
    """Old units, successors and the effective date; once they hold, one choice per open item (``add_items``)."""

    old_units = forms.ModelMultipleChoiceField(label=_("Đơn vị bị sắp xếp"), queryset=OrgUnit.objects.none())
    successors = forms.ModelMultipleChoiceField(label=_("Đơn vị kế thừa"), queryset=OrgUnit.objects.none())
    effective = forms.DateField(label=_("Ngày có hiệu lực"), **DATE)
    reason = forms.CharField(label=_("Căn cứ (nghị quyết, quyết định)"), max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_units"].queryset = self.units.order_by("path")
        self.fields["successors"].queryset = self.units.order_by("path")
        self.items = []

    @staticmethod
    def field_name(item) -> str:
        return "decision-" + item.key.replace(":", "-")

    def add_items(self, items, successors) -> None:
        """A choice per open item: a successor (the only one by default), or ending a role."""
        self.items = items
        for item in items:
            choices = [("", _("— Chọn —"))] + [(str(s.pk), s.name) for s in successors]
            if item.kind == "membership":
                choices.append((reorganisation.END, _("Kết thúc vai trò, không chuyển")))
            self.fields[self.field_name(item)] = forms.ChoiceField(
                label=f"{item.label} ({item.old})",
                choices=choices,
                required=False,
                initial=str(item.target or ""),
            )

    def decisions(self) -> dict:
        return {item.key: self.data.get(self.field_name(item)) or item.target for item in self.items}


class CouncilForm(_UnitsForm):
    issuer = forms.ModelChoiceField(label=_("Cơ quan"), queryset=OrgUnit.objects.none())
    name = forms.CharField(label=_("Tên hội đồng"), max_length=255)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuer"].queryset = self.units.filter(level__lte=OrgUnit.Level.COMMUNE).order_by("path")


class SeatForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Người"), queryset=None)
    position = forms.ChoiceField(label=_("Chức danh"), choices=CouncilMember.Position.choices)
    valid_from = forms.DateField(label=_("Từ ngày"), **DATE)
    valid_to = forms.DateField(
        label=_("Đến ngày"), required=False, help_text=_("Để trống nếu chưa có ngày kết thúc."), **DATE
    )

    def __init__(self, *args, issuers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = council_seats.seatable_people(issuers)
        self.fields["user"].label_from_instance = lambda u: f"{u.get_full_name() or u.username} ({u.username})"


class EndSeatForm(forms.Form):
    last_day = forms.DateField(label=_("Ngày cuối cùng giữ ghế"), **DATE)
    reason = forms.CharField(label=_("Lý do"), max_length=255, required=False)


class QuotaRowForm(forms.Form):
    """One row of the campaign page's quotas: a unit of the issuer, an award, and its quotas per kind."""

    unit = forms.ModelChoiceField(label=_("Đơn vị"), queryset=OrgUnit.objects.none())
    award_type = forms.ModelChoiceField(label=_("Hình thức"), queryset=AwardType.objects.order_by("name"))
    individuals = forms.IntegerField(label=_("Chỉ tiêu cá nhân"), min_value=0, required=False)
    collectives = forms.IntegerField(label=_("Chỉ tiêu tập thể"), min_value=0, required=False)

    def __init__(self, *args, issuer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = issuer.descendants(include_self=True).order_by("path")

    def clean(self):
        data = super().clean()
        if data.get("unit") and data.get("individuals") is None and data.get("collectives") is None:
            self.add_error("individuals", _("Nhập chỉ tiêu cá nhân hoặc tập thể (hoặc bỏ dòng)."))
        return data


class _QuotaFormSet(forms.BaseFormSet):
    def clean(self):
        seen = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data.get("unit") or data.get("DELETE"):
                continue
            key = (data["unit"].pk, data["award_type"].pk)
            if key in seen:
                raise ValidationError(
                    _("%(u)s có hai dòng chỉ tiêu cho %(a)s.") % {"u": data["unit"], "a": data["award_type"]}
                )
            seen.add(key)


QuotaFormSet = forms.formset_factory(QuotaRowForm, formset=_QuotaFormSet, extra=3, can_delete=True)
