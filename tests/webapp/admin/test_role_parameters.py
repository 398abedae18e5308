"""Role-list parameters are chosen by role name and stored as the codes the workflow reads."""

from tests.webapp.admin.parameter_rows import param, row_of


def test_list_shows_role_names_not_codes(client, admin, db):
    page = client.get("/admin/parameters").get_data(as_text=True)
    recorders = row_of(page, "warning.committee_recorder_roles")
    assert "科长（审核）" in recorders and "reviewer" not in recorders
    chain = row_of(page, "warning.tier3.approval_chain")
    assert "科长（审核） → 分管领导（审定） → 部长（审定） → 党委" in chain
    assert "approver" not in chain


def test_role_set_is_edited_as_named_checkboxes_and_stored_as_codes(client, admin, db):
    recorders = param(db, "warning.committee_recorder_roles")
    page = client.get(f"/admin/parameters/{recorders.id}").get_data(as_text=True)
    assert 'type="checkbox"' in page and "分管领导（审定）" in page
    assert 'name="value"' not in page  # no free text box for codes
    response = client.post(
        f"/admin/parameters/{recorders.id}", data={"roles": ["approver", "reviewer"]}
    )
    assert response.status_code == 302
    db.session.refresh(recorders)
    assert recorders.value == "reviewer,approver"  # in the roles' own order, as before


def test_unknown_or_no_role_is_refused_in_chinese(client, admin, db):
    recorders = param(db, "warning.committee_recorder_roles")
    page = client.post(
        f"/admin/parameters/{recorders.id}", data={"roles": ["reviewer", "hacker"]}
    ).get_data(as_text=True)
    assert "未知角色：hacker" in page
    # Nothing ticked: the browser sends only the button (and the CSRF token).
    assert "请至少选择一个角色" in client.post(
        f"/admin/parameters/{recorders.id}", data={"submit": "保存"}
    ).get_data(as_text=True)
    # 党委 is a step of a chain, not a role a user holds.
    assert "未知角色：committee" in client.post(
        f"/admin/parameters/{recorders.id}", data={"roles": ["committee"]}
    ).get_data(as_text=True)
    db.session.refresh(recorders)
    assert recorders.value == "reviewer"


def test_approval_chain_keeps_the_chosen_order(client, admin, db):
    chain = param(db, "warning.tier2.approval_chain")
    page = client.get(f"/admin/parameters/{chain.id}").get_data(as_text=True)
    assert "第 1 步" in page and "部长（审定）" in page
    steps = ["approver", "", "reviewer", "committee", ""]
    assert client.post(f"/admin/parameters/{chain.id}", data={"steps": steps}).status_code == 302
    db.session.refresh(chain)
    assert chain.value == "approver,reviewer,committee"


def test_approval_chain_refuses_unknown_repeated_or_empty_steps(client, admin, db):
    chain = param(db, "warning.tier1.approval_chain")
    url = f"/admin/parameters/{chain.id}"
    page = client.post(url, data={"steps": ["reviewer", "boss"]}).get_data(as_text=True)
    assert "未知角色：boss" in page
    page = client.post(url, data={"steps": ["reviewer", "reviewer"]}).get_data(as_text=True)
    assert "同一角色在审批链中只能出现一次" in page
    page = client.post(url, data={"steps": ["", ""]}).get_data(as_text=True)
    assert "请至少选择一个角色" in page
    db.session.refresh(chain)
    assert chain.value == "reviewer,approver"


def test_a_refused_chain_keeps_what_was_chosen(client, admin, db):
    chain = param(db, "warning.tier1.approval_chain")
    page = client.post(
        f"/admin/parameters/{chain.id}", data={"steps": ["minister", "boss"]}
    ).get_data(as_text=True)
    assert '<option selected value="minister">' in page
