"""The registration (đăng ký thi đua) forms: built from the campaign's content areas and targets."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nominations.models import Campaign, Registration, SelfAssessment
from nominations.selectors import units_valid_on

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RegistrationForm(forms.Form):
    """One commitment per content area, one planned value per target, and (optionally) one more work."""

    work_title = forms.CharField(label=_("Công trình, phần việc mới"), max_length=500, required=False)
    work_description = forms.CharField(label=_("Mô tả"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    work_due_date = forms.DateField(label=_("Thời hạn hoàn thành"), widget=DATE, required=False)
    work_expected_result = forms.CharField(
        label=_("Kết quả dự kiến"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, campaign: Campaign, registration: Registration | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        commitments = {c.area_id: c.text for c in registration.commitments.all()} if registration else {}
        plans = {p.target_id: p.planned_value for p in registration.plans.all()} if registration else {}
        self.areas = list(campaign.content_areas.all())
        self.targets = list(campaign.targets.all())
        for area in self.areas:
            self.fields[f"area_{area.pk}"] = forms.CharField(
                label=str(area),
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                initial=commitments.get(area.pk),
            )
        for target in self.targets:
            self.fields[f"plan_{target.pk}"] = forms.DecimalField(
                label=_("%(t)s (%(u)s)") % {"t": target.name, "u": target.unit_of_measure},
                max_digits=14,
                decimal_places=2,
                required=False,
                initial=plans.get(target.pk, target.assigned_value),
            )
        # The work fields after the areas and targets.
        for name in ["work_title", "work_description", "work_due_date", "work_expected_result"]:
            self.fields[name] = self.fields.pop(name)

    def clean(self):
        data = super().clean()
        if data.get("work_title") and not data.get("work_due_date"):
            self.add_error("work_due_date", _("Nhập thời hạn hoàn thành công trình."))
        return data

    def service_kwargs(self, unit) -> dict:
        data = self.cleaned_data
        works = []
        if data.get("work_title"):
            works.append(
                {
                    "title": data["work_title"],
                    "description": data.get("work_description", ""),
                    "responsible_unit": unit,
                    "due_date": data["work_due_date"],
                    "expected_result": data.get("work_expected_result", ""),
                }
            )
        return {
            "commitments": {a.pk: data[f"area_{a.pk}"] for a in self.areas if data.get(f"area_{a.pk}")},
            "plans": {t.pk: data[f"plan_{t.pk}"] for t in self.targets if data.get(f"plan_{t.pk}") is not None},
            "works": works,
        }


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("Ý kiến"), choices=[("accept", _("Chấp thuận")), ("return", _("Trả lại"))])
    comment = forms.CharField(label=_("Nhận xét"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ProgressForm(forms.Form):
    subject = forms.ChoiceField(label=_("Chỉ tiêu / công trình"))
    day = forms.DateField(label=_("Ngày báo cáo"), widget=DATE)
    value = forms.DecimalField(label=_("Giá trị đạt được (công trình: % hoàn thành)"), max_digits=14, decimal_places=2)
    done = forms.BooleanField(label=_("Đã hoàn thành"), required=False)
    evidence = forms.FileField(label=_("Minh chứng"), required=False)
    comment = forms.CharField(label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, registration: Registration, **kwargs):
        super().__init__(*args, **kwargs)
        plans = registration.plans.select_related("target")
        self.subjects = {f"t{p.target_id}": ("target", p.target) for p in plans}
        self.subjects.update({f"w{w.pk}": ("work", w) for w in registration.works.all()})
        self.fields["subject"].choices = [
            (key, _("Chỉ tiêu: %(x)s") % {"x": obj} if kind == "target" else _("Công trình: %(x)s") % {"x": obj})
            for key, (kind, obj) in self.subjects.items()
        ]

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        kind, obj = self.subjects[data.pop("subject")]
        return {kind: obj, **data}


class ReminderForm(forms.Form):
    """The standing body's reminder (đôn đốc) to one unit under the campaign's issuer."""

    unit = forms.ModelChoiceField(label=_("Đơn vị"), queryset=None, empty_label=None)
    message = forms.CharField(label=_("Nội dung đôn đốc"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)

    def __init__(self, *args, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        units = units_valid_on(timezone.localdate(), under=campaign.issuer).exclude(pk=campaign.issuer_id)
        self.fields["unit"].queryset = units.order_by("path")


RESULT_CHOICES = [("", _("— chưa đánh giá —"))]


class EvaluationForm(forms.Form):
    """One result and one comment per commitment, work and target of an accepted registration."""

    def __init__(self, *args, registration: Registration, **kwargs):
        super().__init__(*args, **kwargs)
        done = {(a.commitment_id, a.work_id, a.plan_id): a for a in registration.assessments.all()}
        self.items = []
        sources = [
            ("commitment", registration.commitments.select_related("area"), lambda c: f"{c.area}: {c.text}"),
            ("work", registration.works.all(), lambda w: str(w.title)),
            ("plan", registration.plans.select_related("target"), lambda p: f"{p.target} ({p.planned_value})"),
        ]
        for field, objects, label in sources:
            for obj in objects:
                key = {"commitment": (obj.pk, None, None), "work": (None, obj.pk, None), "plan": (None, None, obj.pk)}
                previous = done.get(key[field])
                name = f"{field}_{obj.pk}"
                self.fields[f"{name}_result"] = forms.ChoiceField(
                    label=label(obj),
                    choices=RESULT_CHOICES + list(SelfAssessment.Result.choices),
                    required=False,
                    initial=previous.result if previous else "",
                )
                self.fields[f"{name}_comment"] = forms.CharField(
                    label=_("Nhận xét"),
                    widget=forms.Textarea(attrs={"rows": 2}),
                    required=False,
                    initial=previous.comment if previous else "",
                )
                self.items.append((field, obj.pk, name))

    def service_kwargs(self) -> dict:
        given = {"commitments": {}, "works": {}, "plans": {}}
        for field, pk, name in self.items:
            result = self.cleaned_data.get(f"{name}_result")
            if result:
                given[f"{field}s"][pk] = {"result": result, "comment": self.cleaned_data.get(f"{name}_comment", "")}
        return given


class BasisForm(forms.Form):
    """The works and targets of the unit's registration that a collective nomination rests on."""

    works = forms.MultipleChoiceField(
        label=_("Công trình, phần việc"), required=False, widget=forms.CheckboxSelectMultiple
    )
    plans = forms.MultipleChoiceField(label=_("Chỉ tiêu"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, registration: Registration | None, **kwargs):
        super().__init__(*args, **kwargs)
        if registration is None:  # the unit has not registered: nothing to link, the service says so
            return
        self.fields["works"].choices = [(w.pk, w.title) for w in registration.works.all()]
        self.fields["plans"].choices = [(p.pk, str(p.target)) for p in registration.plans.select_related("target")]
