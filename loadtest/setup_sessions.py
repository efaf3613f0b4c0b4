"""Create N HR officers already past two-step sign-in, as server-side sessions, for the load run.

    python loadtest/setup_sessions.py 50 artifacts/load/sessions.json

Signing 50 users in through the form would need 50 authenticator codes and would trip the sign-in
throttle; the sessions are made here exactly as a completed sign-in leaves them (user, backend, password
hash, verified OTP device, last activity). The users are named loadhr01..loadhrNN, are re-used on a rerun,
and hold the HR officer role at the council.
"""

import json
import os
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialpolicy.settings")
django.setup()

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from people.models import Organisation, Role, RoleAssignment, User  # noqa: E402


def main(count: int, out: Path) -> None:
    council = Organisation.objects.get(kind=Organisation.Kind.COUNCIL)
    sessions = []
    for i in range(1, count + 1):
        user, _ = User.objects.get_or_create(
            username=f"loadhr{i:02d}",
            defaults={"first_name": "Load", "last_name": f"Tester {i:02d}", "organisation": council},
        )
        RoleAssignment.objects.get_or_create(user=user, role=Role.HR_OFFICER, organisation=council)
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="load test", defaults={"confirmed": True})
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store[DEVICE_ID_SESSION_KEY] = device.persistent_id
        store["last_activity"] = int(time.time())
        store.create()
        sessions.append(store.session_key)
    employees = list(
        User.objects.filter(organisation__kind=Organisation.Kind.SCHOOL).values_list("pk", flat=True)[:200]
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"sessions": sessions, "employees": employees}))
    print(f"{len(sessions)} signed-in HR sessions written to {out}")


if __name__ == "__main__":
    main(int(sys.argv[1]), Path(sys.argv[2]))
