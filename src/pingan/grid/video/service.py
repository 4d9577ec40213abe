"""Video-call steps: a grid worker calls the community officer from a report (the officer's browser rings), the
browsers exchange their offer, answer and ICE candidates through Pingan, the callee answers or declines, either
side hangs up; a snapshot taken during the call is attached to the report. Who, when and how long go on the
report's timeline and in the audit trail."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pingan.core import clock
from pingan.core.errors import Conflict, ErrorDetail, NotFound
from pingan.core.schemas import invalid_request
from pingan.grid import repository as repo
from pingan.grid import timeline
from pingan.grid.models import Report, VideoCall, VideoSignal, VideoStatus
from pingan.grid.report import service as reports
from pingan.grid.report.transitions import check_open
from pingan.grid.video.transitions import next_status
from pingan.grid.vocabulary import Action
from pingan.platform.audit import service as audit
from pingan.platform.users.models import User

RELAYED = ("offer", "answer", "candidate")


def _signal(db: Session, call: VideoCall, recipient_id: int, kind: str, payload: dict | None = None) -> None:
    db.add(VideoSignal(call_id=call.id, recipient_id=recipient_id, kind=kind, payload=payload or {},
                       at=clock.now()))


def _other(call: VideoCall, user: User) -> int:
    return call.callee_id if user.id == call.caller_id else call.caller_id


def start(db: Session, *, report: Report, actor: User) -> VideoCall:
    """Ring the other side of the report: the community officer of its grid (or, for the officer, the reporter)."""
    check_open(report.status)
    officer = repo.officer_of(db, report.grid)
    callee = db.get(User, report.reporter_id) if officer is not None and officer.id == actor.id else officer
    if callee is None or callee.id == actor.id:
        raise Conflict("video.no_callee", "该网格没有可呼叫的社区民警 / no one to call for this report")
    call = VideoCall(report_id=report.id, caller_id=actor.id, callee_id=callee.id, status=VideoStatus.RINGING,
                     rang_at=clock.now())
    db.add(call)
    db.flush()
    _signal(db, call, callee.id, "ring", {"report_id": report.id, "caller": actor.display_name,
                                          "summary": report.description[:60]})
    audit.record(db, actor=actor, action=Action.VIDEO_STARTED, entity=report, unit_id=report.grid_id,
                 data={"call": call.id, "callee": callee.username})
    return call


def get(db: Session, user: User, call_id: int) -> VideoCall:
    """A call the user takes part in, on a report in their scope; 404 otherwise."""
    call = db.get(VideoCall, call_id)
    if call is None or user.id not in (call.caller_id, call.callee_id):
        raise NotFound("video.not_found", "通话不存在 / call not found")
    repo.get_report(db, user, call.report_id)
    return call


def relay(db: Session, *, call: VideoCall, kind: str, payload: dict, actor: User) -> None:
    """Pass an offer, answer or ICE candidate to the other browser."""
    if kind not in RELAYED:
        raise invalid_request([ErrorDetail("kind", "not_allowed", "信令类型无效 / not a signal kind")])
    next_status(call.status, "signal")
    _signal(db, call, _other(call, actor), kind, payload)


def answer(db: Session, *, call: VideoCall, actor: User) -> VideoCall:
    _callee_only(call, actor)
    call.status = next_status(call.status, "answer")
    call.answered_at = clock.now()
    _signal(db, call, call.caller_id, "answered")
    return call


def decline(db: Session, *, call: VideoCall, actor: User) -> VideoCall:
    _callee_only(call, actor)
    call.status = next_status(call.status, "decline")
    call.ended_at = clock.now()
    _signal(db, call, call.caller_id, "declined")
    _record(db, call, actor, "拒接")
    return call


def end(db: Session, *, call: VideoCall, actor: User) -> VideoCall:
    call.status = next_status(call.status, "end")
    call.ended_at = clock.now()
    if call.answered_at is not None:
        call.seconds = int((call.ended_at - call.answered_at).total_seconds())
    _signal(db, call, _other(call, actor), "hangup")
    _record(db, call, actor, f"通话 {call.seconds} 秒" if call.seconds is not None else "未接通")
    return call


def snapshot(db: Session, *, call: VideoCall, data: bytes, actor: User) -> VideoCall:
    """A frame of the call, attached to the report as one of its photos."""
    next_status(call.status, "snapshot")
    report = db.get(Report, call.report_id)
    photo = reports.add_photo(db, report=report, data=data, actor=actor)
    call.snapshot_id = photo.id
    return call


def _callee_only(call: VideoCall, actor: User) -> None:
    if actor.id != call.callee_id:
        raise Conflict("video.not_callee", "只有被叫方可以接听 / only the called side answers")


def _record(db: Session, call: VideoCall, actor: User, how: str) -> None:
    report = db.get(Report, call.report_id)
    caller, callee = db.get(User, call.caller_id), db.get(User, call.callee_id)
    note = f"{caller.display_name} 呼叫 {callee.display_name}，{how}"
    timeline.add(db, report, "video", actor, note, {"call": call.id, "seconds": call.seconds})
    audit.record(db, actor=actor, action=Action.VIDEO_ENDED, entity=report, unit_id=report.grid_id,
                 data={"call": call.id, "seconds": call.seconds, "status": call.status.value})


def calls_of(db: Session, report: Report) -> list[VideoCall]:
    return list(db.scalars(select(VideoCall).where(VideoCall.report_id == report.id).order_by(VideoCall.id)))


def latest_signal_id(db: Session) -> int:
    return db.scalar(select(func.max(VideoSignal.id))) or 0


def signals_for(db: Session, user_id: int, after: int, limit: int = 100) -> list[VideoSignal]:
    stmt = (select(VideoSignal).where(VideoSignal.recipient_id == user_id, VideoSignal.id > after)
            .order_by(VideoSignal.id).limit(limit))
    return list(db.scalars(stmt))


def ringing_for(db: Session, user_id: int) -> list[VideoSignal]:
    """The ring of each call still ringing for the user (a browser that connects late still hears it)."""
    stmt = (select(VideoSignal).join(VideoCall, VideoCall.id == VideoSignal.call_id)
            .where(VideoSignal.recipient_id == user_id, VideoSignal.kind == "ring",
                   VideoCall.status == VideoStatus.RINGING).order_by(VideoSignal.id))
    return list(db.scalars(stmt))
