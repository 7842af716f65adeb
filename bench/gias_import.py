"""Benchmark: importing a national GIAS establishment file, against just reading it.

    python bench/gias_import.py                  # about 50,000 rows, SQLite and PostgreSQL
    python bench/gias_import.py --rows 5000 --skip-postgres

Writes a synthetic national ``edubasealldata`` file in the real format (the
139 columns in GIAS's order, Windows-1252, every field quoted, CRLF,
``dd-mm-yyyy`` dates) and its links file, by re-using the rows of the bundled
Demoshire sample as templates across 152 local authorities with new URNs,
names, numbers, statuses and dates. Then, each in a child process so that
its peak resident size is its own:

1. the baseline: reading the file with the registers reader alone
   (``read_establishments`` for every LA, and ``read_links``);
2. the import, end to end, with every LA kept, into a fresh SQLite database
   and into a PostgreSQL server this script starts: read, compare with what
   is held (nothing yet), write in one transaction, record the run;
3. the same file again into the now-full register (every row unchanged);
4. "next year's" file: new census counts for every school, 2% of open ones
   closed and linked to a successor (updates, closures and links to write);
5. the first import once more on a fresh database with ``tracemalloc`` on, for
   the peak of traced allocations (tracing slows Python, so it is not timed).

It prints rows per second, wall time and memory against the goals (import
within 20 s and 500 MB) and the ratio to the baseline. It asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)

GOAL_SECONDS = 20
GOAL_MB = 500

# Real GIAS LA codes run in blocks (London 201-213 and 301-320, the mets 330-394,
# the shires and unitaries 800-938); 152 of them, as in England.
LA_CODES = [
    *range(201, 214),
    *range(301, 321),
    *range(330, 345),
    *range(350, 360),
    *range(370, 374),
    *range(380, 385),
    *range(390, 395),
    *range(800, 880),
]
LA_CODES = [str(code) for code in LA_CODES[:152]]


def _template_rows() -> tuple[list[str], list[dict[str, str]]]:
    sample = ROOT / "audit_app" / "demo" / "data" / "edubasealldata20261101.csv"
    with open(sample, encoding="cp1252", newline="") as stream:
        reader = csv.DictReader(stream)
        return list(reader.fieldnames or []), list(reader)


def write_national_file(folder: Path, rows: int, seed: int = 2026) -> tuple[Path, Path]:
    """About ``rows`` establishments across 152 LAs, and a links file for the closures."""
    rng = random.Random(seed)
    header, templates = _template_rows()
    establishments = folder / "edubasealldata20261101.csv"
    links = folder / "links_edubasealldata20261101.csv"
    open_by_la: dict[str, list[tuple[int, str]]] = {code: [] for code in LA_CODES}
    closed: list[tuple[int, str, str]] = []
    with open(establishments, "w", encoding="cp1252", newline="") as out:
        writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow(header)
        for n in range(rows):
            row = dict(rng.choice(templates))
            urn = 100000 + n
            la = LA_CODES[n % len(LA_CODES)]
            # Roughly the real mix: most open, many closed, a few changing.
            status = rng.choices(["1", "2", "3", "4"], weights=[70, 25, 3, 2])[0]
            row.update(
                {
                    "URN": str(urn),
                    "LA (code)": la,
                    "LA (name)": f"Synthetic County {la}",
                    "EstablishmentNumber": f"{rng.randint(1000, 7999)}",
                    "EstablishmentName": f"{row['EstablishmentName']} {n}",
                    "EstablishmentStatus (code)": status,
                    "EstablishmentStatus (name)": {
                        "1": "Open",
                        "2": "Closed",
                        "3": "Open, but proposed to close",
                        "4": "Proposed to open",
                    }[status],
                    "OpenDate": f"{rng.randint(1, 28):02d}-{rng.randint(1, 12):02d}-{rng.randint(1950, 2025)}",
                    "CloseDate": f"31-08-{rng.randint(2000, 2026)}" if status == "2" else "",
                }
            )
            if status == "2":
                closed.append((urn, la, row["EstablishmentName"]))
            elif status == "1":
                open_by_la[la].append((urn, row["EstablishmentName"]))
            writer.writerow(row[column] for column in header)
    with open(links, "w", encoding="cp1252", newline="") as out:
        writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow(["URN", "LinkURN", "LinkName", "LinkType", "LinkEstablishedDate"])
        for urn, la, name in closed:
            if open_by_la[la] and rng.random() < 0.6:
                successor, successor_name = rng.choice(open_by_la[la])
                writer.writerow([urn, successor, successor_name, "Successor", "31-08-2020"])
                writer.writerow([successor, urn, name, "Predecessor", "31-08-2020"])
    return establishments, links


def write_next_release(file: Path, links: Path, seed: int = 2027) -> tuple[Path, Path]:
    """The same establishments a year on: new census counts everywhere, 2% of open ones closed.

    Each closure is linked to an open establishment in its LA, as academy
    conversions are, so the import has updates, closures and successor links
    to write, not only rows it already holds.
    """
    rng = random.Random(seed)
    next_file = file.with_name("edubasealldata20271101.csv")
    next_links = links.with_name("links_edubasealldata20271101.csv")
    open_by_la: dict[str, list[tuple[str, str]]] = {}
    link_rows = links.read_bytes().decode("cp1252").splitlines()
    with (
        open(file, encoding="cp1252", newline="") as source,
        open(next_file, "w", encoding="cp1252", newline="") as out,
    ):
        reader = csv.reader(source)
        header = next(reader)
        at = {name: i for i, name in enumerate(header)}
        writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow(header)
        closing: list[tuple[str, str, str]] = []
        for row in reader:
            pupils = row[at["NumberOfPupils"]]
            if pupils.isdigit():
                row[at["NumberOfPupils"]] = str(int(pupils) + rng.randint(-30, 30) % 60 + 1)
            if row[at["EstablishmentStatus (code)"]] == "1":
                la = row[at["LA (code)"]]
                if rng.random() < 0.02:
                    row[at["EstablishmentStatus (code)"]] = "2"
                    row[at["EstablishmentStatus (name)"]] = "Closed"
                    row[at["CloseDate"]] = "31-08-2027"
                    closing.append((row[at["URN"]], la, row[at["EstablishmentName"]]))
                else:
                    open_by_la.setdefault(la, []).append((row[at["URN"]], row[at["EstablishmentName"]]))
            writer.writerow(row)
    with open(next_links, "w", encoding="cp1252", newline="") as out:
        out.write("\r\n".join(link_rows) + "\r\n")
        writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        for urn, la, name in closing:
            successor, successor_name = rng.choice(open_by_la[la])
            writer.writerow([urn, successor, successor_name, "Successor", "31-08-2027"])
            writer.writerow([successor, urn, name, "Predecessor", "31-08-2027"])
    return next_file, next_links


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


# ---- what each child process does ---------------------------------------------


def child_read(file: str, links: str) -> dict:
    from audit_app.registers.gias import read_establishments, read_links

    started, cpu = time.perf_counter(), time.process_time()
    result = read_establishments(file, None)
    read_links(links)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "cpu": time.process_time() - cpu,
        "rows": result.rows_read,
        "kept": len(result.establishments) + len(result.closed),
        "rss_mb": _peak_rss_mb(),
    }


def _app(url: str):
    import flask_migrate

    from audit_app import create_app

    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url, "AUDIT_ENV": "test"})
    with app.app_context():
        flask_migrate.upgrade(directory=str(ROOT / "audit_app" / "migrations"))
    return app


def child_import(
    url: str, file: str, links: str, next_file: str | None, next_links: str | None, trace: bool
) -> dict:
    from audit_app.extensions import db
    from audit_app.models import Organisation, Partnership
    from audit_app.organisations.importing import RegisterFile, import_gias_file

    app = _app(url)
    figures: dict = {}
    with app.app_context():
        partnership = Partnership(name="Bench", slug="bench", la_codes=LA_CODES)
        db.session.add(partnership)
        db.session.commit()
        runs = [("first", file, links)]
        if next_file:
            runs += [("again", file, links), ("next", next_file, next_links)]
        for key, establishments, links_file in runs:
            if trace:
                tracemalloc.start()
            started, cpu = time.perf_counter(), time.process_time()
            plan, _ = import_gias_file(
                partnership,
                RegisterFile(establishments, Path(establishments).name),
                LA_CODES,
                RegisterFile(links_file, Path(links_file).name),
                dry_run=False,
            )
            seconds = time.perf_counter() - started
            figures[key] = {
                "seconds": seconds,
                "cpu": time.process_time() - cpu,
                "rows": plan.rows_read,
                "counts": plan.counts(),
            }
            if trace:
                figures[key]["traced_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
                tracemalloc.stop()
            del plan
        figures["held"] = db.session.query(Organisation).count()
        db.session.remove()
        db.engine.dispose()
    figures["rss_mb"] = _peak_rss_mb()
    return figures


def _child(args: list[str]) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "--child", json.dumps(args)], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"child {args[0]} failed:\n{result.stderr[-4000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _postgres_database(server_url: str, name: str) -> str:
    import psycopg

    plain = server_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return server_url.rsplit("/", 1)[0] + f"/{name}"


def _report(name: str, baseline: dict, timed: dict, traced: dict) -> None:
    first, again, following = timed["first"], timed["again"], timed["next"]
    c = first["counts"]
    print(f"\n{name}:")
    print(
        f"  first import: {first['seconds']:.2f} s ({first['cpu']:.2f} s CPU), "
        f"{first['rows'] / first['seconds']:,.0f} rows/s "
        f"({c['new']:,} new, {c['linked']:,} successor links, {c['skipped']:,} skipped, {c['errors']} errors)"
    )
    print(
        f"  same file again: {again['seconds']:.2f} s ({again['cpu']:.2f} s CPU), "
        f"{again['rows'] / again['seconds']:,.0f} rows/s "
        f"({again['counts']['unchanged']:,} unchanged, {again['counts']['new']} new, "
        f"{again['counts']['updated']} updated)"
    )
    n = following["counts"]
    print(
        f"  next year's file: {following['seconds']:.2f} s ({following['cpu']:.2f} s CPU), "
        f"{following['rows'] / following['seconds']:,.0f} rows/s "
        f"({n['updated']:,} updated, {n['closed']:,} closed, {n['linked']:,} successor links, "
        f"{n['unchanged']:,} unchanged)"
    )
    print(
        f"  ratio, first import / reading alone: {first['seconds'] / baseline['seconds']:.2f}x wall, "
        f"{first['cpu'] / baseline['cpu']:.2f}x CPU"
    )
    print(
        f"  memory: process peak resident {timed['rss_mb']:.0f} MB; "
        f"peak traced allocations {traced['first']['traced_peak_mb']:.0f} MiB (separate traced run)"
    )
    verdict_time = "within" if first["seconds"] <= GOAL_SECONDS else "OVER"
    verdict_memory = "within" if timed["rss_mb"] <= GOAL_MB else "OVER"
    print(f"  goals: {verdict_time} {GOAL_SECONDS} s, {verdict_memory} {GOAL_MB} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = json.loads(args.child)
        if kind == "read":
            print(json.dumps(child_read(*rest)))
        else:
            print(json.dumps(child_import(*rest)))
        return

    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.machine()}")
    with tempfile.TemporaryDirectory(prefix="gias-bench-") as folder:
        started = time.perf_counter()
        file, links = write_national_file(Path(folder), args.rows)
        next_file, next_links = write_next_release(file, links)
        size = file.stat().st_size / 2**20
        link_rows = links.read_bytes().count(b"\r\n") - 1
        print(
            f"Synthetic GIAS file: {args.rows:,} rows x 139 columns, {size:.1f} MiB, {len(LA_CODES)} LAs; "
            f"links file {link_rows:,} rows (written in {time.perf_counter() - started:.1f} s)"
        )
        baseline = _child(["read", str(file), str(links)])
        print(
            "Baseline, reading alone (read_establishments for every LA + read_links): "
            f"{baseline['seconds']:.2f} s ({baseline['cpu']:.2f} s CPU), "
            f"{baseline['rows'] / baseline['seconds']:,.0f} rows/s, {baseline['kept']:,} rows kept; "
            f"peak resident {baseline['rss_mb']:.0f} MB"
        )

        def sqlite_url(name: str) -> str:
            return f"sqlite:///{Path(folder) / name}"

        files = [str(file), str(links)]
        following = [str(next_file), str(next_links)]
        timed = _child(["import", sqlite_url("timed.db"), *files, *following, False])
        traced = _child(["import", sqlite_url("traced.db"), *files, None, None, True])
        _report("SQLite", baseline, timed, traced)

        if not args.skip_postgres:
            from tests.support.postgres import start_postgres

            server = start_postgres()
            try:
                timed = _child(["import", _postgres_database(server.url, "timed"), *files, *following, False])
                traced = _child(
                    ["import", _postgres_database(server.url, "traced"), *files, None, None, True]
                )
                _report("PostgreSQL", baseline, timed, traced)
            finally:
                server.stop()


if __name__ == "__main__":
    main()
