from django import forms

from people.models import PolicyVersion


class PolicyVersionForm(forms.ModelForm):
    confirm = forms.BooleanField(
        label="Ask every member of staff to acknowledge this version",
        help_text="From its effective date, everyone sees it on every page until they acknowledge it, and those "
        "who have not are reminded by email each week. A published version cannot be withdrawn.",
    )

    class Meta:
        model = PolicyVersion
        fields = ["version", "title", "effective_from", "summary", "text", "document_url"]
        labels = {
            "version": "Version number",
            "effective_from": "In force from",
            "summary": "Summary of changes",
            "text": "The policy",
            "document_url": "Link to the full document (optional)",
        }
        help_texts = {
            "version": "For example 2.1. Each version is published once.",
            "summary": "What changed since the last version, in a few sentences: staff read this first.",
            "text": "The text of the policy as staff should read it.",
        }
        widgets = {
            "effective_from": forms.DateInput(attrs={"type": "date"}),
            "summary": forms.Textarea(attrs={"rows": 4}),
            "text": forms.Textarea(attrs={"rows": 16}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].required = True
