"""A throwaway Redis server on 127.0.0.1 for tests of the RQ path."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from .postgres import _free_port


class RedisServer:
    def __init__(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed: `make test` installs Debian's redis-server")
        self.port = _free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="audit-redis-"))
        self.process = subprocess.Popen(
            [
                binary,
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self._wait()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def _wait(self) -> None:
        from redis import Redis

        client = Redis.from_url(self.url)
        for _ in range(100):
            try:
                if client.ping():
                    return
            except OSError:
                time.sleep(0.05)
            except Exception:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        shutil.rmtree(self.folder, ignore_errors=True)
