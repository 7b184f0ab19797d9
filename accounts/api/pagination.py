"""Page numbers that are checked: a malformed `?page=` is a 400, a page past the end a 404."""

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

MAX_PAGE_DIGITS = 9  # far more pages than any list has; a longer number is no page


class CheckedPageNumberPagination(PageNumberPagination):
    """DRF's page numbers, held to what the schema says: one whole number from 1."""

    def get_page_number(self, request, paginator):
        given = request.query_params.getlist(self.page_query_param)
        if not given:
            return 1
        raw = given[0]
        well_formed = raw.isascii() and raw.isdigit() and len(raw) <= MAX_PAGE_DIGITS
        if len(given) > 1 or not well_formed or int(raw) < 1:
            raise ValidationError({self.page_query_param: ["Give one page number, from 1."]})
        return int(raw)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] |= {"minimum": 1, "maximum": 10**MAX_PAGE_DIGITS - 1}
        return parameters
