"""Which account an identity from a provider signs in to. Security critical: single sign-on
never makes anyone a member of an organisation by itself.

A sign-in is accepted only when
(a) the sign-in was started from a pending invitation's page: the invitation is accepted for
    the identity's account (the one already linked to it, the existing account of the
    invitation's e-mail if the provider vouches for that e-mail, or a new account the
    invitation creates), or
(b) the identity is already linked to an account, or the provider asserts a verified e-mail
    that belongs to an existing account; that account is then linked to the identity.

The link is the (issuer, subject) pair; later sign-ins use it alone, so an e-mail changed at
the provider never moves an identity to another account. An organisation's own provider
vouches for its members only. Everything else raises `SsoRefused` and writes nothing.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from nastavnik.accounts import services
from nastavnik.accounts.access import invitation_by_token
from nastavnik.accounts.models import ExternalIdentity, Invitation, User
from nastavnik.accounts.sso.client import Identity
from nastavnik.accounts.sso.providers import Provider
from nastavnik.audit.models import AuditAction, AuditObject
from nastavnik.audit.services import audit_record
from nastavnik.orgs.models import Membership

logger = logging.getLogger(__name__)

MESSAGES: dict[str, Promise] = {
    "failed": _(
        "Logging in with %(provider)s did not succeed: the sign-in was interrupted or has "
        "already been used. Try again."
    ),
    "unavailable": _(
        "%(provider)s is not answering at the moment. Try again later or log in with your password."
    ),
    "unverified": _(
        "%(provider)s has not confirmed your e-mail address, so it cannot be matched to an "
        "account. Confirm the address there, or log in with your password."
    ),
    "unknown": _(
        "There is no account for the e-mail address %(provider)s gave. Accounts are created "
        "by invitation only: ask your school's curator to invite you, then follow the link in "
        "the letter."
    ),
    "inactive": _("This account has been switched off. Ask your school's curator."),
    "other_organisation": _(
        "%(provider)s can be used only by members of its organisation. Log in with your "
        "password or with the sign-in of your own organisation."
    ),
    "taken": _(
        "Your account is already linked to another identity at %(provider)s. Log in with "
        "that one or with your password."
    ),
    "invitation_not_usable": _(
        "The invitation has been accepted, revoked or has expired. Ask for a new one."
    ),
    "wrong_account": _(
        "This invitation is for %(email)s, and %(provider)s signed you in as someone else. "
        "Log in with that account to accept it."
    ),
    "no_name": _(
        "%(provider)s did not give your name. Accept the invitation with a password instead."
    ),
    "throttled": _("Too many failed attempts to log in. Try again in %(minutes)s minutes."),
}


class SsoRefused(Exception):
    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    def message(self, provider: Provider) -> str:
        return str(MESSAGES[self.code]) % {"provider": provider.name, **self.params}


@transaction.atomic
def sso_sign_in(provider: Provider, identity: Identity, invitation_token: str = "") -> User:
    """The account `identity` signs in to, linking and accepting the invitation as the rules
    above allow; SsoRefused otherwise, with nothing written."""
    link = (
        ExternalIdentity.objects.select_for_update()
        .select_related("user")
        .filter(issuer=identity.issuer, subject=identity.subject)
        .first()
    )
    if invitation_token:
        invitation = invitation_by_token(invitation_token)
        if invitation is None or not invitation.is_usable:
            raise SsoRefused("invitation_not_usable")
        if provider.organisation_id not in (None, invitation.organisation_id):
            raise SsoRefused("other_organisation")
        user = _invited_account(invitation, identity, link)
        if user is not None:
            _check_may_sign_in(user, provider, invited_to=invitation.organisation_id)
        try:
            account = user or _new_account(invitation, identity)
            user = services.invitation_accept(invitation, account)
        except services.InvitationNotUsable as error:
            raise SsoRefused("invitation_not_usable") from error
        except ValidationError as error:
            # An account of the same e-mail created a moment ago, or a name the form refuses.
            logger.warning("invitation %s not accepted through SSO: %s", invitation.pk, error)
            raise SsoRefused("failed") from error
    else:
        user = link.user if link is not None else _account_by_email(identity)
        _check_may_sign_in(user, provider)
    if link is None:
        link = _link(user, identity)
    link.last_used_at = timezone.now()
    link.save(update_fields=["last_used_at"])
    _audit(user, provider, AuditAction.SSO_LOGIN, {})
    logger.info("user %s signed in through %s", user.pk, provider.issuer)
    return user


def _account_by_email(identity: Identity) -> User:
    if not identity.email or not identity.email_verified:
        raise SsoRefused("unverified")
    user = User.objects.filter(email__iexact=identity.email).first()
    if user is None:
        raise SsoRefused("unknown")
    return user


def _invited_account(
    invitation: Invitation, identity: Identity, link: ExternalIdentity | None
) -> User | None:
    """The existing account the invitation is accepted for, or None to create one."""
    params = {"email": invitation.email}
    if link is not None:
        if services.normalise_email(link.user.email) != invitation.email:
            raise SsoRefused("wrong_account", **params)
        return link.user
    account = User.objects.filter(email__iexact=invitation.email).first()
    if account is None:
        return None
    # An account exists: the provider must vouch for its e-mail, as in a sign-in without
    # an invitation; the invitation's link alone proves nothing about that account.
    if not (identity.email_verified and identity.email == services.normalise_email(account.email)):
        raise SsoRefused("wrong_account", **params)
    return account


def _new_account(invitation: Invitation, identity: Identity) -> services.NewAccount:
    person = invitation.person
    first_name = identity.first_name or (person.first_name if person else "")
    last_name = identity.last_name or (person.last_name if person else "")
    if not first_name or not last_name:
        raise SsoRefused("no_name")
    return services.NewAccount(first_name=first_name, last_name=last_name, password=None)


def _check_may_sign_in(user: User, provider: Provider, invited_to: int | None = None) -> None:
    """`invited_to`: the organisation of the invitation being accepted, which the account
    is about to join."""
    if not user.is_active:
        raise SsoRefused("inactive")
    if provider.organisation_id is None:
        return
    # An organisation's provider vouches for its own members, and never for the site's
    # administrators: a school's identity system must not open other doors.
    if user.is_superuser or user.is_staff:
        raise SsoRefused("other_organisation")
    if invited_to == provider.organisation_id:
        return
    if not Membership.objects.filter(user=user, organisation_id=provider.organisation_id).exists():
        raise SsoRefused("other_organisation")


def _link(user: User, identity: Identity) -> ExternalIdentity:
    if ExternalIdentity.objects.filter(user=user, issuer=identity.issuer).exists():
        raise SsoRefused("taken")
    try:
        with transaction.atomic():
            link = ExternalIdentity.objects.create(
                user=user, issuer=identity.issuer, subject=identity.subject
            )
    except IntegrityError as error:
        # The same identity linked by a parallel callback a moment ago.
        raise SsoRefused("failed") from error
    _audit(user, None, AuditAction.SSO_LINK, {"identity": [None, identity.issuer]})
    return link


def _audit(
    user: User, provider: Provider | None, action: AuditAction, changes: dict[str, list]
) -> None:
    """An entry in each organisation the account belongs to (an organisation's provider: that
    one), so each organisation's log shows its members' sign-ins."""
    if provider is not None and provider.organisation_id is not None:
        organisations = [provider.organisation_id]
    else:
        organisations = sorted(
            set(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))
        )
    for organisation_id in organisations:
        audit_record(
            organisation_id,
            action=action,
            object_type=AuditObject.ACCOUNT,
            object_id=user.pk,
            label=user.email,
            by=user,
            changes=changes,
        )
