#!/usr/bin/env bash
# Bundles the extension and packs it into dist/django-migrations.vsix (files chosen by the
# whitelist in .vscodeignore). Type checking is `npm run typecheck`; packing needs only the bundles.
#   scripts/package.sh              bundles, packs, prints the VSIX path last
#   scripts/package.sh --no-bundle  packs dist/ as it is (after `npm run build`)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
vsix="dist/django-migrations.vsix"

if [[ "${1:-}" != "--no-bundle" ]]; then
  node scripts/bundle.mjs
fi
# --no-dependencies: the bundles carry the JavaScript dependencies. The two --allow/--skip flags
# keep vsce from asking questions on a machine without a terminal.
npx --no-install vsce package --no-dependencies --allow-missing-repository --skip-license --no-rewrite-relative-links \
  --out "$vsix" >&2
echo "$repo/$vsix"
