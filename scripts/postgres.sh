#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests (and for trying `retailtwin serve
# --database-url` by hand): Debian's server, installed with apt-get when it is missing,
# a cluster made in a temporary folder, listening on 127.0.0.1 on a free port and on a
# unix socket in that folder, stopped and deleted afterwards.
#
#   scripts/postgres.sh install                make sure the server binaries are here
#   scripts/postgres.sh start [--watch PID]    start a cluster; prints PGDIR=... and
#                                              DATABASE_URL=postgresql+asyncpg://...
#                                              (--watch: stop it when PID is gone)
#   scripts/postgres.sh stop PGDIR             stop that cluster and delete its folder
#   scripts/postgres.sh run -- CMD [ARG...]    start, run CMD with DATABASE_URL set, stop
#
# The tests call it from tests/postgres_support.py. PostgreSQL refuses to run as root,
# so as root the cluster belongs to the `postgres` user Debian's package creates.
# PG_BINDIR names another server's bin folder (initdb, pg_ctl, postgres) on a machine
# without Debian's packages. Messages go to stderr; on failure the exit status is 1 and
# the last message says why.
set -euo pipefail

ME="postgres.sh"
SELF="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
MARKER=".retailtwin-postgres"

say() { echo "$ME: $*" >&2; }
fail() {
    say "$*"
    exit 1
}
# shellcheck source=scripts/debian_package.sh
source "$(dirname "${BASH_SOURCE[0]}")/debian_package.sh"

# -- the server binaries ------------------------------------------------------------------

server_in() {
    [[ -x "$1/initdb" && -x "$1/pg_ctl" && -x "$1/postgres" ]]
}

# the newest server's bin folder, or nothing
bindir() {
    if [[ -n "${PG_BINDIR:-}" ]]; then
        if server_in "$PG_BINDIR"; then echo "$PG_BINDIR"; fi
        return
    fi
    local found="" dir
    for dir in /usr/lib/postgresql/*/bin; do
        # the glob sorts 13 < 15 < 16 as long as versions have two digits
        if server_in "$dir"; then found="$dir"; fi
    done
    echo "$found"
}

install() {
    if [[ -n "$(bindir)" ]]; then
        return
    fi
    if [[ -n "${PG_BINDIR:-}" ]]; then
        fail "PG_BINDIR=$PG_BINDIR has no initdb, pg_ctl and postgres"
    fi
    debian_package postgresql \
        "PostgreSQL's server (/usr/lib/postgresql/*/bin/initdb, pg_ctl) is not installed" \
        "install a PostgreSQL server and set PG_BINDIR to its bin folder"
    [[ -n "$(bindir)" ]] || fail "apt-get installed postgresql but no server binaries are in" \
        "/usr/lib/postgresql/*/bin"
}

# -- who runs the cluster -------------------------------------------------------------------

OWNER=""

choose_owner() {
    if [[ $(id -u) -ne 0 ]]; then
        OWNER="$(id -un)"
        return
    fi
    OWNER="postgres"
    if ! id -u "$OWNER" >/dev/null 2>&1; then
        say "PostgreSQL refuses to run as root and there is no postgres user: creating one"
        useradd --system --user-group --no-create-home --shell /usr/sbin/nologin "$OWNER" ||
            fail "could not create the postgres user to run the cluster as"
    fi
}

# run a command as the cluster's owner
as_owner() {
    if [[ "$OWNER" == "$(id -un)" ]]; then
        "$@"
    elif command -v runuser >/dev/null 2>&1; then
        runuser -u "$OWNER" -- "$@"
    else
        su -s /bin/sh "$OWNER" -c "$(printf '%q ' "$@")"
    fi
}

# -- start and stop -------------------------------------------------------------------------

start() {
    local watch=""
    if [[ "${1:-}" == "--watch" ]]; then
        watch="${2:?--watch needs a process id}"
    fi
    install
    choose_owner
    local bin dir password port attempt
    bin="$(bindir)"
    # in /tmp, not $TMPDIR: the owner must be able to reach it, and the socket's path
    # must stay under the kernel's 107 characters
    dir="$(mktemp -d /tmp/retailtwin-pg.XXXXXX)"
    touch "$dir/$MARKER"
    password="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
    echo "$password" >"$dir/password"
    chown -R "$OWNER" "$dir"
    chmod 700 "$dir"
    # ICU's en-US collation (PostgreSQL 15 and newer), as most servers sort text, so that
    # results which depend on the database's collation (an ORDER BY on text) differ from
    # SQLite's here as they would in production; the C locale would hide that
    local major collation=()
    major="$("$bin/initdb" --version | sed -n 's/.* \([0-9][0-9]*\).*/\1/p' | head -n 1)"
    if [[ "${major:-0}" -ge 15 ]]; then
        collation=(--locale-provider=icu --icu-locale=en-US)
    fi
    if ! as_owner "$bin/initdb" -D "$dir/data" -U retailtwin --pwfile="$dir/password" \
        --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 \
        "${collation[@]}" --no-sync >"$dir/initdb.log" 2>&1; then
        say "initdb failed: $(tail -n 5 "$dir/initdb.log")"
        remove "$dir"
        exit 1
    fi
    rm -f "$dir/password"
    cat >>"$dir/data/postgresql.conf" <<EOF
# a throwaway cluster for tests: nothing here needs to survive a crash of the machine
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
    for attempt in 1 2 3 4 5; do
        port=$((20000 + RANDOM % 40000))
        if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -s \
            -o "-p $port" start >/dev/null 2>&1; then
            break
        fi
        if [[ $attempt -eq 5 ]]; then
            say "the server did not start: $(tail -n 5 "$dir/server.log" 2>/dev/null)"
            remove "$dir"
            exit 1
        fi
    done
    if ! as_owner "$bin/createdb" -h "$dir" -p "$port" -U retailtwin retailtwin \
        2>"$dir/createdb.log"; then
        say "createdb failed: $(cat "$dir/createdb.log")"
        stop "$dir"
        exit 1
    fi
    if [[ -n "$watch" ]]; then
        # stops the cluster when the process it serves is gone, however it ended
        setsid bash "$SELF" watch "$watch" "$dir" </dev/null >/dev/null 2>&1 &
    fi
    echo "PGDIR=$dir"
    echo "DATABASE_URL=postgresql+asyncpg://retailtwin:$password@127.0.0.1:$port/retailtwin"
}

remove() {
    local dir="$1"
    if [[ -f "$dir/$MARKER" ]]; then
        rm -rf "$dir"
    fi
}

stop() {
    local dir="${1:?stop needs the folder of the cluster (PGDIR)}"
    if [[ ! -d "$dir" ]]; then
        return # stopped already
    fi
    [[ -f "$dir/$MARKER" ]] || fail "$dir is not a cluster this script started"
    if [[ -f "$dir/data/postmaster.pid" ]]; then
        OWNER="$(stat -c %U "$dir/data")"
        local bin
        bin="$(bindir)"
        as_owner "$bin/pg_ctl" -D "$dir/data" -w -t 20 -s -m fast stop >/dev/null 2>&1 ||
            as_owner "$bin/pg_ctl" -D "$dir/data" -w -t 20 -s -m immediate stop >/dev/null 2>&1 ||
            say "could not stop the server in $dir (it may be gone already)"
    fi
    remove "$dir"
}

watch() {
    local pid="$1" dir="$2"
    while kill -0 "$pid" 2>/dev/null && [[ -d "$dir" ]]; do
        sleep 1
    done
    stop "$dir"
}

run() {
    [[ "${1:-}" == "--" ]] && shift
    [[ $# -gt 0 ]] || fail "run needs a command: scripts/postgres.sh run -- CMD [ARG...]"
    local started
    started="$(start --watch $$)" || exit 1
    PGDIR="$(sed -n 's/^PGDIR=//p' <<<"$started")"
    DATABASE_URL="$(sed -n 's/^DATABASE_URL=//p' <<<"$started")"
    export PGDIR DATABASE_URL
    trap 'stop "$PGDIR"' EXIT
    # the command runs in the background so that a signal to this script is handled at
    # once (bash runs traps only between commands) and passed on to it
    "$@" <&0 &
    local child=$! status=0
    trap 'kill -TERM "$child" 2>/dev/null || true' INT TERM
    wait "$child" || status=$?
    while kill -0 "$child" 2>/dev/null; do
        wait "$child" || status=$?
    done
    exit "$status"
}

case "${1:-}" in
install) install ;;
start) start "${@:2}" ;;
stop) stop "${@:2}" ;;
watch) watch "${@:2}" ;;
run) run "${@:2}" ;;
*)
    sed -n '2,18p' "$SELF" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
