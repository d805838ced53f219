#!/usr/bin/env bash
# A private PostgreSQL cluster for tests, on loopback only, needing no system service.
#
#   scripts/postgres.sh start DIR PORT   initdb DIR/data (once), start it, print its URL
#   scripts/postgres.sh stop DIR         stop it (nothing to do if it is not running)
#
# Local (Unix socket in DIR) logins are trusted; TCP logins on 127.0.0.1:PORT need a password
# (scram-sha-256), so a wrong password is refused for real. The role POSTGRES_TEST_USER
# (default django) with password POSTGRES_TEST_PASSWORD (default secret) may create databases
# and end other sessions (pg_signal_backend), not more.
# The binaries refuse to run as root: as root, they run as the `postgres` user, owning DIR.
set -euo pipefail

usage() {
  echo "usage: $0 start DIR PORT | stop DIR" >&2
  exit 2
}

find_bin_dir() {
  if [[ -n "${PG_BIN:-}" ]]; then
    echo "$PG_BIN"
  elif compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
    dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)"
  elif command -v initdb >/dev/null; then
    dirname "$(command -v initdb)"
  else
    echo "PostgreSQL binaries not found (set PG_BIN)" >&2
    exit 1
  fi
}

# Runs a PostgreSQL binary as the cluster's owner.
as_owner() {
  if [[ "$(id -u)" == 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start() {
  local dir port bin user password
  dir="$(realpath -m "$1")"
  port="$2"
  bin="$(find_bin_dir)"
  user="${POSTGRES_TEST_USER:-django}"
  password="${POSTGRES_TEST_PASSWORD:-secret}"
  mkdir -p "$dir"
  if [[ "$(id -u)" == 0 ]]; then
    chown postgres: "$dir"
  fi
  if [[ ! -f "$dir/data/PG_VERSION" ]]; then
    as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --no-locale >"$dir/initdb.log"
    as_owner tee "$dir/data/pg_hba.conf" >/dev/null <<'HBA'
# TYPE  DATABASE  USER  ADDRESS       METHOD
local   all       all                 trust
host    all       all   127.0.0.1/32  scram-sha-256
HBA
  fi
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir" start >/dev/null
  until as_owner "$bin/pg_isready" -q -h "$dir" -p "$port"; do
    sleep 0.2
  done
  # Quoted for SQL: the role name as an identifier, the password as a literal.
  as_owner "$bin/psql" -q -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
    -v user="$user" -v password="$password" >/dev/null <<'SQL'
SELECT NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'user') AS create_role \gset
\if :create_role
  CREATE ROLE :"user" LOGIN CREATEDB;
\endif
ALTER ROLE :"user" PASSWORD :'password';
-- DROP DATABASE ... WITH (FORCE) ends the sessions in it, autovacuum's workers included.
GRANT pg_signal_backend TO :"user";
SQL
  echo "postgres://$user:$password@127.0.0.1:$port/postgres"
}

stop() {
  local dir bin
  dir="$(realpath -m "$1")"
  bin="$(find_bin_dir)"
  if [[ -f "$dir/data/postmaster.pid" ]]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null
  fi
}

case "${1:-}" in
  start)
    [[ $# == 3 ]] || usage
    start "$2" "$3"
    ;;
  stop)
    [[ $# == 2 ]] || usage
    stop "$2"
    ;;
  *)
    usage
    ;;
esac
