"""The pages without a browser: the clerk's desk takes an application from the form and moves an item; the
kiosk, TV board and rating pad work without an account, with CSRF, and a forged pad link is 404."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from pingan.onewindow import clocks
from pingan.onewindow.rating import service as ratings
from pingan.onewindow.schemas import RatingIn
from tests.onewindow.factories import BAD_CHECK_DIGIT, CHEN


def _token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_the_clerk_takes_an_application_and_issues_the_booklet_on_the_spot(db, ow, client_for):
    client = client_for(ow.clerk)
    desk = client.get("/onewindow")
    assert desk.status_code == 200 and "补领户口簿" in desk.text
    taken = client.post("/onewindow/applications", data={
        "name": "陈春归", "id_number": CHEN, "phone": "13905761234", "channel": "window",
        "station_code": "331003-01", "items": ["booklet_replacement", "passport"]}, follow_redirects=False)
    assert taken.status_code == 303, taken.text
    page = client.get(taken.headers["location"])
    assert 'data-item="passport"' in page.text and "工作日" in page.text
    item_id = re.search(r'/items/(\d+)/issue_on_spot', page.text).group(1)
    done = client.post(f"{taken.headers['location']}/items/{item_id}/issue_on_spot", follow_redirects=True)
    assert 'data-status="issued_on_spot"' in done.text and "data-pad" in done.text


def test_a_bad_id_number_is_shown_beside_its_field_and_nothing_is_taken(db, ow, client_for):
    client = client_for(ow.clerk)
    db.commit()  # the refused form rolls its transaction back: the user and catalogue stay
    answer = client.post("/onewindow/applications", data={
        "name": "陈", "id_number": BAD_CHECK_DIGIT, "station_code": "331003-01", "items": ["passport"]})
    assert answer.status_code == 422 and 'data-error="applicant.id_number"' in answer.text


def test_kiosk_board_and_pad_need_no_account(db, ow, app):
    booklet = ow.apply().items[0]
    ow.step(booklet, "issue_on_spot")
    db.commit()
    public = TestClient(app)
    kiosk = public.get("/onewindow/kiosk/331003-01")
    taken = public.post("/onewindow/kiosk/331003-01", data={"csrf_token": _token(kiosk.text),
                                                            "service_code": "passport"})
    assert taken.status_code == 200 and 'data-ticket="A001"' in taken.text
    assert public.post("/onewindow/kiosk/331003-01", data={"service_code": "passport"}).status_code == 403
    assert 'data-waiting="A001"' in public.get("/onewindow/board/331003-01").text
    link = f"/onewindow/pad/{ratings.pad_token(booklet.id)}"
    pad = public.get(link)
    rated = public.post(link, data={"csrf_token": _token(pad.text), "grade": "2", "comment": "等太久"})
    assert 'data-rated="2"' in rated.text and "data-follow-up" in rated.text
    assert ratings.rectification_of(db, booklet.rating) is not None
    assert public.get(f"/onewindow/pad/{booklet.id}.forged").status_code == 404


def test_the_figures_page_and_its_excel(db, ow, client_for):
    ow.apply()
    client = client_for(ow.leader)
    assert 'data-figure="applications">1<' in client.get("/onewindow/figures").text
    xlsx = client.get("/onewindow/figures.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_the_citizen_portal_takes_online_items_only(db, ow, app):
    db.commit()
    public = TestClient(app)
    form = public.get("/onewindow/portal")
    assert "普通护照申领" in form.text and "户口迁入" not in form.text
    token = _token(form.text)
    done = public.post("/onewindow/portal", data={"csrf_token": token, "name": "陈春归", "id_number": CHEN,
                                                  "station_code": "331003-02", "items": ["passport"]})
    assert done.status_code == 200 and "data-submitted" in done.text
    refused = public.post("/onewindow/portal", data={"csrf_token": token, "name": "陈春归", "id_number": CHEN,
                                                     "station_code": "331003-02", "items": ["move_in"]})
    assert refused.status_code == 422 and 'data-error="items[0]"' in refused.text


def test_the_rectification_notice_links_to_its_page_and_the_application_shows_it(db, ow, client_for):
    booklet = ow.apply().items[0]
    ow.step(booklet, "issue_on_spot")
    rating = ratings.rate(db, item=booklet, data=RatingIn(grade=2), actor=None)
    fix = ratings.rectification_of(db, rating)
    client = client_for(ow.clerk)
    page = client.get(clocks.rectification_link(fix))
    assert page.status_code == 200 and f"/onewindow/applications/{booklet.application_id}" in page.text
    application = client.get(f"/onewindow/applications/{booklet.application_id}")
    assert f'href="/onewindow/rectifications/{fix.id}" data-rectification="open"' in application.text


def _bad_rating(db, ow):
    booklet = ow.apply().items[0]
    ow.step(booklet, "issue_on_spot")
    rating = ratings.rate(db, item=booklet, data=RatingIn(grade=1, comment="材料说了三遍"), actor=None)
    return ratings.rectification_of(db, rating)


def test_the_clerk_calls_back_then_closes_a_rectification_on_its_page(db, ow, client_for):
    fix = _bad_rating(db, ow)
    client = client_for(ow.clerk)
    listing = client.get("/onewindow/rectifications")
    assert f'data-rectification-row="{fix.id}"' in listing.text and "非常不满意" in listing.text
    assert f'data-rectification-row="{fix.id}"' not in client.get(
        "/onewindow/rectifications", params={"status": "closed"}).text
    page = client.get(f"/onewindow/rectifications/{fix.id}")
    assert 'data-step="call_back"' in page.text and 'data-step="close"' not in page.text
    assert 'data-step="uphold"' not in page.text and 'data-days-left="15"' in page.text
    assert "陈春归" in page.text and CHEN not in page.text
    # The closure gate on the page: closing first is refused with the reason and changes nothing.
    early = client.post(f"/onewindow/rectifications/{fix.id}/close", data={"note": "已整改"})
    assert early.status_code == 409 and "data-refusal" in early.text
    empty = client.post(f"/onewindow/rectifications/{fix.id}/call_back", data={"note": ""})
    assert empty.status_code == 422 and 'data-error="note"' in empty.text
    called = client.post(f"/onewindow/rectifications/{fix.id}/call_back", data={"note": "电话回访，已致歉"},
                         follow_redirects=True)
    assert 'data-step="close"' in called.text and "电话回访，已致歉" in called.text
    closed = client.post(f"/onewindow/rectifications/{fix.id}/close", data={"note": "增设引导员"},
                         follow_redirects=True)
    assert 'data-status="closed"' in closed.text and "data-step=" not in closed.text


def test_only_the_leader_reviews_an_appeal_and_another_station_sees_nothing(db, ow, client_for):
    fix = _bad_rating(db, ow)
    clerk, leader, other = client_for(ow.clerk), client_for(ow.leader), client_for(ow.other_clerk)
    appealed = clerk.post(f"/onewindow/rectifications/{fix.id}/appeal", data={"note": "评价人非申请人本人"},
                          follow_redirects=True)
    assert 'data-status="appealed"' in appealed.text and 'data-step="uphold"' not in appealed.text
    assert clerk.post(f"/onewindow/rectifications/{fix.id}/uphold", data={"note": "成立"}).status_code == 403
    review = leader.get(f"/onewindow/rectifications/{fix.id}")
    assert 'data-step="uphold"' in review.text and 'data-step="call_back"' not in review.text
    upheld = leader.post(f"/onewindow/rectifications/{fix.id}/uphold", data={"note": "经核实为误评"},
                         follow_redirects=True)
    assert 'data-status="annulled"' in upheld.text
    assert other.get(f"/onewindow/rectifications/{fix.id}").status_code == 404
    assert f'data-rectification-row="{fix.id}"' not in other.get("/onewindow/rectifications").text


def test_the_clerk_registers_a_village_service_point_and_suspends_it(db, ow, client_for):
    client = client_for(ow.clerk)
    register = client.get("/onewindow/points")
    assert register.status_code == 200 and "data-register" in register.text
    assert 'hx-get="/places/picker' in register.text
    bad = client.post("/onewindow/points", data={"community_code": "331003-01-01", "name": "头陀代办点",
                                                 "agent_name": "张建华", "address": "居委会一楼",
                                                 "services": ["booklet_replacement"]})
    assert bad.status_code == 422 and 'data-error="services[0]"' in bad.text
    made = client.post("/onewindow/points", data={"community_code": "331003-01-01", "name": "头陀代办点",
                                                  "agent_name": "张建华", "agent_phone": "13805700001",
                                                  "address": "居委会一楼", "services": ["passport"]},
                       follow_redirects=True)
    assert made.status_code == 200 and 'data-code>331003-01-01-D1' in made.text
    point_id = re.search(r'/onewindow/points/(\d+)/suspend', made.text).group(1)
    suspended = client.post(f"/onewindow/points/{point_id}/suspend", follow_redirects=True)
    assert 'data-step="resume"' in suspended.text and 'data-step="suspend"' not in suspended.text
    listing = client.get("/onewindow/points")
    assert 'data-point="331003-01-01-D1" data-status="suspended"' in listing.text and "13805700001" not in listing.text
    leader = client_for(ow.leader).get(f"/onewindow/points/{point_id}")
    assert leader.status_code == 200 and "data-step=" not in leader.text
    assert client_for(ow.other_clerk).get(f"/onewindow/points/{point_id}").status_code == 404
