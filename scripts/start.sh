#!/usr/bin/env bash
# One command from a fresh clone to the extension running in VS Code on the sample project.
#
#   scripts/start.sh             VS Code (code-server) on http://127.0.0.1:${PORT:-8080}/,
#                                sample/ open, the extension installed; Ctrl-C stops it
#   scripts/start.sh --desktop   installs the extension into the desktop VS Code (`code`) instead
#
# code-server keeps its settings and trust decisions in <cache>/start (DJANGO_MIGRATIONS_CACHE,
# default .cache/).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
port="${PORT:-8080}"
desktop=false
case "${1:-}" in
  --desktop) desktop=true ;;
  "") ;;
  *) echo "usage: $0 [--desktop]" >&2; exit 2 ;;
esac

# Dependencies: only when missing or older than the lock file.
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "start: installing npm packages (about a minute)…"
  npm ci --no-audit --no-fund --loglevel=error
fi
echo "start: building and packaging the extension…"
npm run --silent build
vsix="$(bash scripts/package.sh --no-bundle | tail -n 1)"

if $desktop; then
  if ! command -v code >/dev/null; then
    echo "start: no \`code\` on PATH; run without --desktop for VS Code in the browser" >&2
    exit 1
  fi
  code --install-extension "$vsix" --force
  echo "Installed. Open the sample project with: code \"$repo/sample\""
  exit 0
fi

echo "start: installing code-server if missing (first time: about two minutes)…"
bin="$(bash scripts/install-code-server.sh | tail -n 1)"
state="${DJANGO_MIGRATIONS_CACHE:-$repo/.cache}/start"
mkdir -p "$state/user-data/User" "$state/extensions"
printf 'auth: none\ncert: false\n' >"$state/config.yaml"
# The sample's SQL previews and commands run Django: name an interpreter that has it (the
# `python3` on PATH may lack it; Debian's python3-django is installed for /usr/bin/python3).
django_python() {
  for candidate in "$(command -v python3 || true)" /usr/bin/python3; do
    if [[ -n "$candidate" ]] && "$candidate" -c 'import django' 2>/dev/null; then echo "$candidate"; return; fi
  done
}
python="$(django_python)"
if [[ -z "$python" ]]; then
  echo "start: installing Debian's python3-django for the sample's SQL previews and commands…"
  bash scripts/apt-install.sh python3-django || true
  python="$(django_python)"
fi
settings="$state/user-data/User/settings.json"
SETTINGS="$settings" PYTHON="$python" node -e '
  const fs = require("fs");
  const file = process.env.SETTINGS;
  let settings = {
    "workbench.startupEditor": "none",
    "telemetry.telemetryLevel": "off",
    "extensions.autoCheckUpdates": false,
    "extensions.autoUpdate": false,
  };
  if (fs.existsSync(file)) {
    try {
      settings = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch {
      process.exit(0); // edited in the editor (comments): left as it is
    }
  }
  if (process.env.PYTHON && !settings["djangoMigrations.python.path"]) settings["djangoMigrations.python.path"] = process.env.PYTHON;
  fs.writeFileSync(file, JSON.stringify(settings, null, 2) + "\n");
'
if [[ -z "$python" ]]; then
  echo "start: no Python with Django (apt-get install python3-django failed): SQL previews and commands will say so" >&2
fi
dirs=(--user-data-dir "$state/user-data" --extensions-dir "$state/extensions" --config "$state/config.yaml")
"$bin" "${dirs[@]}" --force --install-extension "$vsix"

# A session of its own: on exit the whole group goes (server, file watcher, extension hosts).
setsid "$bin" "${dirs[@]}" --bind-addr "127.0.0.1:$port" --auth none --disable-telemetry \
  --disable-update-check --disable-getting-started-override >"$state/code-server.log" 2>&1 &
pid=$!
stop() {
  trap - EXIT INT TERM
  kill -TERM -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  kill -KILL -- "-$pid" 2>/dev/null || true
}
trap stop EXIT
trap 'exit 130' INT TERM

echo "start: starting code-server on 127.0.0.1:$port…"
healthy=false
for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then healthy=true; break; fi
  if ! kill -0 "$pid" 2>/dev/null; then break; fi
  sleep 0.5
done
if ! $healthy; then
  echo "start: code-server did not come up on 127.0.0.1:$port; its log:" >&2
  cat "$state/code-server.log" >&2
  exit 1
fi

echo
echo "Django Migrations is running in VS Code:"
echo "  http://127.0.0.1:$port/?folder=$repo/sample"
echo "(log: $state/code-server.log; Ctrl-C stops it)"
wait "$pid"
