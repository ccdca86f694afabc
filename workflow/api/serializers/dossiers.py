"""Dossiers: submissions, their nominations and attachments, and the audit timeline."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from nominations.models import Attachment, Campaign, Candidate, Nomination, OrgUnit, Submission
from nominations.selectors import NoRuleInForce
from nominations.services.review import missing_documents
from workflow import audit
from workflow import permissions as perms
from workflow.forms import dossier as forms
from workflow.models import AuditEvent

_NOMINATION_FORM = forms.NominationForm.base_fields
_ATTACHMENT_FORM = forms.AttachmentForm.base_fields


class CandidateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Candidate
        fields = [
            "id", "kind", "name", "gender", "birth_year", "ethnicity", "position", "direct_worker",
            "leader_level", "business_person", "unit",
        ]  # fmt: skip


class NominationSerializer(serializers.ModelSerializer):
    candidate = CandidateSerializer(read_only=True)
    award_name = serializers.CharField(source="award_type.name", read_only=True)

    class Meta:
        model = Nomination
        fields = [
            "id", "submission", "candidate", "award_type", "award_name", "achievement", "status",
            "missing_items", "outcome_reason", "updated_at",
        ]  # fmt: skip


class NominationWriteSerializer(serializers.Serializer):
    """The fields of the UI's nomination form; the form itself then validates them."""

    kind = serializers.ChoiceField(choices=_NOMINATION_FORM["kind"].choices)
    name = serializers.CharField(max_length=_NOMINATION_FORM["name"].max_length)
    gender = serializers.ChoiceField(choices=_NOMINATION_FORM["gender"].choices, required=False, allow_blank=True)
    birth_year = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=_NOMINATION_FORM["birth_year"].min_value,
        max_value=_NOMINATION_FORM["birth_year"].max_value,
    )
    ethnicity = serializers.CharField(
        max_length=_NOMINATION_FORM["ethnicity"].max_length, required=False, allow_blank=True
    )
    position = serializers.CharField(
        max_length=_NOMINATION_FORM["position"].max_length, required=False, allow_blank=True
    )
    direct_worker = serializers.BooleanField(required=False, default=False)
    leader_level = serializers.ChoiceField(
        choices=_NOMINATION_FORM["leader_level"].choices, required=False, allow_blank=True
    )
    business_person = serializers.BooleanField(required=False, default=False)
    award_type = serializers.IntegerField(min_value=1, help_text=_("Mã (id) hình thức khen thưởng của phong trào."))
    achievement = serializers.CharField()


class AttachmentSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.CharField(source="uploaded_by.username", read_only=True)
    download = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = [
            "id", "submission", "nomination", "kind", "original_name", "content_type", "size", "sha256",
            "uploaded_by", "uploaded_at", "download",
        ]  # fmt: skip

    def get_download(self, attachment) -> str:
        return reverse("api:attachment-download", args=[attachment.pk])


class AttachmentUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=_ATTACHMENT_FORM["kind"].choices)
    nomination = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text=_ATTACHMENT_FORM["nomination"].help_text
    )
    file = serializers.FileField(help_text=_ATTACHMENT_FORM["file"].label)


class SubmissionSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True)
    # The day the standing body first received the dossier: the day whose rule set judges it (README, "Which
    # day's rules judge what"). Null until then. Written by the review service only.
    received_on = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = Submission
        fields = [
            "id", "campaign", "unit", "unit_name", "title", "letter_number", "status", "review_rounds",
            "created_by", "created_at", "submitted_at", "received_on",
        ]  # fmt: skip


class SubmissionDetailSerializer(SubmissionSerializer):
    nominations = NominationSerializer(many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)
    editable = serializers.SerializerMethodField()
    missing_documents = serializers.SerializerMethodField()

    class Meta(SubmissionSerializer.Meta):
        fields = SubmissionSerializer.Meta.fields + ["nominations", "attachments", "editable", "missing_documents"]

    def get_editable(self, submission) -> bool:
        """Whether the caller may change nominations and files now (holds the preparing task)."""
        return perms.can_edit_submission(self.context["request"].user, submission)

    @extend_schema_field(serializers.ListField(child=serializers.CharField(), allow_null=True))
    def get_missing_documents(self, submission):
        """Required documents not yet attached (only while the caller may edit the dossier)."""
        if not self.get_editable(submission):
            return None
        try:
            return missing_documents(submission)
        except NoRuleInForce as exc:
            return [str(exc)]


class SubmissionCreateSerializer(serializers.Serializer):
    campaign = serializers.PrimaryKeyRelatedField(queryset=Campaign.objects.all())
    unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all())
    title = serializers.CharField(max_length=forms.StartForm.base_fields["title"].max_length)


class TimelineEventSerializer(serializers.ModelSerializer):
    label = serializers.SerializerMethodField()
    actor = serializers.CharField(source="actor_name", read_only=True)

    class Meta:
        model = AuditEvent
        fields = [
            "id", "created_at", "event_type", "label", "actor", "step", "target_type", "target_id",
            "from_state", "to_state", "comment", "changes", "data", "process_id", "task_id",
        ]  # fmt: skip

    def get_label(self, event) -> str:
        return str(audit.LABELS.get(event.event_type, event.event_type))
