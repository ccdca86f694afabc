"""/api/: every route of the REST API, its schema and its documentation."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from notifications import api as notifications_api

from .views import (
    administration,
    auth,
    council,
    decisions,
    delegations,
    nominations,
    public,
    reference,
    registrations,
    standing_board,
    submissions,
    summary,
    tasks,
)
from .views.common import UnknownRoute

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Split: the page loads its set-up script from ?script, so the CSP needs no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    path("auth/token/", auth.TokenObtain.as_view(), name="token"),
    path("campaigns/", reference.CampaignList.as_view(), name="campaign-list"),
    path("campaigns/<int:pk>/", reference.CampaignDetail.as_view(), name="campaign-detail"),
    path("campaigns/<int:pk>/summary/", summary.CampaignSummary.as_view(), name="campaign-summary"),
    path("campaigns/<int:pk>/summary.xlsx", summary.CampaignSummaryExport.as_view(), name="campaign-summary-export"),
    path("campaigns/<int:pk>/progress/", registrations.CampaignProgress.as_view(), name="campaign-progress"),
    path(
        "campaigns/<int:pk>/progress.xlsx",
        registrations.CampaignProgressExport.as_view(),
        name="campaign-progress-export",
    ),
    path("registrations/", registrations.RegistrationList.as_view(), name="registration-list"),
    path("registrations/<int:pk>/", registrations.RegistrationDetail.as_view(), name="registration-detail"),
    path("registrations/<int:pk>/sign/", registrations.RegistrationSign.as_view(), name="registration-sign"),
    path("registrations/<int:pk>/review/", registrations.RegistrationReview.as_view(), name="registration-review"),
    path("registrations/<int:pk>/reports/", registrations.RegistrationReports.as_view(), name="registration-reports"),
    path("org-units/", reference.OrgUnitList.as_view(), name="orgunit-list"),
    path("org-units/<int:pk>/", reference.OrgUnitDetail.as_view(), name="orgunit-detail"),
    path("org-units/<int:pk>/board/", standing_board.Board.as_view(), name="orgunit-board"),
    path("org-units/<int:pk>/board.xlsx", standing_board.BoardExport.as_view(), name="orgunit-board-export"),
    path("award-types/", reference.AwardTypeList.as_view(), name="awardtype-list"),
    path("award-types/<int:pk>/", reference.AwardTypeDetail.as_view(), name="awardtype-detail"),
    path("submissions/", submissions.SubmissionList.as_view(), name="submission-list"),
    path("submissions/<int:pk>/", submissions.SubmissionDetail.as_view(), name="submission-detail"),
    path("submissions/<int:pk>/timeline/", submissions.SubmissionTimeline.as_view(), name="submission-timeline"),
    path(
        "submissions/<int:pk>/nominations/", submissions.SubmissionNominations.as_view(), name="submission-nominations"
    ),
    path(
        "submissions/<int:pk>/attachments/", submissions.SubmissionAttachments.as_view(), name="submission-attachments"
    ),
    path("nominations/", nominations.NominationList.as_view(), name="nomination-list"),
    path("nominations/<int:pk>/", nominations.NominationDetail.as_view(), name="nomination-detail"),
    path("nominations/<int:pk>/timeline/", nominations.NominationTimeline.as_view(), name="nomination-timeline"),
    path("attachments/<int:pk>/download/", nominations.AttachmentDownload.as_view(), name="attachment-download"),
    path("council-sessions/", council.CouncilSessionList.as_view(), name="session-list"),
    path("council-sessions/<int:pk>/", council.CouncilSessionDetail.as_view(), name="session-detail"),
    path("council-sessions/<int:pk>/timeline/", council.CouncilSessionTimeline.as_view(), name="session-timeline"),
    path("council-sessions/<int:pk>/written-votes/", council.WrittenVote.as_view(), name="session-written-vote"),
    path("council-sessions/<int:pk>/minutes.<str:fmt>", council.MinutesDownload.as_view(), name="session-minutes"),
    path("agenda-items/<int:pk>/recusal/", council.Recusal.as_view(), name="agenda-item-recusal"),
    path("decisions/", decisions.DecisionList.as_view(), name="decision-list"),
    path("decisions/<int:pk>/", decisions.DecisionDetail.as_view(), name="decision-detail"),
    path("decisions/<int:pk>/timeline/", decisions.DecisionTimeline.as_view(), name="decision-timeline"),
    path("decisions/<int:pk>/revoke/", decisions.DecisionRevoke.as_view(), name="decision-revoke"),
    path("decisions/<int:pk>/files/<str:name>", decisions.DecisionFile.as_view(), name="decision-file"),
    path("decisions/<int:pk>/draft/<str:name>", decisions.DraftPreview.as_view(), name="decision-draft"),
    path("decisions/<int:pk>/certificates/", decisions.CertificateList.as_view(), name="decision-certificates"),
    path("decisions/<int:pk>/certificates.zip", decisions.CertificatesZip.as_view(), name="decision-certificates-zip"),
    path(
        "decisions/<int:pk>/certificates/progress/",
        decisions.CertificatesProgress.as_view(),
        name="decision-certificates-progress",
    ),
    path("delegations/", delegations.DelegationList.as_view(), name="delegation-list"),
    path("delegations/<int:pk>/", delegations.DelegationDetail.as_view(), name="delegation-detail"),
    path("delegations/<int:pk>/end/", delegations.DelegationEnd.as_view(), name="delegation-end"),
    path("admin/memberships/", administration.MembershipList.as_view(), name="admin-membership-list"),
    path("admin/memberships/<int:pk>/end/", administration.MembershipEnd.as_view(), name="admin-membership-end"),
    path("admin/people/", administration.PersonCreate.as_view(), name="admin-person-create"),
    path("admin/people/import/", administration.PeopleImport.as_view(), name="admin-people-import"),
    path("admin/units/", administration.UnitList.as_view(), name="admin-unit-list"),
    path("admin/units/<int:pk>/rename/", administration.UnitRename.as_view(), name="admin-unit-rename"),
    path("admin/units/<int:pk>/dissolve/", administration.UnitDissolve.as_view(), name="admin-unit-dissolve"),
    path("admin/campaigns/", administration.CampaignCreate.as_view(), name="admin-campaign-create"),
    path("admin/campaigns/<int:pk>/", administration.CampaignUpdate.as_view(), name="admin-campaign-update"),
    path("admin/campaigns/<int:pk>/launch/", administration.CampaignLaunch.as_view(), name="admin-campaign-launch"),
    path("admin/campaigns/<int:pk>/close/", administration.CampaignClose.as_view(), name="admin-campaign-close"),
    path(
        "admin/campaigns/<int:pk>/summarise/",
        administration.CampaignSummarise.as_view(),
        name="admin-campaign-summarise",
    ),
    path("tasks/", tasks.TaskList.as_view(), name="task-list"),
    path("tasks/<int:pk>/", tasks.TaskDetail.as_view(), name="task-detail"),
    path("tasks/<int:pk>/claim/", tasks.TaskClaim.as_view(), name="task-claim"),
    path("tasks/<int:pk>/unassign/", tasks.TaskUnassign.as_view(), name="task-unassign"),
    path("tasks/<int:pk>/complete/", tasks.TaskComplete.as_view(), name="task-complete"),
    path("public/campaigns/<int:pk>/results/", public.PublicResults.as_view(), name="public-results"),
    path("public/certificates/<uuid:code>/", public.CertificateVerify.as_view(), name="public-certificate"),
    # Last: any other /api/ path answers in the API's error shape.
    # A person's notifications (the notifications app), under the API's namespace and its JSON 404.
    path("notifications/", notifications_api.NotificationList.as_view(), name="notifications"),
    path("notifications/read/", notifications_api.NotificationsMarkRead.as_view(), name="notifications-read"),
    path(
        "notifications/preferences/",
        notifications_api.NotificationPreferenceView.as_view(),
        name="notifications-preferences",
    ),
    path("notifications/<int:pk>/read/", notifications_api.NotificationMarkRead.as_view(), name="notification-read"),
    re_path(r"", UnknownRoute.as_view(), name="unknown"),
]
