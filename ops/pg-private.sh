# shellcheck shell=bash
# A private PostgreSQL 15 cluster for this checkout, run from the machine's own binaries (no Docker).
# Source it, then call pg_private_start / pg_private_stop. Used by ops/run (and later benchmarks).
#   CLAIMS_DATA_DIR   where pgdata/, log/ and run/ (socket) live   (default <repo>/.data)
#   CLAIMS_PG_PORT    TCP port on 127.0.0.1                        (default 55432)
#   CLAIMS_PG_OPTIONS more server options, e.g. "-c shared_preload_libraries=pg_stat_statements"
# After pg_private_start: CLAIMS_PG_CONN holds an Npgsql connection string for role/db "claims",
# and PGP_STARTED is 1 only if this call started the server (so a caller stops only what it started).
# The role's password is made once at initdb and kept in $CLAIMS_DATA_DIR/pg-password.

PGP_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# PostgreSQL 15 (what the project targets); CLAIMS_PG_BIN picks another version's bin folder
PGP_BIN="${CLAIMS_PG_BIN:-/usr/lib/postgresql/15/bin}"
: "${CLAIMS_DATA_DIR:=$PGP_REPO/.data}"
: "${CLAIMS_PG_PORT:=55432}"

# PostgreSQL refuses to run as root: as root, run its tools as the postgres user.
pgp_as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pgp_log() { echo "pg-private: $*" >&2; }

pgp_install() {
  [ -x "$PGP_BIN/initdb" ] && return 0
  [ "$(id -u)" = 0 ] || { pgp_log "PostgreSQL 15 missing; as root run: apt-get install -y postgresql"; return 1; }
  pgp_log "installing PostgreSQL 15 (apt-get install postgresql)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql > /tmp/claimstracker-pg-apt.log 2>&1 \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql \
           >> /tmp/claimstracker-pg-apt.log 2>&1; } \
    || { tail -20 /tmp/claimstracker-pg-apt.log >&2; return 1; }
}

# Sets the PGP_* paths; falls back to /var/tmp when postgres cannot reach the chosen folder
# (a checkout under /root: its parents are not searchable by other users).
pgp_dirs() {
  mkdir -p "$CLAIMS_DATA_DIR"
  if [ "$(id -u)" = 0 ]; then
    chown postgres:postgres "$CLAIMS_DATA_DIR"
    if ! runuser -u postgres -- test -w "$CLAIMS_DATA_DIR"; then
      local alt; alt="/var/tmp/claimstracker-data-$(printf '%s' "$CLAIMS_DATA_DIR" | sha256sum | cut -c1-8)"
      pgp_log "user postgres cannot reach $CLAIMS_DATA_DIR (a parent folder is not searchable); using $alt"
      rmdir "$CLAIMS_DATA_DIR" 2>/dev/null || true
      CLAIMS_DATA_DIR="$alt"; mkdir -p "$CLAIMS_DATA_DIR"; chown postgres:postgres "$CLAIMS_DATA_DIR"
    fi
  fi
  PGP_DATA="$CLAIMS_DATA_DIR/pgdata"
  PGP_LOG="$CLAIMS_DATA_DIR/log/postgres.log"
  PGP_SOCK="$CLAIMS_DATA_DIR/run"
  PGP_PWFILE="$CLAIMS_DATA_DIR/pg-password"
  pgp_as_pg mkdir -p "$CLAIMS_DATA_DIR/log" "$PGP_SOCK"
  pgp_as_pg chmod 700 "$PGP_SOCK"
}

pgp_initdb() {
  [ -s "$PGP_DATA/PG_VERSION" ] && return 0
  pgp_as_pg rm -rf "$PGP_DATA"   # leftovers of an interrupted initdb
  # shellcheck disable=SC2016  # $1 is expanded by the inner sh
  [ -s "$PGP_PWFILE" ] || head -c 18 /dev/urandom | base64 | tr -d '/+=' | pgp_as_pg sh -c 'umask 077; cat > "$1"' _ "$PGP_PWFILE"
  pgp_log "initdb $PGP_DATA"
  # claims is the cluster's superuser: the app creates its own schemas. Socket: trust (folder is
  # 0700, postgres only); TCP: scram with the generated password.
  pgp_as_pg "$PGP_BIN/initdb" -D "$PGP_DATA" --username=claims --pwfile="$PGP_PWFILE" \
    --auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 > "$CLAIMS_DATA_DIR/log/initdb.log" 2>&1 \
    || { tail -20 "$CLAIMS_DATA_DIR/log/initdb.log" >&2; return 1; }
  printf "\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '%s'\n" "$PGP_SOCK" \
    | pgp_as_pg tee -a "$PGP_DATA/postgresql.conf" > /dev/null
}

pg_private_psql() {  # psql over the private socket as the cluster superuser; args go to psql
  pgp_as_pg "$PGP_BIN/psql" -h "$PGP_SOCK" -p "$CLAIMS_PG_PORT" -U claims -X -q -v ON_ERROR_STOP=1 "$@"
}

pg_private_start() {
  pgp_install && pgp_dirs && pgp_initdb || return 1
  if pgp_as_pg "$PGP_BIN/pg_ctl" status -D "$PGP_DATA" > /dev/null 2>&1; then
    pgp_log "already running ($PGP_DATA)"
    PGP_STARTED=0
  else
    pgp_as_pg "$PGP_BIN/pg_ctl" start -D "$PGP_DATA" -l "$PGP_LOG" -w -t 60 -o "-p $CLAIMS_PG_PORT ${CLAIMS_PG_OPTIONS:-}" > /dev/null \
      || { pgp_log "start failed (port $CLAIMS_PG_PORT in use? set CLAIMS_PG_PORT); log:"; tail -15 "$PGP_LOG" >&2; return 1; }
    pgp_log "started on 127.0.0.1:$CLAIMS_PG_PORT (data $PGP_DATA, log $PGP_LOG)"
    PGP_STARTED=1
  fi
  # idempotent: also completes a first run that was interrupted before this point
  if [ -z "$(pg_private_psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'claims'")" ]; then
    pg_private_psql -d postgres -c 'CREATE DATABASE claims' || return 1
  fi
  CLAIMS_PG_PASSWORD="$(cat "$PGP_PWFILE")"
  CLAIMS_PG_CONN="Host=127.0.0.1;Port=$CLAIMS_PG_PORT;Database=claims;Username=claims;Password=$CLAIMS_PG_PASSWORD"
  export CLAIMS_DATA_DIR CLAIMS_PG_PORT CLAIMS_PG_PASSWORD CLAIMS_PG_CONN
}

pg_private_stop() {
  [ -n "${PGP_DATA:-}" ] || pgp_dirs
  if pgp_as_pg "$PGP_BIN/pg_ctl" status -D "$PGP_DATA" > /dev/null 2>&1; then
    pgp_as_pg "$PGP_BIN/pg_ctl" stop -D "$PGP_DATA" -m fast -w -t 60 > /dev/null && pgp_log "stopped"
  fi
}
