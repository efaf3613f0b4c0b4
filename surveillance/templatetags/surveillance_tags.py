"""The case page's surveillance section (7.2), drawn only for people who may handle it."""

from django import template

from surveillance import selectors as ss

register = template.Library()


@register.inclusion_tag("surveillance/includes/case_surveillance.html", takes_context=True)
def surveillance_for_case(context, case):
    user = context["request"].user
    return {
        "case": case,
        "shown": user.has_perm("surveillance.view_surveillance", case),
        "requests": ss.surveillance_for_case(user, case),
        "can_request": user.has_perm("surveillance.request_surveillance", case),
    }
