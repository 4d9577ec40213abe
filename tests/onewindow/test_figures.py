"""The figures against rows counted by hand: waiting median and p90, waiting and serving per service, the
one-visit share when a resident comes back, and the window ranking of one month."""

from __future__ import annotations

import datetime as dt

from pingan.core import clock
from pingan.onewindow import figures
from pingan.onewindow.queue import service as queue
from pingan.onewindow.rating import service as ratings
from pingan.onewindow.schemas import RatingIn
from pingan.platform.org import service as org_service

MIN = dt.timedelta(minutes=1)


def test_waiting_times_visits_and_the_monthly_ranking(db, ow):
    station = org_service.get_unit(db, "331003-01")
    # Tickets waiting 10, 20, 30, 40 minutes: median 25, p90 (nearest rank) 40.
    for wait in (10, 20, 30, 40):
        queue.take(db, station=station, service_code="passport")
        clock.shift(wait * MIN)
        ticket = queue.call_next(db, station=station, window="1号窗", actor=ow.clerk)
        clock.shift(5 * MIN)
        queue.finish(db, ticket=ticket, actor=ow.clerk)
        clock.shift(-(wait + 5) * MIN)
    once = ow.apply(items=["booklet_replacement"])
    ow.step(once.items[0], "issue_on_spot")
    ratings.rate(db, item=once.items[0], data=RatingIn(grade=5), actor=None, window="1号窗")
    twice = ow.apply(items=["passport"], materials=["id_card"])
    clock.shift(dt.timedelta(days=1))
    ow.step(twice.items[0], "supplied")
    clock.shift(-dt.timedelta(days=1))
    f = figures.compute(db, ow.clerk, clock.today_local().year, clock.today_local().month)
    assert (f.waiting_median_minutes, f.waiting_p90_minutes) == (25.0, 40.0)
    assert f.queue_by_service == [{"key": "passport", "label": "普通护照申领", "tickets": 4,
                                   "waiting_median_minutes": 25.0, "serving_median_minutes": 5.0}]
    assert (f.visits_per_application, f.one_visit_share) == (1.5, 0.5)
    assert [(r["window"], r["ratings"], r["average"]) for r in f.window_ranking] == [("1号窗", 1, 5.0)]
    other_month = clock.today_local().month % 12 + 1
    assert figures.compute(db, ow.clerk, clock.today_local().year, other_month).window_ranking == []
    assert figures.workbook(f)[:2] == b"PK"
