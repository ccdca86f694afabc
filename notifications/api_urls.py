from django.urls import path

from . import api

urlpatterns = [
    path("", api.NotificationList.as_view(), name="api-notifications"),
    path("read/", api.NotificationsMarkRead.as_view(), name="api-notifications-read"),
    path("<int:pk>/read/", api.NotificationMarkRead.as_view(), name="api-notification-read"),
]
