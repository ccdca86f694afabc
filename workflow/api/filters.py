"""Query filters of the list endpoints (django-filter)."""

import django_filters as filters
from django.utils.translation import gettext_lazy as _
from viewflow.workflow import flow

from nominations.models import Campaign, Nomination, OrgUnit, Submission
from nominations.text import fold

from .. import deadlines
from ..flows import CouncilFlow, DecisionFlow, NominationFlow
from . import task_actions


class CampaignFilter(filters.FilterSet):
    class Meta:
        model = Campaign
        fields = ["status", "issuer", "code"]


class OrgUnitFilter(filters.FilterSet):
    valid_on = filters.DateFilter(method="filter_valid_on", label=_("Còn hiệu lực vào ngày (YYYY-MM-DD)"))
    root = filters.BooleanFilter(field_name="parent", lookup_expr="isnull", label=_("Chỉ các đơn vị gốc"))

    class Meta:
        model = OrgUnit
        fields = ["parent", "kind", "level", "code"]

    def filter_valid_on(self, queryset, name, value):
        return queryset.valid_on(value)


class SubmissionFilter(filters.FilterSet):
    class Meta:
        model = Submission
        fields = ["campaign", "unit", "status"]


class NominationFilter(filters.FilterSet):
    campaign = filters.NumberFilter(field_name="submission__campaign", label=_("Phong trào"))
    q = filters.CharFilter(method="filter_name", label=_("Tìm theo tên đối tượng (không phân biệt dấu)"))

    class Meta:
        model = Nomination
        fields = ["submission", "status", "award_type"]

    def filter_name(self, queryset, name, value):
        return queryset.filter(candidate__search_name__contains=fold(value.strip()))


def _human_nodes() -> dict:
    """Human steps of the flows by name (names are unique across the flows)."""
    return {
        node.name: node
        for flow_class in (NominationFlow, CouncilFlow, DecisionFlow)
        for node in flow_class.instance.nodes()
        if isinstance(node, flow.View)
    }


class TaskFilter(filters.FilterSet):
    box = filters.ChoiceFilter(
        choices=[("inbox", _("Việc đã nhận")), ("queue", _("Việc có thể nhận"))],
        method="filter_box",
        label=_("inbox: việc đã nhận; queue: việc có thể nhận; bỏ trống: cả hai"),
    )
    node = filters.ChoiceFilter(
        choices=[(name, name) for name in _human_nodes()], method="filter_node", label=_("Bước của quy trình")
    )
    submission = filters.NumberFilter(method="filter_submission", label=_("Tờ trình (việc của quy trình hồ sơ)"))
    session = filters.NumberFilter(method="filter_session", label=_("Phiên họp Hội đồng (việc bỏ phiếu, điều hành)"))
    decision = filters.NumberFilter(method="filter_decision", label=_("Quyết định khen thưởng (việc ký, sửa dự thảo)"))
    overdue = filters.BooleanFilter(method="filter_overdue", label=_("true: chỉ việc đã quá hạn xử lý"))
    due_within = filters.NumberFilter(
        method="filter_due_within",
        min_value=0,
        max_value=366,
        label=_("Chỉ việc đến hạn trong N ngày làm việc (kể cả việc đã quá hạn)"),
    )

    class Meta:
        model = NominationFlow.task_class
        fields = []

    def filter_box(self, queryset, name, value):
        part = task_actions.inbox if value == "inbox" else task_actions.queue
        return queryset.filter(pk__in=part(self.request.user).values("pk"))

    def filter_node(self, queryset, name, value):
        return queryset.filter(flow_task=_human_nodes()[value])

    def filter_submission(self, queryset, name, value):
        return queryset.filter(process__flow_class=NominationFlow, process__artifact_object_id=value)

    def filter_session(self, queryset, name, value):
        return queryset.filter(process__flow_class=CouncilFlow, process__artifact_object_id=value)

    def filter_decision(self, queryset, name, value):
        return queryset.filter(process__flow_class=DecisionFlow, process__artifact_object_id=value)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        return _by_deadline(queryset, lambda d: (d is not None and d.overdue) == value)

    def filter_due_within(self, queryset, name, value):
        return _by_deadline(queryset, deadlines.due_predicate(str(int(value))))


def _by_deadline(queryset, keep):
    """The tasks whose deadline (computed, not stored: it moves with pauses and the calendar) passes ``keep``;
    a fixed number of queries whatever the number of tasks (workflow.deadlines.task_deadlines)."""
    tasks = list(queryset.select_related("process"))
    found = deadlines.task_deadlines(tasks)
    return queryset.filter(pk__in=[t.pk for t in tasks if keep(found.get(t.pk))])
