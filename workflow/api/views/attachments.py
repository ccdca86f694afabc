"""A dossier's files after they are attached (remove, replace, history) and its completion rounds (the
reviewer's per-round changes, the unit's checklist): the API of workflow.views.dossier_rounds."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from nominations.services import attachments, rounds

from ...access import access_attachment, access_dossier
from ..permissions import check_editable
from ..serializers.dossiers import AttachmentSerializer
from .common import validated


class ReplaceSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="Tệp mới: cùng loại tài liệu, cùng đề nghị với tệp được thay.")


class HistorySerializer(AttachmentSerializer):
    removed_by = serializers.CharField(source="removed_by.username", read_only=True, default=None)

    class Meta(AttachmentSerializer.Meta):
        fields = [*AttachmentSerializer.Meta.fields, "removed_at", "removed_by", "replaced_by"]


class FileChangeSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["added", "removed", "replaced"])
    old = serializers.SerializerMethodField()
    new = serializers.SerializerMethodField()

    def _file(self, pair) -> dict | None:
        if pair is None:
            return None
        return {"id": pair[0], "name": pair[1], "download": reverse("api:attachment-download", args=[pair[0]])}

    def get_old(self, change) -> dict | None:
        return self._file(change.old)

    def get_new(self, change) -> dict | None:
        return self._file(change.new)


class RoundChangesSerializer(serializers.Serializer):
    nomination = serializers.IntegerField(source="nomination.pk", default=None)
    field_changes = serializers.SerializerMethodField()
    files = FileChangeSerializer(many=True)

    def get_field_changes(self, changes) -> list[dict]:
        return [{"label": label, "before": before, "after": after} for label, before, after in changes.fields]


def _file_of_held_dossier(user, pk: int):
    """The file and its dossier, 404 unless ``user`` sees the dossier, 403 unless ``user`` holds it."""
    attachment = access_attachment(user, pk)
    submission = access_dossier(user, attachment.submission_id)
    check_editable(user, submission)
    return submission, attachment


class AttachmentRemove(APIView):
    @extend_schema(
        request=None,
        responses=HistorySerializer,
        description="Gỡ một tài liệu khỏi hồ sơ bạn đang giữ (hoàn thiện hoặc bổ sung); tệp vẫn lưu trong lịch sử.",
    )
    def post(self, request, pk: int):
        submission, attachment = _file_of_held_dossier(request.user, pk)
        removed = attachments.attachment_remove(submission=submission, attachment=attachment, actor=request.user)
        return Response(HistorySerializer(removed).data)


class AttachmentReplace(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": ReplaceSerializer},
        responses={201: AttachmentSerializer},
        description="Thay một tài liệu của hồ sơ bạn đang giữ bằng tệp mới; tệp cũ vẫn lưu trong lịch sử.",
    )
    def post(self, request, pk: int):
        submission, attachment = _file_of_held_dossier(request.user, pk)
        data = validated(ReplaceSerializer, request.data)
        new = attachments.attachment_replace(
            submission=submission, attachment=attachment, upload=data["file"], actor=request.user
        )
        return Response(AttachmentSerializer(new).data, status=status.HTTP_201_CREATED)


class SubmissionRounds(APIView):
    @extend_schema(
        responses=OpenApiTypes.OBJECT,
        description="Vòng bổ sung hồ sơ: nội dung cần bổ sung (khi hồ sơ ở đơn vị), thay đổi của đơn vị từ lần "
        "thẩm định trước theo từng đề nghị (trước / sau, tệp thêm, gỡ, thay), và các tệp đã gỡ hoặc thay.",
    )
    def get(self, request, pk: int):
        submission = access_dossier(request.user, pk)
        notice = rounds.return_notice(submission)
        if notice is not None:
            notice = {
                **notice,
                "checklist": [{"nomination": n.pk, "missing_items": items} for n, items in notice["checklist"]],
            }
        changes = [c for c in rounds.changes_since_review(submission) if not c.empty]
        return Response(
            {
                "review_rounds": submission.review_rounds,
                "return_notice": notice,
                "changes": RoundChangesSerializer(changes, many=True).data,
                "history": HistorySerializer(attachments.attachment_history(submission), many=True).data,
            }
        )
