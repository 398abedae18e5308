"""Pick lists offer only what can work: handlers who may take the item, units in scope."""

from __future__ import annotations

import re

from tests.factories import make_report, make_user
from webapp.models import DataScope
from workflows.verification import Status


def options(page: str, name: str) -> set[str]:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select, name
    return set(re.findall(r'<option[^>]*value="([^"]*)"', select.group(1)))


def test_handler_list_offers_only_editors_whose_scope_covers_the_cadre(
    client, db, world, as_supervisor
):
    colleague = make_user("supervisor", world.mine, DataScope.UNIT)
    far = make_user("supervisor", world.other, DataScope.UNIT)
    viewer = make_user("viewer", world.mine, DataScope.UNIT)
    retired = make_user("supervisor", world.mine, DataScope.UNIT)
    retired.active = False
    info = make_report(world.cadre)
    page = client.get(f"/negative-info/{info.id}").get_data(as_text=True)
    offered = options(page, "handler_id")
    assert {str(as_supervisor.id), str(colleague.id)} <= offered
    assert not {str(far.id), str(viewer.id), str(retired.id)} & offered


def test_posting_an_out_of_scope_handler_is_refused_beside_the_field(
    client, db, world, as_supervisor
):
    far = make_user("supervisor", world.other, DataScope.UNIT)
    info = make_report(world.cadre)
    response = client.post(
        f"/negative-info/{info.id}/start",
        data={"handler_id": str(far.id), "version": str(info.version)},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    marker = page.index('id="handler_id-errors"')
    assert "数据权限覆盖该干部" in page[marker : page.index("</ul>", marker)]
    db.session.refresh(info)
    assert info.status == Status.PENDING


def test_register_unit_filter_offers_only_units_in_scope(client, db, world, as_supervisor):
    offered = options(client.get("/negative-info/").get_data(as_text=True), "unit_id")
    assert str(world.mine.id) in offered
    assert str(world.other.id) not in offered
    assert str(world.root.id) not in offered
