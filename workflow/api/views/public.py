"""Open to anyone: who was awarded in a campaign, and whether a certificate is real and still standing."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from nominations.models import AwardRecord, Campaign, Decision
from nominations.selectors import certificate_to_verify, public_results

from ..pagination import OldestFirstPagination
from ..serializers.public import CertificateVerificationSerializer, PublicResultSerializer


@extend_schema_view(
    get=extend_schema(
        description="Kết quả công khai của một phong trào: tên người/tập thể được khen thưởng, đơn vị, hình thức. "
        "Không cần đăng nhập.",
        auth=[],
    )
)
class PublicResults(generics.ListAPIView):
    serializer_class = PublicResultSerializer
    pagination_class = OldestFirstPagination
    permission_classes = [AllowAny]
    authentication_classes = []
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AwardRecord.objects.none()
        # The same selector as the public HTML page: a revoked award disappears from both at once.
        return public_results(get_object_or_404(Campaign, pk=self.kwargs["pk"]))


class CertificateVerify(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        responses=CertificateVerificationSerializer,
        description="Xác thực giấy khen theo mã trên mã QR: giấy khen có thật không, còn hiệu lực không. "
        "Không cần đăng nhập.",
        auth=[],
    )
    def get(self, request, code):
        certificate = certificate_to_verify(code)
        if certificate is None:
            raise NotFound
        decision, nomination = certificate.item.decision, certificate.item.nomination
        revoked = decision.status == Decision.Status.REVOKED
        data = {
            "valid": not revoked and not certificate.item.struck,
            "revoked": revoked,
            "revoked_at": decision.revoked_at,
            "revocation_reference": decision.revocation_reference or None,
            "revoke_reason": decision.revoke_reason if revoked else "",
            "candidate": nomination.candidate.name,
            "unit": nomination.submission.unit.name,
            "award_type": decision.award_type.name,
            "decision_reference": decision.reference,
            "decision_date": decision.decision_date,
            "issuer": decision.issuer.name,
        }
        return Response(CertificateVerificationSerializer(data).data)
