"""The "Waiting for you" panel: every role sees what waits for them, from every app, in a fixed number of queries."""

import pytest
from django.urls import reverse

from core.dashboard import WaitingItem, waiting_for, waiting_item
from tests.reports import factories

pytestmark = pytest.mark.django_db

# Demo user -> a label that must be waiting for them in the demo world.
EXPECTED = {
    "employee": "Read and acknowledge the Social media policy",
    "manager": "Posts waiting for your check (3.3)",
    "headteacher": "Campaigns waiting for your decision (3.4)",
    "bizmanager": "Requests for your advice on posts (3.4)",
    "hr": "Concerns to triage",
    "headofhr": "Concerns to triage",
    "investigator": "Cases you are investigating",
    "comms": "Contributors to train (3.1)",
    "admin": "Notification emails not yet sent",
}


def _labels(user) -> list[str]:
    return [item.label for item in waiting_for(user)]


@pytest.mark.parametrize("username", list(EXPECTED))
def test_each_demo_role_has_something_real_waiting(demo_user, username, settings):
    user = demo_user(username)
    if username == "admin":
        from people.notifications import notify

        notify(recipients=[demo_user("employee")], subject="Test", template="reports/email/reminder.txt")
    assert any(label.startswith(EXPECTED[username]) for label in _labels(user)), _labels(user)


def test_the_panel_shows_counts_and_links(client_for):
    body = client_for("hr").get(reverse("people:dashboard")).content.decode()
    assert "Waiting for you" in body
    assert f'href="{reverse("cases:triage")}"' in body


def test_the_investigator_sees_their_next_deadline(demo_user):
    item = next(i for i in waiting_for(demo_user("investigator")) if i.label == "Cases you are investigating")
    assert item.detail.startswith("next deadline ")


def test_an_outsider_sees_nothing_of_hr_work(demo_user):
    labels = _labels(demo_user("employee"))
    assert not any("triage" in label or "Subject access" in label for label in labels)


def test_an_app_adds_an_item_by_registering_one_function(demo_user):
    from core import dashboard

    @waiting_item(order=999)
    def surveillance_reviews(user):
        return WaitingItem("Surveillance reviews due", 2, "/somewhere/")

    try:
        assert "Surveillance reviews due" in _labels(demo_user("headofhr"))
    finally:
        dashboard._waiting[:] = [(o, f) for o, f in dashboard._waiting if f is not surveillance_reviews]


@pytest.mark.parametrize("username", ["hr", "manager", "investigator", "comms", "headteacher", "admin"])
def test_the_dashboard_runs_a_fixed_number_of_queries(client_for, django_assert_max_num_queries, username):
    client = client_for(username)
    with django_assert_max_num_queries(80) as few:
        assert client.get(reverse("people:dashboard")).status_code == 200
    factories.lots_of_everything(30)
    factories.many_incidents(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("people:dashboard")).status_code == 200
