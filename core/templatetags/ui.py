"""Template helpers shared by every app's pages."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_header(context, field: str, label: str):
    """A table header that sorts by `field`, toggling direction, with aria-sort for screen readers."""
    request = context["request"]
    current = context.get("current_sort", "")
    params = request.GET.copy()
    for paging in ("page", "after", "before"):  # a new sort starts at its first page
        params.pop(paging, None)
    if current == field:
        params["sort"], aria, arrow = f"-{field}", "ascending", " ▲"
    elif current == f"-{field}":
        params["sort"], aria, arrow = field, "descending", " ▼"
    else:
        params["sort"], aria, arrow = field, "none", ""
    return format_html(
        '<th scope="col" aria-sort="{}"><a class="link-dark text-decoration-none" href="?{}">{}{}</a></th>',
        aria,
        params.urlencode(),
        label,
        arrow,
    )


@register.filter
def has_perm(user, perm: str) -> bool:
    return user.has_perm(perm)
