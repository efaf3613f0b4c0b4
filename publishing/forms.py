import datetime as dt

from django import forms
from django.conf import settings
from django.utils import timezone

from core.forms import DateInput, DateTimeLocalInput
from people.models import Organisation, User
from publishing import prescreen, selectors
from publishing.models import Campaign, CampaignPhase, ContentCheck, OfficialAccount, Post, PostMedia


class AccountFilterForm(forms.Form):
    q = forms.CharField(label="Handle", required=False, max_length=100)
    platform = forms.ChoiceField(choices=[("", "Any platform"), *OfficialAccount.Platform.choices], required=False)
    status = forms.ChoiceField(choices=[("", "Any status"), *OfficialAccount.Status.choices], required=False)


class OfficialAccountForm(forms.ModelForm):
    url = forms.URLField(label="Link", assume_scheme="https", help_text="The public address of the account.")

    class Meta:
        model = OfficialAccount
        fields = ["school", "platform", "handle", "url", "owner", "status"]

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        schools = Organisation.objects.filter(kind=Organisation.Kind.SCHOOL)
        if not user.has_perm("publishing.record_training"):  # the communications team registers for any school
            schools = schools.filter(pk=user.organisation_id)
        self.fields["school"].queryset = schools
        self.fields["owner"].queryset = User.objects.active().filter(organisation__in=schools)

    def clean(self):
        cleaned = super().clean()
        school, owner = cleaned.get("school"), cleaned.get("owner")
        if school and owner and owner.organisation_id != school.pk:
            self.add_error("owner", "The owner must work at the account's school.")
        return cleaned


class ContributorForm(forms.Form):
    employee = forms.ModelChoiceField(queryset=User.objects.none(), label="Member of staff")

    def __init__(self, *args, account: OfficialAccount, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = (
            User.objects.active()
            .filter(organisation_id=account.school_id)
            .exclude(account_contributions__account=account)
            .order_by("last_name", "first_name")
        )


class TrainingForm(forms.Form):
    trained_on = forms.DateField(widget=DateInput(), help_text="The day of the training (dd/mm/yyyy).")
    notes = forms.CharField(max_length=300, required=False, help_text="For example: half-day workshop.")

    def clean_trained_on(self):
        value = self.cleaned_data["trained_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("Training cannot be recorded in the future.")
        return value


class PostForm(forms.ModelForm):
    class Meta:
        model = Post
        fields = ["account", "campaign", "text", "purpose_benefit", "pupils_shown", "pupil_consent"]
        widgets = {"text": forms.Textarea(attrs={"rows": 6}), "purpose_benefit": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"text": "What will appear on the account. Links must start with https://."}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        accounts = selectors.accounts_user_contributes_to(user)
        self.fields["account"].queryset = accounts
        self.fields["campaign"].queryset = (
            Campaign.objects.with_phase()
            .filter(school_id=user.organisation_id, accounts__in=accounts)
            .exclude(current_phase__in=[CampaignPhase.REJECTED, CampaignPhase.FINISHED])
            .distinct()
        )
        self.fields["campaign"].help_text = (
            "If it belongs to a campaign, it can be published only once that is approved, and not after it has "
            "finished. A finished campaign is not offered: leave this blank to publish the post on its own."
        )
        if self.instance.pk:
            self.fields["account"].disabled = True

    def clean_text(self):
        text = self.cleaned_data["text"]
        if prescreen.contains_script_link(text):
            raise forms.ValidationError("A javascript: link is never allowed in an official post.")
        return text

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("pupils_shown") and not (cleaned.get("pupil_consent") or "").strip():
            self.add_error("pupil_consent", "Say how photo consent was confirmed for each pupil shown.")
        campaign, account = cleaned.get("campaign"), cleaned.get("account")
        if campaign and account and not campaign.accounts.filter(pk=account.pk).exists():
            self.add_error("campaign", "That campaign does not use this account.")
        return cleaned


class PostMediaForm(forms.ModelForm):
    file = forms.FileField(help_text="A photo (JPEG, PNG, GIF, WebP) or video (MP4, MOV, WebM).")

    class Meta:
        model = PostMedia
        fields = [
            "file",
            "description",
            "source",
            "permission_from",
            "permission_evidence",
            "licence",
            "acknowledgement",
        ]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is larger than the {settings.MAX_UPLOAD_BYTES // (1024 * 1024)} MB limit."
            )
        return upload

    def clean(self):
        cleaned = super().clean()
        source = cleaned.get("source")
        if source == PostMedia.Source.PERMISSION:
            if not (cleaned.get("permission_from") or "").strip():
                self.add_error("permission_from", "Say who gave permission.")
            if not (cleaned.get("permission_evidence") or "").strip():
                self.add_error("permission_evidence", "Say where the permission is recorded.")
        if source == PostMedia.Source.LICENSED and not (cleaned.get("licence") or "").strip():
            self.add_error("licence", "Name the licence.")
        return cleaned


class SubmitForm(forms.Form):
    checker = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label="Colleague to check it",
        help_text="Someone at your school, not you (clause 3.4).",
    )

    def __init__(self, *args, author: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checker"].queryset = selectors.colleagues_for_check(author)


class CheckForm(forms.ModelForm):
    decision = forms.ChoiceField(choices=ContentCheck.Decision.choices, widget=forms.RadioSelect)

    class Meta:
        model = ContentCheck
        fields = [*ContentCheck.CHECKLIST, "decision", "comments"]
        widgets = {"comments": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"comments": "Required when you return it: say what should change."}

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision == ContentCheck.Decision.APPROVED and not all(cleaned.get(f) for f in ContentCheck.CHECKLIST):
            raise forms.ValidationError("Approve only when every point of the checklist holds; otherwise return it.")
        if decision == ContentCheck.Decision.RETURNED and not (cleaned.get("comments") or "").strip():
            self.add_error("comments", "Say what the author should change.")
        return cleaned


class PublishedForm(forms.Form):
    url = forms.URLField(
        label="Live link", help_text="The address of the post on the platform.", max_length=200, assume_scheme="https"
    )
    published_at = forms.DateTimeField(
        label="Went live at", widget=DateTimeLocalInput(), help_text="UK time (dd/mm/yyyy hh:mm)."
    )

    def clean_published_at(self):
        value = self.cleaned_data["published_at"]
        if value > timezone.now() + dt.timedelta(minutes=5):
            raise forms.ValidationError("The time it went live cannot be in the future.")
        return value


class AdviceAskForm(forms.Form):
    adviser = forms.ModelChoiceField(queryset=User.objects.none(), label="Ask")
    body = forms.CharField(label="Your question", widget=forms.Textarea(attrs={"rows": 3}), max_length=3000)

    def __init__(self, *args, author: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["adviser"].queryset = selectors.advisers_for(author)
        self.fields["adviser"].help_text = "Your line manager, the school business manager or the headteacher (3.4)."


class AdviceReplyForm(forms.Form):
    body = forms.CharField(label="Reply", widget=forms.Textarea(attrs={"rows": 2}), max_length=3000)


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["title", "purpose_benefit", "audience", "accounts", "starts_on", "ends_on", "planned_posts"]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "accounts": forms.CheckboxSelectMultiple,
            "purpose_benefit": forms.Textarea(attrs={"rows": 3}),
            "planned_posts": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accounts"].queryset = OfficialAccount.objects.filter(
            school_id=user.organisation_id, status=OfficialAccount.Status.ACTIVE
        )

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The campaign must end on or after its first day.")
        if starts and starts < timezone.localdate():
            self.add_error("starts_on", "A campaign cannot start in the past.")
        return cleaned


class CampaignDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("reject", "Reject")], widget=forms.RadioSelect)
    reason = forms.CharField(
        label="Reasons",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when you reject it.",
    )

    def __init__(self, *args, approve_label: str = "Approve", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [("approve", approve_label), ("reject", "Reject")]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "Give the reasons for rejecting it.")
        return cleaned


class PostFilterForm(forms.Form):
    state = forms.ChoiceField(choices=[("", "Any state"), *Post.State.choices], required=False)
    role = forms.ChoiceField(
        label="Show",
        choices=[("", "All I can see"), ("mine", "Written by me"), ("check", "Waiting for my check")],
        required=False,
    )


class CampaignFilterForm(forms.Form):
    phase = forms.ChoiceField(label="Where it is", choices=[("", "Any"), *CampaignPhase.choices], required=False)


class CampaignEndForm(forms.Form):
    reason = forms.CharField(
        label="Why is it ending early?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The proposer, the headteacher and the authors of posts still waiting are told this.",
        error_messages={"required": "Say why the campaign is ending early."},
    )
