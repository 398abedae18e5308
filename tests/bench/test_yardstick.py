"""The yardstick does a page's kind of work: rows read into objects, rendered escaped."""

from __future__ import annotations

from bench.yardstick import ROWS, make_page, yardstick_ms


def test_the_page_reads_and_renders_every_row_escaped():
    page = make_page()()
    assert page.count("<tr>") == ROWS
    assert "科长 &lt;主持工作&gt;" in page and "<主持工作>" not in page


def test_the_yardstick_is_a_time_in_ms():
    assert 0 < yardstick_ms() < 60_000
