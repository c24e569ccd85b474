"""Single sign-on through OpenID Connect providers (docs/sso.md).

`providers` says which providers a login page offers and how to reach them, `client` speaks
the protocol (mozilla-django-oidc underneath), `linking` decides which account an identity
signs in to, and `views` are the two doors: the start and the provider's callback.
"""
