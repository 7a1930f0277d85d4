"""Exact security headers on every route and method; cookies; rate limits without addresses."""

from __future__ import annotations

import re
import uuid

import pytest

from consult.security import CONTENT_SECURITY_POLICY, PERMISSIONS_POLICY
from tests.formclient import open_form

METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
EXPECTED = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": PERMISSIONS_POLICY,
    "X-Frame-Options": "DENY",
}


def urls(app, slug):
    """One concrete URL per route, its arguments filled with plausible values."""
    for rule in app.url_map.iter_rules():
        values = {}
        for name, converter in rule._converters.items():
            kind = type(converter).__name__
            if kind == "IntegerConverter":
                values[name] = 1
            elif kind == "AnyConverter":
                values[name] = sorted(converter.items)[0]
            else:
                values[name] = slug if name == "slug" else "consult.css"
        yield rule.endpoint, rule.build(values, append_unknown=False)[1]


def test_csp_forbids_inline_code_and_framing():
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert CONTENT_SECURITY_POLICY.startswith("default-src 'none'")
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY
    assert "script-src" not in CONTENT_SECURITY_POLICY


def test_exact_headers_on_every_route_and_method(app, client, demo):
    seen = 0
    for endpoint, url in urls(app, demo):
        for method in METHODS:
            response = client.open(url, method=method)
            assert response.status_code < 500, (method, url, response.status_code)
            for name, value in EXPECTED.items():
                assert response.headers.get(name) == value, (method, url, name)
            if endpoint != "static":
                assert response.headers.get("Cache-Control") == "no-store", (method, url)
            assert "Strict-Transport-Security" not in response.headers
            seen += 1
    assert seen >= 7 * 5


def test_hsts_over_https(client, demo):
    response = client.get(f"/c/{demo}", base_url="https://consult.example")
    assert response.headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains"


def test_respondent_cookies_are_session_only_httponly_samesite_and_secure_over_https(app, demo):
    client = app.test_client()
    response = client.get(f"/c/{demo}?lang=fr", base_url="https://consult.example")
    cookies = response.headers.getlist("Set-Cookie")
    assert cookies, "the form sets a session cookie for its CSRF token"
    for cookie in cookies:
        assert "HttpOnly" in cookie
        assert "SameSite=Lax" in cookie
        assert "Secure" in cookie
        assert not re.search(r"(?i)expires=|max-age=", cookie), cookie


def test_static_files_are_cacheable_and_versioned(client, demo):
    page = client.get(f"/c/{demo}").get_data(as_text=True)
    href = re.search(r'href="(/static/consult.css\?v=[0-9a-f]{10})"', page).group(1)
    response = client.get(href)
    assert response.status_code == 200
    assert "max-age=31536000" in response.headers["Cache-Control"]


def test_submissions_are_rate_limited_per_connection_with_answers_kept(app, demo, monkeypatch):
    monkeypatch.setattr("surveys.routes.RESPOND_LIMIT", "2 per minute")
    client = app.test_client()
    page = open_form(client, f"/c/{demo}?lang=fr").fill(_consent="yes").press("_action", "next")
    page = page.fill(q_role="activist", q_years_active="9").press("_action", "next")
    page = page.fill(q_participation_text="Un texte à garder").press("_action", "next")
    assert page.status == 429
    assert "Patientez une minute" in page.html
    assert page.fields["q-participation_text"] == "Un texte à garder"
    assert page.fields["q-years_active"] == "9"


def test_rate_limit_keys_hold_no_address(app, demo):
    from consult.security import client_key

    with app.test_request_context(environ_base={"REMOTE_ADDR": "203.0.113.9"}):
        key = client_key()
    assert "203.0.113.9" not in key and "203" not in key[:3]
    assert re.fullmatch(r"[0-9a-f]{24}", key)


@pytest.mark.parametrize("storage", ["memory://", "redis://127.0.0.1:6379"])
def test_limits_work_with_memory_and_redis(storage, database_url):
    import os

    from tests.conftest import make_app

    if storage.startswith("redis"):
        import redis

        try:
            redis.Redis.from_url(storage).ping()
        except redis.ConnectionError:
            if os.environ.get("CI"):
                raise
            pytest.skip("no Redis at 127.0.0.1:6379")
    app = make_app(database_url, RATELIMIT_STORAGE_URI=storage)
    from consult.security import over_limit

    with app.test_request_context(environ_base={"REMOTE_ADDR": "198.51.100.200"}):
        scope = f"test-{uuid.uuid4().hex}"
        results = [over_limit("2 per minute", scope) for _ in range(3)]
    assert results == [False, False, True]
    if storage.startswith("redis"):
        import redis

        client = redis.Redis.from_url(storage)
        for key in client.scan_iter("*"):
            assert b"198.51.100.200" not in key
            value = client.get(key) if client.type(key) == b"string" else b""
            assert b"198.51.100.200" not in (value or b"")
