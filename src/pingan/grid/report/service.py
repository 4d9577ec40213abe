"""Report steps: submit (with the category's fields, the standard address, duplicates offered, sent once per
idempotency key), photos, accept, handle, hand over (to mediation through its service, to the police as a call
the cases module takes in through the platform, to another department, recorded), feed back, close (only after
feedback), link a copy to its original. Each step goes through the status table, with its clocks, timeline, audit
and notices; what the station did with a report handed to it comes back onto the report's timeline."""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy.orm import Session

from pingan.core import clock
from pingan.core.errors import ErrorDetail, ValidationFailed, not_found
from pingan.core.schemas import invalid_request, parse
from pingan.grid import clocks, timeline
from pingan.grid import repository as repo
from pingan.grid.models import HandoverTarget, Photo, Report, ReportStatus
from pingan.grid.report import categories, photos
from pingan.grid.report.transitions import check_open, next_status
from pingan.grid.schemas import HandoverIn, ReportIn
from pingan.grid.settings import get_grid_settings
from pingan.grid.vocabulary import Action, Clock, Topic

# The one import across modules: a dispute is created through mediation's own service (see pyproject.toml).
from pingan.mediation import service as mediation
from pingan.platform import handover as platform_handover
from pingan.platform.audit import service as audit
from pingan.platform.notify import service as notify
from pingan.platform.org.models import OrgUnit, UnitKind
from pingan.platform.places import matching
from pingan.platform.places import service as places
from pingan.platform.places.models import Address
from pingan.platform.records import Record
from pingan.platform.users.models import User


def _invalid(field: str, code: str, message: str) -> ValidationFailed:
    return invalid_request([ErrorDetail(field, code, message)])


def _grid(db: Session, actor: User, code: str) -> OrgUnit:
    grid = repo.grid_by_code(db, code)
    if grid is None:
        raise _invalid("grid_code", "grid.unknown", "没有这个网格 / no such grid")
    return repo.get_grid(db, actor, code)


def _address(db: Session, actor: User, grid: OrgUnit, data: ReportIn) -> Address | None:
    """The standard address picked, or the matcher's sure pick for the text typed; None for coordinates only."""
    if data.address_code:
        address = places.resolve(db, data.address_code)
        if address.grid_id != grid.id:
            raise _invalid("address_code", "address.other_grid", "该地址不在所选网格 / the address is in another grid")
        return address
    if data.address_text:
        best = matching.match(db, actor, data.address_text, limit=1)
        if best and best[0].score >= get_grid_settings().address_match_score and best[0].address.grid_id == grid.id:
            return best[0].address
    return None


def submit(db: Session, *, data: ReportIn, actor: User) -> tuple[Report, bool]:
    """The report and whether it is new: the same idempotency key from the same reporter returns the first one."""
    if data.idempotency_key:
        earlier = repo.by_idempotency_key(db, actor, data.idempotency_key)
        if earlier is not None:
            return earlier, False
    grid = _grid(db, actor, data.grid_code)
    fields, faults = categories.check_fields(data.category, data.fields)
    if faults:
        raise invalid_request(faults)
    address = _address(db, actor, grid, data)
    now = clock.now()
    definition = categories.definitions()[data.category]
    report = Report(
        grid_id=grid.id, category=data.category, status=ReportStatus.SUBMITTED, description=data.description,
        fields=fields, address_id=address.id if address else None,
        address_text=data.address_text or (address.text if address else None), latitude=data.latitude,
        longitude=data.longitude, occurred_at=data.occurred_at or now, submitted_at=now,
        is_complex=definition.complex if data.is_complex is None else data.is_complex, reporter_id=actor.id,
        idempotency_key=data.idempotency_key,
    )
    db.add(report)
    db.flush()
    if address is not None:
        places.mentioned(db, address=address, record=Record("grid", "report", report.id), unit_id=grid.id, at=now,
                         link=clocks.link(report))
    officer = repo.officer_of(db, grid)
    timeline.add(db, report, "submitted", actor, data.description[:200], {"category": data.category.value})
    clocks.start_report_clocks(db, report, officer, grid.parent_id)
    notify.publish(db, topic=Topic.REPORT_SUBMITTED, unit_id=grid.parent_id or grid.id,
                   user_id=officer.id if officer else None, link=clocks.link(report),
                   title=f"网格上报：{definition.name} #{report.id} {grid.name}",
                   payload={"report_id": report.id, "category": data.category.value})
    audit.record(db, actor=actor, action=Action.REPORT_SUBMITTED, entity=report, unit_id=grid.id,
                 data={"category": data.category.value, "grid": grid.code,
                       "address": address.code if address else None})
    return report, True


def possible_duplicates(db: Session, report: Report) -> list[Report]:
    """Same category, same standard address, within the window (7 days): offered at intake, to be linked."""
    if report.status is ReportStatus.LINKED:
        return []
    window = dt.timedelta(days=get_grid_settings().duplicate_window_days)
    return repo.possible_duplicates(db, category=report.category, address_id=report.address_id,
                                    grid_id=report.grid_id, since=report.submitted_at - window,
                                    exclude_id=report.id)


def add_photo(db: Session, *, report: Report, data: bytes, actor: User, field: str = "photo") -> Photo:
    """Attach a JPEG or PNG (checked by content); the same picture twice is kept once."""
    check_open(report.status)
    kind = photos.content_type(data, field=field)
    digest = hashlib.sha256(data).hexdigest()
    existing = next((p for p in report.photos if p.sha256 == digest), None)
    if existing is not None:
        return existing
    if len(report.photos) >= get_grid_settings().photos_per_report:
        raise _invalid(field, "photo.too_many", "照片数量已达上限 / the report has as many photos as allowed")
    photo = Photo(report_id=report.id, content_type=kind, size=len(data), sha256=digest, data=data,
                  added_at=clock.now(), added_by_id=actor.id)
    report.photos.append(photo)
    db.flush()
    timeline.add(db, report, "photo", actor, None, {"photo": photo.id})
    audit.record(db, actor=actor, action=Action.PHOTO_ADDED, entity=report, unit_id=report.grid_id,
                 data={"photo": photo.id, "size": photo.size})
    return photo


def accept(db: Session, *, report: Report, note: str, actor: User) -> Report:
    report.status = next_status(report.status, "accept")
    report.accepted_at, report.accepted_by_id = clock.now(), actor.id
    clocks.met(db, report, Clock.REPORT_ACCEPT)
    timeline.add(db, report, "accepted", actor, note)
    audit.record(db, actor=actor, action=Action.REPORT_ACCEPTED, entity=report, unit_id=report.grid_id,
                 note=note or None)
    return report


def handle(db: Session, *, report: Report, handling: str, actor: User) -> Report:
    report.status = next_status(report.status, "handle")
    report.handled_at, report.handling = clock.now(), handling
    timeline.add(db, report, "handled", actor, handling)
    audit.record(db, actor=actor, action=Action.REPORT_HANDLED, entity=report, unit_id=report.grid_id)
    return report


def _station(grid: OrgUnit) -> OrgUnit | None:
    unit = grid.parent
    while unit is not None and unit.kind is not UnitKind.STATION:
        unit = unit.parent
    return unit


def _to_mediation(db: Session, report: Report, data: HandoverIn, actor: User) -> str:
    grid = report.grid
    community = grid.parent
    station = _station(grid)
    body = {"source": "grid_report", "category": data.mediation_category, "summary": report.description,
            "station_code": station.code if station else "", "community_code": community.code if community else None,
            "place": report.address_text,
            "parties": [p.model_dump(exclude_none=True) for p in data.parties]}
    # The service's own input type, as its module names it (the contract allows the service alone).
    dispute = mediation.take_in(db, data=parse(mediation.DisputeIn, body), actor=actor)
    return str(dispute.id)


def _to_cases(db: Session, report: Report, data: HandoverIn, actor: User) -> str:
    """The police take it in as a call at the grid's station (the cases module, through the platform); the
    call's number comes back. Grid does not import cases: cases registers the receiver."""
    station = _station(report.grid)
    if station is None:
        raise _invalid("target", "grid.no_station", "该网格不属于任何派出所 / the grid is under no police station")
    summary = f"网格上报 #{report.id}（{categories.definitions()[report.category].name}）：{report.description}"
    if data.note:
        summary += f"\n移交说明：{data.note}"
    return platform_handover.hand_over(
        db, platform_handover.GRID_REPORT_CALL, report_id=report.id, station_id=station.id,
        category=report.category.value, summary=summary, address_id=report.address_id,
        address_text=report.address_text, actor=actor)


def handover(db: Session, *, report: Report, data: HandoverIn, actor: User) -> Report:
    """Hand the report on: to mediation (a dispute is taken in there), to the police (a call at the station, taken
    in by cases), to another department (recorded)."""
    status = next_status(report.status, "handover")
    if data.target is HandoverTarget.MEDIATION:
        ref = _to_mediation(db, report, data, actor)
    elif data.target is HandoverTarget.DEPARTMENT:
        ref = data.department
    else:
        ref = _to_cases(db, report, data, actor)
    report.status, report.handover_to, report.handover_ref = status, data.target, ref
    report.handled_at = clock.now()
    timeline.add(db, report, "handed_over", actor, data.note, {"target": data.target.value, "ref": ref})
    audit.record(db, actor=actor, action=Action.REPORT_HANDED_OVER, entity=report, unit_id=report.grid_id,
                 note=data.note or None, data={"target": data.target.value, "ref": ref})
    return report


# What the station did with a call: the words on the report's timeline.
_OUTCOMES = {"case": "已立案", "dispute": "已转调解室", "grid": "按非警务分流回网格", "false": "经核实非警情",
             "repeat": "与此前警情重复"}


@platform_handover.takes(platform_handover.GRID_REPORT_OUTCOME)
def cases_outcome(db: Session, *, report_id: int, call_no: str, disposition: str, case_number: str | None,
                  dispute_id: int | None, note: str, actor: User) -> Report | None:
    """The station disposed of the call this report became: a line on the report's timeline (the case number or
    dispute with it) and a notice to the grid's officer, who feeds back to the reporter. None for a report
    that is gone."""
    report = db.get(Report, report_id)
    if report is None:
        return None
    words = _OUTCOMES.get(disposition, disposition)
    text = f"派出所处置警情 {call_no}：{words}{f' {case_number}' if case_number else ''}{f'（{note}）' if note else ''}"
    timeline.add(db, report, "cases_outcome", actor, text,
                 {"call_no": call_no, "disposition": disposition, "case": case_number, "dispute": dispute_id})
    officer = repo.officer_of(db, report.grid)
    notify.publish(db, topic=Topic.REPORT_POLICE_OUTCOME, unit_id=report.grid.parent_id or report.grid_id,
                   user_id=officer.id if officer else None, link=clocks.link(report),
                   title=f"上报 #{report.id} 派出所已处置：{words}", body=text[:200],
                   payload={"report_id": report.id, "call_no": call_no, "disposition": disposition})
    return report


def feedback(db: Session, *, report: Report, text: str, actor: User) -> Report:
    report.status = next_status(report.status, "feedback")
    report.fed_back_at, report.feedback = clock.now(), text
    deadline = clocks.met(db, report, Clock.REPORT_FEEDBACK)
    on_time = deadline is None or report.fed_back_at <= deadline.due_at
    timeline.add(db, report, "fed_back", actor, text, {"on_time": on_time})
    notify.publish(db, topic=Topic.REPORT_FED_BACK, user_id=report.reporter_id, link=clocks.link(report),
                   title=f"上报 #{report.id} 已反馈", body=text[:200], payload={"report_id": report.id})
    audit.record(db, actor=actor, action=Action.REPORT_FED_BACK, entity=report, unit_id=report.grid_id,
                 data={"on_time": on_time})
    return report


def close(db: Session, *, report: Report, note: str, actor: User) -> Report:
    """Closure gate: only a report that has had its feedback closes (the table refuses the rest, 409)."""
    report.status = next_status(report.status, "close")
    report.closed_at = clock.now()
    clocks.stop_all(db, report)
    timeline.add(db, report, "closed", actor, note)
    audit.record(db, actor=actor, action=Action.REPORT_CLOSED, entity=report, unit_id=report.grid_id,
                 note=note or None)
    return report


def link(db: Session, *, report: Report, original_id: int, actor: User) -> Report:
    """Mark the report a copy of an earlier one of its grid: both timelines show the link, the copy is frozen."""
    original = repo.get_report(db, actor, original_id)
    if original.id == report.id or original.grid_id != report.grid_id or original.status is ReportStatus.LINKED:
        raise _invalid("original_id", "report.not_original",
                       "只能并入本网格的另一份原始上报 / link to another original report of the grid")
    report.status = next_status(report.status, "link")
    report.duplicate_of_id = original.id
    clocks.stop_all(db, report)
    timeline.add(db, report, "linked", actor, f"并入上报 #{original.id}", {"original": original.id})
    timeline.add(db, original, "duplicate_linked", actor, f"上报 #{report.id} 为重复上报", {"copy": report.id})
    audit.record(db, actor=actor, action=Action.REPORT_LINKED, entity=report, unit_id=report.grid_id,
                 data={"original": original.id})
    return report


def view(db: Session, *, user: User, report_id: int) -> Report:
    """A report for a person to read: the read is in the audit trail."""
    report = repo.get_report(db, user, report_id)
    audit.record(db, actor=user, action=Action.REPORT_VIEWED, entity=report, unit_id=report.grid_id)
    return report


def photo(db: Session, *, user: User, report_id: int, photo_id: int) -> Photo:
    report = repo.get_report(db, user, report_id)
    found = next((p for p in report.photos if p.id == photo_id), None)
    if found is None:
        raise not_found("photo", "照片")
    return found
