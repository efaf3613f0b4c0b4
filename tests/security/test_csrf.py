"""Cross-site request forgery: a state-changing POST without the form's token is refused and changes nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from people.models import PolicyAcknowledgement
from people.selectors import current_policy_version
from tests.conftest import sign_in
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def test_a_forged_cross_site_post_is_refused_and_a_real_form_post_works(demo_user):
    newcomer = EmployeeFactory(organisation=demo_user("employee").organisation)
    client = sign_in(Client(enforce_csrf_checks=True), newcomer)
    url = reverse("people:policy_acknowledge", args=[current_policy_version().pk])

    forged = client.post(url, HTTP_ORIGIN="https://evil.example")
    assert forged.status_code == 403
    assert not PolicyAcknowledgement.objects.filter(employee=newcomer).exists()

    page = client.get(reverse("people:policy"))
    token = page.context["csrf_token"]
    assert client.post(url, {"csrfmiddlewaretoken": str(token)}).status_code == 302
    assert PolicyAcknowledgement.objects.filter(employee=newcomer).count() == 1


def test_the_session_cookie_is_out_of_reach_of_scripts_and_other_sites():
    from django.conf import settings

    from people.demo import DEMO_PASSWORD

    response = Client().post(reverse("login"), {"username": "employee", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] in ("Lax", "Strict")
