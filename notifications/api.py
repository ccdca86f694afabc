"""``/api/notifications/``: the person's notifications, newest first, and marking them read."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import Notification
from .services import mark_read, unread_count


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at"]


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        help_text=_("Các thông báo cần đánh dấu đã đọc; bỏ trống: tất cả."),
    )


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField()
    unread = serializers.IntegerField()


class NotificationList(generics.ListAPIView):
    serializer_class = NotificationSerializer

    def get_queryset(self):
        notifications = Notification.objects.filter(user=self.request.user)
        if self.request.query_params.get("unread") == "1":
            notifications = notifications.filter(read_at__isnull=True)
        return notifications


class NotificationMarkRead(APIView):
    @extend_schema(request=MarkReadSerializer, responses=MarkedSerializer)
    def post(self, request, pk=None):
        body = MarkReadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ids = [pk] if pk is not None else body.validated_data.get("ids")
        marked = mark_read(user=request.user, ids=ids)
        return Response({"marked": marked, "unread": unread_count(request.user)})
