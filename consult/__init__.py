"""consult: a survey and consultation platform for civil-society input on Women, Peace and Security."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """The application factory.

    :param config: keys that override settings from the environment
        (``DATABASE_URL``, ``SECRET_KEY``, ``TESTING``...).
    """
    from consult import db, errors, i18n, security, templating
    from consult.settings import Settings

    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder="static",
        instance_relative_config=True,
    )
    settings = Settings.load(app.instance_path, config)
    app.config.from_mapping(settings.flask_config())
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_PERMANENT=False,
        WTF_CSRF_SSL_STRICT=False,  # no Referer is ever sent (Referrer-Policy: no-referrer)
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    security.configure_logging(app)
    db.init_app(app)
    i18n.init_app(app)
    templating.init_app(app)
    security.init_app(app)
    errors.init_app(app)

    # The packages' blueprints; each owns its models, services, routes and commands.
    import surveys.cli  # noqa: F401 (registers the package's commands on its blueprint)
    from consult.routes import bp as consult_bp
    from surveys.routes import bp as surveys_bp

    app.register_blueprint(consult_bp)
    app.register_blueprint(surveys_bp)

    # --- staff accounts (consult.accounts): sign-in, roles, admin pages, audit log ---
    from flask_babel import lazy_gettext as _l

    from consult import accounts
    from consult.templating import register_staff_nav

    accounts.init_app(app)
    register_staff_nav(app, "consult.retention", _l("Retention"), "admin")
    # --- end staff accounts ---

    # --- designer workspace (surveys.designer): build, translate, preview, publish, share ---
    from surveys.designer.routes import bp as designer_bp

    app.register_blueprint(designer_bp)
    register_staff_nav(app, "designer.consultations", _l("Consultations"), "designer")
    # --- end designer workspace ---

    # --- analyst workspace (analysis.routes): summaries, review, breakdowns, Amplify, exports ---
    import analysis.commands  # noqa: F401 (registers `consult export` on the blueprint)
    from analysis.routes import bp as analysis_bp

    app.register_blueprint(analysis_bp)
    security.csrf.exempt(analysis_bp)  # each form checks its own token (see analysis.routes)
    register_staff_nav(app, "analysis.consultations", _l("Analysis"), "analyst")
    # --- end analyst workspace ---

    from consult.cli import register_commands

    register_commands(app)
    app.after_request(_commit)
    return app


def _commit(response):
    """One commit per request, after the view succeeded (see consult.db)."""
    from consult import db

    if response.status_code < 400:
        db.commit_request()
    return response
