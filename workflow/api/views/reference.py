"""Reference data every signed-in user may read."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers

from nominations.models import AwardType, Campaign, OrgUnit

from ..filters import CampaignFilter, OrgUnitFilter
from ..pagination import OldestFirstPagination
from ..serializers.reference import AwardTypeSerializer, CampaignSerializer, OrgUnitSerializer


@extend_schema_view(
    get=extend_schema(description="Các phong trào thi đua, kèm nội dung thi đua và hình thức khen thưởng.")
)
class CampaignList(generics.ListAPIView):
    queryset = Campaign.objects.select_related("issuer").prefetch_related("content_areas", "offers__award_type")
    serializer_class = CampaignSerializer
    filterset_class = CampaignFilter
    pagination_class = OldestFirstPagination


@extend_schema_view(get=extend_schema(description="Một phong trào thi đua, kèm nội dung và hình thức khen thưởng."))
class CampaignDetail(generics.RetrieveAPIView):
    queryset = CampaignList.queryset
    serializer_class = CampaignSerializer


@extend_schema_view(
    get=extend_schema(description="Cây đơn vị: lọc theo đơn vị cấp trên, loại, cấp, ngày còn hiệu lực.")
)
class OrgUnitList(generics.ListAPIView):
    queryset = OrgUnit.objects.all()
    serializer_class = OrgUnitSerializer
    filterset_class = OrgUnitFilter
    pagination_class = OldestFirstPagination


@extend_schema_view(get=extend_schema(description="Một đơn vị trong cây tổ chức."))
class OrgUnitDetail(generics.RetrieveAPIView):
    queryset = OrgUnit.objects.all()
    serializer_class = OrgUnitSerializer


class OnDate(serializers.Serializer):
    on = serializers.DateField(required=False, input_formats=["iso-8601"])


ON_PARAMETER = OpenApiParameter(
    "on",
    OpenApiTypes.DATE,
    description=_("Ngày (YYYY-MM-DD) để chọn bộ quy định đang áp dụng (rule_in_force); mặc định hôm nay."),
)


class AwardTypeMixin:
    queryset = AwardType.objects.prefetch_related("rule_sets")
    serializer_class = AwardTypeSerializer

    def get_serializer_context(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return super().get_serializer_context()
        params = OnDate(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        day: datetime.date = params.validated_data.get("on") or timezone.localdate()
        return {**super().get_serializer_context(), "on": day}


@extend_schema_view(
    get=extend_schema(
        description="Các hình thức khen thưởng với mọi bộ quy định theo thời gian và bộ quy định áp dụng ngày `on`.",
        parameters=[ON_PARAMETER],
    )
)
class AwardTypeList(AwardTypeMixin, generics.ListAPIView):
    pagination_class = OldestFirstPagination


@extend_schema_view(
    get=extend_schema(
        description="Một hình thức khen thưởng, các bộ quy định và bộ quy định áp dụng ngày `on`.",
        parameters=[ON_PARAMETER],
    )
)
class AwardTypeDetail(AwardTypeMixin, generics.RetrieveAPIView):
    pass
