#!/usr/bin/env bash
# Installs what building and testing need on a fresh Debian machine: Django 3.2 for
# /usr/bin/python3, PostgreSQL, MariaDB (with mysqlclient, the driver of Django's MySQL backend)
# and SQLite, Chromium and code-server's build needs, the npm packages, then Django 4.2 and 5.2 unpacked into the cache folder (scripts/django-versions.sh). Debian packages are installed only when missing (as root, or through sudo).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

packages=(git python3-django python3-psycopg2 postgresql mariadb-server python3-mysqldb sqlite3 chromium libkrb5-dev ripgrep)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]} > 0)); then
  echo "setup: installing ${missing[*]} (a few minutes)…"
  bash scripts/apt-install.sh "${missing[@]}"
fi

# npm packages: only when missing or older than the lock file.
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "setup: installing npm packages (about a minute)…"
  npm ci --no-audit --no-fund --loglevel=error
fi

# Django 4.2 and 5.2 beside the system's 3.2, for the tests' version matrix
# (DJANGO_MIGRATIONS_TEST_DJANGO); kept in $DJANGO_MIGRATIONS_CACHE/django.
echo "setup: Django 4.2 and 5.2 for the version matrix (cached after the first run)…"
bash scripts/django-versions.sh >/dev/null
