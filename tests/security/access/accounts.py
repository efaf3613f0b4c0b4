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
