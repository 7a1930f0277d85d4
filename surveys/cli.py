"""Survey commands: `consult demo`."""

from __future__ import annotations

import click
from flask import current_app

from consult import db
from surveys.routes import bp


@bp.cli.command("demo")
@click.option("--responses", "count", default=0, show_default=True, type=click.IntRange(0, 1_000_000),
              help="Also add this many synthetic responses.")
@click.option("--seed", type=int, default=None, help="Seed for reproducible synthetic responses.")
def demo_command(count: int, seed: int | None) -> None:
    """Create the published demo consultation `wps-2026` (idempotent)."""
    from surveys.demo import load_demo
    from surveys.synthetic import add_synthetic_responses

    db.upgrade(current_app._get_current_object())
    with db.unit_of_work() as session:
        consultation = load_demo(session)
        slug = consultation.slug
    if count:
        with db.unit_of_work() as session:
            consultation = load_demo(session)
            with click.progressbar(length=count, label="Submitting synthetic responses", file=None) as bar:
                for _receipt in add_synthetic_responses(
                    session, consultation, count, current_app.secret_key, seed
                ):
                    bar.update(1)
    click.echo(f"Demo consultation ready: /c/{slug}" + (f" ({count} synthetic responses added)" if count else ""))
