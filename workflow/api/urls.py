"""/api/: every route of the REST API, its schema and its documentation."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from .views import (
    administration,
    auth,
    council,
    decisions,
    delegations,
    nominations,
    public,
    reference,
    submissions,
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
    path("org-units/", reference.OrgUnitList.as_view(), name="orgunit-list"),
    path("org-units/<int:pk>/", reference.OrgUnitDetail.as_view(), name="orgunit-detail"),
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
    path("decisions/", decisions.DecisionList.as_view(), name="decision-list"),
    path("decisions/<int:pk>/", decisions.DecisionDetail.as_view(), name="decision-detail"),
    path("decisions/<int:pk>/timeline/", decisions.DecisionTimeline.as_view(), name="decision-timeline"),
    path("decisions/<int:pk>/revoke/", decisions.DecisionRevoke.as_view(), name="decision-revoke"),
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
    path("tasks/<int:pk>/complete/", tasks.TaskComplete.as_view(), name="task-complete"),
    path("public/campaigns/<int:pk>/results/", public.PublicResults.as_view(), name="public-results"),
    # Last: any other /api/ path answers in the API's error shape.
    re_path(r"", UnknownRoute.as_view(), name="unknown"),
]
