"""Filters for the console log."""

import logging


class RefusalsOnOneLine(logging.Filter):
    """A refused request (403, 404, 400) is one line, not a traceback.

    Django logs a PermissionDenied with its exception attached, so each 403 would print a
    traceback that hides the server errors an operator is looking for. Only records of
    `django.request` below 500 lose their traceback; server errors keep theirs.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "django.request" and getattr(record, "status_code", 500) < 500:
            record.exc_info = None
            record.exc_text = None
        return True
