from django.contrib import admin
from django.http import HttpResponse, JsonResponse
from django.urls import include, path, re_path
from django.views import defaults
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.api.views import NotFoundView


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


def server_error(request):
    """A 500 outside any view's own handling: the API's error shape under /api/."""
    if request.path.startswith("/api/"):
        error = {"code": "error", "detail": "Server Error (500)", "attr": None}
        return JsonResponse({"type": "server_error", "errors": [error]}, status=500)
    return defaults.server_error(request)


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
