"""Security headers on every response, and the privacy-safe logging set-up.

No page loads anything from another origin: the CSP allows our own stylesheet and
images only, no scripts at all, and forbids framing.
"""

from __future__ import annotations

import logging
import sys

from flask import Flask, request
from flask_wtf.csrf import CSRFProtect

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "style-src 'self'",
        "img-src 'self' data:",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ]
)

csrf = CSRFProtect()

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "interest-cohort",
        "browsing-topics",
    )
)


def init_app(app: Flask) -> None:
    csrf.init_app(app)
    app.after_request(security_headers)


def security_headers(response):
    """Exact headers, the same on every route and method."""
    headers = response.headers
    headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "no-referrer"
    headers["Permissions-Policy"] = PERMISSIONS_POLICY
    headers["X-Frame-Options"] = "DENY"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Cross-Origin-Resource-Policy"] = "same-origin"
    if request.endpoint != "static":
        headers["Cache-Control"] = "no-store"
    if request.is_secure or _hsts_forced():
        headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
    return response


def _hsts_forced() -> bool:
    from flask import current_app

    return bool(current_app.config.get("HSTS"))


class NoDetailsFormatter(logging.Formatter):
    """Log the exception type and where it happened, never its message.

    Exception messages can carry what a respondent typed (a parsing error quoting
    its input, a database error quoting parameters); tracebacks' frames cannot.
    """

    def formatException(self, ei) -> str:  # noqa: N802 (logging API)
        import traceback

        exc_type, exc, tb = ei
        frames = "".join(traceback.format_tb(tb))
        name = exc_type.__name__ if exc_type else "Exception"
        return f"Traceback (most recent call last):\n{frames}{name}: <message withheld>"

    def format(self, record: logging.LogRecord) -> str:
        if record.exc_info:
            # Keep the record's own fixed text, drop any detail interpolated into it.
            record = logging.makeLogRecord({**record.__dict__, "args": None, "msg": str(record.msg)})
        return super().format(record)


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time (servers and tests redirect it)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def configure_logging(app: Flask) -> None:
    """Send the app's log to stderr through the withholding formatter."""
    handler = _StderrHandler()
    handler.setFormatter(NoDetailsFormatter("%(levelname)s %(name)s: %(message)s"))
    app.logger.handlers[:] = [handler]
    app.logger.propagate = False
