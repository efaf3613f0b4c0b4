"""Signing in with the school's own account in Chromium, through a real OpenID provider (tests/oidc/provider.mjs)."""

import pytest

from audit.models import AuditEvent
from people.models import User
from tests.e2e.conftest import screenshot
from tests.oidc.fixtures import DOMAIN

pytestmark = pytest.mark.e2e


def _sign_in_at_provider(page, button: str, account: str) -> None:
    page.goto(f"{page.base_url}/accounts/login/")
    page.get_by_role("link", name=button).click()
    page.get_by_label("Account").fill(account)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state("networkidle")


def test_a_known_employee_signs_in_with_microsoft(page, sso_on):
    sso_on.add_account("james", email=f"employee@{DOMAIN}", oid="oid-james")
    _sign_in_at_provider(page, "Sign in with Microsoft", "james")
    assert page.url.rstrip("/") == page.base_url
    assert page.get_by_test_id("user-menu").inner_text() == "James Wilson"
    screenshot(page, "signin-microsoft-employee")


@pytest.mark.parametrize(
    ("email", "make_leaver", "message"),
    [
        (f"nobody@{DOMAIN}", False, "There is no employee record with your email address."),
        (f"employee@{DOMAIN}", True, "Your access to socialpolicy has ended."),
        (
            "employee@gmail.com",
            False,
            "Accounts from gmail.com cannot sign in here. Use your school or council account.",
        ),
    ],
    ids=["unknown", "leaver", "foreign-domain"],
)
def test_people_who_are_not_current_employees_are_refused(page, sso_on, email, make_leaver, message):
    if make_leaver:
        User.objects.filter(username="employee").update(is_active=False, employment_status=User.EmploymentStatus.LEFT)
    sso_on.add_account("visitor", email=email)
    users_before = User.objects.count()
    _sign_in_at_provider(page, "Sign in with Google", "visitor")
    assert page.get_by_role("heading", name="You have not been signed in").is_visible()
    assert page.get_by_test_id("sso-refusal").inner_text() == message
    assert User.objects.count() == users_before
    assert AuditEvent.objects.filter(action="auth.sso_refused").count() == 1
    page.goto(f"{page.base_url}/my-data/")
    assert "/accounts/login/" in page.url
    screenshot(page, f"signin-refused-{'leaver' if make_leaver else email.split('@')[1]}")


def test_hr_without_the_providers_mfa_is_sent_to_the_second_step(page, sso_on):
    sso_on.add_account("daniel", email=f"hr@{DOMAIN}", amr=["pwd"])
    _sign_in_at_provider(page, "Sign in with Microsoft", "daniel")
    assert "/accounts/2fa/" in page.url
    assert page.get_by_label("Code from your authenticator app").is_visible()


def test_hr_with_the_providers_mfa_goes_straight_in_and_signs_out_of_both(page, sso_on):
    sso_on.add_account("daniel", email=f"hr@{DOMAIN}", amr=["pwd", "mfa"])
    _sign_in_at_provider(page, "Sign in with Microsoft", "daniel")
    assert page.url.rstrip("/") == page.base_url
    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="Sign out").click()
    assert page.get_by_role("heading", name="You have signed out of socialpolicy").is_visible()
    page.get_by_test_id("provider-sign-out").click()
    # The provider asks before ending its own session, then sends the browser back to the sign-in page.
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url(f"{page.base_url}/accounts/login/**")
    assert page.get_by_role("link", name="Sign in with Microsoft").is_visible()
