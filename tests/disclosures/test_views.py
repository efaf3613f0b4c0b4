"""The disclosure pages: bad input, privacy between employees, HR's lists and their query counts."""

import pytest
from django.urls import reverse

from disclosures.models import DisclaimerWording, PersonalAccountDisclosure
from people.models import User
from tests.disclosures.factories import DisclosureFollowUpFactory, PersonalAccountDisclosureFactory, declare

pytestmark = pytest.mark.django_db

GOOD = {"platform": "x", "handle": "@jwilson_reads", "display_name": "James W", "privacy_settings_checked": "on"}


def _mine(client, username="employee"):
    return PersonalAccountDisclosure.objects.filter(employee__username=username)


def test_declaring_a_school_named_handle_shows_what_to_change(client_for):
    client = client_for("employee")
    response = client.post(reverse("disclosures:create"), {**GOOD, "handle": "@MrWilsonAtOakfieldPrimary"}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Needs changes" in page and "5.3" in page and "“OakfieldPrimary”" in page


def test_script_tags_are_shown_escaped_not_run(client_for):
    client = client_for("employee")
    evil = "<script>alert('x')</script>"
    response = client.post(
        reverse("disclosures:create"),
        {**GOOD, "handle": "@jw" + evil, "display_name": evil, "profile_text": evil, "disclaimer": evil},
        follow=True,
    )
    page = response.content.decode()
    assert evil not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


def test_a_ten_thousand_character_profile_text_is_refused_beside_the_field_and_nothing_saved(client_for):
    client = client_for("employee")
    response = client.post(reverse("disclosures:create"), {**GOOD, "profile_text": "a" * 10_000})
    assert response.status_code == 200
    assert "at most 4000 characters" in response.content.decode()
    assert not _mine(client).exists()


def test_emoji_and_right_to_left_names_are_kept_and_shown(client_for):
    client = client_for("employee")
    name = "جيمس 🍎 ויליאמס"
    response = client.post(
        reverse("disclosures:create"), {**GOOD, "handle": "@🍎_جيمس", "display_name": name}, follow=True
    )
    assert response.status_code == 200
    account = _mine(client).get()
    assert account.display_name == name and account.is_compliant
    assert name in response.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("handle", "", "This field is required"),
        ("handle", "a" * 101, "at most 100 characters"),
        ("handle", "@jw\n@other", "one line"),
        ("platform", "myspace-2", "Select a valid choice"),
        ("profile_url", "javascript:alert(1)", "Enter a valid URL"),
        ("privacy_settings_checked", "", "check your privacy settings"),
    ],
)
def test_bad_input_is_explained_beside_the_field(client_for, field, value, message):
    client = client_for("employee")
    data = {**GOOD, field: value}
    if value == "":
        data.pop(field)
    response = client.post(reverse("disclosures:create"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not _mine(client).exists()


def test_a_double_submission_declares_once_and_explains(client_for):
    client = client_for("employee")
    client.post(reverse("disclosures:create"), GOOD)
    response = client.post(reverse("disclosures:create"), GOOD)
    assert response.status_code == 200
    assert "already declared this account" in response.content.decode()
    assert _mine(client).count() == 1


def test_an_employee_sees_only_their_own_accounts(client_for):
    manager_account = PersonalAccountDisclosure.objects.get(employee__username="manager")
    client = client_for("employee")
    assert client.get(reverse("disclosures:detail", args=[manager_account.pk])).status_code == 404
    assert client.get(reverse("disclosures:update", args=[manager_account.pk])).status_code == 404
    page = client.get(reverse("disclosures:mine")).content.decode()
    assert manager_account.handle not in page


def test_a_forged_id_on_update_cannot_touch_another_account(client_for):
    manager_account = PersonalAccountDisclosure.objects.get(employee__username="manager")
    response = client_for("employee").post(
        reverse("disclosures:update", args=[manager_account.pk]), {**GOOD, "handle": "@hacked"}
    )
    assert response.status_code == 404
    manager_account.refresh_from_db()
    assert manager_account.handle == "@sbennett_teaches"


def test_the_owner_updates_and_resubmits(client_for, demo_user):
    account = declare(demo_user("employee"), handle="@OakfieldPrimaryJames")
    client = client_for("employee")
    form = client.get(reverse("disclosures:update", args=[account.pk])).content.decode()
    assert "What to change" in form
    response = client.post(reverse("disclosures:update", args=[account.pk]), GOOD, follow=True)
    assert "Compliant" in response.content.decode()
    account.refresh_from_db()
    assert account.is_compliant and account.handle == "@jwilson_reads"


def test_hr_reading_an_account_is_on_the_audit_trail(client_for):
    from audit.models import AuditEvent

    account = PersonalAccountDisclosure.objects.get(employee__username="manager")
    client_for("hr").get(reverse("disclosures:detail", args=[account.pk]))
    assert AuditEvent.objects.filter(kind="read", object_id=str(account.pk), actor_label="hr").exists()


def test_an_empty_follow_up_shows_an_error_and_saves_nothing(client_for):
    account = PersonalAccountDisclosure.objects.filter(outcome="needs_changes").first()
    before = account.follow_ups.count()
    response = client_for("hr").post(reverse("disclosures:follow_up", args=[account.pk]), {"note": ""})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert account.follow_ups.count() == before


def test_hr_list_shows_accounts_needing_changes_by_default(client_for):
    page = client_for("hr").get(reverse("disclosures:review")).content.decode()
    needing = PersonalAccountDisclosure.objects.get(
        outcome="needs_changes", employee__organisation__name__startswith="Oak"
    )
    assert needing.handle in page
    assert "@sbennett_teaches" not in page  # compliant: shown only when asked for
    everything = client_for("hr").get(reverse("disclosures:review") + "?outcome=").content.decode()
    assert "@sbennett_teaches" in everything


def test_hr_list_filters_political_flags_and_rejects_bad_filters_gracefully(client_for):
    hr = client_for("hr")
    page = hr.get(reverse("disclosures:review") + "?outcome=&political=on").content.decode()
    assert "5.6 political activity" in page
    response = hr.get(reverse("disclosures:review") + "?outcome=bogus&organisation=999999&sort=password")
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_hr_list_has_a_helpful_empty_state(client_for):
    page = client_for("hr").get(reverse("disclosures:review") + "?q=nobody-by-this-name").content.decode()
    assert "No declared accounts match these filters" in page


@pytest.mark.parametrize("extra", [1, 30])
def test_hr_list_queries_do_not_grow_with_rows(client_for, django_assert_max_num_queries, extra):
    employees = list(User.objects.filter(organisation__name="Kennet Valley Academy")[:extra])
    for i in range(extra):
        account = PersonalAccountDisclosureFactory(employee=employees[i % len(employees)], handle=f"@kv{i}")
        DisclosureFollowUpFactory(disclosure=account)
    client = client_for("hr")
    with django_assert_max_num_queries(17):
        response = client.get(reverse("disclosures:review") + "?sort=organisation")
    assert response.status_code == 200


def test_hr_list_paginates(client_for):
    employee = User.objects.get(username="employee")
    for i in range(30):
        PersonalAccountDisclosureFactory(employee=employee, handle=f"@page{i}")
    page = client_for("hr").get(reverse("disclosures:review") + "?page=2").content.decode()
    assert "Page 2 of" in page


def test_the_wording_form_checks_the_example_against_the_pattern(client_for):
    client = client_for("hr")
    response = client.post(
        reverse("disclosures:wording_create"),
        {"pattern": "my take alone", "element": "own_views", "example": "Views are mine", "is_active": "on"},
    )
    assert "does not recognise this example" in response.content.decode()
    response = client.post(
        reverse("disclosures:wording_create"),
        {"pattern": "My  Take * alone", "element": "own_views", "example": "My take, mine alone", "is_active": "on"},
    )
    assert response.status_code == 302
    assert DisclaimerWording.objects.filter(pattern="my take * alone").exists()


def test_an_oversize_or_malformed_wording_is_refused(client_for):
    client = client_for("hr")
    for pattern in ["x " * 150, "<script>alert(1)</script>", "* views"]:
        response = client.post(reverse("disclosures:wording_create"), {"pattern": pattern, "element": "own_views"})
        assert response.status_code == 200
        assert "is-invalid" in response.content.decode()
    assert not DisclaimerWording.objects.filter(pattern__contains="script").exists()


def test_hr_marks_a_post_and_the_holder_sees_the_notice(client_for, demo_user):
    hr = client_for("hr")
    employee = demo_user("employee")
    response = hr.post(
        reverse("disclosures:restricted_posts"), {"employee": employee.pk, "reason": "Advises governors"}
    )
    assert response.status_code == 302
    page = client_for("employee").get(reverse("disclosures:mine")).content.decode()
    assert "Your post is politically restricted" in page and "I have read and understood this notice" in page
    client_for("employee").post(reverse("disclosures:restricted_post_acknowledge"))
    page = client_for("employee").get(reverse("disclosures:mine")).content.decode()
    assert "Acknowledged" in page


def test_hr_lifts_a_restriction_and_the_employee_finds_the_notice_in_the_app(client_for, demo_user):
    from disclosures import services

    employee = demo_user("employee")
    services.restricted_post_mark(actor=demo_user("hr"), employee=employee, reason="Advises governors")
    response = client_for("hr").post(reverse("disclosures:restricted_post_lift", args=[employee.pk]), follow=True)
    assert "no longer politically restricted; they have been told" in response.content.decode()
    page = client_for("employee").get(reverse("people:notifications")).content.decode()
    assert "Your post is no longer politically restricted" in page
    page = client_for("employee").get(reverse("disclosures:mine")).content.decode()
    assert "I have read and understood this notice" not in page


def test_a_forged_employee_id_on_the_restricted_post_form_is_refused(client_for):
    response = client_for("hr").post(reverse("disclosures:restricted_posts"), {"employee": 99999999})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_the_restricted_form_does_not_offer_people_already_restricted(client_for):
    holder = User.objects.filter(politically_restricted=True).first()
    response = client_for("hr").post(reverse("disclosures:restricted_posts"), {"employee": holder.pk})
    assert "Select a valid choice" in response.content.decode()


def test_political_questions_are_asked_only_of_restricted_post_holders(client_for, demo_user):
    assert "Political activity" not in client_for("employee").get(reverse("disclosures:create")).content.decode()
    User.objects.filter(username="employee").update(politically_restricted=True)
    assert "Political activity" in client_for("employee").get(reverse("disclosures:create")).content.decode()


def test_the_dashboard_panel_reminds_of_the_yearly_confirmation(client_for, demo_user):
    import datetime as dt

    from django.utils import timezone

    account = declare(demo_user("employee"), handle="@jw")
    PersonalAccountDisclosure.objects.filter(pk=account.pk).update(submitted_at=timezone.now() - dt.timedelta(days=400))
    page = client_for("employee").get(reverse("people:dashboard")).content.decode()
    assert "Please confirm your declared accounts are up to date" in page
    client_for("employee").post(reverse("disclosures:reconfirm"))
    page = client_for("employee").get(reverse("people:dashboard")).content.decode()
    assert "Please confirm your declared accounts are up to date" not in page
