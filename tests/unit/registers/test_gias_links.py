"""The GIAS links file, and following a school through conversions and mergers."""

from __future__ import annotations

from datetime import date

import pytest

from audit_app.registers.gias import (
    GiasFileError,
    Link,
    Succession,
    predecessor_chain,
    read_links,
    successor_chain,
)

from .gias_builders import SAMPLE_LINKS

HEADER = b'"URN","LinkURN","LinkName","LinkType","LinkEstablishedDate"\r\n'


def link(urn, link_urn, link_type="Successor"):
    return Link(urn, link_urn, "", link_type, None)


@pytest.fixture(scope="module")
def sample():
    return Succession(read_links(SAMPLE_LINKS))


def test_the_sample_links_file_reads_in_file_order():
    links = read_links(SAMPLE_LINKS)
    assert len(links) == 12
    assert links[0] == Link(120108, 150420, "Demchester Academy", "Successor", date(2024, 8, 31))


def test_an_academy_conversion_leads_from_the_old_urn_to_the_new(sample):
    assert sample.successors(120108) == [150420]
    assert sample.predecessors(150420) == [120108]


def test_a_two_step_chain_is_followed_to_the_end(sample):
    # Infant school → primary school (amalgamation) → primary academy (conversion).
    assert sample.successor_chain(120109) == [136420, 144500]
    assert sample.predecessor_chain(144500) == [136420, 120109]


def test_an_amalgamation_lists_every_school_merged(sample):
    assert sample.predecessor_chain(147230) == [120112, 120113]
    assert sample.successor_chain(120112) == [147230]


def test_links_that_are_not_succession_are_not_followed(sample):
    # Hollybank School and Kestrel Cross Special Academy are linked as "Other".
    assert sample.successor_chain(120501) == []
    assert sample.predecessor_chain(145300) == []


def test_a_school_with_no_links_has_an_empty_chain(sample):
    assert sample.successor_chain(999999) == []


def test_one_direction_of_a_link_is_enough():
    only_successor = [link(1, 2, "Successor")]
    only_predecessor = [link(2, 1, "Predecessor - merged")]
    assert successor_chain(1, only_successor) == successor_chain(1, only_predecessor) == [2]
    assert predecessor_chain(2, only_successor) == [1]


def test_a_split_school_lists_both_successors_nearest_first():
    links = [link(1, 3, "Successor - Split School"), link(1, 2), link(3, 4)]
    assert successor_chain(1, links) == [2, 3, 4]


def test_a_loop_in_the_links_ends():
    assert successor_chain(1, [link(1, 2), link(2, 3), link(3, 1)]) == [2, 3]


def test_blank_link_dates_are_allowed():
    links = read_links(HEADER + b'"100016","132245","Kingsgate Primary School","Successor",""\r\n')
    assert links == [Link(100016, 132245, "Kingsgate Primary School", "Successor", None)]


def test_a_links_file_with_bad_rows_raises_with_every_problem():
    data = (
        HEADER
        + b'"12A","100001","X","Successor","01-09-2012"\r\n'
        + (b'"100002","100003","Y","Successor","31-13-2012"\r\n')
    )
    with pytest.raises(GiasFileError) as raised:
        read_links(data)
    assert [(p.row, p.column) for p in raised.value.problems] == [
        (2, "URN"),
        (3, "LinkEstablishedDate"),
    ]
    assert "Row 2, URN: “12A” is not a URN" in str(raised.value)


def test_a_links_file_without_a_needed_column_is_refused():
    with pytest.raises(GiasFileError) as raised:
        read_links(b'"URN","LinkName","LinkType"\r\n"1","x","Successor"\r\n')
    assert [(p.row, p.column) for p in raised.value.problems] == [(None, "LinkURN")]


def test_an_unreadable_links_file_is_refused_not_crashed_on():
    with pytest.raises(GiasFileError, match="empty"):
        read_links(b"")
