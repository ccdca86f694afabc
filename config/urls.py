from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from workflow.urls import public_urls, site

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/", include("workflow.api.urls")),
    *public_urls,
    path("", site.urls),
]
