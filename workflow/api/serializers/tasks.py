"""My tasks: what is waiting, and the body that completes it."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import task_actions


class ChoiceSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()


class FormNominationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()


class TaskFormSerializer(serializers.Serializer):
    decisions = ChoiceSerializer(many=True, help_text=_("Giá trị hợp lệ của decision (rỗng nếu bước không có)."))
    item_choices = ChoiceSerializer(many=True, help_text=_("Giá trị hợp lệ của items.<id>.choice."))
    nominations = FormNominationSerializer(many=True, help_text=_("Các đề nghị cần cho ý kiến (khoá của items)."))


class TaskDossierSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.CharField()
    campaign = serializers.IntegerField(source="campaign_id")
    unit = serializers.IntegerField(source="unit_id")
    unit_name = serializers.CharField(source="unit.name")


class TaskSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    process = serializers.IntegerField(source="process_id")
    node = serializers.CharField(source="flow_task.name", help_text=_("Bước của quy trình (prepare, review, …)."))
    title = serializers.CharField(source="flow_task.task_title")
    status = serializers.CharField()
    owner = serializers.CharField(source="owner.username", allow_null=True, default=None)
    created = serializers.DateTimeField()
    finished = serializers.DateTimeField(allow_null=True)
    submission = serializers.SerializerMethodField()
    can_claim = serializers.SerializerMethodField()
    can_complete = serializers.SerializerMethodField()

    @extend_schema_field(TaskDossierSerializer)
    def get_submission(self, task):
        return TaskDossierSerializer(task.process.artifact).data

    def get_can_claim(self, task) -> bool:
        return task_actions.can_claim(self.context["request"].user, task)

    def get_can_complete(self, task) -> bool:
        return task_actions.can_complete(self.context["request"].user, task)


class TaskDetailSerializer(TaskSerializer):
    form = serializers.SerializerMethodField()

    @extend_schema_field(TaskFormSerializer)
    def get_form(self, task):
        return task_actions.form_of(task)


class TaskItemSerializer(serializers.Serializer):
    choice = serializers.CharField(max_length=32)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class TaskCompleteSerializer(serializers.Serializer):
    """The fields of the step's UI form; see the task's ``form`` for the valid values."""

    decision = serializers.CharField(required=False, max_length=32)
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    items = serializers.DictField(
        child=TaskItemSerializer(),
        required=False,
        help_text=_("Ý kiến theo từng đề nghị: khoá là id đề nghị."),
    )
