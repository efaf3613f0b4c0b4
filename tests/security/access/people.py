from people.models import Notification, Organisation, RestBreak, User
from tests.security.matrix import DENIED, HR, STAFF, Case, s


def _notification_for(username):
    return Notification.objects.create(
        recipient=User.objects.get(username=username), subject="Test", body="Test", url="/"
    )


def _other_notification():
    return {"pk": _notification_for("hr").pk}


def _own_notification(username):
    return lambda: {"pk": _notification_for(username).pk}


def _user(username):
    return lambda: {"pk": User.objects.get(username=username).pk}


def _other_school_employee():
    other = Organisation.objects.filter(kind="school").exclude(name="Oakfield Primary School").first()
    return {"pk": User.objects.filter(organisation=other).exclude(role_assignments__isnull=False).first().pk}


def _sar():
    from people.sar import sar_log

    hr = User.objects.get(username="hr")
    return {
        "pk": sar_log(
            actor=hr,
            employee=User.objects.get(username="employee"),
            received_on=__import__("datetime").date(2026, 11, 2),
        ).pk
    }


def _org(name):
    return lambda: {"pk": Organisation.objects.get(name=name).pk}


def _break(name):
    def kwargs():
        org = Organisation.objects.get(name=name)
        return {"pk": org.pk, "break_pk": RestBreak.objects.filter(organisation=org).first().pk}

    return kwargs


def _staff_import():
    from people.models import StaffImport

    return {"pk": StaffImport.objects.create(file_name="staff.csv", content=b"", status="rejected").pk}


def _role_of(username):
    def kwargs():
        from people.models import RoleAssignment

        assignment = RoleAssignment.objects.filter(user__username=username).first()
        return {"pk": assignment.user_id, "role_pk": assignment.pk}

    return kwargs


DIRECTORY = s("headofhr", "admin")  # the Head of HR and the system administrator (issue 17)

OWN = "Oakfield Primary School"
OTHER = "Kennet Valley Academy"
OWN_LEADERS = s("headteacher", "bizmanager")

ROUTES = {
    "people:dashboard": [Case(get_ok=STAFF)],
    "people:policy": [Case(get_ok=STAFF)],
    "people:policy_acknowledge": [
        Case(
            kwargs=lambda: {"pk": __import__("people.selectors").selectors.current_policy_version().pk},
            get_ok=STAFF,
            get_status=405,
            post_ok=STAFF,
        ),
    ],
    "people:notifications": [Case(get_ok=STAFF)],
    "people:notification_open": [
        Case("an HR officer's notification", _other_notification, get_ok=STAFF, get_status=405, post_ok=s("hr")),
        Case(
            "the employee's own notification",
            _own_notification("employee"),
            get_ok=STAFF,
            get_status=405,
            post_ok=s("employee"),
            expect={r: (s(405), DENIED) for r in STAFF - {"employee"}},
        ),
    ],
    "people:my_data": [Case(get_ok=STAFF)],
    "people:my_data_export": [Case(get_ok=STAFF, post_ok=None)],
    "people:sar_list": [Case(get_ok=HR, post_ok=HR)],
    "people:sar_detail": [Case("a request from a teacher", _sar, get_ok=HR)],
    "people:sar_export": [Case("a request from a teacher", _sar, get_ok=HR)],
    "people:sar_complete": [Case("a request from a teacher", _sar, get_ok=HR, get_status=405, post_ok=HR)],
    "people:sar_withhold": [Case("a request from a teacher", _sar, get_ok=HR, get_status=405, post_ok=HR)],
    "people:staff_import": [Case(get_ok=DIRECTORY, post_ok=DIRECTORY)],
    "people:staff_import_detail": [Case("a file with errors", _staff_import, get_ok=DIRECTORY)],
    "people:staff_import_apply": [Case("a file with errors", _staff_import, get_ok=DIRECTORY, post_ok=DIRECTORY)],
    "people:staff_mapping_create": [Case(get_ok=DIRECTORY, post_ok=DIRECTORY)],
    "people:role_grant": [Case("a teacher at Oakfield", _user("employee"), get_ok=DIRECTORY, post_ok=DIRECTORY)],
    "people:role_remove": [
        Case("the business manager's role", _role_of("bizmanager"), get_ok=DIRECTORY, post_ok=DIRECTORY)
    ],
    "people:line_manager_change": [
        Case("a teacher at Oakfield", _user("employee"), get_ok=DIRECTORY, post_ok=DIRECTORY)
    ],
    "people:employee_leave": [Case("a teacher at Oakfield", _user("employee"), get_ok=DIRECTORY, post_ok=DIRECTORY)],
    "people:policy_publish": [Case(get_ok=s("headofhr"), post_ok=s("headofhr"))],
    "people:policy_acknowledgements": [Case(get_ok=HR)],
    "people:policy_acknowledgement_names": [Case("own school", _org(OWN), get_ok=HR)],
    "people:policy_acknowledgement_download": [Case(get_ok=HR)],
    "people:team": [Case(get_ok=s("manager", "headteacher", "headofhr", "hr"))],
    "people:employee_list": [Case(get_ok=HR)],
    "people:organisation_list": [Case(get_ok=HR)],
    "people:employee_detail": [
        Case("a teacher at Oakfield", _user("employee"), get_ok=s("employee", "manager") | OWN_LEADERS | HR),
        Case("staff of another school", _other_school_employee, get_ok=HR),
    ],
    "people:overtime_create": [
        Case(
            "a teacher at Oakfield",
            _user("employee"),
            get_ok=s("manager", "headteacher") | HR,
            post_ok=s("manager", "headteacher") | HR,
        ),
        Case("staff of another school", _other_school_employee, get_ok=HR, post_ok=HR),
    ],
    "people:organisation_detail": [
        Case("own school", _org(OWN), get_ok=OWN_LEADERS | HR | s("comms")),
        Case("another school", _org(OTHER), get_ok=HR | s("comms")),
    ],
    "people:rest_break_create": [
        Case("own school", _org(OWN), get_ok=OWN_LEADERS | HR, post_ok=OWN_LEADERS | HR),
        Case("another school", _org(OTHER), get_ok=HR, post_ok=HR),
    ],
    "people:rest_break_update": [
        Case("own school", _break(OWN), get_ok=OWN_LEADERS | HR, post_ok=OWN_LEADERS | HR),
        Case("another school", _break(OTHER), get_ok=HR, post_ok=HR),
    ],
    "people:rest_break_delete": [
        Case("own school", _break(OWN), get_ok=OWN_LEADERS | HR, post_ok=OWN_LEADERS | HR),
        Case("another school", _break(OTHER), get_ok=HR, post_ok=HR),
    ],
}
