"""Cross-cutting HTTP middleware."""

from django.shortcuts import render

from accounts.api.errors import error_response, is_api

# Nothing is loaded from outside the app: the product must work where there is no internet,
# and a page that tries to load a CDN script is a page that breaks there.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response


NUL = "\x00"
NUL_MESSAGE = (
    "The request contains a NUL character (\\0), which is never part of text and cannot be "
    "stored. Nothing was saved."
)


def _has_nul(pairs) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in pairs)


def request_has_nul(request) -> bool:
    """A NUL in the path, the query string or a form's fields.

    The API checks what it reads itself: every string its schema declares refuses NUL at
    its field (a 400), and it ignores what it does not read.
    """
    if NUL in request.path:
        return True
    if is_api(request):
        return False
    if _has_nul(request.GET.lists()):
        return True
    is_form = request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data")
    if request.method == "POST" and is_form:
        # Form fields only: an uploaded file may hold anything, and its reader judges it.
        return _has_nul(request.POST.lists())
    return False


class RefuseNulMiddleware:
    """Refuse a request with a NUL character in what a person could have typed, with a 400.

    No text has one, PostgreSQL cannot store one, and a field or a query that reached the
    database with one made a 500. Checked here, once, for every page, form and filter.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request_has_nul(request):
            return self.get_response(request)
        if is_api(request):
            return error_response(400, "null_character", NUL_MESSAGE)
        return render(request, "400.html", {"reason": NUL_MESSAGE}, status=400)
