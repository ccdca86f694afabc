"""The standing body's board of open dossiers and its Excel export (issue 17)."""

import datetime

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from nominations.services.downloads import XLSX

from ... import standing_board
from ...downloads import respond
from ...views.standing_board import access_board
from .common import validated

PARAMETERS = [
    OpenApiParameter("unit", int, description="Chỉ hồ sơ của đơn vị này"),
    OpenApiParameter("campaign", int, description="Chỉ hồ sơ của phong trào này"),
    OpenApiParameter("han", str, description="qua-han: chỉ hồ sơ quá hạn; N: đến hạn trong N ngày làm việc"),
]


class BoardQuerySerializer(serializers.Serializer):
    unit = serializers.IntegerField(required=False, min_value=1)
    campaign = serializers.IntegerField(required=False, min_value=1)
    han = serializers.RegexField(r"^(qua-han|\d{1,3})$", required=False, default="")


class BoardRowSerializer(serializers.Serializer):
    submission = serializers.IntegerField(source="submission.pk")
    title = serializers.CharField(source="submission.title")
    unit = serializers.IntegerField(source="submission.unit_id")
    unit_name = serializers.CharField(source="submission.unit.name")
    campaign = serializers.IntegerField(source="submission.campaign_id")
    stage = serializers.CharField(help_text="Bước đang xử lý")
    node = serializers.CharField(help_text="Tên bước của quy trình; rỗng: không có việc đang chờ")
    task = serializers.IntegerField(source="task_id", allow_null=True)
    holder = serializers.CharField(help_text="Người đang giữ hồ sơ")
    age = serializers.IntegerField(help_text="Số ngày làm việc đã qua kể từ khi trình")
    due_on = serializers.SerializerMethodField()
    working_days_left = serializers.SerializerMethodField()
    overdue = serializers.BooleanField()

    @extend_schema_field(OpenApiTypes.DATE)
    def get_due_on(self, row) -> datetime.date | None:
        return row.deadline and row.deadline.due_on

    def get_working_days_left(self, row) -> int | None:
        return row.deadline and row.deadline.working_days_left


def _filters(request) -> dict:
    query = validated(BoardQuerySerializer, request.query_params)
    return {"unit": query.get("unit"), "campaign": query.get("campaign"), "due": query["han"]}


class Board(APIView):
    @extend_schema(
        operation_id="org_units_board_list",
        parameters=PARAMETERS,
        responses=BoardRowSerializer(many=True),
        description="Hồ sơ đang xử lý của các phong trào do cơ quan này phát động: bước, người đang giữ, số ngày "
        "làm việc đã qua, hạn xử lý; hồ sơ quá hạn trước. Chỉ cho cơ quan thường trực, thư ký Hội đồng và lãnh "
        "đạo ký quyết định của cơ quan.",
    )
    def get(self, request, pk: int):
        issuer = access_board(request.user, pk)
        return Response(BoardRowSerializer(standing_board.board(issuer, **_filters(request)), many=True).data)


class BoardExport(APIView):
    @extend_schema(
        operation_id="org_units_board_xlsx_retrieve",
        parameters=PARAMETERS,
        responses={(200, XLSX): OpenApiTypes.BINARY},
        description="Hồ sơ đang xử lý dưới dạng tệp Excel.",
    )
    def get(self, request, pk: int):
        issuer = access_board(request.user, pk)
        return respond(standing_board.board_xlsx(issuer, standing_board.board(issuer, **_filters(request))))
