#!/usr/bin/env bash
# A private MariaDB server for tests, on loopback only, needing no system service.
#
#   scripts/mariadb.sh start DIR PORT   mariadb-install-db into DIR/data (once), start it, print its URL
#   scripts/mariadb.sh stop DIR         stop it (nothing to do if it is not running)
#
# root logs in only through the socket DIR/mysqld.sock; TCP logins on 127.0.0.1:PORT need a
# password, so a wrong password is refused for real. The user MARIADB_TEST_USER (default django)
# with password MARIADB_TEST_PASSWORD (default secret) may create and drop the tests' databases.
# As root, the server runs as the `mysql` user, owning DIR.
set -euo pipefail

usage() {
  echo "usage: $0 start DIR PORT | stop DIR" >&2
  exit 2
}

# Runs a MariaDB binary as the data folder's owner.
as_owner() {
  if [[ "$(id -u)" == 0 ]]; then
    runuser -u mysql -- "$@"
  else
    "$@"
  fi
}

client() {
  local dir="$1"
  shift
  mariadb --no-defaults --protocol=socket --socket="$dir/mysqld.sock" -u root "$@"
}

start() {
  local dir port user password
  dir="$(realpath -m "$1")"
  port="$2"
  user="${MARIADB_TEST_USER:-django}"
  password="${MARIADB_TEST_PASSWORD:-secret}"
  mkdir -p "$dir"
  if [[ "$(id -u)" == 0 ]]; then
    chown mysql: "$dir"
  fi
  if [[ ! -d "$dir/data/mysql" ]]; then
    as_owner mariadb-install-db --no-defaults --datadir="$dir/data" --auth-root-authentication-method=normal \
      --skip-test-db >"$dir/install.log" 2>&1
  fi
  # setsid: the server outlives this script and the terminal that ran it.
  as_owner setsid mariadbd --no-defaults --datadir="$dir/data" --socket="$dir/mysqld.sock" --pid-file="$dir/mysqld.pid" \
    --port="$port" --bind-address=127.0.0.1 --skip-name-resolve --log-error="$dir/mariadb.log" \
    --innodb-buffer-pool-size=32M --character-set-server=utf8mb4 </dev/null >/dev/null 2>&1 &
  local waited=0
  until client "$dir" -e 'SELECT 1' >/dev/null 2>&1; do
    sleep 0.2
    waited=$((waited + 1))
    if ((waited > 300)); then
      echo "MariaDB did not start; see $dir/mariadb.log" >&2
      exit 1
    fi
  done
  # root from the socket only; the test user from loopback, with its password.
  client "$dir" <<SQL
DELETE FROM mysql.global_priv WHERE User = 'root' AND Host <> 'localhost';
DELETE FROM mysql.global_priv WHERE User = '';
FLUSH PRIVILEGES;
CREATE USER IF NOT EXISTS '$user'@'%' IDENTIFIED BY '$password';
ALTER USER '$user'@'%' IDENTIFIED BY '$password';
GRANT ALL PRIVILEGES ON *.* TO '$user'@'%';
SQL
  echo "mysql://$user:$password@127.0.0.1:$port/mysql"
}

stop() {
  local dir pid
  dir="$(realpath -m "$1")"
  [[ -f "$dir/mysqld.pid" ]] || return 0
  pid="$(cat "$dir/mysqld.pid")"
  kill "$pid" 2>/dev/null || return 0
  while kill -0 "$pid" 2>/dev/null; do
    sleep 0.2
  done
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
