"""A fixed piece of a page's kind of Python work, timed so runs on different machines compare.

A pure-Python loop (`sum(range(10**7))`) timed the same on two machines whose pages differed
twofold: the pages' work is objects and templates, which neighbours on shared cores slow. This
is that work, with none of the app's code: SQLAlchemy reads 200 rows of 10 columns from an
in-memory SQLite into objects and Jinja renders them as an escaped table. Its time moves with
the machine, not with the commit (the libraries are pinned).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, timedelta

import jinja2
import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

ROWS = 200
ROUNDS = 7  # best of
REPEATS = 10  # reads and renders a round

TEMPLATE = """<table>{% for r in rows %}<tr><td><a href="/r/{{ r.id }}">{{ r.name }}</a></td>
<td>{{ r.unit }}</td><td>{{ r.title }}</td><td>{{ r.rank }}</td><td>{{ r.born.isoformat() }}</td>
<td>{{ r.note }}</td><td>{% if r.young %}<span class="badge">年轻干部</span>{% endif %}</td>
<td>{{ r.colour }}</td><td>{{ r.code }}</td></tr>{% endfor %}</table>"""


class Base(DeclarativeBase):
    """The yardstick's own metadata: none of the app's tables."""


class Row(Base):
    """A register's row: text, a date, a flag."""

    __tablename__ = "row"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    unit: Mapped[str]
    title: Mapped[str]
    rank: Mapped[str]
    born: Mapped[date]
    note: Mapped[str]
    young: Mapped[bool]
    colour: Mapped[str]
    code: Mapped[str]


def make_page() -> Callable[[], str]:
    """Fill an in-memory SQLite with the rows; return what reads and renders them."""
    engine = sa.create_engine("sqlite://", poolclass=sa.pool.StaticPool)
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        session.add_all(
            Row(
                name=f"干部{n}",
                unit=f"东州市第{n % 37}局",
                title="科长 <主持工作>",
                rank="zhengke",
                born=date(1970, 1, 1) + timedelta(days=n * 31),
                note="任现职 & 交流" * 3,
                young=n % 3 == 0,
                colour="green",
                code=f"{n:08d}",
            )
            for n in range(ROWS)
        )
        session.commit()
    template = jinja2.Environment(autoescape=True).from_string(TEMPLATE)

    def page() -> str:
        with Session(engine) as session:
            return template.render(rows=session.scalars(sa.select(Row)).all())

    return page


def yardstick_ms() -> float:
    """Return the best time, in ms, to read and render the rows once."""
    page = make_page()
    best = float("inf")
    for _ in range(ROUNDS):
        started = time.perf_counter()
        for _ in range(REPEATS):
            page()
        best = min(best, (time.perf_counter() - started) * 1000 / REPEATS)
    return best
