from django.contrib import admin
from django.urls import include, path

from meute.networks import views as network_views

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("meute.operations.urls")),
    path("", network_views.home, name="home"),
    path("comptes/", include("meute.accounts.urls")),
    path("", include("meute.networks.urls")),
    path("", include("meute.events.urls")),
    path("", include("meute.dues.urls")),
    path("", include("meute.attendance.urls")),
    path("", include("meute.referrals.urls")),
    path("", include("meute.barometer.urls")),
]
