"""Expected access to the publishing app's routes (clause 3), for every demo role."""

from people.models import User
from publishing.models import Campaign, Contributor, OfficialAccount, Post
from tests.security.matrix import STAFF, Case, s

OWN_LEADERS = s("headteacher", "bizmanager")
REGISTER = s("comms") | OWN_LEADERS


def _account(handle):
    return lambda: {"pk": OfficialAccount.objects.get(handle=handle).pk}


def _contributor(handle):
    def kwargs():
        account = OfficialAccount.objects.get(handle=handle)
        return {"pk": account.pk, "cpk": Contributor.objects.filter(account=account).first().pk}

    return kwargs


def _post(state, school="Oakfield Primary School", author=None):
    def kwargs():
        qs = Post.objects.filter(state=state, account__school__name=school)
        if author:
            qs = qs.filter(author__username=author)
        return {"pk": qs.order_by("pk").first().pk}

    return kwargs


def _oakfield_draft():
    return _post("draft", author="employee")()


def _kennet_draft():
    return _post("draft", school="Kennet Valley Academy")()


def _approved_post():
    from tests.publishing.factories import approved_post

    return {"pk": approved_post().pk}


def _approved_post_of_finished_campaign():
    from tests.publishing.factories import approved_post_of_finished_campaign

    return {"pk": approved_post_of_finished_campaign().pk}


def _approved_post_of_running_campaign():
    from tests.publishing.factories import approved_post, running_campaign

    return {"pk": approved_post(campaign=running_campaign(User.objects.get(username="employee"))).pk}


def _media(school):
    def kwargs():
        from tests.publishing.factories import media_on

        post = Post.objects.filter(account__school__name=school).exclude(state="published").order_by("pk").first()
        return {"pk": media_on(post).pk}

    return kwargs


def _thread(school):
    def kwargs():
        from tests.publishing.factories import advice_thread_on

        post = Post.objects.filter(account__school__name=school, state="draft").order_by("pk").first()
        return {"pk": advice_thread_on(post).pk}

    return kwargs


def _campaign(state, school="Oakfield Primary School"):
    return lambda: {"pk": Campaign.objects.get(state=state, school__name=school).pk}


def _submitted_campaign():
    from tests.publishing.factories import submitted_campaign

    return {"pk": submitted_campaign(User.objects.get(username="employee")).pk}


def _running_campaign():
    from tests.publishing.factories import running_campaign

    return {"pk": running_campaign(User.objects.get(username="employee")).pk}


# Who may open the waiting post (author employee, checker manager) and the Walk to School campaign.
POST_READERS = s("employee", "manager", "comms") | OWN_LEADERS
CAMPAIGN_READERS = s("employee", "manager", "comms") | OWN_LEADERS
NOBODY = frozenset()

ROUTES = {
    "publishing:account_list": [Case(get_ok=STAFF)],
    "publishing:account_create": [Case(get_ok=REGISTER, post_ok=REGISTER)],
    "publishing:account_detail": [
        Case("Oakfield's account", _account("Oakfield Primary School"), get_ok=REGISTER | s("employee", "manager")),
        Case("another school's account", _account("@kennetvalleyacademy"), get_ok=s("comms")),
    ],
    "publishing:contributor_add": [
        Case("Oakfield's account", _account("Oakfield Primary School"), get_ok=REGISTER, post_ok=REGISTER),
        Case("another school's account", _account("@kennetvalleyacademy"), get_ok=s("comms"), post_ok=s("comms")),
    ],
    "publishing:training_record": [
        Case(
            "Oakfield contributor",
            _contributor("Oakfield Primary School"),
            get_ok=s("comms"),
            post_ok=s("comms"),
        ),
        Case(
            "another school's contributor",
            _contributor("@kennetvalleyacademy"),
            get_ok=s("comms"),
            post_ok=s("comms"),
        ),
    ],
    "publishing:post_list": [Case(get_ok=STAFF)],
    "publishing:post_create": [Case(get_ok=s("employee", "manager"), post_ok=s("employee", "manager"))],
    "publishing:post_detail": [
        Case("post awaiting check at Oakfield", _post("awaiting_check"), get_ok=POST_READERS),
        Case("another school's draft", _kennet_draft, get_ok=s("comms")),
    ],
    "publishing:post_update": [
        Case("the employee's draft", _oakfield_draft, get_ok=s("employee"), post_ok=s("employee")),
        Case("post awaiting check", _post("awaiting_check"), get_ok=NOBODY, post_ok=NOBODY),
        Case("another school's draft", _kennet_draft, get_ok=NOBODY, post_ok=NOBODY),
    ],
    "publishing:post_media_add": [
        Case("the employee's draft", _oakfield_draft, get_ok=s("employee"), post_ok=s("employee")),
        Case("another school's draft", _kennet_draft, get_ok=NOBODY, post_ok=NOBODY),
    ],
    "publishing:post_submit": [
        Case("the employee's draft", _oakfield_draft, get_ok=s("employee"), post_ok=s("employee")),
        Case("another school's draft", _kennet_draft, get_ok=NOBODY, post_ok=NOBODY),
    ],
    "publishing:post_check": [
        Case("post awaiting the manager's check", _post("awaiting_check"), get_ok=s("manager"), post_ok=s("manager")),
        Case("a draft", _oakfield_draft, get_ok=NOBODY, post_ok=NOBODY),
        Case("another school's draft", _kennet_draft, get_ok=NOBODY, post_ok=NOBODY),
    ],
    "publishing:post_publish": [
        Case("the employee's approved post", _approved_post, get_ok=s("employee"), post_ok=s("employee")),
        Case("post awaiting check", _post("awaiting_check"), get_ok=NOBODY, post_ok=NOBODY),
        Case("another school's draft", _kennet_draft, get_ok=NOBODY, post_ok=NOBODY),
    ],
    "publishing:post_take_out_of_campaign": [
        Case(
            "the employee's approved post of a finished campaign",
            _approved_post_of_finished_campaign,
            get_ok=s("employee"),
            post_ok=s("employee"),
        ),
        Case(
            "approved, its campaign still running",
            _approved_post_of_running_campaign,
            get_ok=NOBODY,
            post_ok=NOBODY,
        ),
        Case("another school's draft", _kennet_draft, get_ok=NOBODY, post_ok=NOBODY),
    ],
    "publishing:advice_ask": [
        Case("the employee's draft", _oakfield_draft, get_ok=s("employee"), post_ok=s("employee")),
        Case("another school's draft", _kennet_draft, get_ok=NOBODY, post_ok=NOBODY),
    ],
    "publishing:advice_reply": [
        Case(
            "the employee's thread with the manager",
            _thread("Oakfield Primary School"),
            get_ok=s("employee", "manager"),
            get_status=405,
            post_ok=s("employee", "manager"),
        ),
        Case("another school's thread", _thread("Kennet Valley Academy"), get_ok=NOBODY, post_ok=NOBODY),
    ],
    "publishing:media_download": [
        Case("a photo on Oakfield's post", _media("Oakfield Primary School"), get_ok=POST_READERS),
        Case("a photo on another school's post", _media("Kennet Valley Academy"), get_ok=s("comms")),
    ],
    "publishing:campaign_list": [Case(get_ok=STAFF)],
    "publishing:campaign_create": [
        Case(get_ok=s("employee", "manager") | OWN_LEADERS, post_ok=s("employee", "manager") | OWN_LEADERS)
    ],
    "publishing:campaign_detail": [
        Case("Oakfield campaign", _campaign("endorsed"), get_ok=CAMPAIGN_READERS),
        Case("another school's campaign", _campaign("draft", "Kennet Valley Academy"), get_ok=s("comms")),
    ],
    "publishing:campaign_submit": [
        Case(
            "the employee's draft campaign",
            lambda: {"pk": _draft_campaign().pk},
            get_ok=s("employee"),
            get_status=405,
            post_ok=s("employee"),
        ),
        Case("another school's draft", _campaign("draft", "Kennet Valley Academy"), get_ok=NOBODY, post_ok=NOBODY),
    ],
    "publishing:campaign_endorse": [
        Case("submitted by the employee", _submitted_campaign, get_ok=s("manager"), post_ok=s("manager")),
        Case("already endorsed", _campaign("endorsed"), get_ok=NOBODY, post_ok=NOBODY),
        Case("another school's", _campaign("draft", "Kennet Valley Academy"), get_ok=NOBODY, post_ok=NOBODY),
    ],
    "publishing:campaign_decide": [
        Case(
            "endorsed, awaiting the headteacher",
            _campaign("endorsed"),
            get_ok=s("headteacher"),
            post_ok=s("headteacher"),
        ),
        Case("another school's", _campaign("draft", "Kennet Valley Academy"), get_ok=NOBODY, post_ok=NOBODY),
    ],
    "publishing:campaign_end": [
        Case(
            "the employee's running campaign",
            _running_campaign,
            get_ok=s("employee", "headteacher"),
            post_ok=s("employee", "headteacher"),
        ),
        Case("not approved yet, so not running", _campaign("endorsed"), get_ok=NOBODY, post_ok=NOBODY),
        Case("another school's", _campaign("draft", "Kennet Valley Academy"), get_ok=NOBODY, post_ok=NOBODY),
    ],
}


def _draft_campaign():
    from tests.publishing.factories import draft_campaign

    return draft_campaign(User.objects.get(username="employee"))
