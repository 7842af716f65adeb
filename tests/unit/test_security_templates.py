"""The Content-Security-Policy forbids inline styles and un-nonced inline scripts:
no template may rely on them, or the page would silently break in the browser.

Inline event handlers (``onclick=``) and ``javascript:`` addresses are inline
scripts too, which no nonce can allow: the browser refuses them, so a template
using one has a button or link that silently does nothing.
"""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "audit_app" / "templates"
SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)
# An attribute written in the HTML (` onclick=`), or passed to a GOV.UK macro (`"onclick": …`).
EVENT_HANDLER = re.compile(r"""(\son[a-z]+\s*=|["']on[a-z]+["']\s*:)""", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"javascript\s*:", re.IGNORECASE)


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


def test_no_template_has_an_inline_event_handler_or_a_javascript_address():
    offenders = []
    for path in templates():
        text = path.read_text()
        for pattern in (EVENT_HANDLER, JAVASCRIPT_URL):
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                offenders.append(f"{path.relative_to(TEMPLATES)}:{line}: {match.group(0).strip()}")
    assert offenders == []


@pytest.mark.parametrize(
    "html",
    [
        '<button onclick="send()">',
        "<a class=x\n onmouseover='go()'>",
        '<body ONLOAD="start()">',
        '{{ govukButton({"text": "Go", "attributes": {"onclick": "go()"}}) }}',
        '<a href="javascript:void(0)">',
        '<a href="JavaScript : alert(1)">',
    ],
)
def test_the_checks_catch_handlers_and_javascript_addresses(html):
    assert EVENT_HANDLER.search(html) or JAVASCRIPT_URL.search(html)


@pytest.mark.parametrize("html", ['<form action="/x">', '<input name="confirm">', "<p>Go on, then.</p>"])
def test_the_checks_leave_ordinary_attributes_and_words_alone(html):
    assert not (EVENT_HANDLER.search(html) or JAVASCRIPT_URL.search(html))
