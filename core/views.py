"""View building blocks every app shares: declared object permissions, the upload size limit, one-service
form pages, filtered lists, and a service's refusal shown as a message."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.generic import FormView

from core.forms import apply_service_errors
from core.permissions import PermissionRequiredMixin
from core.uploads import limit_upload_size


def message_service_error(request: HttpRequest, exc: ValidationError, *, level: int = messages.ERROR) -> None:
    """Tell the user, in the page's message area, why a service refused (for actions without a form)."""
    messages.add_message(request, level, " ".join(exc.messages))


class UploadLimitMixin:
    """Installs the size-limit upload handler before CSRF checking reads the request body."""

    # Not an exemption: the middleware's check is deferred so that the size limit is installed before the
    # body is read, and csrf_protect below then checks the token exactly as the middleware would.
    @method_decorator(csrf_exempt)  # re-checked by csrf_protect in the body, before any view code runs
    def dispatch(self, request, *args, **kwargs):
        limit_upload_size(request)
        return csrf_protect(super().dispatch)(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["oversize"] = getattr(self.request, "oversize_uploads", [])
        return kwargs


class ObjectPermissionMixin(PermissionRequiredMixin):
    """Declares an object permission; the object comes from a selector that 404s for people without access."""

    def load_object(self):
        raise NotImplementedError

    def get_permission_object(self):
        if not hasattr(self, "_object"):
            self._object = self.load_object()
        return self._object


class ServiceActionView(FormView):
    """A form page that performs one service on one object, then goes back to the object's page.

    Subclasses say what `perform` does with the cleaned data (it may return the success message) and which
    object the page is about (`action_object`). A refusal that names fields is shown beside them; with
    `state_errors_as_message`, a refusal about the object's state (decided meanwhile, a window closed) is
    shown as a message on the object's page instead."""

    title = ""
    intro = ""
    button = "Save"
    success_message = "Saved."
    state_errors_as_message = False

    def action_object(self):
        raise NotImplementedError

    def perform(self, data: dict) -> str | None:
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": self.title, "intro": self.intro, "button": self.button}

    def form_valid(self, form):
        try:
            message = self.perform(form.cleaned_data)
        except ValidationError as exc:
            if self.state_errors_as_message and not hasattr(exc, "error_dict"):
                message_service_error(self.request, exc)
                return redirect(self.action_object())
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, message or self.success_message)
        return redirect(self.action_object())


class FilteredListMixin:
    """A list narrowed by a GET form: `filter_form_class` is bound to the query string, `filters()` gives
    its cleaned data (empty when nothing or nothing valid was asked), and the page gets `filter_form`."""

    filter_form_class: type | None = None

    def get_filter_form(self):
        return self.filter_form_class(self.request.GET or None)

    @property
    def filter_form(self):
        if not hasattr(self, "_filter_form"):
            self._filter_form = self.get_filter_form()
        return self._filter_form

    def filters(self) -> dict:
        return self.filter_form.cleaned_data if self.filter_form.is_valid() else {}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "filter_form": self.filter_form}
