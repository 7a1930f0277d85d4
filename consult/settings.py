"""Settings: one typed object, read from the environment, overridable by create_app(config)."""

from __future__ import annotations

import os
import secrets
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

#: Locales whose platform text (buttons, errors, consent, privacy notice) ships translated.
PLATFORM_LOCALES = ("en", "fr", "es", "ar", "pt", "sw")

#: Languages the platform itself reads right to left.
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "ckb", "dv", "sd", "ug", "yi"})


@dataclass
class Settings:
    """Everything configurable about a consult instance; environment names match the fields."""

    DATABASE_URL: str = ""
    SECRET_KEY: str = ""
    #: Largest accepted request body (bytes); bigger requests get a translated 413 page.
    MAX_CONTENT_LENGTH: int = 256 * 1024
    #: Longest free-text answer accepted, in characters.
    MAX_ANSWER_LENGTH: int = 5000
    #: Seconds a respondent's form token stays valid (a page left open in the field).
    WTF_CSRF_TIME_LIMIT: int = 6 * 3600
    #: Mark cookies Secure (set when served over HTTPS; gunicorn behind TLS).
    SESSION_COOKIE_SECURE: bool = False
    #: Send HSTS (only meaningful over HTTPS).
    HSTS: bool = False
    #: k for published figures unless a consultation sets its own (never below 5).
    DEFAULT_K: int = 10
    #: Load the demo consultation when `consult run` starts.
    LOAD_DEMO: bool = True
    #: Minutes a staff session may stay idle before a new sign-in is needed.
    STAFF_IDLE_MINUTES: int = 30
    #: Flask-Limiter storage; memory by default, e.g. redis://127.0.0.1:6379 for several workers.
    RATELIMIT_STORAGE_URI: str = "memory://"
    RATELIMIT_ENABLED: bool = True
    #: Number of trusted proxies in front of the app (their scheme and host are believed).
    PROXY_COUNT: int = 0
    TESTING: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, instance_path: str, overrides: dict[str, Any] | None = None) -> Settings:
        """Build settings from defaults, then the environment, then explicit overrides.

        :param instance_path: the Flask instance folder (database and secret key live there).
        :param overrides: keys that win over the environment (tests, embedding apps).
        """
        overrides = dict(overrides or {})
        known = {f.name: f for f in fields(cls) if f.name != "extra"}
        values: dict[str, Any] = {}
        for name, f in known.items():
            if name in overrides:
                values[name] = overrides.pop(name)
            elif name in os.environ:
                values[name] = _coerce(os.environ[name], f.default)
        settings = cls(**values, extra=overrides)
        if not settings.DATABASE_URL:
            settings.DATABASE_URL = "sqlite:///" + str(Path(instance_path) / "consult.sqlite3")
        settings.DATABASE_URL = normalise_database_url(settings.DATABASE_URL)
        if not settings.SECRET_KEY:
            settings.SECRET_KEY = _instance_secret(Path(instance_path))
        return settings

    def flask_config(self) -> dict[str, Any]:
        """The mapping handed to app.config."""
        config = {k: v for k, v in asdict(self).items() if k != "extra"}
        config.update(self.extra)
        return config


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL whatever spelling the operator used."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _coerce(raw: str, default: Any) -> Any:
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    return raw


def _instance_secret(instance: Path) -> str:
    """Read the instance's secret key, creating it once with owner-only permissions."""
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    key = secrets.token_hex(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another worker created it first
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
