"""Report steps through the service: intake with the category's fields and the standard address, photos checked
by content, the clocks on the officer's to-do, the closure gate, duplicates offered and linked, hand-over to
mediation through its service, and every step audited and on the timeline."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from pingan.core import clock
from pingan.core.errors import InvalidTransition, NotFound, PayloadTooLarge, ValidationFailed
from pingan.grid import clocks, timeline
from pingan.grid.models import HandoverTarget, ReportStatus
from pingan.grid.report import service as reports
from pingan.grid.schemas import HandoverIn, parse
from pingan.grid.vocabulary import Clock
from pingan.mediation.models import Dispute, Source
from pingan.platform.audit.models import AuditEvent
from pingan.platform.deadlines import service as deadlines
from pingan.platform.deadlines.models import ClockStatus
from tests.grid.factories import JPEG, PNG


def _actions(db, report) -> list[str]:
    return list(db.scalars(select(AuditEvent.action).where(AuditEvent.entity_type == "grid_report",
                                                           AuditEvent.entity_id == str(report.id))
                           .order_by(AuditEvent.id)))


def _clock(db, report, kind):
    return next(c for c in clocks.all_clocks(db, report) if c.kind == kind)


def test_a_report_reaches_the_covering_officer_with_its_accept_and_feedback_clocks(db, g):
    report = g.report()
    assert report.status is ReportStatus.SUBMITTED and report.address.code == "T-001"
    assert report.fields == {"hazard_kind": "electric", "urgent": "yes"}
    accept = _clock(db, report, Clock.REPORT_ACCEPT)
    feedback = _clock(db, report, Clock.REPORT_FEEDBACK)
    assert accept.assignee_id == g.officer.id and accept.due_at - report.submitted_at == dt.timedelta(hours=4)
    assert feedback.due_at - report.submitted_at == dt.timedelta(hours=24)
    todo = deadlines.todo_for(db, g.officer)
    assert {c.kind for c in todo.due_soon + todo.overdue + todo.later} >= {Clock.REPORT_ACCEPT, Clock.REPORT_FEEDBACK}


def test_a_complex_category_gets_the_longer_feedback_limit(db, g):
    report = g.report(category="dispute", fields={"parties_count": "2", "risk_of_violence": "no"})
    assert report.is_complex and report.fields["parties_count"] == 2
    assert _clock(db, report, Clock.REPORT_FEEDBACK).due_at - report.submitted_at == dt.timedelta(days=5)


def test_the_whole_path_accept_handle_feedback_close(db, g):
    report = g.report()
    reports.accept(db, report=report, note="马上去看", actor=g.officer)
    reports.handle(db, report=report, handling="已联系供电所处理", actor=g.officer)
    reports.feedback(db, report=report, text="供电所已更换电线", actor=g.officer)
    reports.close(db, report=report, note="", actor=g.officer)
    assert report.status is ReportStatus.CLOSED
    assert {c.kind: c.status for c in clocks.all_clocks(db, report)} == {
        Clock.REPORT_ACCEPT: ClockStatus.MET, Clock.REPORT_FEEDBACK: ClockStatus.MET}
    assert [e.kind for e in timeline.of(db, report)] == ["submitted", "accepted", "handled", "fed_back", "closed"]
    assert _actions(db, report) == ["grid.report.submitted", "grid.report.accepted", "grid.report.handled",
                                    "grid.report.fed_back", "grid.report.closed"]


def test_the_closure_gate_refuses_a_close_without_feedback_and_changes_nothing(db, g):
    report = g.report()
    reports.accept(db, report=report, note="", actor=g.officer)
    reports.handle(db, report=report, handling="已处理", actor=g.officer)
    with pytest.raises(InvalidTransition) as refused:
        reports.close(db, report=report, note="", actor=g.officer)
    assert refused.value.code == "report.feedback_required"
    assert report.status is ReportStatus.HANDLED and report.closed_at is None


def test_unknown_and_missing_fields_are_named(db, g):
    with pytest.raises(ValidationFailed) as refused:
        g.report(fields={"hazard_kind": "volcano", "colour": "red"})
    assert {(d.field, d.code) for d in refused.value.details} == {
        ("fields.hazard_kind", "not_allowed"), ("fields.colour", "unknown_field"), ("fields.urgent", "required")}


def test_an_address_of_another_grid_is_refused(db, g):
    with pytest.raises(ValidationFailed) as refused:
        g.report(address_code="J-001")
    assert refused.value.details[0].field == "address_code"


def test_free_address_text_is_tied_to_the_standard_address_and_coordinates_alone_will_do(db, g):
    assert g.report(address_code=None, address_text="新下岙村32号").address.code == "T-032"
    located = g.report(address_code=None, latitude=28.6, longitude=121.2)
    assert located.address is None and located.latitude == 28.6


def test_a_grid_worker_cannot_report_into_another_grid(db, g):
    with pytest.raises(NotFound):
        g.report(actor=g.other_worker)


def test_the_same_idempotency_key_twice_is_one_report(db, g):
    first = g.report(idempotency_key="phone-abc-0001")
    again = g.report(idempotency_key="phone-abc-0001", description="再次发送")
    assert again.id == first.id and again.description == first.description


def test_photos_are_checked_by_content_and_size(db, g, monkeypatch):
    report = g.report()
    assert reports.add_photo(db, report=report, data=PNG, actor=g.worker).content_type == "image/png"
    assert reports.add_photo(db, report=report, data=JPEG, actor=g.worker).content_type == "image/jpeg"
    assert reports.add_photo(db, report=report, data=PNG, actor=g.worker) is report.photos[0]  # once
    with pytest.raises(ValidationFailed):
        reports.add_photo(db, report=report, data=b"GIF89a not ours", actor=g.worker)
    from pingan.grid.settings import get_grid_settings  # lazy: the limit is lowered for this test only

    monkeypatch.setattr(get_grid_settings(), "photo_max_bytes", 10)
    with pytest.raises(PayloadTooLarge):
        reports.add_photo(db, report=report, data=PNG, actor=g.worker)
    assert len(report.photos) == 2


def test_a_duplicate_is_offered_within_seven_days_and_a_linked_copy_takes_no_updates(db, g):
    original = g.report()
    clock.shift(dt.timedelta(days=2))
    copy = g.report(description="村口电线还是裸露")
    assert [r.id for r in reports.possible_duplicates(db, copy)] == [original.id]
    assert reports.possible_duplicates(db, g.report(category="other", fields={})) == []
    reports.link(db, report=copy, original_id=original.id, actor=g.officer)
    assert copy.status is ReportStatus.LINKED and copy.duplicate_of_id == original.id
    assert all(c.status is ClockStatus.CANCELLED for c in clocks.all_clocks(db, copy))
    assert "duplicate_linked" in [e.kind for e in timeline.of(db, original)]
    with pytest.raises(InvalidTransition):
        reports.accept(db, report=copy, note="", actor=g.officer)
    with pytest.raises(InvalidTransition):
        reports.add_photo(db, report=copy, data=PNG, actor=g.worker)


def test_a_report_older_than_the_window_is_not_offered(db, g):
    g.report()
    clock.shift(dt.timedelta(days=8))
    assert reports.possible_duplicates(db, g.report()) == []


def test_hand_over_to_mediation_takes_in_a_dispute_there(db, g):
    report = g.report(category="dispute", fields={"parties_count": 2, "risk_of_violence": "no"},
                      description="邻里因漏水争吵")
    reports.accept(db, report=report, note="", actor=g.officer)
    body = {"target": "mediation", "mediation_category": "neighbour",
            "parties": [{"name": "王大山", "phone": "13905760001"}, {"name": "李小水", "phone": "13905760002"}]}
    reports.handover(db, report=report, data=parse(HandoverIn, body), actor=g.officer)
    dispute = db.get(Dispute, int(report.handover_ref))
    assert report.status is ReportStatus.HANDED_OVER and report.handover_to is HandoverTarget.MEDIATION
    assert dispute.source is Source.GRID_REPORT and dispute.summary == "邻里因漏水争吵"
    assert dispute.community.code == "331003-01-01" and [p.name for p in dispute.parties] == ["王大山", "李小水"]


def test_hand_over_to_another_department_is_recorded(db, g):
    report = g.report()
    reports.accept(db, report=report, note="", actor=g.officer)
    reports.handover(db, report=report, data=parse(HandoverIn, {"target": "department", "department": "供电所"}),
                     actor=g.officer)
    assert report.status is ReportStatus.HANDED_OVER and report.handover_ref == "供电所"


def test_handover_to_mediation_without_parties_or_to_no_department_is_422(db, g):
    for body in ({"target": "mediation"}, {"target": "department"}):
        with pytest.raises(ValidationFailed):
            parse(HandoverIn, body)
