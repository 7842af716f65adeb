"""Benchmark: respondents saving their returns at once, near a deadline, through gunicorn on PostgreSQL.

    python bench/load.py                              # 200 respondents for 60 s
    python bench/load.py --users 50 --seconds 20      # a quick run
    python bench/load.py --two-servers                # two app servers, one PostgreSQL, one Redis

Everything runs on 127.0.0.1 and stops by itself. The script starts a throwaway
PostgreSQL (as the tests do), migrates it, and seeds a partnership with one open
cycle whose initial deadline is tomorrow: ``--users`` schools, each with a return
of eight standards and a respondent who may sign in. It then starts gunicorn
(``--workers`` sync workers, ``wsgi:app``, ``AUDIT_ENV=production``) on a free port
and runs one thread per respondent in two phases. First everyone signs in, arriving
over ``--ramp`` seconds (each sign-in checks an argon2id hash, deliberately costly, so
it is timed apart). Then, for ``--seconds``, each signed-in respondent loads the next
standard's page, thinks (``--think``, on average), saves it ("Save and come back
later") and thinks again. Each save carries values that name the respondent and the
save, so that at the end the answers in the database can be compared, one by one,
with the last save the server acknowledged (a redirect) for each question: any
difference is a lost save.

The baseline, in the same run and under the same load, is ``/healthz`` (one
``SELECT 1``) requested by one more thread throughout; the ratio of the save's and
the page's latencies to it is printed.

With ``--two-servers``, a Redis server and a second gunicorn start as well, both app
servers sharing the database, Redis (rate limits, jobs) and the secret key, and each
respondent's requests alternate between the two servers — signed in on one, page
loaded on the other, saved on the first — which works only if the app keeps no
state of its own between requests.

Configuration is the production configuration, from the environment, with two
settings for this bench: session cookies without ``Secure`` (plain HTTP on
127.0.0.1) and a per-address limit on refused sign-ins raised, since every
simulated respondent comes from 127.0.0.1. Nothing asserts anything about time.
"""

from __future__ import annotations

import argparse
import html
import http.client
import os
import random
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)

import psycopg  # noqa: E402

from tests.support.postgres import _free_port, start_postgres  # noqa: E402
from tests.support.redis_server import RedisServer  # noqa: E402

PASSWORD = "bench-respondent-password-2026"
STANDARDS = [f"standard-{n}" for n in range(1, 9)]
QUESTIONNAIRE = """
id: bench-schools
version: "2026.1"
title: Safeguarding self-assessment for schools (load bench)
description: Eight standards, each with a rated question, a number and a note.
legal_basis: Education Act 2002, section 175
duties: [s175]
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
""" + "".join(
    f"""  - id: {standard}
    title: Standard {n}
    questions:
      - id: {standard}.met
        text: Does the school meet standard {n}?
        hint: Think about the last academic year.
        references: ["KCSIE 2025, Part 2"]
        type: yes_partly_no
      - id: {standard}.count
        text: How many staff were trained for standard {n}?
        type: number
      - id: {standard}.note
        text: What changed since last year?
        type: text
        required: false
"""
    for n, standard in enumerate(STANDARDS, start=1)
)
RATINGS = ["yes", "partly", "no"]
HIDDEN = re.compile(r"<input[^>]*\btype=\"hidden\"[^>]*>")
ATTRIBUTE = re.compile(r"\b(name|value)=\"([^\"]*)\"")


# ---- the database and the servers ---------------------------------------------------------------


def seed(url: str, users: int) -> list[tuple[str, int]]:
    """Migrate, then a partnership, a cycle due tomorrow and ``users`` schools with a respondent each."""
    import flask_migrate

    from audit_app import create_app
    from audit_app.data import cycles, organisations, people
    from audit_app.extensions import db
    from audit_app.models import OrganisationKind, Partnership, Role
    from audit_app.passwords import hash_password
    from scoring.definitions import parse_questionnaire

    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url, "AUDIT_ENV": "test"})
    with app.app_context():
        flask_migrate.upgrade(directory=str(ROOT / "audit_app" / "migrations"))
        partnership = Partnership(
            name="Benchshire Safeguarding Children Partnership", slug="bench", la_codes=["990"]
        )
        db.session.add(partnership)
        db.session.flush()
        version = cycles.store_questionnaire(
            parse_questionnaire(QUESTIONNAIRE, "bench.yaml"), QUESTIONNAIRE, "bench.yaml"
        )
        schools = [
            organisations.add_organisation(
                partnership, OrganisationKind.SCHOOL, f"Bench School {n}", "s175", urn=300000 + n
            )
            for n in range(users)
        ]
        today = date.today()
        cycle = cycles.create_cycle(
            partnership,
            "Schools safeguarding audit 2026",
            opens_on=today - timedelta(days=40),
            initial_deadline=today + timedelta(days=1),
            final_deadline=today + timedelta(days=15),
            questionnaires={"s175": version},
        )
        created = cycles.open_cycle(cycle, schools, {"s175": STANDARDS})
        # One argon2 hash for everyone: hashing 200 passwords would only slow the set-up.
        password_hash = hash_password(PASSWORD)
        accounts = []
        for n, audit_return in enumerate(created):
            user = people.create_user(f"dsl{n}@bench-school-{n}.example", f"Respondent {n}")
            user.password_hash = password_hash
            people.grant_role(
                user, Role.RESPONDENT, partnership, organisation_id=audit_return.organisation_id
            )
            accounts.append((user.email, audit_return.id))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return accounts


def start_gunicorn(port: int, workers: int, env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("ab") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
                "--timeout",
                "60",
                "wsgi:app",
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn on port {port} stopped; see {log}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.2)  # waiting for the server to listen: set-up, not measured
    process.terminate()
    raise RuntimeError(f"gunicorn on port {port} did not answer /healthz within 60 s; see {log}")


def cpu_seconds(pids: set[int]) -> float:
    """CPU time used so far by these processes and their children (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process has gone
        pid, parent = int(stat.parent.name), int(fields[1])
        if pid in pids or parent in pids:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# ---- a respondent's browser ---------------------------------------------------------------------


@dataclass
class Recorder:
    """Every request's kind, latency and outcome, from all threads."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float, error: str | None = None) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            if error:
                self.errors[kind].append(error)


class Browser:
    """Cookies and plain HTTP/1.1 on 127.0.0.1, one connection a request (gunicorn's sync workers close them)."""

    def __init__(self, ports: list[int], first: int, timeout: float) -> None:
        self.ports, self.turn, self.timeout = ports, first, timeout
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict[str, str] | None = None):
        port = self.ports[self.turn % len(self.ports)]
        self.turn += 1  # two servers: every request goes to the other one
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=self.timeout)
        start = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        elapsed = time.perf_counter() - start
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value and morsel["max-age"] not in ("0",) and "1970" not in morsel["expires"]:
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return response.status, text, elapsed


def hidden_fields(page: str) -> dict[str, str]:
    fields = {}
    for tag in HIDDEN.findall(page):
        attributes = dict(ATTRIBUTE.findall(tag))
        if "name" in attributes:
            fields[attributes["name"]] = html.unescape(attributes.get("value", ""))
    return fields


@dataclass
class Saves:
    """What the server acknowledged, per (return, question): the last value, and any sent since."""

    acknowledged: dict[tuple[int, str], object] = field(default_factory=dict)
    unacknowledged: dict[tuple[int, str], list[object]] = field(default_factory=lambda: defaultdict(list))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, return_id: int, values: dict[str, object], landed: bool) -> None:
        with self.lock:
            for question_id, value in values.items():
                key = (return_id, question_id)
                if landed:
                    self.acknowledged[key] = value
                    self.unacknowledged.pop(key, None)
                else:
                    self.unacknowledged[key].append(value)


def call(browser: Browser, recorder: Recorder, kind: str, method: str, path: str, form=None, expect=200):
    """One request, recorded; the page if it answered as expected, else None."""
    try:
        status, page, elapsed = browser.request(method, path, form)
    except OSError as exc:
        recorder.add(kind, browser.timeout, f"{type(exc).__name__}: {exc}")
        return None
    recorder.add(kind, elapsed, None if status == expect else f"HTTP {status} for {method} {path}")
    return page if status == expect else None


def sign_in(
    number: int, email: str, browser: Browser, recorder: Recorder, start_at: float, signed_in: list
) -> None:
    time.sleep(max(0.0, start_at - time.perf_counter()))  # respondents arrive over the ramp
    page = call(browser, recorder, "sign-in page", "GET", "/sign-in")
    if page is None:
        return
    form = {"csrf_token": hidden_fields(page).get("csrf_token", ""), "email": email, "password": PASSWORD}
    if call(browser, recorder, "sign-in", "POST", "/sign-in", form, expect=302) is not None:
        signed_in.append(number)


def respondent(number, return_id, browser, stop_at, think, recorder, saves) -> None:
    """Load the next standard's page, think, save it, think; until the time is up."""
    rng = random.Random(number)

    def pause() -> None:
        if think:  # never past the end: the run's duration is what the rates are divided by
            time.sleep(max(0.0, min(rng.uniform(0.5 * think, 1.5 * think), stop_at - time.perf_counter())))

    time.sleep(rng.uniform(0, min(think or 0.1, max(0.0, stop_at - time.perf_counter()))))  # not all at once
    sequence = 0
    while time.perf_counter() < stop_at:
        standard = STANDARDS[sequence % len(STANDARDS)]
        path = f"/returns/{return_id}/sections/{standard}"
        page = call(browser, recorder, "page", "GET", path)
        if page is None:
            pause()
            continue
        fields = hidden_fields(page)
        pause()
        if time.perf_counter() >= stop_at:
            break
        values = {
            f"{standard}.met": RATINGS[(number + sequence) % 3],
            f"{standard}.count": number * 100_000 + sequence,
            f"{standard}.note": f"Respondent {number}, save {sequence}",
        }
        form = {
            **fields,
            **{key: str(value) for key, value in values.items()},
            "later": "Save and come back later",
        }
        landed = call(browser, recorder, "save", "POST", path, form, expect=302) is not None
        saves.record(return_id, values, landed)
        sequence += 1
        pause()


def baseline(ports: list[int], stop_at: float, recorder: Recorder, timeout: float) -> None:
    browser = Browser(ports, 0, timeout)
    while time.perf_counter() < stop_at:
        try:
            status, _, elapsed = browser.request("GET", "/healthz")
            recorder.add("healthz", elapsed, None if status == 200 else f"HTTP {status}")
        except OSError as exc:
            recorder.add("healthz", timeout, f"{type(exc).__name__}: {exc}")
        time.sleep(0.1)  # a trivial request ten times a second, beside the respondents


# ---- the figures --------------------------------------------------------------------------------


def run_threads(threads: list[threading.Thread], limit: float) -> int:
    """Start, then join them all within ``limit`` seconds; how many are still running."""
    for thread in threads:
        thread.daemon = True  # a request stuck past every timeout must not keep the bench alive
        thread.start()
    deadline = time.perf_counter() + limit
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.perf_counter()))
    return sum(thread.is_alive() for thread in threads)


def print_errors(recorder: Recorder) -> None:
    """The three commonest errors of each kind of request."""
    for kind, messages in recorder.errors.items():
        for message, n in Counter(messages).most_common(3):
            print(f"    {kind}: {n} x {message}")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def summary(name: str, values: list[float], errors: int) -> str:
    if not values:
        return f"  {name:<13} none"
    ms = [v * 1000 for v in values]
    return (
        f"  {name:<13} {len(values):>6} requests, {errors:>3} errors   p50 {percentile(ms, 0.5):7.1f} ms"
        f"   p95 {percentile(ms, 0.95):7.1f} ms   p99 {percentile(ms, 0.99):7.1f} ms"
    )


def check_database(dsn: str, saves: Saves, return_ids: list[int]) -> tuple[int, int, int, int]:
    """(answers stored, answers acknowledged, lost, newer unacknowledged saves that landed)."""
    with psycopg.connect(dsn) as connection:
        rows = connection.execute(
            "SELECT return_id, question_id, value FROM answer WHERE return_id = ANY(%s)", (return_ids,)
        ).fetchall()
    stored = {(return_id, question_id): value for return_id, question_id, value in rows}
    lost = newer = 0
    for key, value in saves.acknowledged.items():
        if stored.get(key) == value:
            continue
        if stored.get(key) in saves.unacknowledged.get(key, []):
            newer += 1  # a later save whose reply never came (an error or a timeout) did land
        else:
            lost += 1
    return len(stored), len(saves.acknowledged), lost, newer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200, help="simulated respondents, one return each")
    parser.add_argument("--seconds", type=float, default=60, help="how long the respondents keep saving")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers per app server")
    parser.add_argument(
        "--think", type=float, default=2.0, help="mean seconds a respondent waits between requests (0: none)"
    )
    parser.add_argument("--ramp", type=float, default=30, help="seconds over which respondents sign in")
    parser.add_argument("--timeout", type=float, default=30, help="seconds before a request counts as failed")
    parser.add_argument(
        "--two-servers", action="store_true", help="two app servers, one PostgreSQL, one Redis"
    )
    options = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="audit-load-"))
    print(
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; load average before: "
        + ", ".join(f"{x:.2f}" for x in os.getloadavg())
    )
    postgres = start_postgres()
    redis = None
    servers: list[subprocess.Popen] = []
    try:
        dsn = postgres.url.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(dsn, autocommit=True) as connection:
            connection.execute('CREATE DATABASE "audit_load"')
        url = postgres.url.rsplit("/", 1)[0] + "/audit_load"
        started = time.perf_counter()
        accounts = seed(url, options.users)
        print(
            f"PostgreSQL on 127.0.0.1; seeded {len(accounts)} schools, respondents and returns in "
            f"{time.perf_counter() - started:.1f} s (initial deadline tomorrow)"
        )

        env = {
            **os.environ,
            "AUDIT_ENV": "production",
            "SECRET_KEY": secrets.token_hex(32),
            "DATABASE_URL": url,
            "EVIDENCE_DIR": str(folder / "evidence"),
            "IMPORTS_DIR": str(folder / "imports"),
            "EXTERNAL_URL": "http://127.0.0.1",
            "SMTP_HOST": "",
            # Bench-only: plain HTTP on 127.0.0.1, and every respondent shares one address.
            "SESSION_COOKIE_SECURE": "0",
            "RATE_LIMIT_PER_ADDRESS": "100000/minute",
        }
        if options.two_servers:
            redis = RedisServer()
            env["REDIS_URL"] = redis.url
        ports = [_free_port() for _ in range(2 if options.two_servers else 1)]
        for port in ports:
            servers.append(start_gunicorn(port, options.workers, env, folder / "gunicorn.log"))
        layout = " and ".join(f"127.0.0.1:{port}" for port in ports)
        print(
            f"gunicorn {options.workers} sync workers on {layout}"
            + (f"; Redis on {redis.url}; each respondent alternates between the servers" if redis else "")
        )
        print(
            f"{options.users} respondents sign in (arriving over {options.ramp:.0f} s), then save for "
            f"{options.seconds:.0f} s, thinking {options.think:.1f} s on average between requests"
        )

        recorder, saves = Recorder(), Saves()
        browsers = [Browser(ports, number, options.timeout) for number in range(len(accounts))]
        signed_in: list[int] = []
        now = time.perf_counter()
        run_threads(
            [
                threading.Thread(
                    target=sign_in,
                    args=(n, email, browser, recorder, now + options.ramp * n / len(accounts), signed_in),
                )
                for n, ((email, _), browser) in enumerate(zip(accounts, browsers, strict=True))
            ],
            options.timeout * 3 + options.ramp,
        )
        print(
            f"Signed in: {len(signed_in)} of {len(accounts)} in {time.perf_counter() - now:.1f} s "
            "(each sign-in checks an argon2id hash: about 26 ms of CPU here, bench/passwords.py)"
        )
        print(
            summary("sign-in page", recorder.latencies["sign-in page"], len(recorder.errors["sign-in page"]))
        )
        print(summary("sign-in", recorder.latencies["sign-in"], len(recorder.errors["sign-in"])))
        print_errors(recorder)
        sign_in_errors = sum(len(v) for v in recorder.errors.values())

        recorder = Recorder()
        now = time.perf_counter()
        app_pids = {server.pid for server in servers}
        postgres_pid = int((postgres.data_dir / "postmaster.pid").read_text().split()[0])
        cpu_before = cpu_seconds(app_pids), cpu_seconds({postgres_pid}), time.process_time()
        stop_at = now + options.seconds
        threads = [threading.Thread(target=baseline, args=(ports, stop_at, recorder, options.timeout))]
        threads += [
            threading.Thread(
                target=respondent,
                args=(number, return_id, browser, stop_at, options.think, recorder, saves),
            )
            for number, ((_, return_id), browser) in enumerate(zip(accounts, browsers, strict=True))
            if number in signed_in  # whoever could not sign in is counted above, and goes home
        ]
        stuck = run_threads(threads, options.timeout * 3 + options.seconds)
        elapsed = time.perf_counter() - now
        server_cpu = cpu_seconds(app_pids) - cpu_before[0]
        database_cpu = cpu_seconds({postgres_pid}) - cpu_before[1]
        client_cpu = time.process_time() - cpu_before[2]

        total = sum(len(v) for k, v in recorder.latencies.items() if k != "healthz")
        errors = sum(len(v) for k, v in recorder.errors.items() if k != "healthz")
        print(
            f"\n{total} respondent requests in {elapsed:.1f} s: {total / elapsed:.1f} requests/s, {errors} errors"
            + (f", {stuck} threads still waiting" if stuck else "")
        )
        for kind in ["page", "save", "healthz"]:
            print(summary(kind, recorder.latencies.get(kind, []), len(recorder.errors.get(kind, []))))
        print_errors(recorder)
        health = recorder.latencies.get("healthz", [])
        for kind in ["page", "save"]:
            values = recorder.latencies.get(kind, [])
            if values and health:
                print(
                    f"  ratio {kind} / healthz: p50 {percentile(values, 0.5) / percentile(health, 0.5):.1f}x, "
                    f"p95 {percentile(values, 0.95) / percentile(health, 0.95):.1f}x"
                )
        save_rate = len(recorder.latencies.get("save", [])) / elapsed
        print(f"  saves: {save_rate:.1f}/s")
        served = total + len(health)
        print(
            f"  app servers' CPU: {server_cpu:.1f} s over {elapsed:.1f} s "
            f"({server_cpu / elapsed:.2f} of {os.cpu_count()} CPUs), "
            f"{1000 * server_cpu / max(1, served):.1f} ms per request on average"
        )
        print(
            f"  alongside, on the same CPUs: PostgreSQL {database_cpu:.1f} s "
            f"({1000 * database_cpu / max(1, served):.1f} ms per request), "
            f"this script's simulated respondents {client_cpu:.1f} s"
        )

        stored, acknowledged, lost, newer = check_database(
            dsn.rsplit("/", 1)[0] + "/audit_load", saves, [return_id for _, return_id in accounts]
        )
        print(
            f"\nDatabase: {stored} answers stored; {acknowledged} answers acknowledged "
            f"(the last acknowledged save of each question); lost: {lost}"
            + (f"; {newer} replaced by a later save whose reply failed" if newer else "")
        )
        saves_p95 = percentile(recorder.latencies.get("save", [0.0]), 0.95) * 1000
        print(
            f"Goals: 0 errors ({errors + sign_in_errors}), 0 lost ({lost}), save p95 <= 300 ms ({saves_p95:.0f} ms)"
        )
        print("Load average after: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    except BaseException:
        print(f"Server logs kept in {folder}", file=sys.stderr)
        raise
    else:
        shutil.rmtree(folder, ignore_errors=True)
    finally:
        for server in servers:
            stop(server)
        if redis is not None:
            redis.stop()
        postgres.stop()


if __name__ == "__main__":
    main()
