"""Video-call signalling through the service: who rings whom, the status table walked pair by pair, signals
addressed to the other side only, a snapshot attached to the report, the call on the timeline; strangers 404."""

from __future__ import annotations

import datetime as dt

import pytest

from pingan.core import clock
from pingan.core.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from pingan.grid import timeline
from pingan.grid.models import VideoStatus
from pingan.grid.video import service as video
from pingan.grid.video import transitions as table
from tests.grid.factories import PNG

STEPS = {(VideoStatus.RINGING, "answer"): VideoStatus.CONNECTED, (VideoStatus.RINGING, "decline"): VideoStatus.DECLINED,
         (VideoStatus.RINGING, "signal"): VideoStatus.RINGING, (VideoStatus.CONNECTED, "signal"): VideoStatus.CONNECTED,
         (VideoStatus.CONNECTED, "snapshot"): VideoStatus.CONNECTED, (VideoStatus.RINGING, "end"): VideoStatus.ENDED,
         (VideoStatus.CONNECTED, "end"): VideoStatus.ENDED}


@pytest.mark.parametrize("status", list(VideoStatus))
@pytest.mark.parametrize("event", table.EVENTS)
def test_every_video_pair(status, event):
    expected = STEPS.get((status, event))
    assert table.allowed(status, event) is (expected is not None)
    if expected is None:
        with pytest.raises(InvalidTransition):
            table.next_status(status, event)
    else:
        assert table.next_status(status, event) is expected


def test_the_worker_rings_the_officer_and_signals_go_to_the_other_side(db, g):
    report = g.report()
    call = video.start(db, report=report, actor=g.worker)
    assert (call.caller_id, call.callee_id, call.status) == (g.worker.id, g.officer.id, VideoStatus.RINGING)
    video.relay(db, call=call, kind="offer", payload={"type": "offer", "sdp": "v=0"}, actor=g.worker)
    db.flush()
    assert [s.kind for s in video.signals_for(db, g.officer.id, 0)] == ["ring", "offer"]
    assert [s.kind for s in video.ringing_for(db, g.officer.id)] == ["ring"]
    with pytest.raises(Conflict):
        video.answer(db, call=call, actor=g.worker)
    video.answer(db, call=call, actor=g.officer)
    video.relay(db, call=call, kind="answer", payload={"type": "answer", "sdp": "v=0"}, actor=g.officer)
    with pytest.raises(ValidationFailed):
        video.relay(db, call=call, kind="hack", payload={}, actor=g.officer)
    video.snapshot(db, call=call, data=PNG, actor=g.officer)
    clock.shift(dt.timedelta(seconds=42))
    video.end(db, call=call, actor=g.worker)
    db.flush()
    assert [s.kind for s in video.signals_for(db, g.worker.id, 0)] == ["answered", "answer"]
    assert call.seconds == 42 and call.snapshot_id == report.photos[0].id
    assert [e.note for e in timeline.of(db, report) if e.kind == "video"] == [
        f"{g.worker.display_name} 呼叫 {g.officer.display_name}，通话 42 秒"]
    assert video.ringing_for(db, g.officer.id) == []


def test_the_officer_calls_the_reporter_and_strangers_cannot_see_the_call(db, g):
    report = g.report()
    call = video.start(db, report=report, actor=g.officer)
    assert call.callee_id == g.worker.id
    with pytest.raises(NotFound):
        video.get(db, g.other_worker, call.id)
    video.decline(db, call=call, actor=g.worker)
    with pytest.raises(InvalidTransition):
        video.relay(db, call=call, kind="offer", payload={}, actor=g.officer)


@pytest.fixture
def short_streams(monkeypatch):
    """Streams that end after a moment (so a test reads one to its end) and poll nothing (their own unit of work
    would wait on the test's transaction), caps set from the environment."""
    from pingan.grid.routes.pages import video as video_routes  # lazy: the web layer only for these tests
    from pingan.grid.settings import get_grid_settings

    monkeypatch.setattr(video_routes, "STREAM_SECONDS", 0.2)
    monkeypatch.setattr(video_routes, "_poll", lambda user_id, after: [])
    monkeypatch.setenv("PINGAN_GRID_VIDEO_MAX_STREAMS_PER_USER", "2")
    monkeypatch.setenv("PINGAN_GRID_VIDEO_MAX_STREAMS", "3")
    get_grid_settings.cache_clear()
    yield video_routes.streams
    video_routes.streams.per_user.clear()
    get_grid_settings.cache_clear()


def test_open_video_streams_are_capped_per_user_and_in_all(db, g, client_for, short_streams):
    officer = client_for(g.officer)
    ended = officer.get("/grid/video/events")
    assert ended.status_code == 200 and ended.text.startswith("retry:") and not short_streams.per_user
    short_streams.per_user[g.officer.id] = 2  # two pages of the officer hold their streams open
    refused = officer.get("/grid/video/events")
    assert refused.status_code == 429 and refused.json()["error"]["code"] == "video.too_many_streams"
    short_streams.per_user[g.leader.id] = 1  # three open in all: the process is full for anyone
    busy = client_for(g.worker).get("/grid/video/events")
    assert busy.status_code == 429 and busy.json()["error"]["code"] == "video.server_busy"
    short_streams.close(g.officer.id)
    assert officer.get("/grid/video/events").status_code == 200 and short_streams.per_user[g.officer.id] == 1
