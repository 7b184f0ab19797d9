from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path, re_path
from django.views import defaults
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.api.errors import error_response, is_api
from accounts.api.views import NotFoundView


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


def bad_request(request, exception):
    """A request Django refuses before any view (a bad Host): the API's shape under /api/."""
    if is_api(request):
        return error_response(400, "bad_request", "The request could not be understood.")
    return defaults.bad_request(request, exception)


def server_error(request):
    """A 500 outside any view's own handling: the API's error shape under /api/."""
    if is_api(request):
        return error_response(500, "error", "Server Error (500)")
    return defaults.server_error(request)


handler400 = bad_request
handler500 = server_error


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", include("config.api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    re_path(r"^api/", NotFoundView.as_view(), name="api-not-found"),
    path("campaigns/", include("campaigns.urls")),
    path("influencers/", include("influencers.urls")),
    path("outreach/", include("outreach.urls")),
    path("results/", include("metrics.urls")),
    path("", include("accounts.urls")),
]
