"""Token for scripts and portals: exchange a username and password for an API token."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Gửi kèm mỗi yêu cầu: `Authorization: Token <token>`.")


class TokenObtain(ObtainAuthToken):
    authentication_classes = []

    @extend_schema(
        request=AuthTokenSerializer,
        responses=TokenSerializer,
        auth=[],
        description="Lấy mã xác thực (token) bằng tên đăng nhập và mật khẩu. Đăng nhập sai được ghi vào nhật ký.",
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)
