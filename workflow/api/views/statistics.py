"""The TT 02/2023/TT-BNV statistical forms over the API: the page's figures, its Excel, and the records behind
one figure; the same computation (``nominations.statistics``) and the same check (``access_statistics``)."""

from dataclasses import asdict

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from nominations.services.downloads import XLSX, Download
from nominations.statistics import UnknownCell, cell_records, tt02_report
from nominations.statistics_xlsx import tt02_xlsx_cached
from nominations.text import safe_file_name

from ...access import access_statistics
from ...downloads import respond
from ...views.statistics import BadYear, bad_year_message, year_of

YEAR = OpenApiParameter("year", int, description="Năm báo cáo (mặc định: năm nay)")
CELL = [
    OpenApiParameter("form", str, description="0602, 0603 hoặc local (khen thưởng cấp huyện, xã)"),
    OpenApiParameter("row", str, description="all, form:<mã hình thức> hoặc method:<regular|thematic|none>"),
    OpenApiParameter("col", str, description="Cột của biểu, ví dụ total, women, direct"),
]


def _year(request):
    try:
        return year_of(request.query_params.get("year")), None
    except BadYear:
        return None, Response({"year": [bad_year_message()]}, status=status.HTTP_400_BAD_REQUEST)


class StatisticsRecordSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    candidate = serializers.CharField(source="candidate.name")
    award_type = serializers.CharField(source="award_type.name")
    decision_number = serializers.CharField()
    decision_date = serializers.DateField()
    unit_name = serializers.CharField()


class Statistics(APIView):
    @extend_schema(
        operation_id="statistics_retrieve",
        parameters=[YEAR],
        responses=OpenApiTypes.OBJECT,
        description="Các biểu thống kê 0601–0605.N/BNV-TĐKT (Thông tư 02/2023/TT-BNV) của cơ quan và các đơn vị "
        "trực thuộc trong một năm; chỉ tính khen thưởng còn hiệu lực.",
    )
    def get(self, request, pk: int):
        issuer = access_statistics(request.user, pk)
        year, refused = _year(request)
        if refused:
            return refused
        report = asdict(tt02_report(issuer, year))
        report["issuer"] = {"id": issuer.pk, "name": issuer.name}
        return Response(report)


class StatisticsExport(APIView):
    @extend_schema(
        operation_id="statistics_xlsx_retrieve",
        parameters=[YEAR],
        responses={(200, XLSX): OpenApiTypes.BINARY},
        description="Các biểu thống kê theo Thông tư 02/2023/TT-BNV dưới dạng tệp Excel.",
    )
    def get(self, request, pk: int):
        issuer = access_statistics(request.user, pk)
        year, refused = _year(request)
        if refused:
            return refused
        content = tt02_xlsx_cached(tt02_report(issuer, year))
        return respond(Download(content, safe_file_name("thong-ke-tt02", issuer.code, str(year), ext="xlsx"), XLSX))


class StatisticsRecords(APIView):
    @extend_schema(
        operation_id="statistics_records_list",
        parameters=[YEAR, *CELL],
        responses=StatisticsRecordSerializer(many=True),
        description="Danh sách khen thưởng tạo nên một số liệu của biểu thống kê.",
    )
    def get(self, request, pk: int):
        issuer = access_statistics(request.user, pk)
        year, refused = _year(request)
        if refused:
            return refused
        params = request.query_params
        try:
            records = cell_records(
                issuer, year, form=params.get("form", ""), row=params.get("row", ""), column=params.get("col", "")
            )
        except UnknownCell:
            return Response({"detail": "Không có số liệu này trong biểu thống kê."}, status=status.HTTP_400_BAD_REQUEST)
        return Response(StatisticsRecordSerializer(records, many=True).data)
