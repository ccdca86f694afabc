"""Public results: anyone may read who was awarded in a campaign."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.permissions import AllowAny

from nominations.models import AwardRecord, Campaign
from nominations.selectors import public_results

from ..pagination import OldestFirstPagination
from ..serializers.public import PublicResultSerializer


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
