"""/api/admin/councils/: each issuer's council and its dated seats (the pages' forms and services, same rules).

Someone administering no committee gets 403; a council or seat outside their committees 404.
"""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from nominations.models import CouncilMember
from nominations.services import council_seats

from ...forms import administration as forms
from ...views.administration_councils import councils_of
from ..serializers.administration import AdminCouncilSerializer, CouncilBody, EndSeatBody, SeatBody, SeatSerializer
from .administration import _bound, _issuers


class CouncilList(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("day", str, description="Ngày (YYYY-MM-DD hoặc dd/mm/yyyy); mặc định hôm nay.")],
        responses=AdminCouncilSerializer(many=True),
        description="Các hội đồng trong cơ quan bạn quản trị, với thành viên giữ ghế vào ngày đó.",
    )
    def get(self, request):
        issuers = _issuers(request.user)
        day = _bound(forms.DayForm(request.query_params)).get("day") or timezone.localdate()
        councils = list(councils_of(issuers))
        seats = council_seats.seats_on(councils, day)
        return Response(AdminCouncilSerializer(councils, many=True, context={"seats": seats}).data)

    @extend_schema(
        request=CouncilBody,
        responses={201: AdminCouncilSerializer},
        description="Thành lập hội đồng của một cơ quan bạn quản trị. Ghi nhật ký council.created.",
    )
    def post(self, request):
        data = _bound(forms.CouncilForm(data=request.data, issuers=_issuers(request.user)))
        council = council_seats.council_create(actor=request.user, **data)
        return Response(AdminCouncilSerializer(council).data, status=status.HTTP_201_CREATED)


class SeatCreate(APIView):
    @extend_schema(
        request=SeatBody,
        responses={201: SeatSerializer},
        description="Bổ nhiệm một người vào hội đồng với chức danh và thời hạn. Ghi nhật ký council.seat_added.",
    )
    def post(self, request, pk: int):
        issuers = _issuers(request.user)
        council = get_object_or_404(councils_of(issuers), pk=pk)
        data = _bound(forms.SeatForm(data=request.data, issuers=issuers))
        seat = council_seats.seat_add(council=council, actor=request.user, **data)
        return Response(SeatSerializer(seat).data, status=status.HTTP_201_CREATED)


class SeatEnd(APIView):
    @extend_schema(
        request=EndSeatBody,
        responses=SeatSerializer,
        description="Kết thúc nhiệm vụ một thành viên hội đồng vào ngày cho trước. Ghi nhật ký council.seat_ended.",
    )
    def post(self, request, pk: int):
        issuers = _issuers(request.user)
        seat = get_object_or_404(CouncilMember.objects.filter(council__in=councils_of(issuers)), pk=pk)
        data = _bound(forms.EndSeatForm(data=request.data))
        return Response(SeatSerializer(council_seats.seat_end(seat=seat, actor=request.user, **data)).data)
