from recruitment.models import Applicant, Vacancy
from tests.security.matrix import HR, STAFF, Case


def _vacancy(status):
    return lambda: {"pk": Vacancy.objects.filter(status=status).order_by("pk").first().pk}


def _applicant():
    return {"pk": Applicant.objects.filter(vacancy__status="open").order_by("pk").first().pk}


ROUTES = {
    "recruitment:vacancy_list": [Case(get_ok=HR)],
    "recruitment:vacancy_create": [Case(get_ok=HR, post_ok=HR)],
    "recruitment:vacancy_detail": [
        Case("an Oakfield vacancy in selection", _vacancy("open"), get_ok=HR, post_ok=HR),
        Case("a closed vacancy at another school", _vacancy("closed"), get_ok=HR, post_ok=HR),
    ],
    "recruitment:vacancy_status": [
        Case("an Oakfield vacancy in selection", _vacancy("open"), get_ok=STAFF, get_status=405, post_ok=HR),
    ],
    "recruitment:applicant_status": [
        Case("an applicant in selection", _applicant, get_ok=STAFF, get_status=405, post_ok=HR),
    ],
    "recruitment:search_list": [Case(get_ok=HR)],
    "recruitment:search_create": [Case(get_ok=HR, post_ok=HR)],
}
