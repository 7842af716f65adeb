"""Structured report content: headings, paragraphs and captioned tables, in plain data.

A report that exists both as a PDF and as an accessible web page is written once as a
list of :class:`Section` s; the PDF builder lays them out and the app renders them as
HTML (a heading per section, ``<caption>`` and ``<th>`` for each table), so the two
carry the same figures in the same words.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Cell:
    """One table cell. ``colour`` ("green", "amber", "red" or empty) may tint it, but
    ``text`` always says the same thing in words; ``short`` is an abbreviation for
    narrow layouts (e.g. "G" for "Green"), explained in the section's text."""

    text: str
    colour: str = ""
    short: str = ""


@dataclass(frozen=True)
class Table:
    """A table with a caption and one header row. With ``row_headers`` the first
    column names each row (``<th scope="row">``). ``numeric`` lists the columns of
    figures, which read best right-aligned."""

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    row_headers: bool = True
    numeric: tuple[int, ...] = ()


@dataclass(frozen=True)
class Section:
    """A headed part of a report: ``key`` is a stable identifier (an HTML id);
    ``paragraphs`` come first, then ``items`` as a bulleted list, then ``tables``."""

    key: str
    title: str
    paragraphs: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
