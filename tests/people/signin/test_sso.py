"""Single sign-on against a real OpenID provider process (tests/oidc/provider.mjs), over HTTP; the browser
journeys are in tests/e2e/test_signin.py. Also: password sign-in switched off, the break-glass account,
recovery codes, sign-out and the nightly session clear-out."""

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from people.demo import DEMO_PASSWORD
from people.models import RecoveryCode, SignInIdentity, User
from people.signin.services import recovery_codes_generate
from people.tasks import clear_expired_sessions
from tests.oidc.fixtures import DOMAIN, provider_round_trip

pytestmark = pytest.mark.django_db


def _signed_in_as(client) -> User | None:
    response = client.get(reverse("people:my_data"))
    if response.status_code != 200:
        return None
    return response.wsgi_request.user


def _last_refusal() -> AuditEvent:
    return AuditEvent.objects.filter(action="auth.sso_refused").order_by("-pk").first()


# --- a known employee gets in; the stable id is stored and used afterwards ---------------------------------


def test_a_known_employee_signs_in_with_microsoft_and_the_directory_id_is_stored(sso_on, demo_user):
    employee = demo_user("employee")
    sso_on.add_account("james", email=f"EMPLOYEE@{DOMAIN}", oid="oid-james")
    client = Client()
    response = client.get(provider_round_trip(client, sso_on, "microsoft", "james"))
    assert response.status_code == 302 and response["Location"] == reverse("people:dashboard")
    assert _signed_in_as(client) == employee
    identity = SignInIdentity.objects.get(user=employee, provider="microsoft")
    assert identity.subject == "oid-james"
    assert AuditEvent.objects.filter(action="auth.sso_identity_linked", actor=employee).exists()
    assert AuditEvent.objects.filter(action="auth.sso_signed_in", actor=employee).exists()


def test_after_the_first_time_the_stable_id_matches_even_when_the_mailbox_is_renamed(sso_on, demo_user):
    employee = demo_user("employee")
    sso_on.add_account("james", email=f"employee@{DOMAIN}", oid="oid-james")
    first = Client()
    first.get(provider_round_trip(first, sso_on, "microsoft", "james"))
    sso_on.add_account("james", email=f"james.wilson@{DOMAIN}", oid="oid-james")  # no employee has this email
    second = Client()
    response = second.get(provider_round_trip(second, sso_on, "microsoft", "james"))
    assert response.status_code == 302
    assert _signed_in_as(second) == employee


def test_google_matches_by_sub_and_both_providers_work_at_once(sso_on, demo_user):
    sso_on.add_account("g-manager", email=f"manager@{DOMAIN}")
    client = Client()
    response = client.get(provider_round_trip(client, sso_on, "google", "g-manager"))
    assert response.status_code == 302
    assert SignInIdentity.objects.get(user=demo_user("manager"), provider="google").subject == "g-manager"


def test_the_next_page_is_kept_through_the_round_trip_but_never_another_site(sso_on):
    sso_on.add_account("james", email=f"employee@{DOMAIN}")
    client = Client()
    response = client.get(provider_round_trip(client, sso_on, "microsoft", "james", next_url="/my-data/"))
    assert response["Location"] == "/my-data/"
    other = Client()
    response = other.get(provider_round_trip(other, sso_on, "microsoft", "james", next_url="https://evil.example/"))
    assert response["Location"] == reverse("people:dashboard")


# --- refusals: never creating an account ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("account", "slug", "reason", "shown"),
    [
        ({"email": f"stranger@{DOMAIN}"}, "microsoft", "no_employee", "no employee record with your email"),
        ({"email": "employee@gmail.com"}, "microsoft", "domain_not_allowed", "Accounts from gmail.com cannot"),
        ({"email": f"employee@{DOMAIN}", "email_verified": False}, "google", "email_not_verified", "not verified"),
    ],
    ids=["unknown", "foreign-domain", "unverified-email"],
)
def test_an_identity_that_matches_no_current_employee_is_refused_and_audited(sso_on, account, slug, reason, shown):
    sso_on.add_account("someone", **account)
    users_before = User.objects.count()
    client = Client()
    response = client.get(provider_round_trip(client, sso_on, slug, "someone"))
    assert response.status_code == 403
    assert shown in response.content.decode()
    assert "never makes a new account" in response.content.decode()
    assert User.objects.count() == users_before
    assert not SignInIdentity.objects.exists()
    assert _signed_in_as(client) is None
    event = _last_refusal()
    assert event.details["reason"] == reason and event.details["provider"] == slug


@pytest.mark.parametrize("already_linked", [False, True], ids=["first-time", "linked-before"])
def test_a_leaver_cannot_sign_in_by_single_sign_on(sso_on, demo_user, already_linked):
    employee = demo_user("employee")
    sso_on.add_account("james", email=f"employee@{DOMAIN}", oid="oid-james")
    if already_linked:
        client = Client()
        client.get(provider_round_trip(client, sso_on, "microsoft", "james"))
    User.objects.filter(pk=employee.pk).update(is_active=False, employment_status=User.EmploymentStatus.LEFT)
    client = Client()
    response = client.get(provider_round_trip(client, sso_on, "microsoft", "james"))
    assert response.status_code == 403 and "access to socialpolicy has ended" in response.content.decode()
    assert _last_refusal().details["reason"] == "leaver"


def test_a_second_directory_account_with_the_same_email_is_refused(sso_on, demo_user):
    sso_on.add_account("james", email=f"employee@{DOMAIN}", oid="oid-james")
    client = Client()
    client.get(provider_round_trip(client, sso_on, "microsoft", "james"))
    sso_on.add_account("impostor", email=f"employee@{DOMAIN}", oid="oid-impostor")
    other = Client()
    response = other.get(provider_round_trip(other, sso_on, "microsoft", "impostor"))
    assert response.status_code == 403
    assert _last_refusal().details["reason"] == "linked_to_another_account"


# --- the second factor ---------------------------------------------------------------------------------------


def test_hr_without_the_providers_mfa_claim_is_sent_to_the_second_step(sso_on):
    sso_on.add_account("daniel", email=f"hr@{DOMAIN}", amr=["pwd"])
    client = Client()
    client.get(provider_round_trip(client, sso_on, "microsoft", "daniel"))
    response = client.get(reverse("people:dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("two_factor"))


@pytest.mark.parametrize(("amr", "acr"), [(["pwd", "mfa"], None), (["pwd"], "urn:test:mfa")], ids=["amr", "acr"])
def test_hr_with_the_providers_mfa_proof_goes_straight_in(sso_on, amr, acr):
    sso_on.add_account("daniel", email=f"hr@{DOMAIN}", amr=amr, acr=acr)
    client = Client()
    client.get(provider_round_trip(client, sso_on, "microsoft", "daniel"))
    assert client.get(reverse("people:dashboard")).status_code == 200
    event = AuditEvent.objects.filter(action="auth.sso_signed_in").order_by("-pk").first()
    assert event.details["provider_mfa"] is True


# --- the ID token and the round trip itself --------------------------------------------------------------


@pytest.mark.parametrize("mode", ["tamper", "expired", "audience", "nonce", "issuer"])
def test_an_id_token_that_does_not_check_out_is_refused(sso_on, mode):
    sso_on.add_account("james", email=f"employee@{DOMAIN}")
    client = Client()
    callback = provider_round_trip(client, sso_on, "microsoft", "james")
    sso_on.next_id_token(mode)
    response = client.get(callback)
    assert response.status_code == 403
    assert "could not be trusted" in response.content.decode()
    assert _signed_in_as(client) is None
    assert _last_refusal().details["reason"].startswith("invalid_response")


def test_the_unaltered_token_is_accepted_so_the_refusals_above_are_about_the_change(sso_on):
    sso_on.add_account("james", email=f"employee@{DOMAIN}")
    client = Client()
    callback = provider_round_trip(client, sso_on, "microsoft", "james")
    sso_on.next_id_token("")
    assert client.get(callback).status_code == 302


def test_a_wrong_state_is_refused(sso_on):
    sso_on.add_account("james", email=f"employee@{DOMAIN}")
    client = Client()
    callback = provider_round_trip(client, sso_on, "microsoft", "james")
    path, _, query = callback.partition("?")
    params = parse_qs(query)
    response = client.get(path, {"code": params["code"][0], "state": "forged-state"})
    assert response.status_code == 403
    assert _signed_in_as(client) is None


def test_a_callback_from_another_browser_or_replayed_is_refused(sso_on):
    sso_on.add_account("james", email=f"employee@{DOMAIN}")
    victim = Client()
    callback = provider_round_trip(victim, sso_on, "microsoft", "james")
    attacker = Client()
    assert attacker.get(callback).status_code == 403  # login CSRF: the state is not in this session
    assert victim.get(callback).status_code == 302
    victim.logout()
    assert victim.get(callback).status_code == 403  # used once already


def test_an_unknown_provider_is_not_found(sso_on):
    assert Client().get("/accounts/sso/yahoo/").status_code == 404


def test_a_provider_that_does_not_answer_gets_a_clear_page(settings, sso_on):
    settings.SSO_PROVIDERS = {**settings.SSO_PROVIDERS}
    settings.SSO_PROVIDERS["microsoft"] = {**settings.SSO_PROVIDERS["microsoft"], "issuer": "http://127.0.0.1:9"}
    response = Client().get("/accounts/sso/microsoft/")
    assert response.status_code == 503
    assert "Microsoft sign-in is not answering" in response.content.decode()


# --- the sign-in page, password sign-in and the break-glass account ----------------------------------------


def test_with_no_single_sign_on_the_sign_in_page_is_as_before(settings):
    settings.SSO_PROVIDERS = {}
    page = Client().get(reverse("login")).content.decode()
    assert "Sign in with" not in page and 'name="password"' in page
    assert Client().post(reverse("login"), {"username": "employee", "password": DEMO_PASSWORD}).status_code == 302


def test_the_sign_in_page_offers_each_configured_provider(sso_on):
    page = Client().get(reverse("login")).content.decode()
    assert "Sign in with Microsoft" in page and "Sign in with Google" in page


def test_with_passwords_switched_off_an_employee_cannot_use_one(sso_on, settings):
    settings.PASSWORD_SIGN_IN_ENABLED = False
    client = Client()
    page = client.get(reverse("login")).content.decode()
    assert "Emergency administrator sign-in" in page
    response = client.post(reverse("login"), {"username": "employee", "password": DEMO_PASSWORD})
    assert response.status_code == 200
    assert "Signing in with a password is switched off" in response.content.decode()
    assert _signed_in_as(client) is None


def test_the_break_glass_account_still_signs_in_and_the_head_of_hr_is_told(sso_on, settings, outbox):
    settings.PASSWORD_SIGN_IN_ENABLED = False
    settings.BREAK_GLASS_USERNAMES = ["admin"]
    client = Client()
    emails = outbox(lambda: client.post(reverse("login"), {"username": "admin", "password": DEMO_PASSWORD}))
    assert outbox.result.status_code == 302
    assert AuditEvent.objects.filter(action="auth.break_glass_signed_in", actor__username="admin").exists()
    assert [m.to for m in emails] == [[f"headofhr@{DOMAIN}"]]
    assert "emergency administrator account" in emails[0].body


def test_an_ordinary_sign_in_announces_nothing(settings, outbox):
    settings.BREAK_GLASS_USERNAMES = ["admin"]
    emails = outbox(lambda: Client().post(reverse("login"), {"username": "hr", "password": DEMO_PASSWORD}))
    assert emails == []
    assert not AuditEvent.objects.filter(action="auth.break_glass_signed_in").exists()


# --- recovery codes -----------------------------------------------------------------------------------------


def test_recovery_codes_are_shown_once_stored_hashed_and_work_once(client_for, demo_user):
    hr = demo_user("hr")
    page = client_for("hr").post(reverse("recovery_codes"))
    codes = page.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = set(RecoveryCode.objects.filter(user=hr).values_list("digest", flat=True))
    assert all(code not in stored and code.replace("-", "") not in stored for code in codes)
    assert "abcde" not in client_for("hr").get(reverse("recovery_codes")).content.decode()
    assert codes[0] not in client_for("hr").get(reverse("recovery_codes")).content.decode()

    client = Client()
    client.force_login(hr)
    assert client.get(reverse("people:dashboard")).status_code == 302  # the second step is due
    response = client.post(reverse("recovery_code_sign_in"), {"code": codes[0].upper(), "next": "/my-data/"})
    assert response.status_code == 302 and response["Location"] == "/my-data/"
    assert client.get(reverse("people:dashboard")).status_code == 200

    again = Client()
    again.force_login(hr)
    response = again.post(reverse("recovery_code_sign_in"), {"code": codes[0]})
    assert response.status_code == 400 and "has been used already" in response.content.decode()
    assert AuditEvent.objects.filter(action="auth.recovery_code_failed", actor=hr).exists()


def test_a_new_set_of_recovery_codes_replaces_the_old(demo_user):
    hr = demo_user("hr")
    old = recovery_codes_generate(actor=hr)
    recovery_codes_generate(actor=hr)
    client = Client()
    client.force_login(hr)
    assert client.post(reverse("recovery_code_sign_in"), {"code": old[0]}).status_code == 400


@pytest.mark.parametrize("code", ["", "abc", "abcde-fghjk-extra!"], ids=["empty", "short", "long"])
def test_a_malformed_recovery_code_is_answered_beside_the_field(demo_user, code):
    client = Client()
    client.force_login(demo_user("hr"))
    response = client.post(reverse("recovery_code_sign_in"), {"code": code})
    assert response.status_code == 400
    assert response.context["form"].errors["code"]


def test_only_the_two_step_roles_have_recovery_codes(client_for):
    assert client_for("employee").get(reverse("recovery_codes")).status_code == 403
    assert client_for("investigator").get(reverse("recovery_codes")).status_code == 200


# --- sign-out and sessions ---------------------------------------------------------------------------------


def test_sign_out_ends_the_session_and_offers_the_providers_sign_out(sso_on):
    sso_on.add_account("james", email=f"employee@{DOMAIN}")
    client = Client()
    client.get(provider_round_trip(client, sso_on, "microsoft", "james"))
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("signed_out")
    assert _signed_in_as(client) is None
    page = client.get(reverse("signed_out"))
    url = page.context["end_session_url"]
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == sso_on.issuer
    assert "id_token_hint" in parse_qs(parts.query)
    assert client.get(reverse("signed_out")).status_code == 302  # offered once


def test_sign_out_after_a_password_sign_in_goes_back_to_the_sign_in_page(client_for):
    response = client_for("employee").post(reverse("logout"))
    assert response["Location"] == reverse("login")


def test_expired_sessions_are_cleared_by_the_nightly_task(client_for):
    client_for("employee")
    live = set(Session.objects.filter(expire_date__gt=timezone.now()).values_list("session_key", flat=True))
    assert live  # the employee's own session, at least
    Session.objects.create(session_key="x" * 32, session_data="", expire_date=timezone.now() - dt.timedelta(days=1))
    clear_expired_sessions.apply().get()
    assert set(Session.objects.values_list("session_key", flat=True)) >= live
    assert not Session.objects.filter(session_key="x" * 32).exists()


def test_recovery_codes_stop_being_tried_after_five_wrong_ones(demo_user):
    hr = demo_user("hr")
    codes = recovery_codes_generate(actor=hr)
    client = Client()
    client.force_login(hr)
    for _ in range(5):
        assert client.post(reverse("recovery_code_sign_in"), {"code": "zzzzz-zzzzz"}).status_code == 400
    response = client.post(reverse("recovery_code_sign_in"), {"code": codes[0]})
    assert response.status_code == 400 and "Too many wrong codes" in response.content.decode()
    assert client.get(reverse("people:dashboard")).status_code == 302
