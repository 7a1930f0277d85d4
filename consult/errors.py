"""Error pages: translated, light, and silent about what was submitted."""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(CSRFError, csrf_error)
    # Flask logs an unhandled exception (consult.security.NoDetailsFormatter) and then
    # calls this handler with an InternalServerError.
    app.register_error_handler(InternalServerError, unexpected_error)


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Something in the request was not right"), _("Please go back and try again.")),
        403: (_("Not allowed"), _("Your account does not give access to this page.")),
        404: (_("Page not found"), _("Please check the link you were given.")),
        405: (_("Not allowed"), _("This page cannot be used that way.")),
        410: (_("No longer available"), _("This page is no longer available.")),
        413: (
            _("Too much was sent at once"),
            _("Your answers are longer than this form accepts. Please go back and shorten the longest ones."),
        ),
        429: (
            _("Too many attempts"),
            _("Please wait a few minutes before trying again."),
        ),
    }


def http_error(error: HTTPException):
    title, text = _messages().get(error.code or 500, (error.name, ""))
    return render_template("consult/error.html", title=title, text=text, code=error.code), error.code


def csrf_error(error: CSRFError):
    title = _("This page has expired")
    text = _("For your security, forms expire after a while. Please go back, reload the page and send it again.")
    return render_template("consult/error.html", title=title, text=text, code=400), 400


def unexpected_error(error: InternalServerError):
    title = _("Something went wrong on our side")
    text = _("Nothing you entered was kept. Please try again in a moment.")
    return render_template("consult/error.html", title=title, text=text, code=500), InternalServerError.code
