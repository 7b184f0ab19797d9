"""Settings: the follower-tier table, engagement benchmarks and which interactions count.

Every member reads these tables (the directory and the shortlist judge accounts by them);
only owners change them. Each change re-derives the accounts' tiers and ratios at once.
"""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from accounts.forms import save_form
from accounts.models import Capability, Platform
from accounts.tenancy import get_for_member, member_required, require
from influencers import selectors, services
from influencers.defaults import SCHEMES
from influencers.models import Benchmark, EngagementFormula

# The forms live beside the only screen that uses them.


class SchemeForm(forms.Form):
    scheme = forms.ChoiceField(
        label="Published scheme",
        choices=[(scheme.key, scheme.name) for scheme in SCHEMES.values()],
        widget=forms.RadioSelect,
    )


class TierRowForm(forms.Form):
    """One row of the tier table; rules across rows are checked by the formset."""

    code = forms.UUIDField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(max_length=services.TIER_NAME_MAX)
    lower = forms.IntegerField(
        min_value=0, max_value=services.TIER_BOUND_MAX, label="From (followers)"
    )
    upper = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=services.TIER_BOUND_MAX,
        label="Up to (not included)",  # empty: no upper bound, as the page says
    )
    cost_min = forms.DecimalField(
        required=False, min_value=0, max_digits=12, decimal_places=2, label="Cost per post from"
    )
    cost_max = forms.DecimalField(
        required=False, min_value=0, max_digits=12, decimal_places=2, label="Cost per post to"
    )
    cost_currency = forms.CharField(min_length=3, max_length=3, initial="USD", label="Currency")
    cost_source = forms.CharField(max_length=200, required=False, label="Source of the cost")

    def clean_cost_currency(self):
        return self.cleaned_data["cost_currency"].strip().upper()


class BaseTierFormSet(forms.BaseFormSet):
    # Capped (see TierFormSet) so that a forged row count cannot make the server build and
    # render thousands of rows.
    default_error_messages = {"too_many_forms": "A tier table has at most %(num)d rows."}

    def kept_forms(self) -> list[TierRowForm]:
        """The rows to save: neither marked for deletion nor an untouched blank row."""
        return [
            form
            for form in self.forms
            if not (self.can_delete and self._should_delete_form(form))
            and (form in self.initial_forms or form.has_changed())
        ]

    def rows(self) -> list[dict]:
        return [form.cleaned_data for form in self.kept_forms()]

    def add_table_errors(self, errors) -> None:
        """Put the service's errors at their rows and fields (None: the table as a whole)."""
        kept = self.kept_forms()
        for index, fields in errors.items():
            for field, field_messages in fields.items():
                if index is None:
                    self._non_form_errors.extend(field_messages)
                elif field not in kept[index].errors:  # one message per field is enough
                    kept[index].add_error(field, field_messages)

    def clean(self):
        if not self.management_form.is_valid():
            return  # no table arrived to check; the view shows the saved one again
        # Rows with a field error take part with the fields they have, so an overlap is
        # reported together with, say, a negative cost elsewhere. A field that failed is
        # missing from its row, and the service leaves it alone.
        self.add_table_errors(services.tier_rows_check(self.rows()))


TierFormSet = forms.formset_factory(
    TierRowForm,
    formset=BaseTierFormSet,
    extra=1,
    can_delete=True,
    max_num=services.TIER_ROWS_MAX,
    validate_max=True,
    absolute_max=services.TIER_ROWS_MAX,
)


class BenchmarkValueForm(forms.Form):
    rate = forms.DecimalField(
        max_digits=6,
        decimal_places=3,
        label="Expected rate (%)",
        help_text=(
            f"A percentage from {services.BENCHMARK_RATE_MIN} to "
            f"{services.BENCHMARK_RATE_MAX}, such as 6.0 for 6%."
        ),
    )
    source = forms.CharField(
        max_length=200,
        required=False,  # required, but with the message the service gives
        help_text="Say where the number comes from: publisher, report, sample.",
    )
    year = forms.IntegerField(required=False, help_text="Year of the figure, if published.")

    def clean(self):
        cleaned = super().clean()
        errors = services.benchmark_value_errors(
            rate=cleaned.get("rate"), source=cleaned.get("source", ""), year=cleaned.get("year")
        )
        for field, message in errors.items():
            if field in cleaned:
                self.add_error(field, message)
        return cleaned


class BenchmarkForm(BenchmarkValueForm):
    platform = forms.ChoiceField(choices=Platform.choices)
    tier = forms.ChoiceField()
    formula = forms.ChoiceField(choices=EngagementFormula.choices)

    field_order = ["platform", "tier", "formula", "rate", "source", "year"]

    def __init__(self, *args, tiers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.tiers = {str(tier.code): tier for tier in tiers}
        self.fields["tier"].choices = [
            (code, f"{tier.name} ({tier.range_label})") for code, tier in self.tiers.items()
        ]

    def clean_tier(self):
        return self.tiers[self.cleaned_data["tier"]]


class EngagementOptionsForm(forms.Form):
    include_saves = forms.BooleanField(required=False, label="Count saves")
    include_shares = forms.BooleanField(required=False, label="Count shares")


# --- Reading ----------------------------------------------------------------------------------


def benchmark_groups(tiers, benchmarks) -> list[dict]:
    """Benchmarks by platform, then tier; a tier without a figure still gets its row."""
    by_cell: dict[tuple[str, int], list[Benchmark]] = {}
    for benchmark in benchmarks:
        by_cell.setdefault((benchmark.platform, benchmark.tier_id), []).append(benchmark)
    shown = {benchmark.platform for benchmark in benchmarks}
    groups = []
    for platform in Platform:
        if platform == Platform.OTHER and platform not in shown:
            continue  # no published figures exist for "other"; only show it when used
        rows = [
            {"tier": tier, "benchmarks": by_cell.get((platform.value, tier.pk), [])}
            for tier in tiers
        ]
        groups.append({"platform": platform.label, "rows": rows})
    return groups


def _render(request, **forms_):
    """The settings page; `forms_` holds bound forms that failed, shown with their errors."""
    membership = request.membership
    organization = membership.organization
    settings = selectors.engagement_settings_get(organization=organization)
    tiers = list(selectors.tier_list(organization=organization))
    benchmarks = list(selectors.benchmark_list(organization=organization))
    context = {
        "scheme": SCHEMES.get(settings.tier_scheme),
        "schemes": list(SCHEMES.values()),
        "tiers": tiers,
        "edited_tiers": any(tier.source == services.ORGANIZATION_SOURCE for tier in tiers),
        "benchmark_groups": benchmark_groups(tiers, benchmarks),
        "engagement_settings": settings,
    }
    if membership.can_administer:
        initial_rows = [
            {"code": tier.code, **{f: getattr(tier, f) for f in services.TIER_FIELDS}}
            for tier in tiers
        ]
        context |= {
            "scheme_form": SchemeForm(initial={"scheme": settings.tier_scheme}),
            "tier_formset": TierFormSet(initial=initial_rows, prefix="tiers"),
            "benchmark_form": BenchmarkForm(tiers=tiers),
            "options_form": EngagementOptionsForm(
                initial={
                    "include_saves": settings.include_saves,
                    "include_shares": settings.include_shares,
                }
            ),
        }
        context |= forms_
    return render(request, "influencers/settings.html", context)


@member_required
def settings_page(request):
    return _render(request)


# --- Writing (owners) -------------------------------------------------------------------------


@member_required
@require_POST
def tier_scheme_switch(request):
    require(request.membership, Capability.ADMINISTER)
    form = SchemeForm(request.POST)
    if not form.is_valid():
        return _render(request, scheme_form=form)
    scheme = SCHEMES[form.cleaned_data["scheme"]]
    services.tier_scheme_apply(organization=request.membership.organization, scheme_key=scheme.key)
    messages.success(request, f"Switched to {scheme.name}: tiers and benchmarks were replaced.")
    return redirect("influencers-settings")


@member_required
@require_POST
def tiers_save(request):
    require(request.membership, Capability.ADMINISTER)
    formset = TierFormSet(request.POST, prefix="tiers")
    if not formset.management_form.is_valid():
        # Without its row count the table cannot be read: show the saved one again, whole.
        return _render(request, tier_table_incomplete=True)
    if formset.is_valid():
        try:
            services.tiers_save(organization=request.membership.organization, rows=formset.rows())
        except services.TierTableError as error:
            formset.add_table_errors(error.rows)
        else:
            messages.success(request, "Tiers saved; every account was placed in its tier again.")
            return redirect("influencers-settings")
    return _render(request, tier_formset=formset)


@member_required
@require_POST
def engagement_options_save(request):
    require(request.membership, Capability.ADMINISTER)
    form = EngagementOptionsForm(request.POST)
    if not form.is_valid():
        return _render(request, options_form=form)
    recomputed = services.engagement_settings_update(
        organization=request.membership.organization,
        include_saves=form.cleaned_data["include_saves"],
        include_shares=form.cleaned_data["include_shares"],
    )
    if recomputed:
        messages.success(request, "Engagement options saved; every rate was computed again.")
    else:
        messages.success(
            request,
            "Engagement options saved. The rates are being computed again in the background; "
            "the directory shows the new ones within a few minutes.",
        )
    return redirect("influencers-settings")


def _save_benchmark(request, form, benchmark=None, **identity):
    """Save the benchmark form through the service; returns the benchmark or None."""
    return save_form(
        form,
        lambda data: services.benchmark_save(
            organization=request.membership.organization,
            benchmark=benchmark,
            platform=identity.get("platform") or data["platform"],
            tier=identity.get("tier") or data["tier"],
            formula=identity.get("formula") or data["formula"],
            rate=data["rate"],
            source=data["source"],
            year=data["year"],
        ),
    )


@member_required
@require_POST
def benchmark_create(request):
    membership = request.membership
    require(membership, Capability.ADMINISTER)
    tiers = selectors.tier_list(organization=membership.organization)
    form = BenchmarkForm(request.POST, tiers=tiers)
    if benchmark := _save_benchmark(request, form):
        messages.success(request, f"Benchmark added: {benchmark}.")
        return redirect("influencers-settings")
    return _render(request, benchmark_form=form)


@member_required
def benchmark_edit(request, code):
    capability = Capability.ADMINISTER if request.method == "POST" else Capability.READ
    benchmark = get_for_member(
        selectors.benchmark_list(organization=request.membership.organization),
        request.membership,
        capability=capability,
        code=code,
    )
    form = BenchmarkValueForm(
        request.POST or None,
        initial={"rate": benchmark.rate, "source": benchmark.source, "year": benchmark.year},
    )
    if request.method == "POST":
        identity = {
            "platform": benchmark.platform,
            "tier": benchmark.tier,
            "formula": benchmark.formula,
        }
        if _save_benchmark(request, form, benchmark, **identity):
            messages.success(request, f"Benchmark saved: {benchmark}.")
            return redirect("influencers-settings")
    context = {"benchmark": benchmark, "form": form}
    return render(request, "influencers/settings_benchmark.html", context)


@member_required
@require_POST
def benchmark_delete(request, code):
    benchmark = get_for_member(
        Benchmark.objects.select_related("tier"),
        request.membership,
        capability=Capability.ADMINISTER,
        code=code,
    )
    label = str(benchmark)
    services.benchmark_delete(benchmark=benchmark)
    messages.success(request, f"Benchmark removed: {label}.")
    return redirect("influencers-settings")


urlpatterns = [
    path("settings/", settings_page, name="influencers-settings"),
    path("settings/scheme/", tier_scheme_switch, name="influencers-tier-scheme"),
    path("settings/tiers/", tiers_save, name="influencers-tiers-save"),
    path("settings/engagement/", engagement_options_save, name="influencers-engagement-options"),
    path("settings/benchmarks/new/", benchmark_create, name="influencers-benchmark-create"),
    path("settings/benchmarks/<uuid:code>/", benchmark_edit, name="influencers-benchmark-edit"),
    path(
        "settings/benchmarks/<uuid:code>/delete/",
        benchmark_delete,
        name="influencers-benchmark-delete",
    ),
]
