"""Writing to and checking the audit trail."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from audit.context import current_ip
from audit.models import AuditEvent

GENESIS_HASH = "0" * 64
# Any fixed number: every writer of the trail takes this transaction-level lock, so
# two writers can never both read the same "last hash" and fork the chain.
_CHAIN_LOCK_KEY = 7_202_401


def _canonical(event: AuditEvent) -> str:
    body = {
        "id": event.pk,
        "occurred_at": event.occurred_at.isoformat(),
        "kind": event.kind,
        "action": event.action,
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "organisation_id": event.organisation_id,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "ip_address": event.ip_address,
        "details": event.details,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder)


def compute_hash(event: AuditEvent) -> str:
    return hashlib.sha256(_canonical(event).encode()).hexdigest()


def _organisation_id_of(obj: Any) -> int | None:
    from people.models import Organisation

    if obj is None:
        return None
    if isinstance(obj, Organisation):
        return obj.pk
    for attr in ("organisation_id", "school_id"):
        value = getattr(obj, attr, None)
        if value:
            return value
    return None


def _json_safe(details: dict | None) -> dict:
    return json.loads(json.dumps(details or {}, cls=DjangoJSONEncoder))


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    kind: str = AuditEvent.Kind.CHANGE,
    details: dict | None = None,
    organisation_id: int | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> AuditEvent:
    """Append one event to the trail, inside the caller's transaction."""
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        event = AuditEvent(
            occurred_at=timezone.now(),
            kind=kind,
            action=action,
            actor_id=actor.pk if authenticated else None,
            actor_label=(actor.get_username() if authenticated else "") or "",
            organisation_id=organisation_id if organisation_id is not None else _organisation_id_of(obj),
            object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
            object_id=object_id or (str(obj.pk) if obj is not None else ""),
            object_repr=(object_repr or (str(obj) if obj is not None else ""))[:200],
            ip_address=current_ip.get(),
            details=_json_safe(details),
            prev_hash=last or GENESIS_HASH,
        )
        # The id is part of the hash, so take it from the sequence before inserting.
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [AuditEvent._meta.db_table])
            event.pk = cursor.fetchone()[0]
        event.hash = compute_hash(event)
        event.save(force_insert=True)
    return event


def audit_record_many(*, actor, events: list[dict]) -> int:
    """Append many change events at once (a directory import), inside the caller's transaction: one lock,
    one look-up of the last hash, one call to the id sequence and batched inserts, instead of four queries
    an event. Each dict holds audit_record's keyword arguments other than actor and kind. The rows are the
    ones audit_record would write, hashed the same way, so audit_chain_verify checks them like any other."""
    from types import SimpleNamespace

    from psycopg2.extras import execute_values

    if not events:
        return 0
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    actor_id = actor.pk if authenticated else None
    actor_label = (actor.get_username() if authenticated else "") or ""
    now = timezone.now()
    ip = current_ip.get()
    columns: list[str] = [f.column for f in AuditEvent._meta.concrete_fields if f.column]
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [AuditEvent._meta.db_table, len(events)],
            )
            ids = sorted(row[0] for row in cursor.fetchall())
        prev = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or GENESIS_HASH
        rows = []
        for pk, spec in zip(ids, events, strict=True):
            obj = spec.get("obj")
            details = json.dumps(spec.get("details") or {}, cls=DjangoJSONEncoder)
            event = SimpleNamespace(
                pk=pk,
                occurred_at=now,
                kind=AuditEvent.Kind.CHANGE.value,
                action=spec["action"],
                actor_id=actor_id,
                actor_label=actor_label,
                organisation_id=spec["organisation_id"] if "organisation_id" in spec else _organisation_id_of(obj),
                object_type=spec.get("object_type") or (obj._meta.label_lower if obj is not None else ""),
                object_id=spec.get("object_id") or (str(obj.pk) if obj is not None else ""),
                object_repr=(spec.get("object_repr") or (str(obj) if obj is not None else ""))[:200],
                ip_address=ip,
                details=json.loads(details),
                prev_hash=prev,
            )
            event.hash = prev = compute_hash(event)  # type: ignore[arg-type]  # the same fields as an AuditEvent
            values = {**vars(event), "id": pk, "details": details}
            rows.append(tuple(values[c] for c in columns))
        with connection.cursor() as cursor:
            execute_values(
                cursor.cursor,
                f"INSERT INTO {AuditEvent._meta.db_table} ({', '.join(columns)}) VALUES %s",  # noqa: S608
                rows,
                template="(" + ", ".join("%s::jsonb" if c == "details" else "%s" for c in columns) + ")",
                page_size=1000,
            )
    return len(rows)


def audit_read(*, actor, obj: models.Model, details: dict | None = None) -> AuditEvent:
    """Record that someone looked at sensitive data."""
    return audit_record(
        actor=actor, action=f"{obj._meta.model_name}.viewed", obj=obj, kind=AuditEvent.Kind.READ, details=details
    )


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def audit_chain_verify(*, batch_size: int = 5000) -> ChainReport:
    """Walk the trail in id order and report the first row whose hash or link does not hold."""
    expected_prev = GENESIS_HASH
    checked = 0
    last_id = 0
    while True:
        batch = list(AuditEvent.objects.filter(pk__gt=last_id).order_by("id")[:batch_size])
        if not batch:
            return ChainReport(checked=checked)
        for event in batch:
            if event.prev_hash != expected_prev:
                return ChainReport(
                    checked,
                    event.pk,
                    "its link to the previous row does not match (a row was removed, inserted or moved before it)",
                )
            if compute_hash(event) != event.hash:
                return ChainReport(checked, event.pk, "its content no longer matches its hash (the row was edited)")
            expected_prev = event.hash
            checked += 1
            last_id = event.pk
