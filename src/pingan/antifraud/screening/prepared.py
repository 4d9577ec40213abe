"""A validated screening request as the runtime handles it: the fields a stored screening is filed under,
the canonical JSON (what the idempotency hash covers) and the engine's facts.

Built once per request — in the serving process, or in the batch command's parsing workers, which is why
it holds plain values only: it crosses between processes cheaply, and whoever receives it never parses
the request again.
"""

from __future__ import annotations

import hashlib
from typing import NamedTuple

from pydantic import ValidationError

from pingan.antifraud.engine.contract import ScreeningRequest, error_details, parse_screening_request
from pingan.antifraud.engine.features import RequestFacts, request_facts
from pingan.antifraud.screening.plain import prepare_plain
from pingan.core.schemas import invalid_request


class PreparedRequest(NamedTuple):
    request_id: str
    bank_code: str
    branch_code: str
    channel: str
    occurred_at: str  # RFC 3339 with the bank's offset
    amount: str
    customer_id_number: str
    payee_account: str
    request_json: str
    request_hash: str  # SHA-256 of request_json
    facts: RequestFacts


def prepare(req: ScreeningRequest) -> PreparedRequest:
    request_json = req.model_dump_json()
    return PreparedRequest(
        req.request_id, req.bank_code, req.branch_code, req.channel, req.occurred_at.isoformat(), str(req.amount),
        req.customer.id_number, req.payee.account_no, request_json,
        hashlib.sha256(request_json.encode()).hexdigest(), request_facts(req),
    )  # fmt: skip


def prepare_body(body: bytes) -> PreparedRequest:
    """Validate a request body and prepare it; raises ValidationFailed with one detail per fault.

    A plain body (nearly all of them) is checked and prepared without the Pydantic model, which gives the
    same result (`plain`); any other, and every faulty one, goes through the model."""
    quick = prepare_plain(body)
    if quick is not None:
        return PreparedRequest(*quick)
    try:
        return prepare(parse_screening_request(body))
    except ValidationError as exc:
        raise invalid_request(error_details(exc)) from None


def to_plain(prepared: PreparedRequest) -> tuple:
    """Plain nested tuples, for `marshal` (several times cheaper than pickling named tuples) between
    processes; `from_plain` rebuilds it."""
    return (*prepared[:-1], tuple(prepared.facts))


def from_plain(plain: tuple) -> PreparedRequest:
    return PreparedRequest(*plain[:-1], RequestFacts(*plain[-1]))
