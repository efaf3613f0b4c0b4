"""Sign-in and password pages: open to everyone signed out, by design."""

from tests.security.matrix import ROLES, Case, s

SIGNED_IN = frozenset(ROLES[1:])


def _same_for_all(anonymous: tuple, signed_in: tuple):
    table = {"anonymous": (s(*anonymous[0]), s(*anonymous[1]))}
    table.update({role: (s(*signed_in[0]), s(*signed_in[1])) for role in SIGNED_IN})
    return table


ROUTES = {
    # Signed-in users are sent on to their dashboard; an empty sign-in form is answered with errors.
    "login": [Case(expect=_same_for_all(((200,), (200,)), ((302,), (302,))))],
    "logout": [Case(expect=_same_for_all(((302,), (302,)), ((405,), (302,))))],
    "password_change": [Case(expect=_same_for_all(((302,), (302,)), ((200,), (200,))))],
    "password_change_done": [Case(expect=_same_for_all(((302,), (302,)), ((200,), (405,))))],
    "password_reset": [Case(expect=_same_for_all(((200,), (200,)), ((200,), (200,))))],
    "password_reset_done": [Case(expect=_same_for_all(((200,), (405,)), ((200,), (405,))))],
    "password_reset_confirm": [
        Case(
            "a forged token",
            {"uidb64": "MQ", "token": "forged-token"},
            expect=_same_for_all(((200,), (200,)), ((200,), (200,))),
        )
    ],
    "password_reset_complete": [Case(expect=_same_for_all(((200,), (405,)), ((200,), (405,))))],
}

# Two-step sign-in: anyone signed in may open it (it is where HR and investigators are sent).
ROUTES["two_factor"] = [Case(expect=_same_for_all(((302,), (302,)), ((200,), (200, 302, 400))))]

# Single sign-on and recovery codes (people/signin/). The matrix runs with no provider configured, so a
# provider's sign-in and callback are "not found" for everyone; both answer GET only.
TWO_STEP = s("hr", "headofhr", "investigator", "admin")
ROUTES["sso_begin"] = [
    Case(
        "a provider not configured", {"provider": "microsoft"}, expect=_same_for_all(((404,), (405,)), ((404,), (405,)))
    )
]
ROUTES["sso_callback"] = [
    Case(
        "a provider not configured", {"provider": "microsoft"}, expect=_same_for_all(((404,), (405,)), ((404,), (405,)))
    )
]
# Without a provider's sign-out address waiting in the session, the signed-out page sends everyone to sign in.
ROUTES["signed_out"] = [Case(expect=_same_for_all(((302,), (405,)), ((302,), (405,))))]
# Only the two-step roles use or make recovery codes; anyone else signed in is sent on to their dashboard.
ROUTES["recovery_code_sign_in"] = [
    Case(
        expect={
            "anonymous": (s(302), s(302)),
            **{role: (s(200), s(400)) for role in TWO_STEP},
            **{role: (s(302), s(302)) for role in SIGNED_IN - TWO_STEP},
        }
    )
]
ROUTES["recovery_codes"] = [Case(get_ok=TWO_STEP, post_ok=TWO_STEP)]
