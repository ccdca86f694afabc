"""Forms of the dossier flow: opening, the steps' decisions, nominations and attachments."""

from django import forms
from django.utils.translation import gettext_lazy as _

from nominations.models import Campaign, Candidate, LeaderLevel, Nomination, OrgUnit
from nominations.models.awards import AwardType, DocumentKind
from nominations.services.dossiers import CANDIDATE_FIELDS

from .. import permissions as perms

COMMENT = forms.CharField(label=_("Ý kiến"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class StartForm(forms.Form):
    campaign = forms.ModelChoiceField(label=_("Phong trào thi đua"), queryset=Campaign.objects.none())
    unit = forms.ModelChoiceField(label=_("Đơn vị đề nghị"), queryset=OrgUnit.objects.none())
    title = forms.CharField(label=_("Trích yếu tờ trình"), max_length=500)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.filter(status=Campaign.Status.LAUNCHED)
        self.fields["unit"].queryset = OrgUnit.objects.filter(
            pk__in=[u.pk for u in perms.units_user_may_propose_for(user)]
        )


class CommentForm(forms.Form):
    comment = COMMENT


class DecisionForm(forms.Form):
    """Go forward or send back, with a comment (required when sending back)."""

    decision = forms.ChoiceField(label=_("Quyết định"), widget=forms.RadioSelect)
    comment = COMMENT

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = choices


class PerNominationForm(forms.Form):
    """One choice and one note per nomination of the dossier."""

    choices: list = []
    choice_label = ""
    note_label = _("Ghi chú")

    def __init__(self, *args, nominations, **kwargs):
        super().__init__(*args, **kwargs)
        self.nominations = list(nominations)
        for nomination in self.nominations:
            self.fields[f"choice_{nomination.pk}"] = forms.ChoiceField(
                label=f"{nomination.candidate} – {nomination.award_type}",
                choices=self.choices,
                widget=forms.RadioSelect,
            )
            self.fields[f"note_{nomination.pk}"] = forms.CharField(
                label=self.note_label, required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
        self.fields["comment"] = COMMENT

    def per_nomination(self) -> dict:
        data = self.cleaned_data
        return {n.pk: (data[f"choice_{n.pk}"], data[f"note_{n.pk}"]) for n in self.nominations}


class ReviewForm(PerNominationForm):
    choices = Nomination.Review.choices
    note_label = _("Nội dung cần bổ sung / lý do không đạt")


class NominationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Đối tượng"), choices=Candidate._meta.get_field("kind").choices)
    name = forms.CharField(label=_("Họ và tên / tên tập thể"), max_length=255)
    gender = forms.ChoiceField(label=_("Giới tính"), required=False, choices=[("", "—"), *Candidate.Gender.choices])
    birth_year = forms.IntegerField(label=_("Năm sinh"), required=False, min_value=1900, max_value=2100)
    ethnicity = forms.CharField(label=_("Dân tộc"), max_length=64, required=False)
    position = forms.CharField(label=_("Chức vụ, nghề nghiệp"), max_length=255, required=False)
    direct_worker = forms.BooleanField(label=_("Trực tiếp lao động, sản xuất"), required=False)
    # What the TT 02/2023/TT-BNV statistics count individuals by (copied onto the award record at signing).
    leader_level = forms.ChoiceField(
        label=_("Cán bộ lãnh đạo, quản lý"),
        required=False,
        choices=[("", _("Không phải lãnh đạo, quản lý")), *LeaderLevel.choices],
    )
    business_person = forms.BooleanField(label=_("Doanh nhân"), required=False)
    award_type = forms.ModelChoiceField(label=_("Hình thức đề nghị"), queryset=AwardType.objects.none())
    achievement = forms.CharField(label=_("Tóm tắt thành tích"), widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["award_type"].queryset = campaign.award_types.all()

    def clean(self):
        data = super().clean()
        if data.get("kind") == "individual" and not data.get("gender"):
            self.add_error("gender", _("Cần chọn giới tính của cá nhân."))
        if data.get("kind") and data["kind"] != "individual":
            # Leaders and business people are individuals in the statistical forms: a collective is neither.
            if data.get("leader_level"):
                self.add_error("leader_level", _("Chỉ ghi cấp lãnh đạo, quản lý cho cá nhân."))
            if data.get("business_person"):
                self.add_error("business_person", _("Chỉ cá nhân mới được ghi là doanh nhân."))
        return data

    def candidate_data(self) -> dict:
        data = self.cleaned_data
        return {f: data[f] for f in CANDIDATE_FIELDS}

    @classmethod
    def initial_for(cls, nomination: Nomination) -> dict:
        person = nomination.candidate
        return {
            **{f: getattr(person, f) for f in CANDIDATE_FIELDS},
            "award_type": nomination.award_type,
            "achievement": nomination.achievement,
        }


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại tài liệu"), choices=DocumentKind.choices)
    nomination = forms.ModelChoiceField(
        label=_("Thuộc đề nghị"),
        required=False,
        queryset=Nomination.objects.none(),
        help_text=_("Để trống nếu tài liệu dùng chung cho cả tờ trình."),
    )
    file = forms.FileField(label=_("Tệp (PDF, DOCX, JPEG, PNG)"))

    def __init__(self, *args, submission, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nomination"].queryset = submission.nominations.select_related("candidate")
