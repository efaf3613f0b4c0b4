from tests.security.matrix import DENIED, HR, ROLES, Case, s

REPORT = {"slug": "incidents-by-category"}
UNKNOWN = {"slug": "no-such-report"}


def _nobody(label, kwargs):
    """An unknown report: 404 for HR (405 for a POST, which no report view takes), refused for everyone else."""
    expect = {r: (DENIED, DENIED) for r in ROLES if r != "anonymous"}
    expect.update({r: (s(404), s(405)) for r in HR})
    return Case(label, kwargs, expect=expect)


ROUTES = {
    "reports:index": [Case(get_ok=HR)],
    "reports:search": [Case(get_ok=HR), Case("with a query", get_ok=HR, query="q=Oakfield")],
    "reports:detail": [Case("a cases report", REPORT, get_ok=HR), _nobody("an unknown report", UNKNOWN)],
    "reports:download_csv": [Case("a cases report", REPORT, get_ok=HR), _nobody("an unknown report", UNKNOWN)],
    "reports:download_xlsx": [Case("a cases report", REPORT, get_ok=HR), _nobody("an unknown report", UNKNOWN)],
}
