from django.contrib import admin
from django.urls import include, path, re_path

from meute.api.api import api
from meute.api.fallback import api_not_found, with_problems
from meute.networks import views as network_views

api_patterns, api_app, api_namespace = api.urls

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", (with_problems(api_patterns), api_app, api_namespace)),
    re_path(r"^api/(?P<rest>.*)$", api_not_found),
    path("", include("meute.operations.urls")),
    path("", network_views.home, name="home"),
    path("comptes/jetons/", include("meute.api.urls")),
    path("comptes/mes-donnees/", include("meute.privacy.urls")),
    path("comptes/", include("meute.accounts.urls")),
    path("", include("meute.networks.urls")),
    path("", include("meute.events.urls")),
    path("", include("meute.dues.urls")),
    path("", include("meute.attendance.urls")),
    path("", include("meute.referrals.urls")),
    path("", include("meute.barometer.urls")),
    path("", include("meute.packs.urls")),
    path("", include("meute.observatory.urls")),
]
