"""The Content-Security-Policy forbids inline styles and un-nonced inline scripts:
no template may rely on them, or the page would silently break in the browser."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "audit_app" / "templates"
SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)


def templates() -> list[Path]:
    return sorted(TEMPLATES.rglob("*.html"))


def test_no_template_has_an_inline_style():
    offenders = [
        str(path.relative_to(TEMPLATES))
        for path in templates()
        if re.search(r"\sstyle\s*=", path.read_text()) or re.search(r"<style\b", path.read_text())
    ]
    assert offenders == []


def test_every_inline_script_carries_the_nonce():
    offenders = []
    for path in templates():
        for tag in SCRIPT_TAG.findall(path.read_text()):
            if "src=" not in tag and "nonce=" not in tag:
                offenders.append(f"{path.relative_to(TEMPLATES)}: {tag}")
    assert offenders == []


def test_the_page_template_passes_the_nonce_to_govuk_frontend():
    base = (TEMPLATES / "base.html").read_text()
    assert "{% set cspNonce = csp_nonce() %}" in base
