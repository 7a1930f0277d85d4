"""How long the analyst workspace takes to answer, on the demo with N synthetic responses.

In process, through Flask's test client on a scratch SQLite database (removed after):
the demo consultation, N synthetic responses submitted through the respondent service,
themed by the real model (`analyse_consultation`), reference groups for Amplify and a
few approved quotes. Each page and export is timed warm, best of `--rounds`, and shown
with its ratio to a bare endpoint (/healthz) measured in the same run: absolute times
vary from machine to machine and run to run, ratios much less.

    python bench/workspace.py --responses 400 --rounds 3
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from consult import create_app, db  # noqa: E402

PASSWORD = "Tamarind-kettle-47-orbit"
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
SOUTH = ["latin_america", "west_africa", "central_africa", "east_africa", "southern_africa", "mena", "south_asia",
         "southeast_asia"]


def prepare(app, responses: int) -> float:
    """Demo, synthetic responses, theming, reference groups, approvals; returns theming seconds."""
    from analysis import services
    from analysis.models import AnswerTheming
    from consult.accounts import services as accounts
    from surveys.demo import load_demo
    from surveys.synthetic import add_synthetic_responses

    db.upgrade(app)
    with app.app_context():
        with db.unit_of_work() as session:
            consultation = load_demo(session)
            for _receipt in add_synthetic_responses(session, consultation, responses, app.secret_key, 1):
                pass
        started = time.perf_counter()
        with db.unit_of_work() as session:
            services.analyse_consultation(session, load_demo(session))
        theming = time.perf_counter() - started
        with db.unit_of_work() as session:
            consultation = load_demo(session)
            services.add_reference_group(session, consultation, "region", SOUTH, "Global South", 0.6, None)
            services.add_reference_group(session, consultation, "region",
                                         ["canada", "europe_central_asia", "other_region"], "Global North", 0.4, None)
            for theming_row in session.exec(
                AnswerTheming.__table__.select().where(AnswerTheming.consultation_id == consultation.id).limit(10)
            ).all():
                services.review_answer(session, consultation, theming_row.response_id, theming_row.question_id,
                                       list(theming_row.goals), True, None)
            accounts.create_user(session, "bench@example.org", ("analyst",), PASSWORD, profile="owasp-minimum")
    return theming


def best(client, method: str, url: str, rounds: int, data: dict | None = None) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = client.post(url, data=data) if method == "POST" else client.get(url)
        times.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"{method} {url}: {response.status_code}")
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--responses", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="consult-bench-"))
    try:
        app = create_app({"DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}", "SECRET_KEY": "bench",
                          "RATELIMIT_ENABLED": False, "PASSWORD_HASHING": "owasp-minimum"})
        app.config["PASSWORD_HASHING"] = "owasp-minimum"
        theming = prepare(app, args.responses)
        client = app.test_client()
        page = client.get("/staff/login").get_data(as_text=True)
        token = TOKEN.search(page).group(1)
        client.post("/staff/login", data={"csrf_token": token, "email": "bench@example.org", "password": PASSWORD})
        token = TOKEN.search(client.get("/analysis/wps-2026/brief").get_data(as_text=True)).group(1)
        slug = "/analysis/wps-2026"
        client.get(f"{slug}/")  # warm: imports, model of key phrases
        rows = [("GET /healthz (baseline)", best(client, "GET", "/healthz", args.rounds))]
        for label, url in [
            ("overview, all questions", f"{slug}/"),
            ("overview, one question", f"{slug}/?question=message"),
            ("goal page", f"{slug}/goals/sgbv"),
            ("breakdown by region", f"{slug}/breakdown?by=region"),
            ("Amplify", f"{slug}/amplify"),
            ("review queue", f"{slug}/review"),
            ("brief page", f"{slug}/brief"),
        ]:
            rows.append((f"GET {label}", best(client, "GET", url, args.rounds)))
        for kind in ("csv", "xlsx", "docx", "html"):
            rows.append((f"export {kind}", best(client, "POST", f"{slug}/export/{kind}", args.rounds,
                                                {"csrf_token": token})))
        baseline = rows[0][1]
        print(f"{args.responses} responses, themed in {theming:.1f} s (model load included); best of {args.rounds}")
        print(f"{'request':<34} {'ms':>9} {'x baseline':>11}")
        for label, seconds in rows:
            print(f"{label:<34} {seconds * 1000:>9.1f} {seconds / baseline:>11.0f}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
