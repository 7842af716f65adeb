"""A throwaway PostgreSQL server for the test run.

Debian's PostgreSQL refuses to initialise a cluster as root, so initdb and
pg_ctl run as the ``postgres`` user. The server listens on 127.0.0.1 only,
with fsync off: the data lives for one test run.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


class PostgresUnavailable(RuntimeError):
    pass


def _binary_dir() -> Path:
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "pg_ctl").exists():
            return candidate
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    raise PostgresUnavailable("PostgreSQL is not installed (no pg_ctl); `make test` installs it")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class PostgresServer:
    data_dir: Path
    port: int
    bin_dir: Path
    run_as: list[str]

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        subprocess.run(
            [*self.run_as, str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-m", "fast", "stop"],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.data_dir, ignore_errors=True)


def start_postgres() -> PostgresServer:
    bin_dir = _binary_dir()
    data_dir = Path(tempfile.mkdtemp(prefix="audit-pg-"))
    run_as: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(data_dir, "postgres", "postgres")
        run_as = ["runuser", "-u", "postgres", "--"]
    data_dir.chmod(0o700)
    port = _free_port()

    def run(*args: str) -> None:
        result = subprocess.run([*run_as, *args], capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise PostgresUnavailable(
                f"{' '.join(args[:2])} failed: {result.stderr.strip() or result.stdout.strip()}"
            )

    run(
        str(bin_dir / "initdb"),
        "-D",
        str(data_dir),
        "-U",
        "postgres",
        "--auth=trust",
        "-E",
        "UTF8",
        "--locale=C",
    )
    options = (
        f"-c listen_addresses=127.0.0.1 -p {port} -k {data_dir} "
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    )
    run(
        str(bin_dir / "pg_ctl"),
        "-D",
        str(data_dir),
        "-o",
        options,
        "-l",
        str(data_dir / "server.log"),
        "-w",
        "start",
    )
    return PostgresServer(data_dir=data_dir, port=port, bin_dir=bin_dir, run_as=run_as)
