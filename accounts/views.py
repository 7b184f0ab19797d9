from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_scopes import scopes_disabled

from accounts import selectors, services
from accounts.deletion import confirm_then_delete
from accounts.forms import (
    ApiTokenForm,
    BrandForm,
    InvitationForm,
    OrganizationForm,
    RoleForm,
    SwitchOrganizationForm,
    add_service_errors,
    save_form,
)
from accounts.models import ApiToken, Brand, Capability, Invitation, Membership, Organization
from accounts.navigation import site_url
from accounts.sections import sections_for
from accounts.tenancy import get_for_member, member_required, require, switch_organization


@member_required
def home(request):
    sections = sections_for("home", request.membership)
    return render(request, "accounts/home.html", {"sections": sections})


@login_required
def onboarding(request):
    """Create an organisation, or accept an invitation addressed to the user's email."""
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organization = services.organization_create(
            user=request.user, name=form.cleaned_data["name"]
        )
        switch_organization(request, organization)
        messages.success(request, f"{organization.name} is ready. Add your brand next.")
        return redirect("accounts-brands")
    invitations = selectors.invitation_list_for_email(email=request.user.email)
    return render(request, "accounts/onboarding.html", {"form": form, "invitations": invitations})


@login_required
@require_POST
def organization_switch(request):
    form = SwitchOrganizationForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose an organisation to switch to.")
        return redirect("home")
    organization = get_object_or_404(Organization, code=form.cleaned_data["organization"])
    membership = switch_organization(request, organization)
    messages.info(
        request,
        f"You are now working in {organization.name} as {membership.get_role_display().lower()}.",
    )
    return redirect("home")


@member_required
def organization_settings(request):
    membership = request.membership
    organization = membership.organization
    form = OrganizationForm(request.POST or None, initial={"name": organization.name})
    if request.method == "POST":
        require(membership, Capability.ADMINISTER)
        if form.is_valid():
            services.organization_update(organization=organization, name=form.cleaned_data["name"])
            messages.success(request, "Organisation renamed.")
            return redirect("accounts-settings")
    return render(request, "accounts/settings.html", {"form": form})


@member_required
def brand_list(request):
    brands = selectors.brand_list(organization=request.membership.organization)
    return render(request, "accounts/brand_list.html", {"brands": brands})


def _save_brand(request, form, brand=None):
    """Save the brand form through the service; returns the brand, or None on errors."""
    return save_form(
        form,
        lambda data: services.brand_save(
            organization=request.membership.organization,
            brand=brand,
            name=data["name"],
            website=data["website"],
            hashtags=data["hashtags"],
            handles=form.handles(),
        ),
    )


@member_required
def brand_create(request):
    require(request.membership, Capability.EDIT_WORKFLOW)
    form = BrandForm(request.POST or None)
    if request.method == "POST" and (brand := _save_brand(request, form)):
        messages.success(request, f"Brand {brand.name} added.")
        return redirect("accounts-brands")
    return render(request, "accounts/brand_form.html", {"form": form})


@member_required
def brand_edit(request, code):
    capability = Capability.EDIT_WORKFLOW if request.method == "POST" else Capability.READ
    brand = get_for_member(
        Brand.objects.prefetch_related("handles"),
        request.membership,
        capability=capability,
        code=code,
    )
    form = BrandForm(
        request.POST or None,
        initial=BrandForm.initial_for(brand),
        read_only=not request.membership.can_edit_workflow,
    )
    if request.method == "POST" and _save_brand(request, form, brand):
        messages.success(request, f"Brand {brand.name} saved.")
        return redirect("accounts-brands")
    return render(request, "accounts/brand_form.html", {"form": form, "brand": brand})


@member_required
@require_POST
def brand_delete(request, code):
    brand = get_for_member(
        Brand, request.membership, capability=Capability.EDIT_WORKFLOW, code=code
    )
    try:
        services.brand_delete(brand=brand)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Brand {brand.name} deleted.")
    return redirect("accounts-brands")


@member_required
def member_list(request):
    membership = request.membership
    organization = membership.organization
    form = InvitationForm(request.POST or None)
    if request.method == "POST":
        require(membership, Capability.ADMINISTER)
        if form.is_valid():
            try:
                invitation = services.invitation_create(
                    organization=organization,
                    invited_by=request.user,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    site_url=site_url(request),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"Invitation sent to {invitation.email}.")
                return redirect("accounts-members")
    context = {
        "form": form,
        "members": selectors.membership_list(organization=organization),
        "invitations": selectors.invitation_list_open(organization=organization),
        "role_form": RoleForm(),
    }
    return render(request, "accounts/members.html", context)


@member_required
@require_POST
def member_role(request, code):
    target = get_for_member(
        Membership.objects.select_related("user"),
        request.membership,
        capability=Capability.ADMINISTER,
        code=code,
    )
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose owner, marketer or manager.")
        return redirect("accounts-members")
    try:
        services.membership_change_role(membership=target, role=form.cleaned_data["role"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"{target.user.email} is now a {target.get_role_display().lower()}."
        )
    return redirect("accounts-members")


@member_required
def member_remove(request, code):
    target = get_for_member(
        Membership.objects.select_related("user"),
        request.membership,
        capability=Capability.ADMINISTER,
        code=code,
    )
    tokens = selectors.api_token_list(membership=target).count()
    email = target.user.email
    return confirm_then_delete(
        request,
        target,
        name=f"{email} from this organisation",
        verb="Remove",
        also=(f"{tokens} API token{'s' if tokens != 1 else ''}",) if tokens else (),
        delete=lambda: services.membership_remove(membership=target),
        done=reverse("accounts-members"),
        message=f"{email} no longer belongs to this organisation.",
    )


@member_required
@require_POST
def invitation_revoke(request, code):
    invitation = get_for_member(
        Invitation, request.membership, capability=Capability.ADMINISTER, code=code
    )
    services.invitation_revoke(invitation=invitation)
    messages.success(request, f"Invitation to {invitation.email} revoked.")
    return redirect("accounts-members")


def invitation_accept(request, token):
    """The page an invitation email links to; signing in first is part of the way."""
    # Opened signed out, or by someone not yet a member: the token alone names the invitation.
    with scopes_disabled():
        invitation = Invitation.objects.select_related("organization").filter(token=token).first()
    if not request.user.is_authenticated:
        request.session["pending_invitation_url"] = request.get_full_path()
        return render(request, "accounts/invitation.html", {"invitation": invitation})
    if request.method == "POST":
        try:
            membership = services.invitation_accept(token=token, user=request.user)
        except services.InvitationError as error:
            messages.error(request, str(error))
        else:
            switch_organization(request, membership.organization)
            messages.success(request, f"Welcome to {membership.organization.name}.")
            return redirect("home")
    return render(request, "accounts/invitation.html", {"invitation": invitation})


@member_required
def api_token_list(request):
    membership = request.membership
    form = ApiTokenForm(request.POST or None)
    key = None
    if request.method == "POST" and form.is_valid():
        token, key = services.api_token_create(
            membership=membership, name=form.cleaned_data["name"]
        )
        form = ApiTokenForm()
    context = {"form": form, "key": key, "tokens": selectors.api_token_list(membership=membership)}
    return render(request, "accounts/api_tokens.html", context)


@member_required
@require_POST
def api_token_revoke(request, code):
    token = get_for_member(
        ApiToken.objects.filter(user=request.user), request.membership, code=code
    )
    services.api_token_revoke(token=token)
    messages.success(request, f"Token “{token.name}” revoked.")
    return redirect("accounts-api-tokens")
