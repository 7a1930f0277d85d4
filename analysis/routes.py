"""The analyst workspace blueprint: HTTP only (parse, call a service or a pure function, render).

Every page needs the analyst role. Views read the filters from GET parameters (so a
view can be shared as a link), load the consultation's data once (`analysis.queries`)
and hand it to the pure analysis modules. The blueprint is exempt from the app-wide
CSRF check because each form checks its own token: an expired token then re-renders
the page with what was entered and a message, instead of a bare error page.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from urllib.parse import urlencode

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from analysis import queries, services
from analysis.agreement import agreement, reviewed_pairs
from analysis.amplify import amplify as amplify_view
from analysis.breakdowns import breakdown as breakdown_table
from analysis.dataset import SENTIMENTS, apply_filters, parse_filters
from analysis.downloads import KINDS, ExportRefused, build_download, marker, prepare_brief
from analysis.forms import ActionForm, ReferenceGroupForm, ReviewForm
from analysis.labels import Vocabulary
from analysis.review import SHOW
from analysis.review import review_queue as queue_of
from analysis.summaries import goal_summary, representative_quotes, too_few
from analysis.summaries import overview as overview_of
from consult import db
from consult.accounts import current_staff, role_required
from consult.i18n import current_language, text_direction

bp = Blueprint("analysis", __name__, url_prefix="/analysis", cli_group=None)
PAGE_SIZE = 20


def _consultation(slug: str):
    consultation = queries.find_consultation(db.session(), slug)
    if consultation is None or consultation.state == "draft":
        abort(404)
    return consultation


class _Workspace:
    """What every page of one consultation needs: its data, filters and names."""

    def __init__(self, slug: str, explanations: bool = False):
        session = db.session()
        self.consultation = _consultation(slug)
        self.dataset = queries.load_dataset(session, self.consultation, explanations)
        self.references = queries.load_references(session, self.consultation)
        self.filters, ignored = parse_filters(request.args, self.dataset)
        for name in ignored:
            flash(_("The filter “%(name)s” had a value this consultation does not know; it was ignored.",
                    name=name), "error")
        self.view = apply_filters(self.dataset, self.filters)
        get_locale()  # the page's language is chosen on first use
        self.language = current_language()
        self.vocabulary = Vocabulary(self.dataset, self.language).with_references(self.references)

    def context(self, **extra):
        return {
            "consultation": self.consultation,
            "slug": self.consultation.slug,
            "dataset": self.dataset,
            "view": self.view,
            "filters": self.filters,
            "filter_args": self.filters.args(),
            "withheld": too_few(self.view),
            "v": self.vocabulary,
            "marker": marker(),
            "rtl": text_direction(self.language) == "rtl",
            "sentiments": SENTIMENTS,
            "references": self.references,
            **extra,
        }


def _render(template: str, status: int = 200, **context):
    return render_template(f"analysis/{template}", **context), status


@bp.route("/")
@role_required("analyst")
def consultations():
    """The consultations an analyst can open, with their number of responses."""
    rows = queries.consultations_with_counts(db.session())
    return _render("consultations.html", rows=rows)


@bp.route("/<slug>/")
@role_required("analyst")
def overview(slug: str):
    """Who answered, how completely, and what was said under each goal."""
    ws = _Workspace(slug)
    summary = overview_of(ws.view, ws.references)
    return _render("overview.html", **ws.context(summary=summary, action=ActionForm()))


@bp.route("/<slug>/goals/<goal>")
@role_required("analyst")
def theme_summary(slug: str, goal: str):
    """One goal in depth: its share, sentiment, phrases, groups, quotes and answers."""
    ws = _Workspace(slug)
    if goal not in ws.dataset.goal_ids:
        abort(404)
    page = request.args.get("page", 1, type=int) or 1
    answers = [t for t in ws.view.texts if t.themed and goal in t.goals]
    start = max(page - 1, 0) * PAGE_SIZE
    summary = None
    groups = []
    if not too_few(ws.view):
        goals = overview_of(ws.view, ws.references, quotes=0, phrases=False).goals
        summary = goal_summary(ws.view, goal, goals, quotes=6)
        groups = [breakdown_table(ws.view, d, ws.references) for d in ws.dataset.demographics]
    return _render(
        "theme.html",
        **ws.context(goal=goal, summary=summary, groups=groups, answers=answers[start : start + PAGE_SIZE],
                     page=page, pages=max(1, -(-len(answers) // PAGE_SIZE))),
    )


@bp.route("/<slug>/breakdown")
@role_required("analyst")
def breakdown(slug: str):
    """Goal x group table of one demographic question, with tests and suppression."""
    ws = _Workspace(slug)
    keys = [d.key for d in ws.dataset.demographics]
    by = request.args.get("by") or (keys[0] if keys else None)
    if by is not None and by not in keys:
        abort(404)
    table = None
    if by and not too_few(ws.view):
        table = breakdown_table(ws.view, ws.dataset.demographic(by), ws.references)
    summary = overview_of(ws.view, ws.references, quotes=0, phrases=False) if not too_few(ws.view) else None
    return _render("breakdown.html", **ws.context(by=by, table=table, summary=summary))


def _amplify_page(ws: _Workspace, forms: dict | None = None, status: int = 200):
    weight_by = request.args.get("weight_by") or None
    result = amplify_view(ws.view, ws.references, weight_by=weight_by)
    quotes = ()
    if not result.withheld and result.amplified:
        mine = replace(ws.view, texts=tuple(t for t in ws.view.texts if t.response_id in result.amplified))
        quotes = representative_quotes(mine, None, 6, first=result.amplified, attribution_from=ws.view)
    forms = forms or {}
    for question in ws.dataset.demographics:
        if question.key not in forms:
            form = ReferenceGroupForm(formdata=None, question=question.key)
            form.choices.choices = [(key, ws.vocabulary.choice(question.key, key)) for key, _l in question.choices]
            forms[question.key] = form
    return _render(
        "amplify.html",
        status,
        **ws.context(result=result, quotes=quotes, forms=forms, action=ActionForm(), weight_by=weight_by),
    )


@bp.route("/<slug>/amplify")
@role_required("analyst")
def amplify(slug: str):
    """Representation against reference shares, re-weighted goal shares, under-heard themes."""
    return _amplify_page(_Workspace(slug))


@bp.route("/<slug>/amplify/groups", methods=["POST"])
@role_required("analyst")
def add_reference_group(slug: str):
    """Define a reference group; errors re-render the page with what was entered."""
    ws = _Workspace(slug)
    form = ReferenceGroupForm()
    question = ws.dataset.demographic(form.question.data or "")
    if question is None:
        abort(400)
    form.choices.choices = [(key, ws.vocabulary.choice(question.key, key)) for key, _l in question.choices]
    if _checked(form):
        share = float(form.share.data / Decimal(100))
        try:
            services.add_reference_group(
                db.session(), ws.consultation, question.key, form.choices.data or [], form.label.data, share,
                current_staff(),
            )
        except services.WorkspaceError as error:
            field = getattr(form, error.field or "", None)
            (field.errors if field is not None else form.form_errors).append(str(error.message))
        else:
            flash(_("Reference group “%(label)s” added.", label=form.label.data.strip()), "info")
            return redirect(url_for("analysis.amplify", slug=slug, **ws.filters.args()))
    ws.references = queries.load_references(db.session(), ws.consultation)
    return _amplify_page(ws, forms={question.key: form}, status=400)


@bp.route("/<slug>/amplify/groups/<int:group_id>/delete", methods=["POST"])
@role_required("analyst")
def delete_reference_group(slug: str, group_id: int):
    """Remove a reference group."""
    consultation = _consultation(slug)
    if not _checked(ActionForm()):
        flash(_("This form had expired, so nothing was changed. Please try again."), "error")
    elif services.delete_reference_group(db.session(), consultation, group_id, current_staff()):
        flash(_("Reference group removed."), "info")
    else:
        abort(404)
    return redirect(url_for("analysis.amplify", slug=slug))


def _queue_page(ws: _Workspace, forms: dict | None = None, status: int = 200):
    show = request.args.get("show", "open")
    show = show if show in SHOW else "open"
    reviews = queries.load_reviews(db.session(), ws.consultation)
    items = queue_of(ws.view, reviews, show=show)
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    shown = items[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    forms = forms or {}
    back = request.full_path if request.method == "GET" else request.form.get("back", "")
    for item in shown:
        if item.text.key not in forms:
            form = ReviewForm(formdata=None, goals=list(item.text.goals), approve=item.text.approved, back=back)
            forms[item.text.key] = form
        forms[item.text.key].goals.choices = [(g, ws.vocabulary.goal(g)) for g in ws.dataset.goal_ids]
    return _render(
        "review.html",
        status,
        **ws.context(
            items=shown,
            total=len(items),
            page=page,
            pages=max(1, -(-len(items) // PAGE_SIZE)),
            show=show,
            forms=forms,
            agreement=agreement(reviewed_pairs(reviews), ws.dataset.goal_ids),
            model=queries.model_summary(db.session()),
            action=ActionForm(),
        ),
    )


@bp.route("/<slug>/review")
@role_required("analyst")
def review_queue(slug: str):
    """Low-confidence and disputed assignments first; accept or correct, approve quotes."""
    return _queue_page(_Workspace(slug, explanations=True))


@bp.route("/<slug>/review/<response_id>/<int:question_id>", methods=["POST"])
@role_required("analyst")
def review_answer(slug: str, response_id: str, question_id: int):
    """Record an analyst's decision on one answer (audited), then go back to the queue."""
    consultation = _consultation(slug)
    form = ReviewForm()
    form.goals.choices = [(g, g) for g in queries.goal_ids()]
    if _checked(form):
        try:
            services.review_answer(
                db.session(), consultation, response_id, question_id, form.goals.data or [],
                bool(form.approve.data), current_staff(),
            )
        except LookupError:
            abort(404)
        except ValueError:
            form.goals.errors.append(_("Tick only goals of the codebook."))
        else:
            flash(_("Decision saved."), "info")
            return redirect(_back(form.back.data, slug))
    ws = _Workspace(slug, explanations=True)
    return _queue_page(ws, forms={(response_id, question_id): form}, status=400)


def _back(target: str | None, slug: str) -> str:
    """The queue page the analyst came from (only a path of this workspace)."""
    queue = url_for("analysis.review_queue", slug=slug)
    if target and target.startswith(queue) and "//" not in target and "\\" not in target:
        return target
    return queue


@bp.route("/<slug>/analyse", methods=["POST"])
@role_required("analyst")
def theme_new(slug: str):
    """Theme the answers not themed yet."""
    consultation = _consultation(slug)
    if not _checked(ActionForm()):
        flash(_("This form had expired, so nothing was changed. Please try again."), "error")
    else:
        report = services.theme_new_answers(db.session(), consultation, current_staff())
        flash(_("%(count)s answers themed with model %(model)s.", count=report.themed, model=report.model_version),
              "info")
    return redirect(url_for("analysis.overview", slug=slug))


@bp.route("/<slug>/retrain", methods=["POST"])
@role_required("analyst")
def retrain(slug: str):
    """Retrain the model on the corrections, then re-theme the automatic assignments."""
    consultation = _consultation(slug)
    if not _checked(ActionForm()):
        flash(_("This form had expired, so nothing was changed. Please try again."), "error")
    elif (result := services.retrain_and_retheme(db.session(), consultation, current_staff())) is None:
        flash(_("Nothing new to learn: no analyst has decided an answer since the current model was trained."),
              "info")
    else:
        model, report = result
        flash(
            _("Model %(model)s trained with %(corrections)s corrections; %(count)s answers themed again.",
              model=model.version, corrections=model.corrections, count=report.themed),
            "info",
        )
    return redirect(url_for("analysis.review_queue", slug=slug))


@bp.route("/<slug>/brief")
@role_required("analyst")
def brief(slug: str):
    """The policy brief as a printable page (the whole consultation, approved quotes only)."""
    consultation = _consultation(slug)
    get_locale()
    language = current_language()
    data, vocabulary, sections = prepare_brief(db.session(), consultation, language)
    return _render(
        "brief.html", brief=data, v=vocabulary, s=sections, marker=marker(), slug=slug,
        consultation=consultation, rtl=text_direction(language) == "rtl", action=ActionForm(),
    )


@bp.route("/<slug>/export/<kind>", methods=["POST"])
@role_required("analyst")
def export(slug: str, kind: str):
    """Download an export (recorded in the audit log)."""
    consultation = _consultation(slug)
    if kind not in KINDS:
        abort(404)
    if not _checked(ActionForm()):
        flash(_("This form had expired, so nothing was exported. Please try again."), "error")
        return redirect(url_for("analysis.overview", slug=slug))
    try:
        download = build_download(db.session(), consultation, kind, current_language(), current_staff())
    except ExportRefused as error:
        flash(str(error), "error")
        return redirect(url_for("analysis.overview", slug=slug))
    from io import BytesIO

    return send_file(
        BytesIO(download.content), mimetype=download.media_type, as_attachment=True,
        download_name=download.filename, max_age=0,
    )


def _checked(form) -> bool:
    """Whether a submitted form is valid; an expired token becomes a message, values kept."""
    if not form.is_submitted():
        return False
    valid = form.validate()
    if getattr(form, "csrf_token", None) is not None and form.csrf_token.errors:
        form.csrf_token.errors = []
        form.form_errors.append(
            _("This form had expired, so nothing was changed. Please check it and send it again.")
        )
    return valid


@bp.app_template_global()
def analysis_url(endpoint: str, **values) -> str:
    """A workspace URL that keeps the current filters (shareable views)."""
    keep = {name: request.args[name] for name in ("goal", "language", "group", "sentiment", "q", "question")
            if request.args.get(name)}
    keep.update({name: value for name, value in values.items() if value is not None})
    return url_for(endpoint, **keep)


@bp.app_template_global()
def query_string(args: dict) -> str:
    """GET parameters for a link."""
    return urlencode(args)


@bp.app_template_global()
def percent(share: float | None) -> str:
    """A share as the page's locale writes percentages (the marker when withheld)."""
    from analysis.exports import percent as formatted

    return formatted(share, marker())


@bp.app_template_global()
def share_of(cell, total, k: int) -> float | None:
    """A protected count's share of a protected total (None when it must not be shown)."""
    from consult.privacy.disclosure import safe_share

    return safe_share(cell, total, k)


@bp.app_template_global()
def chart_bars(series, label_of) -> list:
    """The bars of a protected list: one per category, its share (None when withheld)."""
    from analysis.charts import Bar

    return [Bar(label_of(row.key), row.share) for row in series.rows]


@bp.app_template_global()
def group_bars(series, question: str, vocabulary) -> list:
    """The bars of a demographic list, labelled with the choices' names."""
    return chart_bars(series, lambda key: vocabulary.choice(question, key))


@bp.app_template_global()
def sentiment_segments(summary, k: int) -> list[tuple[str, float | None]]:
    """A goal's sentiment buckets as (bucket, share of the goal's respondents) for a stacked bar."""
    if summary.sentiment is None:
        return [(bucket, None) for bucket in SENTIMENTS]
    return [(row.key, share_of(row.cell, summary.cell, k)) for row in summary.sentiment.rows]


def _register_charts(state) -> None:
    from analysis import charts, exports

    state.app.jinja_env.globals.update(
        bar_chart=charts.bar_chart,
        stacked_chart=charts.stacked_chart,
        legend=charts.legend,
        Bar=charts.Bar,
        status_name=exports.status_name,
        refusal_text=exports.refusal_text,
        weighting_explanation=exports.weighting_explanation,
    )


bp.record_once(_register_charts)
