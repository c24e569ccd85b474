"""Fast settings for the test suite: cheap hashing, in-memory mail, tasks run at once."""

from nastavnik.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_ENABLED = True
# A process-local cache keeps tests that touch no database free of one; the shared backends
# (database table, Redis) have tests of their own. DJANGO_CACHE_URL runs the suite on Redis.
if not CACHE_URL:  # noqa: F405
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Axes warns that a process-local cache is not shared between workers: true, and meant.
    SILENCED_SYSTEM_CHECKS = ["axes.W001"]
