#!/usr/bin/env bash
# Installs Debian packages quietly (as root, or through sudo), changing nothing else on the
# system: installing Chromium registers it as the web browser, so the choice made before is kept.
#
#   scripts/apt-install.sh PACKAGE...
set -euo pipefail
(($# > 0)) || exit 0
sudo=""
[[ $(id -u) -eq 0 ]] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
# Empty when the link does not exist yet (update-alternatives then fails).
browser() { { update-alternatives --query "$1" 2>/dev/null || true; } | sed -n 's/^Value: //p'; }
links=(x-www-browser gnome-www-browser)
before=()
for link in "${links[@]}"; do before+=("$(browser "$link")"); done

$sudo apt-get update -qq >/dev/null
$sudo apt-get install -y -qq "$@" >/dev/null

for i in "${!links[@]}"; do
  link="${links[$i]}" now="$(browser "${links[$i]}")"
  [[ "$now" == "${before[$i]}" ]] && continue
  if [[ -n "${before[$i]}" ]]; then
    $sudo update-alternatives --quiet --set "$link" "${before[$i]}"
  elif [[ -n "$now" ]]; then
    $sudo update-alternatives --quiet --remove "$link" "$now"
  fi
done
