"""Alembic environment: runs on the connection consult.db.upgrade() hands over."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

from consult.models_registry import import_all_models

import_all_models()
target_metadata = SQLModel.metadata


def run_migrations() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("Run migrations through `consult db upgrade`.")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
