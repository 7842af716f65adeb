"""The page check itself: it must fail on a blank page and on a page whose header is missing."""

from __future__ import annotations

import io

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from .report_builders import render_first_page


def page(header: bool, body_lines: int) -> bytes:
    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer, pagesize=A4)
    width, height = A4
    if header:
        drawing.setFont("Helvetica-Bold", 16)
        drawing.drawString(50, height - 50, "Demoshire Safeguarding Children Partnership")
        drawing.line(50, height - 60, width - 50, height - 60)
    drawing.setFont("Helvetica", 11)
    for line in range(body_lines):
        drawing.drawString(50, height - 120 - 16 * line, "The partnership asks every organisation " * 2)
    drawing.showPage()
    drawing.save()
    return buffer.getvalue()


def test_a_page_with_a_header_and_a_body_passes(tmp_path):
    assert render_first_page(page(header=True, body_lines=40), tmp_path).exists()


def test_a_blank_page_fails(tmp_path):
    with pytest.raises(AssertionError, match="blank"):
        render_first_page(page(header=False, body_lines=0), tmp_path)


def test_a_page_without_its_header_fails(tmp_path):
    with pytest.raises(AssertionError, match="header is missing"):
        render_first_page(page(header=False, body_lines=40), tmp_path)
