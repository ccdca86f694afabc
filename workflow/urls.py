"""The web application: viewflow's site with the nomination flow and dossier pages."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Application, Site

from . import roles
from .flows import CouncilFlow, DecisionFlow, NominationFlow
from .views import (
    administration,
    administration_award_rules,
    administration_councils,
    administration_reorganisation,
    council_pages,
    decision_pages,
    delegations,
    dossier_pages,
    dossier_rounds,
    my_work,
    public,
    registrations,
    standing_board,
    statistics,
    summary,
)
from .views.assign import audit_assignments
from .viewsets import NominationFlowViewset


class MyWorkApp(Application):
    """'Việc của tôi': every task of the three flows the user holds or may take, first in the side menu."""

    title = _("Việc của tôi")
    icon = "checklist"
    app_name = "viec-cua-toi"
    menu_template_name = "workflow/my_work_menu.html"

    index_path = path("", my_work.MyWorkView.as_view(), name="index")
    boards_path = path("theo-doi/", standing_board.boards, name="boards")
    board_path = path("theo-doi/<int:pk>/", standing_board.BoardView.as_view(), name="board")
    board_export_path = path("theo-doi/<int:pk>.xlsx", standing_board.board_export, name="board_export")

    def has_view_permission(self, user, obj=None):
        return user.is_authenticated


class ThiduaSite(Site):
    """viewflow's site, whose root sends each role where its work is (workflow.my_work.landing_url)."""

    index_path = path("", my_work.landing, name="index")
    # viewflow's site menu (workflow/site_menu.html), kept a few seconds per person (workflow/templatetags/frame.py).
    menu_template_name = "workflow/site_menu.html"


class DossierApp(Application):
    title = _("Hồ sơ")
    icon = "folder_shared"
    app_name = "dossiers"
    menu_template_name = "workflow/dossier_menu.html"

    index_path = path("", dossier_pages.NominationListView.as_view(), name="index")
    submission_path = path("submissions/<int:pk>/", dossier_pages.SubmissionDetailView.as_view(), name="submission")
    nomination_add_path = path(
        "submissions/<int:pk>/nominations/add/", dossier_pages.NominationFormView.as_view(), name="nomination_add"
    )
    attachment_add_path = path(
        "submissions/<int:pk>/attachments/add/", dossier_pages.AttachmentCreateView.as_view(), name="attachment_add"
    )
    nomination_path = path("nominations/<int:pk>/", dossier_pages.NominationDetailView.as_view(), name="nomination")
    nomination_edit_path = path(
        "nominations/<int:nomination_pk>/edit/", dossier_pages.NominationFormView.as_view(), name="nomination_edit"
    )
    nomination_delete_path = path(
        "nominations/<int:pk>/delete/", dossier_pages.NominationDeleteView.as_view(), name="nomination_delete"
    )
    attachment_path = path("attachments/<int:pk>/", dossier_pages.attachment_download, name="attachment")
    attachment_replace_path = path(
        "submissions/<int:pk>/attachments/<int:attachment_pk>/replace/",
        dossier_rounds.AttachmentReplaceView.as_view(),
        name="attachment_replace",
    )
    attachment_remove_path = path(
        "submissions/<int:pk>/attachments/<int:attachment_pk>/remove/",
        dossier_rounds.AttachmentRemoveView.as_view(),
        name="attachment_remove",
    )
    campaign_path = path("campaigns/<int:pk>/", administration.CampaignDetailView.as_view(), name="campaign")

    def has_view_permission(self, user, obj=None):
        return user.is_authenticated


class CouncilApp(Application):
    title = _("Phiên họp")
    icon = "groups"
    app_name = "sessions"
    menu_template_name = "workflow/session_menu.html"

    index_path = path("", council_pages.SessionListView.as_view(), name="index")
    detail_path = path("<int:pk>/", council_pages.SessionDetailView.as_view(), name="detail")
    written_vote_path = path("<int:pk>/written-vote/", council_pages.WrittenVoteView.as_view(), name="written_vote")
    receipt_path = path("<int:pk>/receipt/", council_pages.ReceiptView.as_view(), name="receipt")
    recusal_path = path("items/<int:pk>/recusal/", council_pages.RecusalView.as_view(), name="recusal")
    minutes_path = path("<int:pk>/minutes.<str:fmt>", council_pages.minutes_download, name="minutes")

    def has_view_permission(self, user, obj=None):
        return user.is_authenticated


class DecisionApp(Application):
    title = _("Quyết định")
    icon = "gavel"
    app_name = "decisions"
    menu_template_name = "workflow/decision_menu.html"

    index_path = path("", decision_pages.DecisionListView.as_view(), name="index")
    detail_path = path("<int:pk>/", decision_pages.DecisionDetailView.as_view(), name="detail")
    file_path = path("<int:pk>/files/<str:name>", decision_pages.decision_file, name="file")
    draft_path = path("<int:pk>/draft/<str:name>", decision_pages.draft_preview, name="draft")
    certificates_path = path("<int:pk>/certificates.zip", decision_pages.certificates_zip, name="certificates")
    revoke_path = path("<int:pk>/revoke/", decision_pages.RevokeView.as_view(), name="revoke")
    revocation_path = path("<int:pk>/revocation.<str:fmt>", decision_pages.revocation_file, name="revocation")
    progress_path = path("<int:pk>/progress/", decision_pages.DecisionProgressView.as_view(), name="progress")
    summary_path = path("campaigns/<int:pk>/summary/", summary.CampaignSummaryView.as_view(), name="summary")
    delegations_path = path("delegations/", delegations.DelegationListView.as_view(), name="delegations")
    delegation_add_path = path(
        "delegations/issuers/<int:pk>/new/", delegations.DelegationCreateView.as_view(), name="delegation_add"
    )
    delegation_end_path = path("delegations/<int:pk>/end/", delegations.end, name="delegation_end")
    summary_export_path = path(
        "campaigns/<int:pk>/summary.xlsx", summary.campaign_summary_export, name="summary_export"
    )
    statistics_path = path("statistics/<int:pk>/", statistics.StatisticsView.as_view(), name="statistics")
    statistics_export_path = path("statistics/<int:pk>.xlsx", statistics.statistics_export, name="statistics_export")
    statistics_records_path = path(
        "statistics/<int:pk>/records/", statistics.StatisticsRecordsView.as_view(), name="statistics_records"
    )

    def has_view_permission(self, user, obj=None):
        return user.is_authenticated


class AdministrationApp(Application):
    """The issuer's administrator's pages; the menu shows only to someone administering a committee today."""

    title = _("Quản trị")
    icon = "admin_panel_settings"
    app_name = "administration"
    menu_template_name = "workflow/admin_menu.html"

    index_path = path("", administration.PeopleView.as_view(), name="index")
    person_add_path = path("people/new/", administration.PersonCreateView.as_view(), name="person_add")
    membership_add_path = path(
        "people/<int:pk>/roles/new/", administration.MembershipCreateView.as_view(), name="membership_add"
    )
    membership_end_path = path("roles/<int:pk>/end/", administration.membership_end, name="membership_end")
    people_import_path = path("people/import/", administration.PeopleImportView.as_view(), name="people_import")
    people_template_path = path("people/import/template.xlsx", administration.people_template, name="people_template")
    units_path = path("units/", administration.UnitTreeView.as_view(), name="units")
    unit_add_path = path("units/new/", administration.UnitCreateView.as_view(), name="unit_add")
    unit_rename_path = path("units/<int:pk>/rename/", administration.UnitRenameView.as_view(), name="unit_rename")
    unit_dissolve_path = path(
        "units/<int:pk>/dissolve/", administration.UnitDissolveView.as_view(), name="unit_dissolve"
    )
    units_import_path = path("units/import/", administration.UnitsImportView.as_view(), name="units_import")
    units_template_path = path("units/import/template.xlsx", administration.units_template, name="units_template")
    council_import_path = path("councils/import/", administration.CouncilImportView.as_view(), name="council_import")
    council_template_path = path(
        "councils/import/template.xlsx", administration.council_template, name="council_template"
    )
    unit_reorganise_path = path("units/reorganise/", administration_reorganisation.reorganise, name="reorganise")
    councils_path = path("councils/", administration_councils.CouncilListView.as_view(), name="councils")
    council_add_path = path("councils/new/", administration_councils.CouncilCreateView.as_view(), name="council_add")
    seat_add_path = path(
        "councils/<int:pk>/seats/new/", administration_councils.SeatCreateView.as_view(), name="seat_add"
    )
    seat_end_path = path("council-seats/<int:pk>/end/", administration_councils.seat_end, name="seat_end")
    campaigns_path = path("campaigns/", administration.CampaignListView.as_view(), name="campaigns")
    campaign_add_path = path(
        "campaigns/issuers/<int:pk>/new/", administration.CampaignFormView.as_view(creating=True), name="campaign_add"
    )
    campaign_edit_path = path(
        "campaigns/<int:pk>/edit/", administration.CampaignFormView.as_view(), name="campaign_edit"
    )
    campaign_launch_path = path(
        "campaigns/<int:pk>/launch/", administration.campaign_transition, {"action": "launch"}, name="campaign_launch"
    )
    campaign_close_path = path(
        "campaigns/<int:pk>/close/", administration.campaign_transition, {"action": "close"}, name="campaign_close"
    )
    campaign_summarise_path = path(
        "campaigns/<int:pk>/summarise/",
        administration.campaign_transition,
        {"action": "summarise"},
        name="campaign_summarise",
    )
    award_rules_path = path("award-rules/", administration_award_rules.AwardRulesView.as_view(), name="award_rules")
    award_type_add_path = path(
        "award-rules/new/", administration_award_rules.AwardTypeCreateView.as_view(), name="award_type_add"
    )
    rule_set_add_path = path(
        "award-rules/<int:pk>/rule-sets/new/",
        administration_award_rules.RuleSetCreateView.as_view(),
        name="rule_set_add",
    )
    base_salary_add_path = path(
        "award-rules/base-salaries/new/",
        administration_award_rules.BaseSalaryCreateView.as_view(),
        name="base_salary_add",
    )

    def has_view_permission(self, user, obj=None):
        # The rights read once per request for the other menus and pages: no statement of its own.
        return bool(roles.units_with(user, roles.ADMINISTER))


class RegistrationApp(Application):
    title = _("Đăng ký thi đua")
    icon = "flag"
    app_name = "registrations"
    menu_template_name = "workflow/registration_menu.html"

    index_path = path("", registrations.RegistrationListView.as_view(), name="index")
    create_path = path(
        "campaigns/<int:campaign>/register/", registrations.RegistrationFormView.as_view(), name="create"
    )
    detail_path = path("<int:pk>/", registrations.RegistrationDetailView.as_view(), name="detail")
    edit_path = path("<int:pk>/edit/", registrations.RegistrationFormView.as_view(), name="edit")
    sign_path = path("<int:pk>/sign/", registrations.sign, name="sign")
    review_path = path("<int:pk>/review/", registrations.review, name="review")
    report_path = path("<int:pk>/report/", registrations.ProgressReportView.as_view(), name="report")
    table_path = path("campaigns/<int:pk>/progress/", registrations.ProgressTableView.as_view(), name="table")
    table_export_path = path("campaigns/<int:pk>/progress.xlsx", registrations.progress_export, name="table_export")
    remind_path = path("campaigns/<int:pk>/remind/", registrations.ReminderView.as_view(), name="remind")
    evaluate_path = path("<int:pk>/evaluation/", registrations.EvaluationView.as_view(), name="evaluate")
    basis_path = path("nominations/<int:pk>/basis/", registrations.BasisView.as_view(), name="basis")

    def has_view_permission(self, user, obj=None):
        return user.is_authenticated


audit_assignments(NominationFlow, CouncilFlow, DecisionFlow)

site = ThiduaSite(
    title=_("Thi đua – Khen thưởng"),
    viewsets=[
        MyWorkApp(),
        NominationFlowViewset(NominationFlow, icon="assignment", app_name="nomination"),
        NominationFlowViewset(CouncilFlow, icon="how_to_vote", app_name="council"),
        NominationFlowViewset(DecisionFlow, icon="gavel", app_name="decision"),
        DossierApp(),
        CouncilApp(),
        DecisionApp(),
        AdministrationApp(),
        RegistrationApp(),
    ],
)

# Open to anyone: what a certificate's QR code points to, and published results.
public_urls = [
    path("verify/<uuid:code>/", public.verify_certificate, name="verify"),
    path("public/campaigns/<int:pk>/", public.campaign_results, name="public_results"),
    path("public/", public.results_index, name="public_index"),
]
