"""The respondent blueprint: the form, the receipt, withdrawal. HTTP only."""

from __future__ import annotations

from functools import partial

from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError, validate_csrf
from werkzeug.datastructures import MultiDict
from wtforms import ValidationError

from consult import db
from consult.i18n import choose_language, use_language
from consult.privacy.retention import checkpoint
from consult.security import RESPOND_LIMIT, WITHDRAW_LIMIT, csrf, over_limit
from consult.templating import tr
from surveys import services

bp = Blueprint("surveys", __name__, cli_group=None)


@bp.app_template_global()
def choice_items(question) -> list[tuple[str, str]]:
    """(stable key, label in the request's language) for a choice question."""
    return [(c.key, tr(c.label)) for c in question.choices]


def _open(slug: str):
    try:
        return services.get_consultation(db.session(), slug)
    except services.ConsultationUnavailable:
        abort(404)


def _language(consultation) -> str:
    offered = consultation.languages
    for candidate in (request.form.get("_switch_lang"), request.form.get("_lang")):
        if candidate in offered:
            return candidate
    return choose_language(offered, consultation.default_language)


def _csrf_valid() -> bool:
    try:
        validate_csrf(request.form.get("csrf_token"))
    except (ValidationError, CSRFError):
        return False
    return True


@bp.route("/c/<slug>", methods=["GET", "POST"])
@csrf.exempt  # checked below, so an expired token keeps the answers instead of a bare 400
def respond(slug: str):
    """The consultation form: consent, the relevant sections, then the receipt."""
    consultation = _open(slug)
    language = _language(consultation)
    use_language(language)
    if not consultation.is_accepting_responses():
        return render_template("surveys/closed.html", consultation=consultation), 410
    form = request.form if request.method == "POST" else MultiDict()
    limited = request.method == "POST" and over_limit(RESPOND_LIMIT, "respond")
    form_valid = request.method == "GET" or (_csrf_valid() and not limited)
    check_invitation = partial(services.invitation_is_valid, db.session(), consultation)
    step = services.navigate(consultation, form, form_valid=form_valid, check_invitation=check_invitation)
    if limited:
        step.notice = _(
            "Too many answers were sent from this connection. Please wait a minute, then continue: "
            "your answers are kept."
        )
    token = form.get("_token", "")
    if not services.TOKEN_PATTERN.match(token):
        token = services.new_form_token()
    if step.submit:
        try:
            receipt = services.submit_response(
                db.session(), consultation, language, step.reading.answers, token, current_app.secret_key,
                invitation=form.get(services.INVITATION_FIELD),
            )
        except services.InvitationRejected as error:
            # Used up meanwhile: back to the consent page, every answer still carried.
            step = services.Step(None, step.reading, errors={services.INVITATION_FIELD: str(error)})
        else:
            if consultation.invitation_required:
                # The SQLite WAL would keep the code's page from before and after its deletion
                # next to the response's insert until the next checkpoint.
                db.after_commit(lambda: checkpoint(db.engine()))
            return render_template("surveys/receipt.html", consultation=consultation, receipt=receipt)
    return render_template(
        "surveys/respond.html",
        consultation=consultation,
        step=step,
        form=form,
        token=token,
        carried=services.carried_fields(step, form),
    ), (429 if limited else 400 if step.errors or not form_valid else 200)


@bp.route("/c/<slug>/withdraw", methods=["GET", "POST"])
@csrf.exempt
def withdraw(slug: str):
    """Withdraw a response with its receipt code."""
    consultation = _open(slug)
    use_language(_language(consultation))
    code = request.form.get("receipt", "").strip()
    if request.method == "GET":
        return render_template("surveys/withdraw.html", consultation=consultation, code="")
    if over_limit(WITHDRAW_LIMIT, "withdraw"):
        abort(429)
    if not _csrf_valid():
        return render_template(
            "surveys/withdraw.html", consultation=consultation, code=code, expired=True
        ), 400
    if not code or not services.withdraw_response(db.session(), consultation, code):
        return render_template(
            "surveys/withdraw.html", consultation=consultation, code=code, not_found=True
        ), 400
    # Withdrawn text must not linger in the SQLite write-ahead log either.
    db.after_commit(lambda: checkpoint(db.engine()))
    return render_template("surveys/withdrawn.html", consultation=consultation)
