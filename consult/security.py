"""Security headers on every response, and the privacy-safe logging set-up.

No page loads anything from another origin: the CSP allows our own stylesheet and
images only, no scripts at all, and forbids framing.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import sys
import time

from flask import Flask, has_request_context, request
from flask.sessions import SecureCookieSessionInterface
from flask_limiter import Limiter
from flask_wtf.csrf import CSRFProtect
from limits import parse
from werkzeug.middleware.proxy_fix import ProxyFix

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

#: Submissions a single connection may post per minute (a respondent posts once a page;
#: an NGO office or a conference behind one address may hold many respondents).
RESPOND_LIMIT = "120 per minute"
WITHDRAW_LIMIT = "10 per minute"


def client_key() -> str:
    """A rate-limit key for the connection that is not its address.

    The address is hashed with a random salt that lives only in memory (or, with
    Redis, in Redis for a day and never on disk), so neither the limiter's storage
    nor anything else holds an address that could be read back.
    """
    address = (request.remote_addr or "").encode()
    return hmac.new(_salt(), address, hashlib.sha256).hexdigest()[:24]


_PROCESS_SALT = secrets.token_bytes(32)
_shared: dict[str, object] = {"value": b"", "until": 0.0}
SALT_KEY = "consult:limiter-salt"


def _salt() -> bytes:
    client = getattr(limiter.storage, "storage", None)
    if not (hasattr(client, "set") and hasattr(client, "get")):
        return _PROCESS_SALT  # memory storage: a salt per process
    if time.monotonic() > _shared["until"]:
        # Several workers share limits through Redis, so they share the salt there (a day).
        client.set(SALT_KEY, secrets.token_hex(32), nx=True, ex=86400)
        value = client.get(SALT_KEY)
        _shared.update(value=value if isinstance(value, bytes) else str(value).encode(), until=time.monotonic() + 300)
    return _shared["value"]


limiter = Limiter(key_func=client_key, default_limits=[], headers_enabled=False)


def over_limit(limit: str, scope: str) -> bool:
    """Count one hit of `scope` for this connection; True when `limit` is exceeded."""
    from flask import current_app

    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return False
    return not limiter.limiter.hit(parse(limit), scope, client_key())


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions; the cookie is Secure whenever the request is HTTPS."""

    def get_cookie_secure(self, app) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or (has_request_context() and request.is_secure))

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
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", False)
    limiter.init_app(app)
    app.session_interface = SessionInterface()
    if app.config.get("PROXY_COUNT"):
        # Behind a TLS-terminating proxy: trust its scheme and host, never a client address.
        count = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=0, x_proto=count, x_host=count)
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
