"""The application shell's own pages: the landing page and a health check."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import text

from consult import db
from consult.accounts import role_required

bp = Blueprint("consult", __name__)


@bp.route("/")
def index():
    """Landing page: says what this server is, lists nothing (links are shared privately)."""
    return render_template("consult/index.html")


@bp.route("/healthz")
def health():
    """For load balancers: the database answers."""
    db.session().exec(text("SELECT 1"))
    return {"status": "ok"}


@bp.route("/staff/retention")
@role_required("admin")
def retention():
    """Admins: what will be purged when, per consultation."""
    from consult.privacy.retention import retention_plan

    return render_template("consult/retention.html", lines=retention_plan(db.session()))
