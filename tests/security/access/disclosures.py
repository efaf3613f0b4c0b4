from disclosures.models import DisclaimerWording, PersonalAccountDisclosure
from people.models import User
from tests.security.matrix import HR, STAFF, Case, s


def _account_of(username):
    return lambda: {"pk": PersonalAccountDisclosure.objects.filter(employee__username=username).first().pk}


def _oakfield_staff_account():
    """An account declared by a member of Oakfield staff who is none of the demo users."""
    account = PersonalAccountDisclosure.objects.filter(
        employee__organisation__name="Oakfield Primary School", outcome="needs_changes"
    ).first()
    return {"pk": account.pk}


def _wording():
    return {"pk": DisclaimerWording.objects.order_by("pk").first().pk}


def _restricted_holder():
    return {"pk": User.objects.filter(politically_restricted=True).order_by("pk").first().pk}


ROUTES = {
    "disclosures:mine": [Case(get_ok=STAFF)],
    "disclosures:create": [Case(get_ok=STAFF, post_ok=STAFF)],
    "disclosures:reconfirm": [Case(get_ok=STAFF, get_status=405, post_ok=STAFF)],
    "disclosures:detail": [
        Case("the deputy head's own account", _account_of("manager"), get_ok=s("manager") | HR),
        Case("another Oakfield teacher's account", _oakfield_staff_account, get_ok=HR),
    ],
    "disclosures:update": [
        Case("the deputy head's own account", _account_of("manager"), get_ok=s("manager"), post_ok=s("manager")),
        Case("another Oakfield teacher's account", _oakfield_staff_account),
    ],
    "disclosures:follow_up": [
        Case("another Oakfield teacher's account", _oakfield_staff_account, get_ok=STAFF, get_status=405, post_ok=HR),
    ],
    "disclosures:review": [Case(get_ok=HR)],
    "disclosures:wording_list": [Case(get_ok=HR)],
    "disclosures:wording_create": [Case(get_ok=HR, post_ok=HR)],
    "disclosures:wording_update": [Case(kwargs=_wording, get_ok=HR, post_ok=HR)],
    "disclosures:restricted_posts": [Case(get_ok=HR, post_ok=HR)],
    "disclosures:restricted_post_lift": [
        Case("a council officer's restricted post", _restricted_holder, get_ok=STAFF, get_status=405, post_ok=HR)
    ],
    # No demo login holds a politically restricted post, so nobody here may acknowledge the notice.
    "disclosures:restricted_post_acknowledge": [Case(get_ok=STAFF, get_status=405, post_ok=s())],
}

# Clause 5.5 self-report: every employee may tell HR about a post of their own.
ROUTES["disclosures:self_report"] = [Case(get_ok=STAFF, post_ok=STAFF)]
