"""The public problem forms, shared by the web pages and the API. Validation only."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from registrations.choices import Province
from registrations.forms import ConfirmForm as CodeForm  # noqa: F401 - the same 6-digit rule
from registrations.forms import MobileField, PublicInputForm, hold_to_columns

from .choices import PeopleAffected, Since
from .models import Problem, Report
from .services import photos


class ProblemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.category.name} — {obj.name}"


def active_problems():
    return (
        Problem.objects.filter(active=True, category__active=True)
        .select_related("category")
        .order_by("category__sort_order", "category_id", "sort_order", "pk")
    )


def registration_label(registration) -> str:
    return f"{registration.display_name} — {registration.campaign.title}"


class RegistrationChoiceField(forms.TypedChoiceField):
    def __init__(self, **kwargs):
        super().__init__(coerce=int, empty_value=None, **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to PROBLEM_MAX_PHOTOS images; each checked by photos.check()."""

    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        files = [f for f in files if f]
        if len(files) > settings.PROBLEM_MAX_PHOTOS:
            raise forms.ValidationError(
                _("At most %(count)s photos.") % {"count": settings.PROBLEM_MAX_PHOTOS}
            )
        for upload in files:
            photos.check(upload)
        return files


class ReportForm(PublicInputForm):
    problem = ProblemChoiceField(label=_("Which problem?"), queryset=Problem.objects.none())
    title = forms.CharField(label=_("A short title"), max_length=150)
    description = forms.CharField(
        label=_("Describe the problem"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )
    province = forms.ChoiceField(label=_("Province"), choices=[("", "—"), *Province.choices])
    city = forms.CharField(label=_("County or city"), max_length=100)
    neighbourhood = forms.CharField(
        label=_("Neighbourhood or village"), max_length=150, required=False
    )
    people_affected = forms.ChoiceField(
        label=_("How many people does it touch?"),
        choices=PeopleAffected.choices,
        widget=forms.RadioSelect,
    )
    since = forms.ChoiceField(
        label=_("Since when?"), choices=Since.choices, widget=forms.RadioSelect
    )
    tried = forms.CharField(
        label=_("What has been tried so far?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    photos = PhotosField(
        label=_("Photos (optional)"),
        required=False,
        help_text=_(
            "JPEG, PNG or WebP, up to 3. Location and other data in the file are removed. "
            "Do not show people's faces without their consent: that is your responsibility."
        ),
    )
    may_contact = forms.BooleanField(
        label=_("The moderators may contact me about this report"), required=False
    )
    show_group_name = forms.BooleanField(
        label=_("Show our group's name on the public page"), required=False
    )
    send_anyway = forms.BooleanField(
        label=_("None of these is my problem: send my report"), required=False
    )

    def __init__(self, *args, group=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["problem"].queryset = active_problems()
        if group is None:
            del self.fields["show_group_name"]
        elif group.can_choose:
            # Only its own registrations are choices: any other id is "not a valid choice".
            self.fields["group"] = RegistrationChoiceField(
                label=_("Report for which of your registrations?"),
                choices=[(r.pk, registration_label(r)) for r in group.registrations],
            )
            self.order_fields(["group"])
        self.reporter = group

    def clean_group(self):
        return self.reporter.pick(self.cleaned_data["group"])

    def clean_city(self):
        return " ".join(self.cleaned_data["city"].split())

    def report_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.cleaned_data}


hold_to_columns(ReportForm, Report)


class MobileForm(PublicInputForm):
    mobile = MobileField(label=_("Your mobile number"))


class SupportForm(PublicInputForm):
    city = forms.CharField(label=_("Your city"), max_length=100, required=False)
