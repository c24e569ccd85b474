"""Time zones as people name them: «время екатеринбургское, UTC+5», never «Asia/Yekaterinburg»."""

from __future__ import annotations

import zoneinfo
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

__all__ = ["utc_offset", "zone_label"]

# The zones of Russia by the city that names them in speech; other zones show their offset only.
_NAMES = {
    "Europe/Kaliningrad": gettext_lazy("Kaliningrad time"),
    "Europe/Moscow": gettext_lazy("Moscow time"),
    "Europe/Samara": gettext_lazy("Samara time"),
    "Asia/Yekaterinburg": gettext_lazy("Yekaterinburg time"),
    "Asia/Omsk": gettext_lazy("Omsk time"),
    "Asia/Krasnoyarsk": gettext_lazy("Krasnoyarsk time"),
    "Asia/Novosibirsk": gettext_lazy("Novosibirsk time"),
    "Asia/Irkutsk": gettext_lazy("Irkutsk time"),
    "Asia/Yakutsk": gettext_lazy("Yakutsk time"),
    "Asia/Vladivostok": gettext_lazy("Vladivostok time"),
    "Asia/Magadan": gettext_lazy("Magadan time"),
    "Asia/Kamchatka": gettext_lazy("Kamchatka time"),
}


def utc_offset(zone_name: str, at: datetime | None = None) -> str:
    """«UTC+5», «UTC+5:30», «UTC−3», «UTC» at the given moment (now by default)."""
    moment = (at or timezone.now()).astimezone(zoneinfo.ZoneInfo(zone_name))
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "\u2212"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def zone_label(zone_name: str, at: datetime | None = None) -> str:
    """«время екатеринбургское, UTC+5»; a zone without a Russian name is its offset alone."""
    offset = utc_offset(zone_name, at)
    name = _NAMES.get(zone_name)
    return _("%(zone)s, %(offset)s") % {"zone": name, "offset": offset} if name else offset
