"""Benchmark: the CPU one password check costs, at the app's argon2id cost and at the library's default.

    python bench/passwords.py              # 20 checks of each
    python bench/passwords.py --checks 50

Hashes one password with the app's hasher (``audit_app.passwords``) and with
argon2-cffi's default ``PasswordHasher()``, then times ``verify`` of each, the
two alternately so that both see the same machine load. Prints the median CPU
time (this process, all threads: argon2 runs its lanes in threads) and wall
time per check, and the ratio of the default to the app's. Every sign-in costs
one check. It asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from importlib.metadata import version
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parents[1])

from argon2 import PasswordHasher  # noqa: E402

from audit_app.passwords import hash_password, verify_password  # noqa: E402

PASSWORD = "bench passphrase long enough"


def timed(check) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    assert check()
    return time.process_time() - cpu, time.perf_counter() - wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checks", type=int, default=20, help="checks of each hasher")
    checks = parser.parse_args().checks

    default = PasswordHasher()
    app_hash, default_hash = hash_password(PASSWORD), default.hash(PASSWORD)
    print(f"Python {sys.version.split()[0]}, argon2-cffi {version('argon2-cffi')}")
    print(f"App:     {app_hash.rsplit('$', 2)[0]}")
    print(f"Default: {default_hash.rsplit('$', 2)[0]}")
    results: dict[str, list[tuple[float, float]]] = {"app": [], "default": []}
    for _ in range(checks):
        results["app"].append(timed(lambda: verify_password(app_hash, PASSWORD)))
        results["default"].append(timed(lambda: default.verify(default_hash, PASSWORD)))
    medians = {}
    for name, runs in results.items():
        cpu = statistics.median(run[0] for run in runs) * 1000
        wall = statistics.median(run[1] for run in runs) * 1000
        medians[name] = cpu
        print(f"  {name:<8} median CPU {cpu:6.1f} ms   wall {wall:6.1f} ms   per check, {checks} checks")
    print(f"Ratio, default / app (CPU): {medians['default'] / medians['app']:.1f}x")


if __name__ == "__main__":
    main()
