from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from imhcf.form_helper import form_helper
from imhcf.models import LevelNumber
from selfassess.models import Role as ProfessionRole
from workforce.area import DIMENSIONS
from workforce.models import Membership, Organisation, Team


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "kind", "nation", "region", "ods_code"]
        widgets = {"name": forms.TextInput(attrs={"autocomplete": "organization"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()
        for name in ("kind", "nation", "region"):
            self.fields[name].choices = [("", _("Choose…")), *self.fields[name].choices[1:]]


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=120)


class SharingForm(forms.Form):
    assessment = forms.BooleanField(
        label=_("My self-assessment summary: my level in each domain and each statement's rating"),
        required=False,
    )
    cpd = forms.BooleanField(
        label=_("My CPD hours in the past year, by domain and by kind of activity"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


class StatisticsForm(forms.Form):
    opt_in = forms.BooleanField(
        label=_("Count me, anonymously, in workforce figures for my area"), required=False
    )


class InviteForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)
    role = forms.ChoiceField(
        label=_("They join as"),
        choices=[
            (Membership.Role.MEMBER, Membership.Role.MEMBER.label),
            (Membership.Role.TEAM_LEAD, Membership.Role.TEAM_LEAD.label),
        ],
    )
    days = forms.IntegerField(
        label=_("Link works for (days)"), min_value=1, max_value=30, initial=14
    )

    def __init__(self, *args, organisation: Organisation, team: Team | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()
        if team is not None:
            # A team lead invites to their own team, as members.
            del self.fields["team"]
            self.fields["role"].choices = [(Membership.Role.MEMBER, Membership.Role.MEMBER.label)]
        else:
            self.fields["team"].queryset = organisation.teams.all()
            self.fields["team"].empty_label = _("No team yet")


class MembershipForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = organisation.teams.all()
        self.fields["team"].empty_label = _("No team")


ANY_ROLE = ""


class RequirementForm(forms.Form):
    job_role = forms.ChoiceField(
        label=_("Who"),
        required=False,
        choices=[(ANY_ROLE, _("Everyone in the team")), *ProfessionRole.choices],
    )
    team_role = forms.ChoiceField(
        label=_("With the role in the team"),
        required=False,
        choices=[("", _("Any role")), *Membership.Role.choices],
    )
    domains = forms.TypedMultipleChoiceField(
        label=_("Domains"),
        coerce=int,
        choices=[(n, _("Domain %(n)s") % {"n": n}) for n in range(1, 8)],
        widget=forms.CheckboxSelectMultiple,
    )
    level = forms.TypedChoiceField(
        label=_("Should reach"), coerce=int, choices=LevelNumber.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, domain_names: dict[int, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()
        if domain_names:
            self.fields["domains"].choices = [
                (n, f"{n}. {domain_names.get(n, '')}".strip()) for n in range(1, 8)
            ]


def group_choices() -> list:
    """Everyone, or one group of one characteristic: a select with a heading per characteristic."""
    from selfassess.models import Sector, ServiceSetting

    labels = {
        "sector": (_("Sector"), dict(Sector.choices)),
        "setting": (_("Type of service"), dict(ServiceSetting.choices)),
        "role": (_("Profession or role"), dict(ProfessionRole.choices)),
        "org_kind": (
            _("Kind of organisation"),
            {**dict(Organisation.Kind.choices), "none": _("Not in an organisation here")},
        ),
    }
    choices: list = [("", _("Everyone"))]
    for dim, values in DIMENSIONS.items():
        heading, names = labels[dim]
        choices.append((heading, [(f"{dim}:{v}", names.get(v, v)) for v in values]))
    return choices


class InsightForm(forms.Form):
    geo = forms.ChoiceField(label=_("Area"), required=False)
    group = forms.ChoiceField(label=_("People"), required=False)

    def __init__(self, *args, geos: list[tuple[str, str]], groups: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["geo"].choices = geos
        if groups:
            self.fields["group"].choices = group_choices()
        else:
            del self.fields["group"]
