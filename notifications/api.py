"""``/api/notifications/``: the person's notifications, newest first, and marking them read."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import Notification, NotificationPreference
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

    @extend_schema(
        description=_("Thông báo của người dùng, mới nhất trước; ?unread=1: chỉ những thông báo chưa đọc."),
        operation_id="notifications_list",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator's anonymous request
            return Notification.objects.none()
        notifications = Notification.objects.filter(user=self.request.user)
        if self.request.query_params.get("unread") == "1":
            notifications = notifications.filter(read_at__isnull=True)
        return notifications


class NotificationsMarkRead(APIView):
    @extend_schema(
        request=MarkReadSerializer,
        responses=MarkedSerializer,
        operation_id="notifications_mark_read",
        description=_("Đánh dấu đã đọc các thông báo trong danh sách ids, hoặc tất cả khi bỏ trống."),
    )
    def post(self, request):
        body = MarkReadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        marked = mark_read(user=request.user, ids=body.validated_data.get("ids"))
        return Response({"marked": marked, "unread": unread_count(request.user)})


class NotificationMarkRead(APIView):
    """One of the person's notifications; another person's is not found (404), whatever the method."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        get_object_or_404(Notification, pk=kwargs["pk"], user=request.user)

    @extend_schema(
        request=None,
        responses=MarkedSerializer,
        operation_id="notification_mark_read",
        description=_("Đánh dấu đã đọc một thông báo của chính người dùng."),
    )
    def post(self, request, pk):
        marked = mark_read(user=request.user, ids=[pk])
        return Response({"marked": marked, "unread": unread_count(request.user)})


class PreferenceSerializer(serializers.Serializer):
    daily_digest = serializers.BooleanField(
        help_text=_("Nhận một thư tổng hợp mỗi ngày thay vì một thư cho mỗi thông báo.")
    )


class NotificationPreferenceView(APIView):
    """The person's e-mail choice, as on the notifications page."""

    @extend_schema(responses=PreferenceSerializer, operation_id="notifications_preferences_retrieve")
    def get(self, request):
        preference = NotificationPreference.objects.filter(user=request.user).first()
        return Response({"daily_digest": bool(preference and preference.daily_digest)})

    @extend_schema(
        request=PreferenceSerializer, responses=PreferenceSerializer, operation_id="notifications_preferences_update"
    )
    def put(self, request):
        body = PreferenceSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        digest = body.validated_data["daily_digest"]
        NotificationPreference.objects.update_or_create(user=request.user, defaults={"daily_digest": digest})
        return Response({"daily_digest": digest})
