"""Import every package's models so SQLModel's metadata knows all tables (migrations, tests)."""

from __future__ import annotations

import importlib

MODEL_MODULES = ("surveys.models", "analysis.models", "consult.accounts.models")


def import_all_models() -> None:
    for name in MODEL_MODULES:
        importlib.import_module(name)
