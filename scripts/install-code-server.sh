#!/usr/bin/env bash
# Installs code-server (the real VS Code workbench with a Node extension host) from npm into a
# cache folder, plus the Debian packages the end-to-end tier needs (Chromium to drive it).
# Idempotent: a second run only checks a stamp file and the Debian packages.
#
#   scripts/install-code-server.sh          prints the code-server executable's path last
#
# Environment: DJANGO_MIGRATIONS_CACHE (default: <repo>/.cache), CODE_SERVER_VERSION.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="${CODE_SERVER_VERSION:-4.100.3}"
cache="${DJANGO_MIGRATIONS_CACHE:-$repo/.cache}"
dir="$cache/code-server"
stamp="$dir/.installed-$version"
bin="$dir/node_modules/.bin/code-server"

log() { echo "install-code-server: $*" >&2; }

# Debian packages: chromium drives the workbench; libkrb5-dev lets the `kerberos` addon build;
# ripgrep replaces @vscode/ripgrep's GitHub download.
missing=()
for package in chromium libkrb5-dev ripgrep; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done
if ((${#missing[@]})); then
  log "installing Debian packages: ${missing[*]}"
  bash "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh" "${missing[@]}" >&2
fi

if [[ -f "$stamp" && -x "$bin" ]]; then
  echo "$bin"
  exit 0
fi

# @vscode/ripgrep's postinstall looks for this archive before it tries to download one.
ripgrep_cache="${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11"
ripgrep_archive="$ripgrep_cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [[ ! -s "$ripgrep_archive" ]]; then
  log "seeding $ripgrep_archive from Debian's ripgrep"
  mkdir -p "$ripgrep_cache"
  staging="$(mktemp -d)"
  cp "$(command -v rg)" "$staging/rg"
  tar -czf "$ripgrep_archive" -C "$staging" rg
  rm -rf "$staging"
fi

log "installing code-server@$version into $dir"
rm -rf "$dir"
mkdir -p "$dir"
# A package.json of its own keeps code-server out of the extension's dependency tree.
echo '{ "name": "code-server-cache", "private": true }' >"$dir/package.json"
# node-pty's install step runs `npx node-gyp` (needs yes) and refuses to run as root without
# unsafe_perm.
(
  cd "$dir"
  npm_config_yes=true npm_config_unsafe_perm=true \
    npm install --no-audit --no-fund --loglevel=error "code-server@$version" >&2
  node -p "'installed code-server ' + require('code-server/package.json').version" >&2
)
touch "$stamp"
echo "$bin"
