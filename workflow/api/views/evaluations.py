"""The end-of-campaign evaluation over the API: a registration's self-assessment, and the works and targets a
collective nomination rests on, with its unit's assessment beside it (what the reviewer and council read)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from nominations.access import REGISTER
from nominations.services import evaluations

from ...access import access_nomination, access_registration
from ..permissions import check_editable
from .registrations import _require


class AssessmentSerializer(serializers.Serializer):
    commitment = serializers.IntegerField(source="commitment_id", allow_null=True)
    work = serializers.IntegerField(source="work_id", allow_null=True)
    plan = serializers.IntegerField(source="plan_id", allow_null=True)
    result = serializers.CharField()
    result_label = serializers.CharField(source="get_result_display")
    comment = serializers.CharField()


class EvaluationInputSerializer(serializers.Serializer):
    commitments = serializers.DictField(child=serializers.DictField(), required=False)
    works = serializers.DictField(child=serializers.DictField(), required=False)
    plans = serializers.DictField(child=serializers.DictField(), required=False)


class BasisSerializer(serializers.Serializer):
    works = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    plans = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)


class NominationBasisSerializer(BasisSerializer):
    registration = serializers.IntegerField(allow_null=True)
    assessments = AssessmentSerializer(many=True)


def _basis(nomination) -> dict:
    registration = evaluations.evaluation_of(nomination.submission)
    basis = evaluations.basis_of(nomination)
    return {
        "registration": registration.pk if registration else None,
        "works": [b.work_id for b in basis if b.work_id],
        "plans": [b.plan_id for b in basis if b.plan_id],
        "assessments": evaluations.assessments_of(registration),
    }


class RegistrationEvaluation(APIView):
    @extend_schema(
        operation_id="registrations_evaluation_list",
        responses=AssessmentSerializer(many=True),
        description="Kết quả tự đánh giá của đơn vị cho từng nội dung, công trình và chỉ tiêu đã đăng ký.",
    )
    def get(self, request, pk: int):
        registration = access_registration(request.user, pk)
        return Response(AssessmentSerializer(evaluations.assessments_of(registration), many=True).data)

    @extend_schema(
        operation_id="registrations_evaluation_update",
        request=EvaluationInputSerializer,
        responses=AssessmentSerializer(many=True),
        description="Đơn vị tự đánh giá (sau khi đăng ký được chấp thuận): {id: {result, comment}} cho từng mục.",
    )
    def put(self, request, pk: int):
        registration = access_registration(request.user, pk)
        _require(request.user, REGISTER, registration.unit)
        serializer = EvaluationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        evaluations.evaluation_save(registration=registration, actor=request.user, **serializer.validated_data)
        return Response(AssessmentSerializer(evaluations.assessments_of(registration), many=True).data)


class NominationBasis(APIView):
    @extend_schema(
        operation_id="nominations_basis_retrieve",
        responses=NominationBasisSerializer,
        description="Các công trình, chỉ tiêu làm căn cứ của đề nghị tập thể, cùng kết quả tự đánh giá của đơn vị.",
    )
    def get(self, request, pk: int):
        nomination = access_nomination(request.user, pk)
        return Response(NominationBasisSerializer(_basis(nomination)).data)

    @extend_schema(
        operation_id="nominations_basis_update",
        request=BasisSerializer,
        responses=NominationBasisSerializer,
        description="Gắn công trình, chỉ tiêu trong đăng ký thi đua của đơn vị làm căn cứ của đề nghị tập thể.",
    )
    def put(self, request, pk: int):
        nomination = access_nomination(request.user, pk)
        check_editable(request.user, nomination.submission)
        serializer = BasisSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        evaluations.nomination_basis_set(nomination=nomination, actor=request.user, **serializer.validated_data)
        return Response(NominationBasisSerializer(_basis(nomination)).data)
