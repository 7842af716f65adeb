"""Benchmark: rendering a 15-question section page, against a hello-world route on the same server.

    python bench/pages.py                  # 300 timed requests of each
    python bench/pages.py --requests 100

Builds the demo partnership in a temporary SQLite database, adds a cycle whose
questionnaire has a section of 15 questions of every kind (radios with hints,
checkboxes, a number, a date, a person, free text, "not applicable" with its
reason, evidence uploads and a show_if, in the proportions the shipped
questionnaires use them), signs in as that school's respondent,
pre-fills half the answers, and serves the app in-process on 127.0.0.1. The
baseline is a route returning "Hello" registered on this script's own app
instance only. Requests alternate between the two so that both see the same
machine load; it prints the median and 95th percentile of each and the ratio.
Nothing is asserted about time.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import logging
import os
import platform
import re
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from datetime import date, timedelta
from pathlib import Path

# Run as a script, Python puts bench/ first on the path: put the project root there instead.
sys.path[0] = str(Path(__file__).resolve().parents[1])

import flask_migrate  # noqa: E402
from sqlalchemy import select  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from audit_app import create_app  # noqa: E402
from audit_app.access import public  # noqa: E402
from audit_app.data import cycles, people  # noqa: E402
from audit_app.demo.seed import seed_demo  # noqa: E402
from audit_app.extensions import db  # noqa: E402
from audit_app.models import Answer, Organisation, Partnership, Role  # noqa: E402
from audit_app.returns.fields import RememberedRender  # noqa: E402
from scoring.definitions import parse_questionnaire  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "benchmark passphrase long enough"
SERVER_CPU: dict[str, list[float]] = {}


# The kinds of question on the page, in the proportions the shipped questionnaires use them:
# mostly yes / partly / no with hints, references and evidence, and one of each other kind.
KINDS = (
    "yes_partly_no",
    "yes_no_na",
    "yes_partly_no",
    "multiple_choice",
    "yes_partly_no",
    "yes_no",
    "text_if_no",
    "yes_partly_no",
    "number",
    "yes_partly_no",
    "date",
    "yes_no_na",
    "person",
    "yes_partly_no",
)
_BODIES = {
    "yes_partly_no": (
        "type: yes_partly_no\n        hint: What good looks like, in a sentence or two of guidance.\n"
        '        evidence: {required_when: ["yes"], hint: The policy or the minute that shows it.}'
    ),
    "yes_no": "type: yes_no",
    "yes_no_na": "type: yes_no\n        na_allowed: true",
    "multiple_choice": (
        "type: multiple_choice\n        options:\n"
        + "".join(f"          - {{value: o{i}, label: Option {i} in words, points: 0.5}}\n" for i in range(4))
        + "          - {value: none, label: None of these, points: 0, fails: true}"
    ),
    "text_if_no": 'type: text\n        show_if: {question: bench.q05, is: "no"}',
    "number": "type: number",
    "date": "type: date",
    "person": "type: person",
}


def _question(n: int, kind: str) -> str:
    return (
        f"      - id: bench.q{n:02d}\n"
        f"        text: Question {n} asks whether the arrangement it names is in place and working?\n"
        f'        references: ["KCSIE 2025, Part {n % 5 + 1}"]\n'
        f"        {_BODIES[kind]}\n"
    )


QUESTIONNAIRE = (
    """id: bench-schools
version: "1"
title: Benchmark questionnaire for schools
legal_basis: Education Act 2002, sections 175 and 157
duties: [s175, s157]
scale:
  name: RAG
  points: {min: 0, max: 2}
  ratings:
    - {id: green, label: Green, meaning: Fully meets the standard., colour: green, min_score: 0.85}
    - {id: amber, label: Amber, meaning: Partly meets the standard., colour: amber, min_score: 0.5}
    - {id: red, label: Red, meaning: Does not meet the standard., colour: red, min_score: 0}
sign_off:
  - {id: head-teacher, label: Head teacher}
declaration: We confirm that this return is accurate.
sections:
  - id: bench
    title: A section of fifteen questions
    description: Fifteen questions of every kind the toolkit asks.
    references: ["KCSIE 2025, Part 2"]
    questions:
"""
    + "".join(_question(n, kind) for n, kind in enumerate(KINDS))
    + "      - id: bench.rating\n        text: How do you rate this standard?\n        type: self_rating\n"
)


def build(folder: Path):
    """The app, its database (demo plus the benchmark cycle) and the section page's path."""
    app = create_app(
        {
            "AUDIT_ENV": "test",
            "SECRET_KEY": "bench-pages",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'audit.db'}",
            "EVIDENCE_DIR": str(folder / "evidence"),
            # The benchmark signs in once; no limits or session expiry get in the way.
            "RATELIMIT_ENABLED": False,
            # As in production: templates are read once, not checked for changes on every render.
            "TEMPLATES_AUTO_RELOAD": False,
        }
    )

    @public
    def hello():
        return "Hello"

    # The baseline lives on this instance only, never in the product.
    app.add_url_rule("/bench-hello", "bench_hello", hello)

    # The server's own CPU time for each whole request (every hook, the view, the headers),
    # beside the wall-clock time the client sees: on a shared machine it varies far less
    # with other people's load.
    inner = app.wsgi_app

    def clocked(environ, start_response):
        started = time.thread_time()
        try:
            return list(inner(environ, start_response))
        finally:
            SERVER_CPU.setdefault(environ["PATH_INFO"], []).append(time.thread_time() - started)

    app.wsgi_app = clocked
    with app.app_context():
        flask_migrate.upgrade(directory=str(ROOT / "audit_app" / "migrations"))
        seed_demo(date.today())
        partnership = db.session.scalar(select(Partnership).where(Partnership.slug == "demoshire"))
        school = db.session.scalars(
            select(Organisation).where(Organisation.duty == "s175").order_by(Organisation.id)
        ).first()
        questionnaire = parse_questionnaire(QUESTIONNAIRE, "bench.yaml")
        version = cycles.store_questionnaire(questionnaire, QUESTIONNAIRE, "bench.yaml")
        today = date.today()
        cycle = cycles.create_cycle(
            partnership,
            "Benchmark cycle",
            today - timedelta(days=5),
            today + timedelta(days=30),
            today + timedelta(days=60),
            {"s175": version},
        )
        [audit_return] = cycles.open_cycle(cycle, [school], {"s175": ["bench"]})
        user = people.create_user("bench@school.example", "Bench Respondent", PASSWORD)
        people.grant_role(user, Role.RESPONDENT, partnership, organisation_id=school.id)
        for question in questionnaire.questions()[::2]:
            value = {
                "yes_partly_no": "yes",
                "yes_no": "yes",
                "multiple_choice": ["o1", "o2"],
                "number": 120,
                "date": "2025-09-01",
                "person": {"name": "Sam Okafor", "role": "", "trained_on": "2025-01-10"},
                "text": "Reviewed every year by the governing board.",
                "self_rating": "green",
            }[question.type.value]
            db.session.add(Answer(return_id=audit_return.id, question_id=question.id, value=value))
        db.session.commit()
        path = f"/returns/{audit_return.id}/sections/bench"
        db.session.remove()
    return app, path


class Browser:
    """Just enough of a browser: cookies, and posting the sign-in form with its CSRF token."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> bytes:
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.read()

    def sign_in(self, email: str, password: str) -> None:
        page = self.get("/sign-in").decode()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": password}).encode()
        with self.opener.open(self.base + "/sign-in", data=form, timeout=30) as response:
            response.read()


def timed(browser: Browser, path: str) -> float:
    start = time.perf_counter()
    body = browser.get(path)
    elapsed = time.perf_counter() - start
    if not body:
        raise RuntimeError(f"{path} answered with nothing")
    return elapsed


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="timed requests of each page (default 300)")
    parser.add_argument("--warm-up", type=int, default=20, help="untimed requests of each first (default 20)")
    args = parser.parse_args()
    requests = max(1, min(args.requests, 10_000))
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request

    with tempfile.TemporaryDirectory(prefix="bench-pages-") as folder:
        started = time.perf_counter()
        app, section_path = build(Path(folder))
        print(f"Demo seeded and benchmark cycle added in {time.perf_counter() - started:.1f} s")
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            browser = Browser(f"http://127.0.0.1:{server.server_port}")
            browser.sign_in("bench@school.example", PASSWORD)
            page = browser.get(section_path).decode()
            questions = len(re.findall(r'class="app-question"', page))
            if questions != 15:
                raise RuntimeError(f"expected a page of 15 questions, found {questions}")
            for _ in range(args.warm_up):
                timed(browser, section_path)
                timed(browser, "/bench-hello")
            SERVER_CPU.clear()
            section: list[float] = []
            hello: list[float] = []
            for _ in range(requests):
                section.append(timed(browser, section_path))
                hello.append(timed(browser, "/bench-hello"))
            cpu = {"section": SERVER_CPU.pop(section_path), "hello": SERVER_CPU.pop("/bench-hello")}
            # The worst case: no component output kept from any earlier page.
            cold: list[float] = []
            for _ in range(max(1, requests // 4)):
                RememberedRender.forget()
                cold.append(timed(browser, section_path))
            cold_cpu = SERVER_CPU.pop(section_path)
        finally:
            server.shutdown()

    print(
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs; in-process server on 127.0.0.1, SQLite"
    )
    print(
        f"Section page: {questions} questions, {len(page):,} bytes of HTML; {requests} timed requests of each"
    )
    print("Wall-clock time seen by the client (includes HTTP on 127.0.0.1):")
    report("Section page", section, hello)
    report("Hello world", hello, None)
    report("Section, cold", cold, hello)
    print("CPU time of the server thread per request:")
    report("Section page", cpu["section"], cpu["hello"])
    report("Hello world", cpu["hello"], None)
    report("Section, cold", cold_cpu, cpu["hello"])
    print("(cold: the kept component output cleared before each request; goal: section / hello at most 5x)")


def report(name: str, values: list[float], baseline: list[float] | None) -> None:
    line = f"  {name:<14} median {statistics.median(values) * 1000:7.2f} ms   p95 {percentile(values, 0.95) * 1000:7.2f} ms"
    if baseline is not None:
        median_ratio = statistics.median(values) / statistics.median(baseline)
        p95_ratio = percentile(values, 0.95) / percentile(baseline, 0.95)
        line += f"   ratio to hello: median {median_ratio:.1f}x, p95 {p95_ratio:.1f}x"
    print(line)


if __name__ == "__main__":
    main()
