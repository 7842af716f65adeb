"""Checks that every HTML page a test fetches keeps the service's conventions.

Applied automatically by the test client: the page parses as HTML without
errors, has exactly one h1, its title starts with that h1 (after an "Error: "
prefix on a failed form), and every link in an error summary points at an
element that exists.
"""

from __future__ import annotations

import html5lib
from bs4 import BeautifulSoup


class PageConventionError(AssertionError):
    pass


def check_page(html: str, url: str = "") -> BeautifulSoup:
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        parser.parse(html)
    except html5lib.html5parser.ParseError as exc:
        line = html.splitlines()[parser.errors[0][0][0] - 1] if parser.errors else ""
        raise PageConventionError(f"{url}: HTML does not parse: {exc}\n  near: {line.strip()[:200]}") from exc

    soup = BeautifulSoup(html, "html.parser")
    headings = soup.find_all("h1")
    if len(headings) != 1:
        raise PageConventionError(f"{url}: expected one h1, found {len(headings)}")
    h1 = " ".join(headings[0].get_text().split())
    title = " ".join(soup.title.get_text().split()) if soup.title else ""
    if title.startswith("Error: "):
        title = title[len("Error: ") :]
    if not title.startswith(h1):
        raise PageConventionError(f"{url}: title {title!r} does not start with the h1 {h1!r}")

    summary = soup.select_one(".govuk-error-summary")
    if summary is not None:
        for link in summary.select("a[href^='#']"):
            target = link["href"][1:]
            if soup.find(id=target) is None:
                raise PageConventionError(
                    f"{url}: error summary links to #{target}, which is not on the page"
                )
    return soup
