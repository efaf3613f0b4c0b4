"""Fuzz targets of the publishing app (see people.py for what each list means)."""

from tests.fuzz import strategies

FILTERS = ["publishing:account_list", "publishing:post_list", "publishing:campaign_list"]
NO_FORM = {
    "publishing:campaign_submit": "one button, no input; double submission is in tests/faults",
    "publishing:post_take_out_of_campaign": "a confirmation button, no input",
}
# The reply form is posted from the post page and answers with a redirect, so its fields are named here.
FIELDS = {"publishing:advice_reply": {"body": strategies.text}}
# The register form offers different schools to the communications team and to a school's own leaders; a
# campaign is ended by its proposer or by the headteacher.
ROLES = {"publishing:account_create": ["comms", "bizmanager"], "publishing:campaign_end": ["employee", "headteacher"]}
