"""Find a parameter and its row on 参数管理 (the parameter page tests share them)."""

from sqlalchemy import select

from webapp.models import Parameter


def param(db, key: str) -> Parameter:
    """Return the stored parameter with this key."""
    return db.session.scalars(select(Parameter).where(Parameter.key == key)).one()


def row_of(page: str, key: str) -> str:
    """Return the HTML of the parameter's row on the list page."""
    return page.split(f'data-key="{key}"')[1].split("</tr>")[0]
