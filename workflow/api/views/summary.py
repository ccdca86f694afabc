"""The campaign summary (tổng kết) and its Excel export, for the issuing body's staff."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from nominations.progress import target_counts
from nominations.selectors import campaign_prizes, campaign_summary
from nominations.services import downloads

from ...access import access_campaign_summary
from ...downloads import respond
from ..serializers.summary import CampaignSummarySerializer, summary_data


class CampaignSummary(APIView):
    @extend_schema(
        responses=CampaignSummarySerializer,
        description="Tổng kết phong trào: số đề nghị và số được khen thưởng theo đơn vị, hình thức, giới tính, "
        "dân tộc, lao động trực tiếp, cá nhân/tập thể; tiền thưởng của các khen thưởng còn hiệu lực; tiến độ các chỉ "
        "tiêu. Cho cán bộ thẩm định, thư ký Hội đồng và lãnh đạo cơ quan "
        "phát động.",
    )
    def get(self, request, pk: int):
        campaign = access_campaign_summary(request.user, pk)
        data = summary_data(campaign, campaign_summary(campaign))
        data["prizes"] = campaign_prizes(campaign)
        data["targets"] = target_counts(campaign)
        return Response(CampaignSummarySerializer(data).data)


class CampaignSummaryExport(APIView):
    @extend_schema(
        operation_id="campaigns_summary_xlsx_retrieve",
        responses={(200, downloads.XLSX): OpenApiTypes.BINARY},
        description="Tổng kết phong trào dưới dạng tệp Excel.",
    )
    def get(self, request, pk: int):
        return respond(downloads.summary_xlsx(access_campaign_summary(request.user, pk)))
