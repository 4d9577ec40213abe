"""布控 pages and API: the hits told to the caller (every read audited), their lists and entries."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse

from pingan.core import clock
from pingan.core.errors import ValidationFailed, not_found
from pingan.core.identity import mask_id_number
from pingan.core.schemas import ERROR_RESPONSES, parse
from pingan.platform.people.vocabulary import RECORD_LABELS
from pingan.platform.users.models import User
from pingan.platform.watch import repository as repo
from pingan.platform.watch import service
from pingan.platform.watch.models import WatchHit, WatchList
from pingan.platform.watch.permissions import OWNER_ROLES
from pingan.platform.watch.schemas import EntryIn, EntryOut, HitOut, ListIn, ListOut
from pingan.platform.watch.vocabulary import KIND_LABELS, MODULE_LABELS
from pingan.web import nav
from pingan.web.deps import DbSession, require
from pingan.web.forms import field_errors
from pingan.web.templating import render

router = APIRouter(responses=ERROR_RESPONSES)
Owner = require(*OWNER_ROLES)
nav.register("register", [nav.Entry("布控比中", "/watch", roles=OWNER_ROLES)])


def hit_out(hit: WatchHit) -> HitOut:
    return HitOut(id=hit.id, list_code=hit.watch_list.code, list_name=hit.watch_list.name,
                  id_number=mask_id_number(hit.id_number), name=hit.name, role=hit.role, module=hit.module,
                  record_kind=hit.record_kind, record_id=hit.record_id, link=hit.link,
                  where=hit.where_unit.name if hit.where_unit else None, entered_by=hit.entered_by_name,
                  seen_at=hit.seen_at, first_viewed_at=hit.first_viewed_at)


def _owned(db, user: User, code: str) -> WatchList:
    """The list, if the caller is its owner; others get 404 (a list's existence is not told)."""
    found = next((w for w in repo.owned_by(db, user) if w.code == code), None)
    if found is None:
        raise not_found("watch_list", "布控名单")
    return found


@router.get("/api/v1/watch/hits", tags=["watch"], response_model=list[HitOut],
            summary="Hits told to the caller, newest first (the read is audited)")
def hits_api(db: DbSession, user=Owner, limit: Annotated[int, Query(ge=1, le=500)] = 100,
             before_id: Annotated[int | None, Query(ge=1)] = None) -> list[HitOut]:
    return [hit_out(h) for h in service.list_hits(db, user=user, limit=limit, before_id=before_id)]


@router.get("/api/v1/watch/hits/{hit_id}", tags=["watch"], response_model=HitOut, summary="One hit (audited)")
def hit_api(hit_id: int, db: DbSession, user=Owner) -> HitOut:
    return hit_out(service.view_hit(db, user=user, hit_id=hit_id))


@router.get("/api/v1/watch/lists", tags=["watch"], response_model=list[ListOut], summary="Lists the caller owns")
def lists_api(db: DbSession, user=Owner) -> list[ListOut]:
    return [ListOut(code=w.code, name=w.name, kind=w.kind.value, owner_unit=w.owner_unit.code,
                    owner_role=w.owner_role.value) for w in repo.owned_by(db, user)]


@router.get("/api/v1/watch/lists/{code}/entries", tags=["watch"], response_model=list[EntryOut],
            summary="Entries in force on an owned list (ID numbers masked)")
def entries_api(code: str, db: DbSession, user=Owner) -> list[EntryOut]:
    watch_list = _owned(db, user, code)
    return [EntryOut(id_number=mask_id_number(e.id_number), note=e.note, listed_at=e.listed_at,
                     expires_at=e.expires_at) for e in repo.entries(db, watch_list, now=clock.now())]


@router.post("/api/v1/watch/lists/{code}/entries", tags=["watch"], response_model=EntryOut, status_code=201,
             summary="Put an ID number on an owned list (or renew it)")
def add_entry_api(code: str, body: EntryIn, db: DbSession, user=Owner) -> EntryOut:
    watch_list = _owned(db, user, code)
    entry = service.add_entry(db, watch_list=watch_list, id_number=body.id_number, actor=user, note=body.note,
                              days=body.days)
    return EntryOut(id_number=mask_id_number(entry.id_number), note=entry.note, listed_at=entry.listed_at,
                    expires_at=entry.expires_at)


@router.delete("/api/v1/watch/lists/{code}/entries/{id_number}", tags=["watch"], status_code=204,
               summary="Take an ID number off an owned list")
def remove_entry_api(code: str, id_number: str, db: DbSession, user=Owner) -> None:
    service.remove_entry(db, watch_list=_owned(db, user, code), id_number=id_number, actor=user)


@router.post("/api/v1/watch/lists", tags=["watch"], response_model=ListOut, status_code=201,
             summary="Start a list of the caller's own unit (its hits go to the caller's role there)")
def create_list_api(body: ListIn, db: DbSession, user=Owner) -> ListOut:
    w = service.create_list(db, name=body.name, owner=user)
    return ListOut(code=w.code, name=w.name, kind=w.kind.value, owner_unit=w.owner_unit.code,
                   owner_role=w.owner_role.value)


_LABELS = {"kind_labels": {k.value: v for k, v in KIND_LABELS.items()}, "module_labels": MODULE_LABELS,
           "record_labels": RECORD_LABELS}


def _hits_page(request: Request, db, user: User, *, errors: dict | None = None, status_code: int = 200):
    hits = service.list_hits(db, user=user, limit=200)
    return render(request, "watch/hits.html", {**_LABELS, "hits": hits, "lists": repo.owned_by(db, user),
                                               "errors": errors or {}}, status_code=status_code)


@router.get("/watch", include_in_schema=False)
def hits_page(request: Request, db: DbSession, user=Owner):
    return _hits_page(request, db, user)


def _list_page(request: Request, db, user: User, watch_list: WatchList, *, values: dict | None = None,
               errors: dict | None = None, status_code: int = 200):
    return render(request, "watch/list.html", {
        **_LABELS, "watch_list": watch_list, "fed_by": service.fed_by(watch_list),
        "entries": repo.entries(db, watch_list, now=clock.now()), "values": values or {}, "errors": errors or {},
    }, status_code=status_code)


@router.post("/watch/lists", include_in_schema=False)
def create_list_page(request: Request, db: DbSession, user=Owner, name: Annotated[str, Form(max_length=100)] = ""):
    try:
        watch_list = service.create_list(db, name=parse(ListIn, {"name": name}).name, owner=user)
    except ValidationFailed as exc:
        db.rollback()
        return _hits_page(request, db, user, errors=field_errors(exc.details), status_code=422)
    return RedirectResponse(f"/watch/lists/{watch_list.code}", status_code=303)


@router.get("/watch/lists/{code}", include_in_schema=False)
def list_page(code: str, request: Request, db: DbSession, user=Owner):
    return _list_page(request, db, user, _owned(db, user, code))


@router.post("/watch/lists/{code}/entries", include_in_schema=False)
def add_entry_page(code: str, request: Request, db: DbSession, user=Owner,
                   id_number: Annotated[str, Form(max_length=40)] = "", note: Annotated[str, Form(max_length=500)] = "",
                   days: Annotated[str, Form(max_length=10)] = ""):
    watch_list = _owned(db, user, code)
    values = {"id_number": id_number, "note": note, "days": days}
    try:
        body = parse(EntryIn, {k: v for k, v in values.items() if v.strip()})
    except ValidationFailed as exc:
        return _list_page(request, db, user, watch_list, values=values, errors=field_errors(exc.details),
                          status_code=422)
    service.add_entry(db, watch_list=watch_list, id_number=body.id_number, actor=user, note=body.note,
                      days=body.days)
    return RedirectResponse(f"/watch/lists/{code}", status_code=303)


@router.post("/watch/lists/{code}/entries/{entry_id}/remove", include_in_schema=False)
def remove_entry_page(code: str, entry_id: int, db: DbSession, user=Owner):
    watch_list = _owned(db, user, code)
    entry = repo.entry_by_id(db, watch_list, entry_id)
    if entry is None:
        raise not_found("watch_entry", "名单条目")
    service.remove_entry(db, watch_list=watch_list, id_number=entry.id_number, actor=user)
    return RedirectResponse(f"/watch/lists/{code}", status_code=303)


@router.get("/watch/hits/{hit_id}", include_in_schema=False)
def hit_page(hit_id: int, request: Request, db: DbSession, user=Owner):
    return render(request, "watch/hit.html", {**_LABELS, "hit": service.view_hit(db, user=user, hit_id=hit_id)})
