"""Writes to accounts, memberships and invitations. Views, commands and tests come through here.

Accounts are created only by invitation: a curator or director invites an e-mail address to a
role, the invitee follows the link, and `invitation_accept` creates the account (or adds the
role to an existing one). Each function is atomic and raises ValidationError, per field where
it can, writing nothing when something is wrong.

One rule guards every grant and removal: nobody hands out or takes away rights they do not
hold themselves (a curator cannot make anyone a director), derived from `policy.GRANTS`.
"""

from __future__ import annotations

import logging
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nastavnik.accounts.models import Invitation, InvitationStatus, User
from nastavnik.core.tasks import queue_mail
from nastavnik.orgs.models import Membership, Organisation, Role
from nastavnik.orgs.policy import GRANTS, OWN_DATA, Perm
from nastavnik.people.models import Person

logger = logging.getLogger(__name__)

MESSAGES = {
    "invalid_email": _("Enter a valid e-mail address."),
    "invalid_role": _("Choose a role from the list."),
    "role_not_yours": _(
        "You cannot give the role “%(role)s”: it carries rights you do not have yourself."
    ),
    "person_elsewhere": _("Choose a person from your organisation's registry."),
    "already_member": _("%(email)s already has the role “%(role)s” in this organisation."),
    "already_invited": _(
        "%(email)s has already been invited as “%(role)s” and the invitation is still valid. "
        "Revoke it first if you want to send a new one."
    ),
    "person_has_account": _(
        "%(name)s is already linked to another account. Invite that account's e-mail or "
        "leave the person empty."
    ),
    "account_has_person": _(
        "The account %(email)s is already linked to another person in the registry: %(name)s."
    ),
    "revoke_accepted": _(
        "This invitation has already been accepted; remove the role from the member instead."
    ),
    "wrong_account": _("This invitation is for %(email)s. Log in with that account to accept it."),
    "account_exists": _(
        "An account with the e-mail %(email)s already exists. Log in with it to accept the "
        "invitation."
    ),
    "first_name_required": _("Enter your first name."),
    "last_name_required": _("Enter your last name."),
    "remove_not_yours": _(
        "You cannot remove the role “%(role)s”: it carries rights you do not have yourself."
    ),
    "remove_own_last": _(
        "You cannot remove your own last role of curator or director: you would lose access "
        "to this page. Ask another curator or director to do it."
    ),
    "remove_last_manager": _("The organisation must keep at least one curator or director."),
}

# The roles that may run the members page; an organisation always keeps one of them.
MANAGING_ROLES = frozenset(role for role, perms in GRANTS.items() if Perm.MEMBERS_MANAGE in perms)


class InvitationNotUsable(ValidationError):
    """The invitation was accepted, revoked or has expired: there is nothing left to accept."""

    def __init__(self, status: InvitationStatus) -> None:
        super().__init__(status.label, code=status.value)
        self.status = status


@dataclass(frozen=True)
class NewAccount:
    """What an invitee who has no account yet tells us about themselves."""

    first_name: str
    last_name: str
    # None: the account signs in through single sign-on only, until its owner sets a password
    # with "Forgot your password?".
    password: str | None


def normalise_email(email: str) -> str:
    # Accounts store e-mails in lower case (UserManager), so invitations do too.
    return email.strip().lower()


def roles_assignable_by(roles: Iterable[str]) -> list[Role]:
    """The roles a holder of `roles` may give or take away: those with no right they lack
    (rights over one's own data aside)."""
    rights = frozenset().union(*(GRANTS[Role(role)] for role in roles)) | OWN_DATA
    return [role for role in Role if GRANTS[role] <= rights]


def assignable_roles(organisation: Organisation, by: User | None) -> list[Role]:
    """The roles `by` may give or take away in `organisation`; `by=None` is the system itself
    (commands, the site administrator): every role."""
    if by is None:
        return list(Role)
    return roles_assignable_by(
        Membership.objects.filter(organisation=organisation, user=by).values_list("role", flat=True)
    )


def _role_label(role: str) -> str:
    return str(Role(role).label)


# Invitations -------------------------------------------------------------------------------


@transaction.atomic
def invitation_create(
    organisation: Organisation,
    email: str,
    role: str,
    person: Person | None,
    by: User | None,
    *,
    base_url: str | None = None,
) -> Invitation:
    """Invite `email` to `role` in `organisation`, optionally as `person` of the registry, and
    queue the e-mail with the link. `base_url` is the site's address for the link (the
    request's when there is one; `settings.SITE_URL` otherwise)."""
    email = normalise_email(email)
    errors: dict[str, ValidationError] = {}
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = ValidationError(MESSAGES["invalid_email"], code="invalid")
    if role not in Role.values:
        errors["role"] = ValidationError(MESSAGES["invalid_role"], code="invalid_choice")
    elif Role(role) not in assignable_roles(organisation, by):
        errors["role"] = ValidationError(
            MESSAGES["role_not_yours"], code="role_not_yours", params={"role": _role_label(role)}
        )
    if person is not None and person.organisation_id != organisation.pk:
        errors["person"] = ValidationError(MESSAGES["person_elsewhere"], code="invalid_choice")
    if errors:
        raise ValidationError(errors)

    # Invitations of one organisation queue up here, so a double-clicked "Invite" sends one
    # invitation, not two.
    Organisation.objects.select_for_update().only("pk").get(pk=organisation.pk)
    params = {"email": email, "role": _role_label(role)}
    account = User.objects.filter(email__iexact=email).first()
    if (
        account is not None
        and Membership.objects.filter(organisation=organisation, user=account, role=role).exists()
    ):
        raise ValidationError(
            {"email": ValidationError(MESSAGES["already_member"], "already_member", params)}
        )
    if (
        Invitation.objects.pending()
        .filter(organisation=organisation, email__iexact=email, role=role)
        .exists()
    ):
        raise ValidationError(
            {"email": ValidationError(MESSAGES["already_invited"], "already_invited", params)}
        )
    if person is not None:
        _check_person_fits_account(organisation, person, account)

    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        person=person,
        invited_by=by,
        expires_at=Invitation.default_expiry(),
    )
    _queue_invitation_mail(invitation, base_url or settings.SITE_URL)
    logger.info(
        "invitation %s (%s) to %s created by %s", invitation.pk, role, organisation.slug, by
    )
    return invitation


def _check_person_fits_account(
    organisation: Organisation, person: Person, account: User | None
) -> None:
    """One account is one person of the registry; refuse an invitation that could not link."""
    if person.user_id is not None and (account is None or person.user_id != account.pk):
        raise ValidationError(
            {
                "person": ValidationError(
                    MESSAGES["person_has_account"],
                    "person_has_account",
                    {"name": person.full_name},
                )
            }
        )
    if account is not None and person.user_id is None:
        linked = Person.objects.for_org(organisation).filter(user=account).first()
        if linked is not None:
            raise ValidationError(
                {
                    "person": ValidationError(
                        MESSAGES["account_has_person"],
                        "account_has_person",
                        {"email": account.email, "name": linked.full_name},
                    )
                }
            )


def invitation_url(invitation: Invitation, base_url: str) -> str:
    return urljoin(base_url, reverse("accounts:invitation_accept", args=[invitation.token]))


def _queue_invitation_mail(invitation: Invitation, base_url: str) -> None:
    organisation = invitation.organisation
    context = {
        "invitation": invitation,
        "organisation": organisation,
        "role": _role_label(invitation.role),
        "inviter": invitation.invited_by,
        "url": invitation_url(invitation, base_url),
        "days": settings.INVITATION_TTL_DAYS,
    }
    # The expiry date reads in the organisation's time, wherever the sender is.
    with timezone.override(zoneinfo.ZoneInfo(organisation.timezone)):
        subject = render_to_string("accounts/email/invitation_subject.txt", context)
        body = render_to_string("accounts/email/invitation.txt", context)
    queue_mail(subject, body, invitation.email)


@transaction.atomic
def invitation_revoke(invitation: Invitation, by: User | None) -> Invitation:
    """Withdraw an invitation so its link stops working. Revoking twice changes nothing."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.accepted_at is not None:
        raise ValidationError(MESSAGES["revoke_accepted"], code="accepted")
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.revoked_by = by
        locked.save(update_fields=["revoked_at", "revoked_by"])
        logger.info("invitation %s revoked by %s", locked.pk, by)
    invitation.revoked_at, invitation.revoked_by = locked.revoked_at, locked.revoked_by
    return invitation


@transaction.atomic
def invitation_accept(invitation: Invitation, account: User | NewAccount) -> User:
    """Accept `invitation` as an existing `User` (who must own the invited e-mail) or by
    creating the account described by `NewAccount`. Adds the role, links the person of the
    registry when that can be done without taking them from another account, and spends the
    invitation. Returns the account.

    Raises InvitationNotUsable when the invitation was accepted, revoked or has expired —
    also when the same form is submitted twice: the row lock makes the second submission
    wait for the first and then find the invitation spent.
    """
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.status != InvitationStatus.PENDING:
        raise InvitationNotUsable(locked.status)

    if isinstance(account, NewAccount):
        user = _account_create(locked.email, account)
    elif normalise_email(account.email) != normalise_email(locked.email):
        raise ValidationError(
            MESSAGES["wrong_account"], code="wrong_account", params={"email": locked.email}
        )
    else:
        user = account

    Membership.objects.get_or_create(
        user=user, organisation_id=locked.organisation_id, role=locked.role
    )
    _link_person(locked, user)
    locked.accepted_at = timezone.now()
    locked.accepted_by = user
    locked.save(update_fields=["accepted_at", "accepted_by"])
    invitation.accepted_at, invitation.accepted_by = locked.accepted_at, user
    logger.info("invitation %s accepted by user %s", locked.pk, user.pk)
    return user


def _account_create(email: str, data: NewAccount) -> User:
    params = {"email": email}
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(MESSAGES["account_exists"], code="account_exists", params=params)
    first_name = " ".join(data.first_name.split())
    last_name = " ".join(data.last_name.split())
    user = User(email=email, first_name=first_name, last_name=last_name)
    errors: dict[str, list[ValidationError]] = {}
    if not first_name:
        errors["first_name"] = [ValidationError(MESSAGES["first_name_required"], "required")]
    if not last_name:
        errors["last_name"] = [ValidationError(MESSAGES["last_name_required"], "required")]
    try:
        user.full_clean(
            exclude=["password", "email"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        for field, field_errors in error.error_dict.items():
            errors.setdefault(field, []).extend(field_errors)
    if data.password is not None:
        try:
            validate_password(data.password, user=user)
        except ValidationError as error:
            errors["password"] = error.error_list
    if errors:
        raise ValidationError(errors)
    user.set_password(data.password)  # None sets an unusable password
    try:
        # A savepoint: another invitation to the same address accepted at the same moment
        # fails this call only.
        with transaction.atomic():
            user.save()
    except IntegrityError as error:
        raise ValidationError(
            MESSAGES["account_exists"], code="account_exists", params=params
        ) from error
    return user


def _link_person(invitation: Invitation, user: User) -> None:
    if invitation.person_id is None:
        return
    person = (
        Person.objects.select_for_update()
        .filter(pk=invitation.person_id, organisation_id=invitation.organisation_id)
        .first()
    )
    if person is None or person.user_id == user.pk:
        return
    other = Person.objects.filter(organisation_id=invitation.organisation_id, user=user)
    if person.user_id is not None or other.exists():
        # Linked elsewhere since the invitation was sent: the role is still granted, and the
        # curator links the record by hand.
        logger.warning(
            "invitation %s: person %s not linked to user %s", invitation.pk, person.pk, user.pk
        )
        return
    person.user = user
    person.save(update_fields=["user", "updated_at"])


# Memberships -------------------------------------------------------------------------------


@transaction.atomic
def membership_remove(membership: Membership, by: User | None) -> None:
    """Take one role away from a member. The organisation keeps at least one curator or
    director, and nobody removes their own last such role (they would lock themselves out)."""
    organisation = membership.organisation
    params = {"role": _role_label(membership.role)}
    if Role(membership.role) not in assignable_roles(organisation, by):
        raise ValidationError(MESSAGES["remove_not_yours"], code="remove_not_yours", params=params)
    # Locking every manager's row means two directors removing each other at the same moment
    # cannot both succeed and leave the organisation without one.
    managers = list(
        Membership.objects.select_for_update()
        .filter(organisation=organisation, role__in=MANAGING_ROLES)
        .exclude(pk=membership.pk)
    )
    if membership.role in MANAGING_ROLES:
        own = by is not None and membership.user_id == by.pk
        if own and not any(m.user_id == membership.user_id for m in managers):
            raise ValidationError(MESSAGES["remove_own_last"], code="remove_own_last")
        if not managers:
            raise ValidationError(MESSAGES["remove_last_manager"], code="remove_last_manager")
    Membership.objects.filter(pk=membership.pk).delete()
    logger.info(
        "membership %s (%s, user %s) removed by %s",
        membership.pk,
        membership.role,
        membership.user_id,
        by,
    )
