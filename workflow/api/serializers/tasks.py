"""My tasks: what is waiting, and the body that completes it."""

import datetime

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ... import deadlines, kinds
from .. import task_actions


class ChoiceSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()


class FormItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()


class TaskFormSerializer(serializers.Serializer):
    decisions = ChoiceSerializer(many=True, help_text=_("Giá trị hợp lệ của decision (rỗng nếu bước không có)."))
    item_choices = ChoiceSerializer(many=True, help_text=_("Giá trị hợp lệ của items.<id>.choice."))
    items = FormItemSerializer(many=True, help_text=_("Các nội dung cần cho ý kiến (khoá của items)."))
    notes = serializers.BooleanField(help_text=_("items.<id>.note được dùng ở bước này."))
    password = serializers.BooleanField(help_text=_("Bước này cần nhập lại mật khẩu (ký quyết định)."))


class TaskDossierSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.CharField()
    campaign = serializers.IntegerField(source="campaign_id")
    unit = serializers.IntegerField(source="unit_id")
    unit_name = serializers.CharField(source="unit.name")


class TaskDecisionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    subject = serializers.CharField()
    status = serializers.CharField()
    campaign = serializers.IntegerField(source="campaign_id")
    award_type = serializers.IntegerField(source="award_type_id")


class TaskSessionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.CharField()
    round = serializers.IntegerField()
    council = serializers.IntegerField(source="council_id")
    campaign = serializers.IntegerField(source="campaign_id")


def _artifact(task):
    artifact = getattr(task, "dossier", None)
    return artifact if artifact is not None else task.process.artifact


def _of_kind(task, kind, serializer_class):
    """The task's artifact in ``serializer_class``'s shape if it is of ``kind``, else None."""
    artifact = _artifact(task)
    return serializer_class(artifact).data if kinds.of_artifact(artifact) is kind else None


class TaskSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    flow = serializers.SerializerMethodField()
    process = serializers.IntegerField(source="process_id")
    node = serializers.CharField(source="flow_task.name", help_text=_("Bước của quy trình (prepare, review, vote, …)."))
    title = serializers.CharField(source="flow_task.task_title")
    status = serializers.CharField()
    owner = serializers.CharField(source="owner.username", allow_null=True, default=None)
    created = serializers.DateTimeField()
    finished = serializers.DateTimeField(allow_null=True)
    submission = serializers.SerializerMethodField()
    session = serializers.SerializerMethodField()
    decision = serializers.SerializerMethodField()
    can_claim = serializers.SerializerMethodField()
    can_complete = serializers.SerializerMethodField()
    due_on = serializers.SerializerMethodField(help_text=_("Hạn xử lý (ngày làm việc); null: bước không có thời hạn."))
    working_days_left = serializers.SerializerMethodField(help_text=_("Số ngày làm việc còn lại; âm: quá hạn."))

    def _deadline(self, task):
        """From the list's deadlines, computed for the whole page at once (TaskList); a single task's otherwise."""
        if "deadlines" not in self.context:
            self.context["deadlines"] = deadlines.task_deadlines([task])
        return self.context["deadlines"].get(task.pk)

    def get_due_on(self, task) -> datetime.date | None:
        deadline = self._deadline(task)
        return deadline and deadline.due_on

    def get_working_days_left(self, task) -> int | None:
        deadline = self._deadline(task)
        return deadline and deadline.working_days_left

    def get_flow(self, task) -> str:
        """``nomination`` (a dossier), ``council`` (a council session) or ``decision`` (an award decision)."""
        return kinds.of_flow(task.flow_task.flow_class).namespace

    @extend_schema_field(TaskDossierSerializer(allow_null=True))
    def get_submission(self, task):
        return _of_kind(task, kinds.DOSSIER, TaskDossierSerializer)

    @extend_schema_field(TaskSessionSerializer(allow_null=True))
    def get_session(self, task):
        return _of_kind(task, kinds.COUNCIL, TaskSessionSerializer)

    @extend_schema_field(TaskDecisionSerializer(allow_null=True))
    def get_decision(self, task):
        return _of_kind(task, kinds.DECISION, TaskDecisionSerializer)

    def get_can_claim(self, task) -> bool:
        return task_actions.can_claim(self.context["request"].user, task)

    def get_can_complete(self, task) -> bool:
        return task_actions.can_complete(self.context["request"].user, task)


class TaskDetailSerializer(TaskSerializer):
    form = serializers.SerializerMethodField()

    @extend_schema_field(TaskFormSerializer(allow_null=True))
    def get_form(self, task):
        return task_actions.form_of(task)


class TaskResultSerializer(TaskSerializer):
    result = serializers.DictField(
        child=serializers.CharField(),
        help_text=_("Kết quả của bước, ví dụ mã xác nhận phiếu bầu (receipt) để đối chiếu sau kiểm phiếu."),
    )


class TaskItemSerializer(serializers.Serializer):
    choice = serializers.CharField(max_length=32)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class TaskCompleteSerializer(serializers.Serializer):
    """The fields of the step's UI form; see the task's ``form`` for the valid values."""

    decision = serializers.CharField(required=False, max_length=32)
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    password = serializers.CharField(
        required=False, write_only=True, style={"input_type": "password"}, help_text=_("Chỉ khi ký quyết định.")
    )
    items = serializers.DictField(
        child=TaskItemSerializer(),
        required=False,
        help_text=_("Ý kiến theo từng nội dung: khoá là id đề nghị (hoặc id nội dung biểu quyết khi bỏ phiếu)."),
    )
