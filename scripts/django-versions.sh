#!/usr/bin/env bash
# Fetches Django 4.2 (Debian trixie) and 5.2 (Debian sid, with python3-asgiref from sid) as
# architecture-independent packages, unpacks them with `dpkg -x` into the cache folder and makes one
# virtualenv per version whose `.pth` file puts the unpacked Django before the system's 3.2.
# Nothing is installed over the system's Django. Idempotent: a stamp file per version.
#
#   bash scripts/django-versions.sh          # prints VERSION=INTERPRETER for 3.2, 4.2 and 5.2
#
# The cache folder is $DJANGO_MIGRATIONS_CACHE (default: <repository>/.cache); the interpreters are
# $DJANGO_MIGRATIONS_CACHE/django/VERSION/venv/bin/python (3.2 is /usr/bin/python3 itself).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

cache="${DJANGO_MIGRATIONS_CACHE:-$PWD/.cache}"
root="$cache/django"
mkdir -p "$root"
root="$(cd "$root" && pwd)"

# One private apt configuration for the newer suites: the system's sources and lists stay untouched.
apt_dir="$root/apt"
apt_options=(
  -o "Dir::Etc::SourceList=/dev/null"
  -o "Dir::Etc::SourceParts=$apt_dir/sources.list.d"
  -o "Dir::State::Lists=$apt_dir/lists"
  -o "Dir::Cache::Archives=$apt_dir/archives"
  -o "Dir::State::Status=/var/lib/dpkg/status"
  -o "APT::Architecture=amd64"
  -o "APT::Sandbox::User=$(id -un)"
)
apt_ready=""
apt_update() {
  [[ -n "$apt_ready" ]] && return
  mkdir -p "$apt_dir/sources.list.d" "$apt_dir/lists/partial" "$apt_dir/archives/partial"
  cat >"$apt_dir/sources.list.d/newer-django.sources" <<'EOF'
Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie sid
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  apt-get "${apt_options[@]}" update -qq >/dev/null
  apt_ready=1
}

# fetch VERSION SUITE PACKAGE...: downloads each package from SUITE and unpacks it into VERSION's folder.
fetch() {
  local version="$1" suite="$2"
  shift 2
  local dir="$root/$version"
  local stamp="$dir/.stamp-compiled"
  if [[ -f "$stamp" ]]; then return; fi
  apt_update
  rm -rf "$dir"
  mkdir -p "$dir/debs" "$dir/root"
  local package
  for package in "$@"; do
    (cd "$dir/debs" && apt-get "${apt_options[@]}" download -qq "$package/$suite" >/dev/null)
  done
  local deb
  for deb in "$dir"/debs/*.deb; do dpkg -x "$deb" "$dir/root"; done
  local site="$dir/root/usr/lib/python3/dist-packages"
  # Byte-compiled once here, as Debian's postinst does for installed packages: the tests run Django
  # with PYTHONDONTWRITEBYTECODE, which would otherwise compile Django's modules at every start.
  /usr/bin/python3 -m compileall -q -j 0 "$site" >/dev/null || true
  # A virtualenv on /usr/bin/python3 (system packages such as psycopg2 stay visible) whose
  # site-packages holds a .pth naming the unpacked folder: `site` reads it before the system's
  # dist-packages, so this Django wins over the system's 3.2.
  rm -rf "$dir/venv"
  /usr/bin/python3 -m venv --without-pip --system-site-packages "$dir/venv"
  local venv_site
  venv_site="$("$dir/venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
  echo "$site" >"$venv_site/django-$version.pth"
  local django_version
  django_version="$("$dir/venv/bin/python" -c 'import django; print(django.get_version())')"
  [[ "$django_version" == "$version".* ]] || { echo "expected Django $version, found $django_version" >&2; exit 1; }
  echo "$django_version" >"$stamp"
}

fetch 4.2 trixie python3-django
fetch 5.2 sid python3-django python3-asgiref

echo "3.2=/usr/bin/python3"
for version in 4.2 5.2; do echo "$version=$root/$version/venv/bin/python"; done
