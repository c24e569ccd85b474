"""deploy/nginx-nastavnik.conf as the README's recipe installs it: the nginx of the machine
(Debian 12's is 1.22) accepts it, and static files get one Cache-Control header.

Skipped where nginx or openssl is not installed (`apt-get install nginx`).
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

SITE = Path(__file__).resolve().parents[3] / "deploy" / "nginx-nastavnik.conf"

pytestmark = pytest.mark.skipif(
    not (shutil.which("nginx") and shutil.which("openssl")),
    reason="nginx or openssl is not installed (apt-get install nginx)",
)


def _site_in(tmp_path: Path) -> Path:
    """The site with its certificate and logs in tmp_path, inside a minimal nginx.conf."""
    cert, key = tmp_path / "fullchain.pem", tmp_path / "privkey.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=nastavnik.example.ru", "-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    site = SITE.read_text()
    site = site.replace("/etc/letsencrypt/live/nastavnik.example.ru/fullchain.pem", str(cert))
    site = site.replace("/etc/letsencrypt/live/nastavnik.example.ru/privkey.pem", str(key))
    site = site.replace("/var/log/nginx/", f"{tmp_path}/")
    (tmp_path / "site.conf").write_text(site)
    conf = tmp_path / "nginx.conf"
    temp = " ".join(
        f"{name}_temp_path {tmp_path / name};"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    conf.write_text(
        f"pid {tmp_path / 'nginx.pid'};\nerror_log {tmp_path / 'error.log'};\n"
        f"events {{}}\nhttp {{ access_log off; {temp} include {tmp_path / 'site.conf'}; }}\n"
    )
    return conf


def test_the_nginx_of_the_machine_accepts_the_site(tmp_path):
    conf = _site_in(tmp_path)

    result = subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path), "-c", str(conf)], capture_output=True, text=True
    )

    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr


def test_static_files_get_one_cache_control_header():
    static = re.search(r"location /static/ \{(.*?)\n    \}", SITE.read_text(), re.S)

    assert static is not None
    directives = [
        line.strip() for line in static.group(1).splitlines() if not line.strip().startswith("#")
    ]
    # `expires` adds a Cache-Control of its own beside add_header's.
    assert not [d for d in directives if d.startswith("expires")]
    assert [d for d in directives if "Cache-Control" in d] == [
        'add_header Cache-Control "public, max-age=31536000, immutable";'
    ]
