"""Public results: anyone may read who was awarded in a campaign."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.permissions import AllowAny

from nominations.models import Campaign, Nomination

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
            return Nomination.objects.none()
        campaign = get_object_or_404(Campaign, pk=self.kwargs["pk"])
        return Nomination.objects.filter(
            submission__campaign=campaign, status=Nomination.Status.AWARDED
        ).select_related("candidate__unit", "award_type")
