"""Pages for the account register, posts with the colleague check, and campaigns (clause 3). Views stay thin:
objects come through selectors (404 for people without access), changes go through services."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q
from django.http import FileResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.generic import DetailView, FormView, ListView, TemplateView, View

from core.permissions import PermissionRequiredMixin
from core.ui import SortableListMixin
from core.views import FilteredListMixin, message_service_error
from publishing import forms, selectors, services
from publishing.models import AdviceThread, Campaign, OfficialAccount, Post, TrainingRecord
from publishing.prescreen import KIND_LABELS


def _form_error(form, exc: ValidationError) -> None:
    """Put a service's validation error beside the field it names, or above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class ServiceFormView(FormView):
    """A form whose valid data goes to one service; its ValidationError is shown on the form."""

    success_message = ""

    def form_valid(self, form):
        try:
            result = self.perform(form)
        except ValidationError as exc:
            _form_error(form, exc)
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, self.success_message)
        return redirect(self.get_redirect(result))


# --- Account register (3.1) -------------------------------------------------------------------------


class AccountListView(PermissionRequiredMixin, FilteredListMixin, SortableListMixin, ListView):
    permission_required = "publishing.open_register"
    filter_form_class = forms.AccountFilterForm
    template_name = "publishing/officialaccount_list.html"
    context_object_name = "accounts"
    sortable_fields = {"handle": "handle", "platform": "platform", "school": "school__name", "status": "status"}
    default_sort = "school"

    def get_queryset(self):
        qs = selectors.accounts_visible_to(self.request.user).annotate(
            contributor_count=Count("contributors", distinct=True),
            untrained_count=Count(
                "contributors",
                filter=Q(contributors__employee__social_training__isnull=True),
                distinct=True,
            ),
        )
        if data := self.filters():
            if data["q"]:
                qs = qs.filter(handle__icontains=data["q"])
            if data["platform"]:
                qs = qs.filter(platform=data["platform"])
            if data["status"]:
                qs = qs.filter(status=data["status"])
        return self.sort_queryset(qs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["policy_url"] = settings.COMMUNICATIONS_POLICY_URL
        context["can_add"] = self.request.user.has_perm("publishing.add_official_account")
        return context


class AccountCreateView(PermissionRequiredMixin, ServiceFormView):
    permission_required = "publishing.add_official_account"
    template_name = "publishing/officialaccount_form.html"
    form_class = forms.OfficialAccountForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form):
        return services.official_account_create(actor=self.request.user, **form.cleaned_data)

    def get_redirect(self, account):
        messages.success(self.request, f"{account} is on the register.")
        return account.get_absolute_url()


class AccountObjectMixin(PermissionRequiredMixin):
    def get_account(self) -> OfficialAccount:
        if not hasattr(self, "_account"):
            self._account = selectors.account_get_for_user(self.request.user, self.kwargs["pk"])
        return self._account

    def get_permission_object(self):
        return self.get_account()

    def get_context_data(self, **kwargs):
        return super().get_context_data(account=self.get_account(), **kwargs)


class AccountDetailView(AccountObjectMixin, DetailView):
    permission_required = "publishing.open_account"
    template_name = "publishing/officialaccount_detail.html"
    context_object_name = "account"

    def get_object(self, queryset=None):
        return self.get_account()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        account, user = self.object, self.request.user
        context["contributors"] = selectors.contributors_with_training([account.pk]).annotate(
            last_trained=Exists(TrainingRecord.objects.filter(employee_id=OuterRef("employee_id")))
        )
        context["posts"] = selectors.posts_visible_to(user).filter(account=account).order_by("-updated_at")[:10]
        context["can_manage"] = user.has_perm("publishing.manage_account", account)
        context["can_train"] = user.has_perm("publishing.record_training")
        context["policy_url"] = settings.COMMUNICATIONS_POLICY_URL
        return context


class ContributorAddView(AccountObjectMixin, ServiceFormView):
    permission_required = "publishing.manage_account"
    template_name = "publishing/contributor_form.html"
    form_class = forms.ContributorForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "account": self.get_account()}

    def perform(self, form):
        return services.contributor_add(
            actor=self.request.user, account=self.get_account(), employee=form.cleaned_data["employee"]
        )

    def get_redirect(self, contributor):
        messages.success(self.request, f"{contributor.employee} now contributes to {contributor.account}.")
        return contributor.account.get_absolute_url()


class TrainingRecordView(AccountObjectMixin, ServiceFormView):
    """The communications team records training for one of an account's contributors."""

    permission_required = "publishing.record_training"
    template_name = "publishing/training_form.html"
    form_class = forms.TrainingForm

    def get_permission_object(self):
        return None

    def get_contributor(self):
        return get_object_or_404(self.get_account().contributors.select_related("employee"), pk=self.kwargs["cpk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(contributor=self.get_contributor(), **kwargs)

    def perform(self, form):
        return services.training_record(
            actor=self.request.user, employee=self.get_contributor().employee, **form.cleaned_data
        )

    def get_redirect(self, record):
        messages.success(self.request, f"Training recorded for {record.employee}.")
        return self.get_account().get_absolute_url()


# --- Posts (3.3, 3.4) -------------------------------------------------------------------------------


class PostListView(PermissionRequiredMixin, FilteredListMixin, SortableListMixin, ListView):
    permission_required = "publishing.open_posts"
    filter_form_class = forms.PostFilterForm
    template_name = "publishing/post_list.html"
    context_object_name = "posts"
    sortable_fields = {
        "updated": "updated_at",
        "account": "account__handle",
        "author": "author__last_name",
        "state": "state",
    }
    default_sort = "-updated"

    def get_queryset(self):
        user = self.request.user
        qs = selectors.posts_visible_to(user)
        if data := self.filters():
            if data["state"]:
                qs = qs.filter(state=data["state"])
            if data["role"] == "mine":
                qs = qs.filter(author=user)
            elif data["role"] == "check":
                qs = qs.filter(checker=user, state=Post.State.AWAITING_CHECK)
        return self.sort_queryset(qs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_draft"] = selectors.accounts_user_contributes_to(self.request.user).exists()
        context["trained"] = selectors.is_trained(self.request.user)
        return context


class PostCreateView(PermissionRequiredMixin, ServiceFormView):
    template_name = "publishing/post_form.html"
    form_class = forms.PostForm
    permission_required = "publishing.draft_posts"

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "user": self.request.user}
        account = self.request.GET.get("account")
        campaign = self.request.GET.get("campaign")
        kwargs["initial"] = {"account": account if (account or "").isdigit() else None}
        if (campaign or "").isdigit():
            kwargs["initial"]["campaign"] = campaign
        return kwargs

    def perform(self, form):
        return services.post_create(actor=self.request.user, **form.cleaned_data)

    def get_redirect(self, post):
        messages.success(self.request, "Draft saved. Add any photos or videos, then send it for a check.")
        return post.get_absolute_url()


class PostObjectMixin(PermissionRequiredMixin):
    def get_post(self) -> Post:
        if not hasattr(self, "_post"):
            self._post = selectors.post_get_for_user(self.request.user, self.kwargs["pk"])
        return self._post

    def get_permission_object(self):
        return self.get_post()

    def get_context_data(self, **kwargs):
        return super().get_context_data(post=self.get_post(), **kwargs)


class PostDetailView(PostObjectMixin, DetailView):
    permission_required = "publishing.open_post"
    template_name = "publishing/post_detail.html"
    context_object_name = "post"

    def get_object(self, queryset=None):
        return self.get_post()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        post, user = self.object, self.request.user
        context["media"] = list(post.media.all())
        warnings = services.post_prescreen(post) if post.state != Post.State.PUBLISHED else []
        context["warnings"] = [(KIND_LABELS.get(w.kind, w.kind), w) for w in warnings]
        context["checks"] = post.checks.select_related("checker")
        threads = post.advice_threads.select_related("adviser").prefetch_related("messages__author")
        if user.pk != post.author_id and not user.has_perm("publishing.record_training"):
            threads = threads.filter(adviser=user)
        context["threads"] = threads
        context["reply_form"] = forms.AdviceReplyForm()
        context["can_edit"] = post.is_editable and user.has_perm("publishing.edit_post", post)
        context["can_submit"] = context["can_edit"] and user.has_perm("publishing.submit_post", post)
        context["can_check"] = post.state == Post.State.AWAITING_CHECK and user.has_perm("publishing.check_post", post)
        context["can_publish"] = post.state == Post.State.APPROVED and user.has_perm(
            "publishing.record_published", post
        )
        context["can_take_out"] = user.has_perm("publishing.take_out_of_campaign", post)
        context["trained"] = selectors.is_trained(post.author)
        return context


class PostUpdateView(PostObjectMixin, ServiceFormView):
    permission_required = "publishing.edit_post"
    template_name = "publishing/post_form.html"
    form_class = forms.PostForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "instance": self.get_post()}

    def perform(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "account"}
        return services.post_update(actor=self.request.user, post=self.get_post(), **data)

    def get_redirect(self, post):
        messages.success(self.request, "Changes saved.")
        return post.get_absolute_url()


class PostMediaAddView(PostObjectMixin, ServiceFormView):
    permission_required = "publishing.edit_post"
    template_name = "publishing/postmedia_form.html"
    form_class = forms.PostMediaForm

    def perform(self, form):
        data = dict(form.cleaned_data)
        upload = data.pop("file")
        return services.post_media_add(actor=self.request.user, post=self.get_post(), upload=upload, **data)

    def get_redirect(self, item):
        messages.success(self.request, f"{item.original_name} added.")
        return item.post.get_absolute_url()


class MediaDownloadView(PermissionRequiredMixin, View):
    """Serve an uploaded image or video only to someone who may see its post, as an attachment."""

    permission_required = "publishing.open_post"

    def get_item(self):
        if not hasattr(self, "_item"):
            self._item = selectors.media_get_for_user(self.request.user, self.kwargs["pk"])
        return self._item

    def get_permission_object(self):
        return self.get_item().post

    def get(self, request, *args, **kwargs):
        item = self.get_item()
        response = FileResponse(item.file.open("rb"), as_attachment=True, filename=item.original_name)
        response["Content-Type"] = item.content_type
        return response


class PostSubmitView(PostObjectMixin, ServiceFormView):
    permission_required = "publishing.submit_post"
    template_name = "publishing/post_submit.html"
    form_class = forms.SubmitForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "author": self.request.user}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["warnings"] = [(KIND_LABELS.get(w.kind, w.kind), w) for w in services.post_prescreen(self.get_post())]
        return context

    def perform(self, form):
        return services.post_submit(actor=self.request.user, post=self.get_post(), checker=form.cleaned_data["checker"])

    def get_redirect(self, post):
        messages.success(self.request, f"Sent to {post.checker} to check.")
        return post.get_absolute_url()


class PostCheckView(PostObjectMixin, ServiceFormView):
    permission_required = "publishing.check_post"
    template_name = "publishing/post_check.html"
    form_class = forms.CheckForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        post = self.get_post()
        context["warnings"] = [(KIND_LABELS.get(w.kind, w.kind), w) for w in services.post_prescreen(post)]
        context["media"] = list(post.media.all())
        return context

    def perform(self, form):
        return services.post_check(actor=self.request.user, post=self.get_post(), **form.cleaned_data)

    def get_redirect(self, check):
        messages.success(self.request, f"Thank you: the post is {check.get_decision_display().lower()}.")
        return check.post.get_absolute_url()


class PostPublishView(PostObjectMixin, ServiceFormView):
    permission_required = "publishing.record_published"
    template_name = "publishing/post_publish.html"
    form_class = forms.PublishedForm

    def get_initial(self):
        return {"published_at": timezone.localtime().replace(second=0, microsecond=0)}

    def perform(self, form):
        return services.post_record_published(
            actor=self.request.user,
            post=self.get_post(),
            url=form.cleaned_data["url"],
            published_at=form.cleaned_data["published_at"],
        )

    def get_redirect(self, post):
        messages.success(self.request, "Recorded as published.")
        return post.get_absolute_url()


class PostTakeOutOfCampaignView(PostObjectMixin, TemplateView):
    """GET says what taking an approved post out of its finished campaign means; POST does it (3.4)."""

    permission_required = "publishing.take_out_of_campaign"
    template_name = "publishing/post_take_out_of_campaign.html"

    def post(self, request, *args, **kwargs):
        post = self.get_post()
        try:
            services.post_take_out_of_campaign(actor=request.user, post=post)
        except ValidationError as exc:
            message_service_error(request, exc)
        else:
            messages.success(request, "The post is out of the campaign and a draft again: send it for a fresh check.")
        return redirect(post)


class AdviceAskView(PostObjectMixin, ServiceFormView):
    permission_required = "publishing.ask_advice"
    template_name = "publishing/advice_form.html"
    form_class = forms.AdviceAskForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "author": self.request.user}

    def perform(self, form):
        return services.advice_ask(
            actor=self.request.user,
            post=self.get_post(),
            adviser=form.cleaned_data["adviser"],
            question=form.cleaned_data["body"],
        )

    def get_redirect(self, thread):
        messages.success(self.request, f"Your question went to {thread.adviser}.")
        return thread.post.get_absolute_url()


class AdviceReplyView(PermissionRequiredMixin, View):
    """The author or the adviser writes in an advice thread (POST only)."""

    permission_required = "publishing.reply_advice"

    def get_thread(self) -> AdviceThread:
        if not hasattr(self, "_thread"):
            self._thread = selectors.advice_thread_get_for_user(self.request.user, self.kwargs["pk"])
        return self._thread

    def get_permission_object(self):
        return self.get_thread()

    def post(self, request, *args, **kwargs):
        thread = self.get_thread()
        form = forms.AdviceReplyForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Write a reply of up to 3,000 characters.")
        else:
            services.advice_reply(actor=request.user, thread=thread, body=form.cleaned_data["body"])
            messages.success(request, "Reply sent.")
        return HttpResponseRedirect(thread.post.get_absolute_url())


# --- Campaigns (3.4) --------------------------------------------------------------------------------


class CampaignListView(PermissionRequiredMixin, SortableListMixin, ListView):
    permission_required = "publishing.open_campaigns"
    template_name = "publishing/campaign_list.html"
    context_object_name = "campaigns"
    sortable_fields = {"title": "title", "starts": "starts_on", "phase": "current_phase", "school": "school__name"}
    default_sort = "starts"

    def get_queryset(self):
        self.filter_form = forms.CampaignFilterForm(self.request.GET or None)
        qs = selectors.campaigns_visible_to(self.request.user).with_phase()
        if self.filter_form.is_valid() and self.filter_form.cleaned_data["phase"]:
            qs = qs.filter(current_phase=self.filter_form.cleaned_data["phase"])
        return self.sort_queryset(qs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.filter_form
        context["awaiting"] = list(selectors.campaigns_awaiting(self.request.user))
        context["can_propose"] = self.request.user.has_perm("publishing.propose_campaign")
        return context


class CampaignCreateView(PermissionRequiredMixin, ServiceFormView):
    permission_required = "publishing.propose_campaign"
    template_name = "publishing/campaign_form.html"
    form_class = forms.CampaignForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form):
        data = dict(form.cleaned_data)
        data["accounts"] = list(data["accounts"])
        return services.campaign_create(actor=self.request.user, **data)

    def get_redirect(self, campaign):
        messages.success(self.request, "Campaign saved as a draft. Submit it when it is ready for your line manager.")
        return campaign.get_absolute_url()


class CampaignObjectMixin(PermissionRequiredMixin):
    def get_campaign(self) -> Campaign:
        if not hasattr(self, "_campaign"):
            self._campaign = selectors.campaign_get_for_user(self.request.user, self.kwargs["pk"])
        return self._campaign

    def get_permission_object(self):
        return self.get_campaign()

    def get_context_data(self, **kwargs):
        return super().get_context_data(campaign=self.get_campaign(), **kwargs)


class CampaignDetailView(CampaignObjectMixin, DetailView):
    permission_required = "publishing.open_campaign"
    template_name = "publishing/campaign_detail.html"
    context_object_name = "campaign"

    def get_object(self, queryset=None):
        return self.get_campaign()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaign, user = self.object, self.request.user
        context["accounts"] = campaign.accounts.all()
        context["posts"] = selectors.posts_visible_to(user).filter(campaign=campaign)
        context["can_submit"] = user.has_perm("publishing.submit_campaign", campaign)
        context["can_endorse"] = user.has_perm("publishing.endorse_campaign", campaign)
        context["can_decide"] = user.has_perm("publishing.decide_campaign", campaign)
        context["can_end"] = user.has_perm("publishing.end_campaign", campaign)
        context["can_add_post"] = (
            campaign.state != Campaign.State.REJECTED
            and not campaign.is_finished()
            and any(user.has_perm("publishing.draft_post", a) for a in context["accounts"])
        )
        return context


class CampaignSubmitView(CampaignObjectMixin, View):
    """The proposer asks their line manager's permission (POST only)."""

    permission_required = "publishing.submit_campaign"

    def post(self, request, *args, **kwargs):
        campaign = self.get_campaign()
        try:
            services.campaign_submit(actor=request.user, campaign=campaign)
        except ValidationError as exc:
            message_service_error(request, exc)
        else:
            messages.success(request, f"Sent to {request.user.line_manager} for permission.")
        return redirect(campaign)


class CampaignEndorseView(CampaignObjectMixin, ServiceFormView):
    """The line manager endorses the campaign or turns it down with reasons (3.4)."""

    permission_required = "publishing.endorse_campaign"
    template_name = "publishing/campaign_decide.html"
    form_class = forms.CampaignDecisionForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "approve_label": "Endorse and send to the headteacher"}

    def perform(self, form):
        if form.cleaned_data["decision"] == "approve":
            return services.campaign_endorse(actor=self.request.user, campaign=self.get_campaign())
        return services.campaign_decide(
            actor=self.request.user, campaign=self.get_campaign(), approve=False, reason=form.cleaned_data["reason"]
        )

    def get_redirect(self, campaign):
        messages.success(self.request, f"The campaign is now: {campaign.get_state_display().lower()}.")
        return campaign.get_absolute_url()


class CampaignDecideView(CampaignEndorseView):
    """The headteacher approves or rejects the campaign with reasons (3.4)."""

    permission_required = "publishing.decide_campaign"

    def get_form_kwargs(self):
        return {**ServiceFormView.get_form_kwargs(self), "approve_label": "Approve"}

    def perform(self, form):
        return services.campaign_decide(
            actor=self.request.user,
            campaign=self.get_campaign(),
            approve=form.cleaned_data["decision"] == "approve",
            reason=form.cleaned_data["reason"],
        )


class CampaignEndView(CampaignObjectMixin, ServiceFormView):
    """The proposer or the headteacher ends a running campaign early, after confirming, with a reason (3.4)."""

    permission_required = "publishing.end_campaign"
    template_name = "publishing/campaign_end.html"
    form_class = forms.CampaignEndForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["pending_posts"] = self.get_campaign().posts.filter(
            state__in=[Post.State.AWAITING_CHECK, Post.State.APPROVED, Post.State.RETURNED]
        )
        return context

    def perform(self, form):
        return services.campaign_end(
            actor=self.request.user, campaign=self.get_campaign(), reason=form.cleaned_data["reason"]
        )

    def get_redirect(self, campaign):
        messages.success(self.request, f"The campaign ended today, {campaign.finished_on:%d/%m/%Y}.")
        return campaign.get_absolute_url()
