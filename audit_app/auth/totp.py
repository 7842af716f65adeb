"""Time-based one-time codes (RFC 6238) from an authenticator app, and the QR code to enrol.

Plain functions of a secret, a code and a time: the database side (keeping the
secret, refusing a code used before) is in audit_app/data/people.py.
"""

from __future__ import annotations

import base64
import hmac
import time

import pyotp
from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel

ISSUER = "Safeguarding self-audit"
DIGITS = 6
# Accept the code of the step before and after the current one: phone clocks
# drift and people take a few seconds to type (RFC 6238 section 5.2).
DRIFT_STEPS = 1
_QUIET_ZONE = 4  # modules of white around a QR code, as the standard asks


def new_secret() -> str:
    """160 random bits in base32, the size RFC 4226 recommends and apps expect."""
    return pyotp.random_base32(32)


def grouped(secret: str) -> str:
    """The secret in groups of four, easier to copy into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def provisioning_uri(secret: str, email: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret, digits=DIGITS).provisioning_uri(name=email, issuer_name=ISSUER)


def normalise_code(code: str | None) -> str:
    """People type codes with spaces or a dash in the middle, as apps show them."""
    return "".join(ch for ch in (code or "") if ch not in " -\u00a0")


def matching_step(secret: str, code: str, now: float | None = None) -> int | None:
    """The time step whose code this is, within the drift allowed; None if it matches none."""
    code = normalise_code(code)
    if len(code) != DIGITS or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret, digits=DIGITS)
    current = int((time.time() if now is None else now) // totp.interval)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def qr_code_data_uri(text: str) -> str:
    """A QR code of ``text`` as an SVG ``data:`` address, for an <img> the CSP allows.

    Drawn from the module grid of reportlab's QR encoder as one path of
    horizontal runs, which keeps it a few kilobytes rather than the hundreds
    that a rectangle per module would take.
    """
    qr = QRCode(None, QRErrorCorrectLevel.M)
    qr.addData(text)
    qr.make()
    count = qr.getModuleCount()
    size = count + 2 * _QUIET_ZONE
    runs = []
    for row in range(count):
        col = 0
        while col < count:
            if not qr.isDark(row, col):
                col += 1
                continue
            start = col
            while col < count and qr.isDark(row, col):
                col += 1
            runs.append(f"M{start + _QUIET_ZONE} {row + _QUIET_ZONE}h{col - start}v1h-{col - start}z")
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'shape-rendering="crispEdges"><rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path fill="#000" d="{"".join(runs)}"/></svg>'
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
