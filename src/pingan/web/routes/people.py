"""一人一档 pages and API: a person's file (reason required and audited; masked until an audited reveal) and
the repeats of a record."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from pingan.core.errors import AppError
from pingan.core.identity import mask_id_number, mask_phone
from pingan.core.schemas import ERROR_RESPONSES
from pingan.platform.people import service
from pingan.platform.people.permissions import FILE_READERS
from pingan.platform.people.service import PersonFile
from pingan.platform.people.vocabulary import RECORD_LABELS, ROLE_LABELS
from pingan.platform.records import Record
from pingan.platform.watch.vocabulary import MODULE_LABELS
from pingan.web import nav
from pingan.web.deps import DbSession, require
from pingan.web.templating import render

router = APIRouter(responses=ERROR_RESPONSES)
Reader = require(*FILE_READERS)
nav.register("register", [nav.Entry("一人一档", "/people", roles=FILE_READERS)])


class AppearanceOut(BaseModel):
    module: str
    role: str
    record: dict = Field(description="{module, kind, id}")
    unit: str | None
    at: str
    link: str | None
    phone: str | None = Field(description="masked unless revealed")
    repeat: bool = Field(description="linked to the person's earlier record within the repeat window")
    repeat_by: str | None = Field(None, description="id_number, or phone (the phone alone: perhaps the same person)")


class FactOut(BaseModel):
    module: str
    label: str
    value: str
    link: str | None


class PersonFileOut(BaseModel):
    id_number: str = Field(description="masked unless revealed")
    name: str
    phones: list[str]
    revealed: bool
    appearances: list[AppearanceOut]
    facts: list[FactOut] = Field(default=[], description="what modules add: 租安心's residence registration")
    by_phone: list[AppearanceOut] = Field(
        default=[], description="records where someone gave one of the person's phones and no ID number: "
                                "perhaps the person, perhaps someone sharing the phone")


class RevealIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    reason: Annotated[str, Field(max_length=200)] = ""


class RepeatOut(BaseModel):
    module: str
    kind: str
    record_id: str
    at: str
    link: str | None
    unit: str | None
    shared: str = Field(description="person (the ID number), phone (the phone alone: perhaps the same person, a "
                                    "phone may be shared) or address")
    name: str | None
    id_number: str | None = Field(description="masked")
    phone: str | None = Field(None, description="masked")


def file_out(found: PersonFile) -> PersonFileOut:
    show_id = (lambda v: v) if found.revealed else mask_id_number
    show_phone = (lambda v: v) if found.revealed else mask_phone
    def one(a) -> AppearanceOut:
        return AppearanceOut(module=a.module, role=a.role.value,
                             record={"module": a.module, "kind": a.record_kind, "id": a.record_id},
                             unit=a.unit_name, at=a.at.isoformat(), link=a.link,
                             phone=show_phone(a.phone) if a.phone else None, repeat=a.repeat_of_id is not None,
                             repeat_by=a.repeat_by)

    return PersonFileOut(
        id_number=show_id(found.id_number), name=found.name, revealed=found.revealed,
        phones=[show_phone(p) for p in found.phones], appearances=[one(a) for a in found.appearances],
        facts=[FactOut(module=f.module, label=f.label, value=f.value, link=f.link) for f in found.facts],
        by_phone=[one(a) for a in found.by_phone])


@router.get("/api/v1/people/{id_number}", tags=["people"], response_model=PersonFileOut,
            summary="The person's file: appearances in the caller's jurisdiction, newest first (reason audited)")
def file_api(id_number: str, db: DbSession, user=Reader,
             reason: Annotated[str | None, Query(max_length=200, description="查询事由, at least 4 characters")] = None
             ) -> PersonFileOut:
    return file_out(service.open_file(db, user=user, id_number=id_number, reason=reason))


@router.post("/api/v1/people/{id_number}/reveal", tags=["people"], response_model=PersonFileOut,
             summary="The file with the full ID number and phones: an audited reveal, with its reason")
def reveal_api(id_number: str, body: RevealIn, db: DbSession, user=Reader) -> PersonFileOut:
    return file_out(service.open_file(db, user=user, id_number=id_number, reason=body.reason, reveal=True))


_SHARED = {"id_number": "person", "phone": "phone", "address": "address"}


@router.get("/api/v1/repeats", tags=["people"], response_model=list[RepeatOut],
            summary="Records within the repeat window sharing a person or the address with this record")
def repeats_api(module: Annotated[str, Query(max_length=32)], kind: Annotated[str, Query(max_length=32)],
                record_id: Annotated[str, Query(alias="id", max_length=64)], db: DbSession, user=Reader
                ) -> list[RepeatOut]:
    return [RepeatOut(module=r.module, kind=r.kind, record_id=r.record_id, at=r.at.isoformat(), link=r.link,
                      unit=r.unit, shared=_SHARED[r.by], name=r.name,
                      id_number=mask_id_number(r.id_number) if r.id_number else None,
                      phone=mask_phone(r.phone) if r.phone else None)
            for r in service.repeats_of(db, user=user, record=Record(module, kind, record_id))]


_LABELS = {"role_labels": {k.value: v for k, v in ROLE_LABELS.items()}, "record_labels": RECORD_LABELS,
           "module_labels": MODULE_LABELS}


@router.get("/people", include_in_schema=False)
def people_page(request: Request, user=Reader):
    return render(request, "people/search.html", {**_LABELS, "found": None, "errors": {}, "id_number": "",
                                                  "reason": ""})


@router.post("/people", include_in_schema=False)
def people_file_page(request: Request, db: DbSession, user=Reader,
                     id_number: Annotated[str, Form(max_length=40)] = "",
                     reason: Annotated[str, Form(max_length=400)] = "",
                     reveal: Annotated[str, Form(max_length=10)] = ""):
    """A POST form, so the ID number and the reason stay out of addresses, history and server logs."""
    context = {**_LABELS, "id_number": id_number, "reason": reason, "found": None, "errors": {}}
    try:
        context["found"] = service.open_file(db, user=user, id_number=id_number, reason=reason,
                                             reveal=bool(reveal))
    except AppError as exc:
        context["errors"] = {d.field: d.message for d in exc.details} or {"form": exc.message}
        return render(request, "people/search.html", context, status_code=exc.status_code)
    return render(request, "people/search.html", context)
