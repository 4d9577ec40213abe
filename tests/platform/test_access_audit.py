import pytest
from sqlalchemy import select

from pingan.core.errors import NotFound, PermissionDenied
from pingan.platform import access
from pingan.platform.audit import service as audit
from pingan.platform.org import service as org_service
from pingan.platform.org.models import BankBranch
from pingan.platform.users.models import Role


def _audit_in(db, code, action):
    unit = org_service.get_unit(db, code)
    return audit.record(db, actor=None, action=action, entity_type="test", entity_id=code, unit_id=unit.id)


def test_station_sees_its_subtree_only(db, make_user):
    toutuo = make_user(Role.DUTY_OFFICER, unit="331003-01")
    ids = access.visible_unit_ids(db, toutuo)
    codes = {org_service.get_unit(db, c).id for c in ("331003-01", "331003-01-01", "331003-01-01-01")}
    assert set(ids) == codes
    assert access.visible_unit_ids(db, make_user(Role.ANALYST)) is None
    assert access.visible_unit_ids(db, make_user(Role.TELLER)) == []


def test_ensure_visible_reports_missing_not_forbidden(db, make_user):
    toutuo = make_user(Role.DUTY_OFFICER, unit="331003-01")
    other = org_service.get_unit(db, "331003-02-01")
    with pytest.raises(NotFound):
        access.ensure_unit_visible(db, toutuo, other.id)
    access.ensure_unit_visible(db, toutuo, org_service.get_unit(db, "331003-01-01").id)


def test_bank_scope(db, make_user):
    stmt = select(BankBranch.code)
    teller = make_user(Role.TELLER, branch="TZB-02")
    bank = make_user(Role.BANK_SYSTEM, bank="TZB")
    scoped = lambda u: sorted(db.scalars(access.scope(db, stmt, u, unit_column=BankBranch.station_id,  # noqa: E731
                                                      bank_column=BankBranch.bank_id,
                                                      branch_column=BankBranch.id)))
    assert scoped(teller) == ["TZB-02"]
    assert scoped(bank) == ["TZB-01", "TZB-02"]
    assert scoped(make_user(Role.DUTY_OFFICER, unit="331003-01")) == ["HYRCB-01", "TZB-01"]


def test_require_role(make_user):
    access.require_role(make_user(Role.ADMIN), Role.ANALYST)
    with pytest.raises(PermissionDenied):
        access.require_role(make_user(Role.TELLER), Role.ANALYST)


def test_audit_trail_scoped_across_stations(db, make_user, client_for):
    _audit_in(db, "331003-01", "test.toutuo")
    _audit_in(db, "331003-02-01", "test.jiangkou")
    jiangkou = client_for(make_user(Role.DUTY_OFFICER, unit="331003-02"))
    actions = {r["action"] for r in jiangkou.get("/api/v1/audit?action=test.").json()}
    assert actions == {"test.jiangkou"}
    analyst = client_for(make_user(Role.ANALYST))
    assert {r["action"] for r in analyst.get("/api/v1/audit?action=test.").json()} == {"test.toutuo",
                                                                                      "test.jiangkou"}


def test_audit_page_forbidden_to_teller_and_filters_work(db, make_user, client_for):
    _audit_in(db, "331003-01", "test.page")
    teller = client_for(make_user(Role.TELLER))
    assert teller.get("/api/v1/audit").status_code == 403
    page = client_for(make_user(Role.ANALYST)).get("/audit?action=test.page", headers={"accept": "text/html"})
    assert page.status_code == 200 and "test.page" in page.text


def test_audit_record_carries_actor_entity_and_unit(db, make_user):
    officer = make_user(Role.DUTY_OFFICER, unit="331003-02")
    branch = org_service.get_branch(db, "TZB-02")
    event = audit.record(db, actor=officer, action="branch.view", entity=branch, note="看一下")
    assert (event.entity_type, event.entity_id) == ("org_bank_branch", str(branch.id))
    assert event.unit_id == branch.station_id and event.actor_name == officer.display_name


def test_audit_rows_carry_the_client_address(client_for, make_user, db):
    user = make_user(Role.DUTY_OFFICER)
    client_for(user)  # logs in through the page
    row = db.scalar(select(audit.AuditEvent).where(audit.AuditEvent.action == "platform.session.started",
                                                   audit.AuditEvent.actor_id == user.id))
    assert row.ip == "testclient"
