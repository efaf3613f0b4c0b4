from tests.security.matrix import HR, Case

ROUTES = {
    "audit:trail": [Case(get_ok=HR)],
    "audit:verify": [Case(get_ok=HR, post_ok=HR)],
}
