"""The trail is append-only in the database and any tampering behind the app's back is found."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.utils import InternalError

from audit.models import AuditEvent
from audit.services import audit_chain_verify, audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(demo_user):
    hr = demo_user("hr")
    return [audit_record(actor=hr, action=f"test.step{i}", obj=hr, details={"i": i}) for i in range(5)]


def _behind_the_apps_back(sql: str, params=()):
    """Run SQL with the append-only trigger switched off, as a DBA with full rights could."""
    with connection.cursor() as cur:
        cur.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        cur.execute(sql, params)
        cur.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")


def test_each_event_links_to_the_one_before(chain):
    assert all(b.prev_hash == a.hash for a, b in zip(chain, chain[1:], strict=False))
    assert audit_chain_verify().ok


def test_the_database_refuses_to_update_an_event(chain):
    with pytest.raises(InternalError, match="Cannot update or delete"), transaction.atomic():
        AuditEvent.objects.filter(pk=chain[1].pk).update(action="tampered")


def test_the_database_refuses_to_delete_an_event(chain):
    with pytest.raises(InternalError, match="Cannot update or delete"), transaction.atomic():
        AuditEvent.objects.filter(pk=chain[1].pk).delete()


def test_verify_finds_an_edited_row(chain):
    _behind_the_apps_back("UPDATE audit_auditevent SET details = %s WHERE id = %s", ['{"i": 99}', chain[2].pk])
    report = audit_chain_verify()
    assert report.broken_at == chain[2].pk and "edited" in report.reason


def test_verify_finds_a_deleted_row(chain):
    _behind_the_apps_back("DELETE FROM audit_auditevent WHERE id = %s", [chain[2].pk])
    report = audit_chain_verify()
    assert report.broken_at == chain[3].pk and "link" in report.reason


def test_verify_finds_reordered_rows(chain):
    a, b = chain[1], chain[2]
    # Swap the two rows' ids (through a spare id), keeping each row's content and hash as they were.
    _behind_the_apps_back("UPDATE audit_auditevent SET id = -1 WHERE id = %s", [a.pk])
    _behind_the_apps_back("UPDATE audit_auditevent SET id = %s WHERE id = %s", [a.pk, b.pk])
    _behind_the_apps_back("UPDATE audit_auditevent SET id = %s WHERE id = -1", [b.pk])
    report = audit_chain_verify()
    assert report.broken_at == a.pk


def test_verify_finds_a_rehashed_forgery(chain):
    """Rewriting a row and recomputing its own hash still breaks the next row's link."""
    from audit.services import compute_hash

    forged = AuditEvent.objects.get(pk=chain[2].pk)
    forged.action = "forged"
    new_hash = compute_hash(forged)
    _behind_the_apps_back(
        "UPDATE audit_auditevent SET action = 'forged', hash = %s WHERE id = %s", [new_hash, forged.pk]
    )
    assert audit_chain_verify().broken_at == chain[3].pk


def test_verify_audit_command_reports_the_first_broken_link(chain):
    call_command("verify_audit")
    _behind_the_apps_back("UPDATE audit_auditevent SET actor_label = 'someone else' WHERE id = %s", [chain[1].pk])
    with pytest.raises(CommandError, match=f"broken at event #{chain[1].pk}"):
        call_command("verify_audit")


def test_hr_sees_the_broken_chain_on_the_verify_page(chain, client_for):
    _behind_the_apps_back("UPDATE audit_auditevent SET action = 'x' WHERE id = %s", [chain[0].pk])
    response = client_for("headofhr").get("/audit/verify/")
    assert f"broken at event #{chain[0].pk}" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain(demo_world):
    import threading

    from django.db import connections

    errors = []

    def write(n):
        try:
            for i in range(10):
                audit_record(actor=None, action=f"thread{n}.{i}")
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert audit_chain_verify().ok
    assert AuditEvent.objects.filter(action__startswith="thread").count() == 40


def test_hr_can_filter_the_trail(chain, client_for, django_assert_max_num_queries):
    c = client_for("hr")
    with django_assert_max_num_queries(16):
        response = c.get("/audit/", {"action": "step3", "actor": "hr"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "test.step3" in body and "test.step2" not in body


def test_a_bad_date_range_is_explained_beside_the_field(client_for):
    response = client_for("hr").get("/audit/", {"date_from": "2026-05-02", "date_to": "2026-05-01"})
    assert "The end date is before the start date." in response.content.decode()


def test_denied_access_is_itself_on_the_trail(client_for):
    client_for("employee").get("/people/employees/")
    event = AuditEvent.objects.order_by("-id").first()
    assert event.action == "access.denied" and event.actor_label == "employee"
    assert event.details["path"] == "/people/employees/"


def test_sign_in_failures_are_recorded_without_the_password(client):
    client.post("/accounts/login/", {"username": "employee", "password": "wrong-password-123"})
    event = AuditEvent.objects.filter(action="auth.login_failed").latest("id")
    assert event.details == {"username": "employee"}
    assert "wrong-password" not in str(event.details)
