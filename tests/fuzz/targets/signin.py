"""Sign-in pages (people/signin/). The recovery-code form's bad input is tried in tests/people/signin/."""

NO_FORM = {
    "recovery_codes": "one button, no input: it makes a new set of recovery codes",
}
