"""The issuer's administrator's pages: people and roles, campaigns and their transitions; the campaign page.

Each write calls one service of ``nominations.services`` (the API calls the same).
A user who administers no committee gets 403; an object outside their
committees gets 404.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import generic

from nominations.models import Campaign, Membership, OrgUnit
from nominations.services import administration, authority, campaigns, imports, org_units

from ..forms import administration as forms


def _issuers(user) -> list[OrgUnit]:
    issuers = list(authority.administered_issuers(user))
    if not issuers:
        raise PermissionDenied
    return issuers


def _in_trees(issuers, field: str = "path") -> Q:
    query = Q(pk__in=[])
    for issuer in issuers:
        query |= Q(**{f"{field}__startswith": issuer.path})
    return query


class PeopleView(generic.TemplateView):
    """Who holds what on a day (today by default) in the committees the user administers."""

    template_name = "workflow/admin_people.html"

    def get_context_data(self, **kwargs):
        issuers = _issuers(self.request.user)
        form = forms.DayForm(self.request.GET or None)
        day = timezone.localdate()
        if form.is_valid() and form.cleaned_data["day"]:
            day = form.cleaned_data["day"]
        groups = [(issuer, list(administration.holders_on(issuer, day))) for issuer in issuers]
        return super().get_context_data(
            groups=groups, day=day, day_form=form, end_form=forms.EndMembershipForm(), **kwargs
        )


class _AdminFormView(generic.FormView):
    template_name = "workflow/admin_form.html"
    title = ""
    back = "administration:index"

    def dispatch(self, request, *args, **kwargs):
        self.issuers = _issuers(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "issuers": self.issuers}

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


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class PersonCreateView(_AdminFormView):
    form_class = forms.PersonForm
    title = _("Thêm người dùng")
    done = _("Đã tạo tài khoản và phân công vai trò.")

    def perform(self, data):
        invite = data.pop("invite")
        user = administration.person_create(actor=self.request.user, **data)
        if invite:
            administration.person_invite(
                user=user, base_url=self.request.build_absolute_uri("/"), actor=self.request.user
            )


class MembershipCreateView(_AdminFormView):
    """Give an existing person one more role (404 for a person outside the administrator's committees)."""

    form_class = forms.MembershipForm
    title = _("Phân công vai trò")
    done = _("Đã phân công vai trò.")

    def dispatch(self, request, *args, **kwargs):
        self.issuers = _issuers(request.user)
        known = Membership.objects.filter(_in_trees(self.issuers, "unit__path")).values("user")
        self.person = get_object_or_404(get_user_model().objects.filter(pk__in=known), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.person, **kwargs)

    def perform(self, data):
        administration.membership_add(user=self.person, actor=self.request.user, **data)


def membership_end(request, pk):
    """End a role on the given day (404 outside the administrator's committees)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    issuers = _issuers(request.user)
    membership = get_object_or_404(Membership.objects.filter(_in_trees(issuers, "unit__path")), pk=pk)
    form = forms.EndMembershipForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Cần nhập ngày cuối cùng giữ vai trò (dd/mm/yyyy)."))
        return redirect("administration:index")
    try:
        administration.membership_end(membership=membership, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Đã kết thúc vai trò."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("administration:index")


# --- Campaigns ---------------------------------------------------------------


def _managed_issuers(user) -> list[OrgUnit]:
    issuers = list(authority.campaign_issuers(user))
    if not issuers:
        raise PermissionDenied
    return issuers


class CampaignListView(generic.TemplateView):
    template_name = "workflow/admin_campaigns.html"

    def get_context_data(self, **kwargs):
        issuers = _managed_issuers(self.request.user)
        rows = Campaign.objects.filter(issuer__in=issuers).select_related("issuer").order_by("-period_start", "pk")
        return super().get_context_data(campaigns=rows, issuers=issuers, **kwargs)


class CampaignFormView(generic.FormView):
    """Create (``issuer`` in the URL) or edit (``pk``) a campaign of a committee the user manages."""

    template_name = "workflow/admin_form.html"
    form_class = forms.CampaignForm
    creating = False  # True: ``pk`` is the issuer's

    def dispatch(self, request, *args, **kwargs):
        issuers = _managed_issuers(request.user)
        self.campaign = None
        if not self.creating:
            self.campaign = get_object_or_404(
                Campaign.objects.filter(issuer__in=issuers).select_related("issuer"), pk=kwargs["pk"]
            )
            self.issuer = self.campaign.issuer
        else:
            self.issuer = next((i for i in issuers if i.pk == kwargs["pk"]), None)
            if self.issuer is None:
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return forms.CampaignForm.initial_of(self.campaign) if self.campaign else {}

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "issuer": self.issuer}
        initial = forms.CampaignForm.quota_rows_of(self.campaign) if self.campaign else []
        kwargs["quota_formset"] = forms.QuotaFormSet(
            kwargs.get("data"), initial=initial, prefix="quota", form_kwargs={"issuer": self.issuer}
        )
        return kwargs

    def get_context_data(self, **kwargs):
        title = _("Sửa phong trào") if self.campaign else _("Tạo phong trào thi đua")
        kwargs.setdefault("form", self.get_form())
        return super().get_context_data(
            title=title, back="administration:campaigns", quota_formset=kwargs["form"].quota_formset, **kwargs
        )

    def form_valid(self, form):
        try:
            if self.campaign:
                campaign = campaigns.campaign_update(
                    campaign=self.campaign, actor=self.request.user, **form.service_kwargs()
                )
            else:
                campaign = campaigns.campaign_create(
                    issuer=self.issuer, actor=self.request.user, **form.service_kwargs()
                )
        except ValidationError as error:
            _add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Đã lưu phong trào."))
        return redirect("dossiers:campaign", campaign.pk)


TRANSITIONS = {
    "launch": (campaigns.campaign_launch, _("Đã phát động phong trào.")),
    "close": (campaigns.campaign_close, _("Đã kết thúc nhận hồ sơ.")),
    "summarise": (campaigns.campaign_summarise, _("Đã tổng kết phong trào.")),
}


def campaign_transition(request, pk, action):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if action not in TRANSITIONS:
        raise Http404
    issuers = _managed_issuers(request.user)
    campaign = get_object_or_404(Campaign.objects.filter(issuer__in=issuers), pk=pk)
    service, done = TRANSITIONS[action]
    try:
        service(campaign=campaign, actor=request.user)
        messages.success(request, done)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("dossiers:campaign", campaign.pk)


def readable_campaigns(user):
    """Campaigns whose issuer's tree holds a unit where ``user`` has a role today (or that they manage)."""
    day = timezone.localdate()
    paths = list(
        Membership.objects.filter(user=user, valid_from__lte=day)
        .exclude(valid_to__lt=day)
        .values_list("unit__path", flat=True)
    )
    query = Q(issuer__in=authority.campaign_issuers(user))
    for path in paths:
        # The campaign's issuer is the unit itself or one above it.
        prefixes = [path[: i + 1] for i, ch in enumerate(path) if ch == "/"]
        query |= Q(issuer__path__in=prefixes)
    return Campaign.objects.filter(query)


class CampaignDetailView(generic.TemplateView):
    """Everyone in the issuer's tree reads it: content areas, dates, offers, their unit's quota use."""

    template_name = "workflow/campaign_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        campaign = get_object_or_404(readable_campaigns(user).select_related("issuer"), pk=kwargs["pk"])
        day = timezone.localdate()
        my_units = (
            OrgUnit.objects.filter(
                memberships__user=user, memberships__valid_from__lte=day, path__startswith=campaign.issuer.path
            )
            .exclude(memberships__valid_to__lt=day)
            .distinct()
        )
        quota_use = [(unit, campaigns.unit_quota_use(campaign, unit)) for unit in my_units]
        manages = authority.campaign_issuers(user).filter(pk=campaign.issuer_id).exists()
        offers = campaign.offers.select_related("award_type").prefetch_related("unit_quotas__unit")
        return super().get_context_data(
            campaign=campaign,
            offers=offers,
            quota_use=quota_use,
            manages=manages,
            **kwargs,
        )


# --- Org units ---------------------------------------------------------------


class UnitTreeView(generic.TemplateView):
    """Each administered committee's units as a tree, with their dates, past names and successors."""

    template_name = "workflow/admin_units.html"

    def get_context_data(self, **kwargs):
        trees = [(issuer, org_units.tree_of(issuer)) for issuer in _issuers(self.request.user)]
        return super().get_context_data(trees=trees, today=timezone.localdate(), **kwargs)


class UnitCreateView(_AdminFormView):
    form_class = forms.UnitCreateForm
    title = _("Thành lập đơn vị")
    done = _("Đã thành lập đơn vị.")
    back = "administration:units"

    def perform(self, data):
        org_units.unit_create(actor=self.request.user, **data)


class _UnitFormView(_AdminFormView):
    back = "administration:units"

    def dispatch(self, request, *args, **kwargs):
        self.issuers = _issuers(request.user)
        self.unit = get_object_or_404(OrgUnit.objects.filter(_in_trees(self.issuers)), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(unit=self.unit, **kwargs)


class UnitRenameView(_UnitFormView):
    form_class = forms.UnitRenameForm
    title = _("Đổi tên đơn vị")
    done = _("Đã đổi tên đơn vị.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("issuers")
        return kwargs

    def perform(self, data):
        org_units.unit_rename(unit=self.unit, actor=self.request.user, **data)


class UnitDissolveView(_UnitFormView):
    form_class = forms.UnitDissolveForm
    title = _("Giải thể, sáp nhập đơn vị")
    done = _("Đã ghi giải thể đơn vị.")

    def perform(self, data):
        org_units.unit_dissolve(unit=self.unit, actor=self.request.user, **data)


# --- Import from Excel -------------------------------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def people_template(request):
    _issuers(request.user)
    return _xlsx(imports.people_template(), "mau-nguoi-dung.xlsx")


def units_template(request):
    _issuers(request.user)
    return _xlsx(imports.units_template(), "mau-don-vi.xlsx")


def council_template(request):
    _issuers(request.user)
    return _xlsx(imports.council_template(), "mau-thanh-vien-hoi-dong.xlsx")


class PeopleImportView(generic.FormView):
    """Dry run: each row's Vietnamese errors; import: all rows or none."""

    template_name = "workflow/admin_import.html"
    form_class = forms.ImportForm
    service = staticmethod(imports.people_import)
    title = _("Nhập người dùng từ Excel")
    label = _("Tên đăng nhập")
    template_url = "administration:people_template"
    back = "administration:index"

    def dispatch(self, request, *args, **kwargs):
        _issuers(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=self.title, label=self.label, template_url=self.template_url, back=self.back, **kwargs
        )

    def form_valid(self, form):
        try:
            results, wrote = self.service(
                upload=form.cleaned_data["file"], actor=self.request.user, dry_run=form.cleaned_data["dry_run"]
            )
        except ValidationError as error:
            _add_errors(form, error)
            return self.form_invalid(form)
        if wrote:
            messages.success(self.request, _("Đã nhập %(n)s dòng.") % {"n": len(results)})
            return redirect(self.back)
        return self.render_to_response(
            self.get_context_data(form=form, results=results, failed=any(r.errors for r in results))
        )


class UnitsImportView(PeopleImportView):
    service = staticmethod(imports.units_import)
    title = _("Nhập đơn vị từ Excel")
    label = _("Mã đơn vị")
    template_url = "administration:units_template"
    back = "administration:units"


class CouncilImportView(PeopleImportView):
    service = staticmethod(imports.council_import)
    title = _("Nhập thành viên hội đồng từ Excel")
    label = _("Tên đăng nhập")
    template_url = "administration:council_template"
    back = "administration:councils"
