"""The designer blueprint (``/design/...``): HTTP only. Parse a form, call a service,
render or redirect; every change is audited. Designers only: other staff get 403,
visitors the sign-in page.

A refused form is shown again with what was typed and the reasons (status 400, so
the request's unit of work is not committed).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.datastructures import MultiDict

from consult import db
from consult.accounts import current_staff, record, role_required
from consult.i18n import use_language
from surveys import services as respondent
from surveys.designer import forms, services
from surveys.designer.services import DesignError
from surveys.models import Consultation, Question, Section

bp = Blueprint("designer", __name__, url_prefix="/design", cli_group=None)

#: Characters of a staff-written text kept in an audit entry's before/after values.
AUDIT_TEXT = 200


@bp.before_request
@role_required("designer")
def designers_only() -> None:
    """Every page of this blueprint is for designers (admins who design hold the role too)."""


# --- helpers ---------------------------------------------------------------------------


def _consultation(cid: int) -> Consultation:
    consultation = services.get_consultation(db.session(), cid)
    if consultation is None:
        abort(404)
    return consultation


def _section(consultation: Consultation, sid: int) -> Section:
    section = db.session().get(Section, sid)
    if section is None or section.consultation_id != consultation.id:
        abort(404)
    return section


def _question(consultation: Consultation, qid: int) -> Question:
    question = db.session().get(Question, qid)
    if question is None or question.consultation_id != consultation.id:
        abort(404)
    return question


def _audit(action: str, consultation: Consultation, **details: Any) -> None:
    """Who did what to which consultation (the audit log adds when)."""
    record(db.session(), current_staff(), action, f"consultation:{consultation.slug}", details or None)


def _changes(before: Any, after: Any) -> dict[str, list[Any]]:
    """Settings that changed, [before, after]; long texts cut (the log keeps ids, not documents)."""

    def short(value: Any) -> Any:
        if isinstance(value, str) and len(value) > AUDIT_TEXT:
            return value[:AUDIT_TEXT] + "…"
        if isinstance(value, list | tuple):
            return [short(v) for v in value][:50]
        return value

    return {
        name: [short(getattr(before, name)), short(value)]
        for name, value in after.__dict__.items()
        if getattr(before, name) != value
    }


def _problems(form=None, error: DesignError | None = None) -> dict[str | None, list[str]]:
    """Form and service problems by field name (None: about the whole form)."""
    problems: dict[str | None, list[str]] = {}
    if form is not None:
        for name, messages in form.errors.items():
            if isinstance(messages, dict):  # a subform (logic rows): flatten per row
                messages = [m for ms in messages.values() for m in ms]
            problems.setdefault(name if name != "csrf_token" else None, []).extend(map(str, messages))
    if error is not None:
        for problem in error.problems:
            problems.setdefault(problem.field, []).append(problem.message)
    return problems


def _public_url(consultation: Consultation) -> str:
    return url_for("surveys.respond", slug=consultation.slug, _external=True)


def _download(data: bytes, filename: str, mimetype: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _offset() -> int:
    return -1 if request.form.get("direction") == "up" else 1


# --- consultations ---------------------------------------------------------------------


@bp.route("/")
def consultations():
    """The list of consultations with state, languages, responses by language and dates."""
    return render_template(
        "surveys/designer/consultations.html",
        rows=services.list_consultations(db.session()),
        form=forms.NewConsultationForm(formdata=None),
    )


@bp.route("/new", methods=["GET", "POST"])
def new_consultation():
    """Start a consultation: title, link name and languages."""
    form = forms.NewConsultationForm()
    error = None
    if form.validate_on_submit():
        try:
            consultation = services.new_consultation(
                db.session(), form.slug.data or "", form.title.data or "", form.default_language.data or "",
                services.parse_languages(form.languages.data or ""),
            )
        except DesignError as refused:
            error = refused
        else:
            _audit("consultation.create", consultation, languages=consultation.languages)
            flash(_("The consultation was created as a draft. Add its questions."), "success")
            return redirect(url_for(".manage_questions", cid=consultation.id))
    status = 400 if request.method == "POST" else 200
    return render_template("surveys/designer/new.html", form=form, problems=_problems(form, error)), status


@bp.route("/<int:cid>/", methods=["GET", "POST"])
def edit_consultation(cid: int):
    """The consultation's settings, state and response counts."""
    consultation = _consultation(cid)
    if request.method == "GET":
        form = forms.SettingsForm.of(services.settings_of(consultation))
    else:
        form = forms.SettingsForm()
    error = None
    if form.validate_on_submit():
        before = services.settings_of(consultation)
        try:
            services.update_settings(db.session(), consultation, form.to_settings())
        except DesignError as refused:
            error = refused
        else:
            _audit("consultation.update", consultation,
                   changed=_changes(before, services.settings_of(consultation)))
            flash(_("The settings were saved."), "success")
            return redirect(url_for(".edit_consultation", cid=cid))
    elif request.method == "POST" and "csrf_token" not in form.errors:
        # Show the service's problems too, for the fields the form could read.
        problems = services.settings_problems(db.session(), consultation, form.to_settings())
        error = DesignError([p for p in problems if p.field not in form.errors]) if problems else None
    return render_template(
        "surveys/designer/consultation.html",
        consultation=consultation,
        form=form,
        problems=_problems(form, error),
        counts=services.responses_by_language(db.session(), consultation),
        transitions=services.allowed_transitions(consultation),
    ), (400 if request.method == "POST" else 200)


@bp.route("/<int:cid>/publish", methods=["GET", "POST"])
def publish(cid: int):
    """Check and open a consultation (publish a draft, or reopen a closed one)."""
    consultation = _consultation(cid)
    error = None
    if request.method == "POST":
        before = consultation.state
        try:
            services.change_state(db.session(), consultation, services.OPEN)
        except DesignError as refused:
            error = refused
        else:
            _audit("consultation.publish", consultation, before=before, after=consultation.state)
            flash(_("The consultation is open: respondents can answer at its link."), "success")
            return redirect(url_for(".share", cid=cid))
    checks = error.messages() if error else services.publish_problems(db.session(), consultation)
    return render_template(
        "surveys/designer/publish.html", consultation=consultation, checks=checks, refused=error is not None,
    ), (400 if error else 200)


@bp.route("/<int:cid>/state", methods=["POST"])
def change_state(cid: int):
    """Close, reopen or archive a consultation (publishing has its own page with its checks)."""
    consultation = _consultation(cid)
    target = request.form.get("target", "")
    if target == services.OPEN:
        return publish(cid)
    before = consultation.state
    try:
        services.change_state(db.session(), consultation, target)
    except DesignError as refused:
        for message in refused.messages():
            flash(message, "error")
        return redirect(url_for(".edit_consultation", cid=cid))
    _audit("consultation.state", consultation, before=before, after=target)
    flash(_("The consultation is now: %(state)s.", state=services.state_label(target)), "success")
    return redirect(url_for(".edit_consultation", cid=cid))


@bp.route("/<int:cid>/duplicate", methods=["POST"])
def duplicate(cid: int):
    """Copy a consultation (texts, translations, logic; no responses) as a new draft."""
    consultation = _consultation(cid)
    copy = services.duplicate_consultation(db.session(), consultation)
    _audit("consultation.duplicate", copy, source=consultation.slug)
    flash(_("This is a copy of “%(slug)s”, as a draft. Rename its link name if you wish.", slug=consultation.slug),
          "success")
    return redirect(url_for(".edit_consultation", cid=copy.id))


@bp.route("/<int:cid>/delete", methods=["POST"])
def delete_consultation(cid: int):
    """Delete a draft."""
    consultation = _consultation(cid)
    try:
        services.delete_draft(db.session(), consultation)
    except DesignError as refused:
        flash(str(refused), "error")
        return redirect(url_for(".edit_consultation", cid=cid))
    _audit("consultation.delete", consultation)
    flash(_("The draft “%(slug)s” was deleted.", slug=consultation.slug), "success")
    return redirect(url_for(".consultations"))


# --- sections and questions -------------------------------------------------------------


@bp.route("/<int:cid>/questions")
def manage_questions(cid: int):
    """Sections and questions in order, with move, edit and delete buttons."""
    consultation = _consultation(cid)
    return render_template(
        "surveys/designer/questions.html",
        consultation=consultation,
        answered=services.answered_question_ids(db.session(), consultation),
        type_choices=forms.type_choices(),
    )


def _structure_change(consultation: Consultation, action: str, change, success: str, **details: Any):
    """Run a move/delete/add; on refusal flash why; back to the question list either way."""
    try:
        change()
    except DesignError as refused:
        for message in (p.message for p in refused.problems):
            flash(message, "error")
    else:
        _audit(action, consultation, **details)
        flash(success, "success")
    return redirect(url_for(".manage_questions", cid=consultation.id))


@bp.route("/<int:cid>/sections", methods=["POST"])
def add_section(cid: int):
    """Add an empty section at the end."""
    consultation = _consultation(cid)
    return _structure_change(
        consultation, "section.add", lambda: services.add_section(db.session(), consultation),
        _("A section was added at the end."),
    )


@bp.route("/<int:cid>/sections/<int:sid>", methods=["GET", "POST"])
def edit_section(cid: int, sid: int):
    """Reword a section."""
    consultation = _consultation(cid)
    section = _section(consultation, sid)
    language = consultation.default_language
    if request.method == "GET":
        form = forms.SectionForm(data={"title": section.title.get(language, ""),
                                       "description": section.description.get(language, "")})
    else:
        form = forms.SectionForm()
    error = None
    if form.validate_on_submit():
        try:
            services.update_section(db.session(), section, form.title.data or "", form.description.data or "")
        except DesignError as refused:
            error = refused
        else:
            _audit("section.update", consultation, section=sid)
            flash(_("The section was saved."), "success")
            return redirect(url_for(".manage_questions", cid=cid) + f"#section-{sid}")
    return render_template(
        "surveys/designer/section.html", consultation=consultation, section=section, form=form,
        problems=_problems(form, error),
    ), (400 if request.method == "POST" else 200)


@bp.route("/<int:cid>/sections/<int:sid>/move", methods=["POST"])
def move_section(cid: int, sid: int):
    """Move a section up or down."""
    consultation = _consultation(cid)
    section = _section(consultation, sid)
    offset = _offset()
    return _structure_change(
        consultation, "section.move", lambda: services.move_section(db.session(), section, offset),
        _("The section was moved."), section=sid, direction=offset,
    )


@bp.route("/<int:cid>/sections/<int:sid>/delete", methods=["POST"])
def delete_section(cid: int, sid: int):
    """Delete a section and its questions (refused when they have answers)."""
    consultation = _consultation(cid)
    section = _section(consultation, sid)
    keys = [q.key for q in section.questions]
    return _structure_change(
        consultation, "section.delete", lambda: services.delete_section(db.session(), section),
        _("The section was deleted."), section=sid, questions=keys,
    )


@bp.route("/<int:cid>/sections/<int:sid>/questions/new", methods=["GET", "POST"])
def add_question(cid: int, sid: int):
    """Add a question of a chosen type at the end of a section."""
    consultation = _consultation(cid)
    section = _section(consultation, sid)
    kind = request.args.get("type", "short_text")
    if kind not in services.registry:
        abort(404)
    if request.method == "GET":
        form = forms.QuestionForm(formdata=None, data={"type": kind, "key": services.suggest_key(consultation)})
    else:
        form = forms.QuestionForm()
    error = None
    if form.validate_on_submit():
        try:
            question = services.add_question(db.session(), section, form.to_draft())
        except DesignError as refused:
            error = refused
        else:
            _audit("question.add", consultation, question=question.key, type=question.type)
            flash(_("The question “%(key)s” was added.", key=question.key), "success")
            return redirect(url_for(".manage_questions", cid=cid) + f"#question-{question.id}")
    return _question_page(consultation, section, None, form, error)


@bp.route("/<int:cid>/questions/<int:qid>", methods=["GET", "POST"])
def edit_question(cid: int, qid: int):
    """Edit a question: text, type, settings, choices."""
    consultation = _consultation(cid)
    question = _question(consultation, qid)
    if request.method == "GET":
        form = forms.QuestionForm.of(services.question_draft_of(question, consultation.default_language))
    else:
        form = forms.QuestionForm()
    error = None
    if form.validate_on_submit():
        before = services.question_draft_of(question, consultation.default_language)
        try:
            services.update_question(db.session(), question, form.to_draft())
        except DesignError as refused:
            error = refused
        else:
            after = services.question_draft_of(question, consultation.default_language)
            _audit("question.update", consultation, question=question.key, changed=_changes(before, after))
            flash(_("The question “%(key)s” was saved.", key=question.key), "success")
            return redirect(url_for(".manage_questions", cid=cid) + f"#question-{qid}")
    return _question_page(consultation, question.section, question, form, error)


def _question_page(consultation, section, question, form, error):
    values = services.answered_question_ids(db.session(), consultation)
    return render_template(
        "surveys/designer/question.html",
        consultation=consultation,
        section=section,
        question=question,
        form=form,
        kind=services.registry.get(form.type.data) or services.registry["short_text"],
        option_names=services.OPTION_NAMES.get(form.type.data, ()),
        demographic_types=services.DEMOGRAPHIC_TYPES,
        has_answers=question is not None and question.id in values,
        problems=_problems(form, error),
    ), (400 if request.method == "POST" else 200)


@bp.route("/<int:cid>/questions/<int:qid>/move", methods=["POST"])
def move_question(cid: int, qid: int):
    """Move a question up or down (across sections at the ends)."""
    consultation = _consultation(cid)
    question = _question(consultation, qid)
    offset = _offset()
    return _structure_change(
        consultation, "question.move", lambda: services.move_question(db.session(), question, offset),
        _("The question “%(key)s” was moved.", key=question.key), question=question.key, direction=offset,
    )


@bp.route("/<int:cid>/questions/<int:qid>/delete", methods=["POST"])
def delete_question(cid: int, qid: int):
    """Delete a question (refused when it has answers)."""
    consultation = _consultation(cid)
    question = _question(consultation, qid)
    key = question.key
    return _structure_change(
        consultation, "question.delete", lambda: services.delete_question(db.session(), question),
        _("The question “%(key)s” was deleted.", key=key), question=key,
    )


@bp.route("/<int:cid>/logic/<any(question, section):kind>/<int:target_id>", methods=["GET", "POST"])
def edit_logic(cid: int, kind: str, target_id: int):
    """Skip logic of a question or section: rows of question, comparison and value."""
    consultation = _consultation(cid)
    target = _question(consultation, target_id) if kind == "question" else _section(consultation, target_id)
    earlier = _earlier_questions(consultation, target)
    complex_condition = None
    if request.method == "GET":
        draft = services.logic_draft_of(target.relevance)
        if draft is None:  # nested deeper than the form shows: show it, start afresh
            complex_condition, draft = target.relevance, services.LogicDraft()
        form = forms.LogicForm.of(draft)
    else:
        form = forms.LogicForm()
    form.set_questions([(q.key, f"{q.key}: {q.label.get(consultation.default_language, '')[:60]}") for q in earlier])
    error = None
    if form.validate_on_submit():
        plain = {q["key"]: q for s in services.definition_of(consultation)["sections"] for q in s["questions"]}
        try:
            condition = services.condition_from_draft(form.to_draft(), plain)
            services.set_relevance(db.session(), consultation, target, condition)
        except DesignError as refused:
            error = refused
        else:
            _audit("logic.update", consultation, target=f"{kind}:{getattr(target, 'key', target_id)}",
                   condition=condition)
            flash(_("The skip logic was saved."), "success")
            return redirect(url_for(".manage_questions", cid=cid))
    return render_template(
        "surveys/designer/logic.html", consultation=consultation, kind=kind, target=target, form=form,
        earlier=earlier, complex_condition=complex_condition, problems=_problems(form, error),
        operators=services.OPERATOR_LABELS,
    ), (400 if request.method == "POST" else 200)


def _earlier_questions(consultation: Consultation, target: Question | Section) -> list[Question]:
    """The questions a condition on `target` may look at: those that come before it."""
    earlier = []
    for section in consultation.sections:
        if isinstance(target, Section) and section.id == target.id:
            break
        for question in section.questions:
            if isinstance(target, Question) and question.id == target.id:
                return earlier
            if question.kind.collects_answer:
                earlier.append(question)
    return earlier


# --- translations ----------------------------------------------------------------------


@bp.route("/<int:cid>/translations")
def translations(cid: int):
    """Completeness of every language, with links to the side-by-side screens."""
    consultation = _consultation(cid)
    return render_template(
        "surveys/designer/translations.html",
        consultation=consultation,
        statuses=[services.completeness(consultation, code) for code in consultation.languages],
    )


@bp.route("/<int:cid>/translations/<lang>", methods=["GET", "POST"])
def translate(cid: int, lang: str):
    """Source and target side by side for one language, with its completeness."""
    consultation = _consultation(cid)
    if lang not in consultation.languages or lang == consultation.default_language:
        abort(404)
    error = None
    typed: MultiDict = MultiDict()
    if request.method == "POST":
        typed = request.form
        values = {key.removeprefix("t:"): value for key, value in request.form.items() if key.startswith("t:")}
        try:
            changed = services.save_translations(db.session(), consultation, lang, values)
        except DesignError as refused:
            error = refused
        else:
            if changed:
                _audit("translation.update", consultation, language=lang, texts=changed)
            flash(ngettext("%(num)s text was saved.", "%(num)s texts were saved.", changed), "success")
            return redirect(url_for(".translate", cid=cid, lang=lang))
    return _translate_page(consultation, lang, typed=typed, problems=_problems(None, error))


def _translate_page(consultation, lang, typed=None, problems=None, report=None, upload=None, status=None):
    return render_template(
        "surveys/designer/translate.html",
        consultation=consultation,
        target=lang,
        slots=services.text_slots(consultation),
        status=services.completeness(consultation, lang),
        typed=typed or MultiDict(),
        problems=problems or {},
        report=report,
        upload=upload or forms.UploadForm(formdata=None),
    ), (status or (400 if problems else 200))


@bp.route("/<int:cid>/translations/<lang>.xlsx")
def export_translations(cid: int, lang: str):
    """One language's texts as XLSX for an outside translator."""
    consultation = _consultation(cid)
    try:
        data = services.export_translations(consultation, lang)
    except DesignError:
        abort(404)
    _audit("translation.export", consultation, language=lang)
    return _download(data, f"{consultation.slug}-{lang}.xlsx",
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@bp.route("/<int:cid>/translations/<lang>/import", methods=["POST"])
def import_translations(cid: int, lang: str):
    """Import a translator's XLSX; the page then lists imported, skipped and conflicting rows."""
    consultation = _consultation(cid)
    if lang not in consultation.languages or lang == consultation.default_language:
        abort(404)
    upload = forms.UploadForm()
    if not upload.validate_on_submit():
        return _translate_page(consultation, lang, problems=_problems(upload), upload=upload)
    try:
        report = services.import_translations(db.session(), consultation, lang, upload.file.data.read())
    except DesignError as refused:
        return _translate_page(consultation, lang, problems=_problems(None, refused), upload=upload)
    _audit("translation.import", consultation, language=lang, imported=len(report.imported),
           conflicts=len(report.conflicts))
    return _translate_page(consultation, lang, report=report, status=200)


# --- preview ---------------------------------------------------------------------------


@bp.route("/<int:cid>/preview/<lang>", methods=["GET", "POST"])
def preview(cid: int, lang: str):
    """The form exactly as a respondent sees it in `lang`; nothing is ever stored."""
    consultation = _consultation(cid)
    language = request.form.get("_switch_lang") or lang
    if language not in consultation.languages:
        abort(404)
    use_language(language)
    g.preview = True  # tr() marks texts shown in the fallback language
    form = request.form if request.method == "POST" else MultiDict()
    step = respondent.navigate(consultation, form)  # invitation codes are not asked for in preview
    if step.submit:
        return render_template(
            "surveys/designer/preview_done.html", consultation=consultation, preview_language=language
        )
    return render_template(
        "surveys/designer/preview.html",
        consultation=consultation,
        step=step,
        form=form,
        token="",
        carried=respondent.carried_fields(step, form),
        form_action=url_for(".preview", cid=cid, lang=language),
        preview_language=language,
    ), (400 if step.errors else 200)


# --- sharing ---------------------------------------------------------------------------


@bp.route("/<int:cid>/share")
def share(cid: int):
    """The public link, its QR code, invitation codes and the XLSForm download."""
    consultation = _consultation(cid)
    return _share_page(consultation, forms.InvitationsForm(formdata=None))


def _share_page(consultation, invitations_form, problems=None):
    return render_template(
        "surveys/designer/share.html",
        consultation=consultation,
        link=_public_url(consultation),
        invitations=services.invitation_status(db.session(), consultation),
        form=invitations_form,
        problems=problems or {},
        counts=services.responses_by_language(db.session(), consultation),
        xlsform=_xlsform_available(),
    ), (400 if problems else 200)


@bp.route("/<int:cid>/qr.svg")
def qr_code(cid: int):
    """The public link as a QR code, an SVG made here."""
    consultation = _consultation(cid)
    response = Response(services.qr_svg(_public_url(consultation)), mimetype="image/svg+xml")
    if request.args.get("download"):
        response.headers["Content-Disposition"] = f'attachment; filename="{consultation.slug}-qr.svg"'
    return response


@bp.route("/<int:cid>/invitations", methods=["POST"])
def invitations(cid: int):
    """Generate single-use invitation codes, downloaded once as CSV (only hashes are kept)."""
    consultation = _consultation(cid)
    form = forms.InvitationsForm()
    if not form.validate_on_submit():
        return _share_page(consultation, form, _problems(form))
    try:
        codes = services.generate_invitations(db.session(), consultation, form.count.data)
    except DesignError as refused:
        return _share_page(consultation, form, _problems(form, refused))
    _audit("invitation.generate", consultation, count=len(codes))  # never the codes themselves
    return _download(services.invitations_csv(codes, _public_url(consultation)),
                     f"{consultation.slug}-invitations.csv", "text/csv")


@bp.route("/<int:cid>/invitations/revoke", methods=["POST"])
def revoke_invitations(cid: int):
    """Make every unused code invalid (a list was lost or leaked)."""
    consultation = _consultation(cid)
    count = services.revoke_unused_invitations(db.session(), consultation)
    _audit("invitation.revoke", consultation, count=count)
    flash(ngettext("%(num)s unused code was revoked.", "%(num)s unused codes were revoked.", count), "success")
    return redirect(url_for(".share", cid=cid))


# --- XLSForm (surveys.xlsform) -----------------------------------------------------------


def _xlsform_available() -> bool:
    try:
        from surveys.xlsform import export_xlsform, import_xlsform  # noqa: F401
    except ImportError:
        return False
    return True


@bp.route("/import", methods=["GET", "POST"])
def import_xlsform():
    """Upload an XLSForm: the report of what was imported, left out and why."""
    if not _xlsform_available():
        abort(404)
    from surveys.xlsform import ImportRefused, import_xlsform

    form = forms.XLSFormUploadForm()
    refused = None
    if form.validate_on_submit():
        try:
            report = import_xlsform(
                db.session(), form.file.data.read(), slug=(form.slug.data or "").strip() or None,
                skip_unsupported=bool(form.skip_unsupported.data),
            )
        except ImportRefused as error:
            refused = error
        else:
            _audit("xlsform.import", report.consultation, questions=report.question_count,
                   left_out=len(report.left_out))
            return render_template("surveys/designer/xlsform_report.html", report=report)
    status = 400 if request.method == "POST" else 200
    return render_template("surveys/designer/xlsform_import.html", form=form, refused=refused,
                           problems=_problems(form)), status


@bp.route("/<int:cid>/form.xlsx")
def export_xlsform(cid: int):
    """The consultation as an XLSForm workbook."""
    if not _xlsform_available():
        abort(404)
    from surveys.xlsform import XLSFormWriteError, export_xlsform

    consultation = _consultation(cid)
    try:
        data = export_xlsform(consultation)
    except XLSFormWriteError as error:
        flash(_("This consultation cannot be written as an XLSForm: %(reason)s", reason=str(error)), "error")
        return redirect(url_for(".share", cid=cid))
    _audit("xlsform.export", consultation)
    return _download(data, f"{consultation.slug}.xlsx",
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@bp.context_processor
def designer_helpers() -> dict[str, Any]:
    """Names for states and types, and limits, in the designer's templates."""
    return {
        "state_label": services.state_label,
        "type_label": services.type_label,
        "max_invitations": services.MAX_INVITATIONS,
        "max_answer_length": current_app.config.get("MAX_ANSWER_LENGTH", 5000),
    }
