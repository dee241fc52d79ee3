#!/usr/bin/env bash
# A throwaway Prometheus scraping a `retailtwin serve` (for the tests, and for trying the
# Grafana dashboard in dashboards/ by hand): Debian's server, installed with apt-get
# when it is missing, started with a generated configuration and a data folder in a
# temporary folder, listening on 127.0.0.1 on a free port, stopped and deleted afterwards.
#
#   scripts/prometheus.sh install                      make sure the server is here
#   scripts/prometheus.sh start --target HOST:PORT [--watch PID] [--interval DURATION]
#                               [--wait SECONDS]
#                                    start it scraping http://HOST:PORT/metrics every
#                                    DURATION (default 1s); once it has scraped the target
#                                    (within SECONDS, default 60), prints PROMDIR=... and
#                                    PROMETHEUS_URL=http://... (--watch: stop it when PID
#                                    is gone)
#   scripts/prometheus.sh stop PROMDIR               stop it and delete its folder
#
# The tests call it from tests/prometheus_support.py. PROMETHEUS_BIN names another
# prometheus binary on a machine without Debian's packages. Messages go to stderr; on
# failure the exit status is 1 and the last message says why.
set -euo pipefail

ME="prometheus.sh"
SELF="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
MARKER=".retailtwin-prometheus"
JOB="retailtwin"

say() { echo "$ME: $*" >&2; }
fail() {
    say "$*"
    exit 1
}

# -- the server binary ----------------------------------------------------------------------

binary() {
    if [[ -n "${PROMETHEUS_BIN:-}" ]]; then
        if [[ -x "$PROMETHEUS_BIN" ]]; then echo "$PROMETHEUS_BIN"; fi
        return
    fi
    command -v prometheus 2>/dev/null || true
}

install() {
    if [[ -n "$(binary)" ]]; then
        return
    fi
    if [[ -n "${PROMETHEUS_BIN:-}" ]]; then
        fail "PROMETHEUS_BIN=$PROMETHEUS_BIN is not an executable prometheus"
    fi
    local why="Prometheus (a prometheus command) is not installed"
    if ! command -v apt-get >/dev/null 2>&1; then
        fail "$why and there is no apt-get here to install Debian's prometheus package;" \
            "install Prometheus and set PROMETHEUS_BIN to its prometheus binary"
    fi
    local sudo=()
    if [[ $(id -u) -ne 0 ]]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            sudo=(sudo -n)
        else
            fail "$why, and installing Debian's prometheus package needs root or" \
                "passwordless sudo (this is $(id -un)); run 'apt-get install prometheus' as root"
        fi
    fi
    export DEBIAN_FRONTEND=noninteractive
    # another process may hold the dpkg lock (a second test run, unattended upgrades): wait
    local apt=("${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 -qq)
    local log
    log="$(mktemp)"
    # the package lists are fetched only when apt knows no prometheus package, or when
    # installing from the lists it has fails (they name files the mirror has replaced)
    if ! apt-cache show prometheus >/dev/null 2>&1; then
        say "updating apt's package lists"
        "${apt[@]}" update >"$log" 2>&1 || fail "apt-get update failed: $(tail -n 5 "$log")"
    fi
    say "installing Debian's prometheus package (once; about a minute)"
    if ! "${apt[@]}" install -y --no-install-recommends prometheus >"$log" 2>&1; then
        say "apt-get install failed; updating the package lists and trying again"
        "${apt[@]}" update >>"$log" 2>&1 || true
        "${apt[@]}" install -y --no-install-recommends prometheus >>"$log" 2>&1 ||
            fail "apt-get install prometheus failed: $(tail -n 5 "$log")"
    fi
    rm -f "$log"
    [[ -n "$(binary)" ]] || fail "apt-get installed prometheus but there is no prometheus command"
}

# -- talking to it ----------------------------------------------------------------------------

# GET http://127.0.0.1:PORT/PATH with bash alone (no curl on a bare CI image): the body
http_get() {
    local port="$1" path="$2" response
    exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
    printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$path" >&3
    response="$(cat <&3)" || true
    exec 3<&- 3>&-
    [[ "$response" == "HTTP/1."?" 200"* ]] || return 1
    printf '%s' "${response#*$'\r\n\r\n'}"
}

# -- start and stop -------------------------------------------------------------------------

start() {
    local target="" watch="" interval="1s" wait_s=60
    while [[ $# -gt 0 ]]; do
        case "$1" in
        --target) target="${2:?--target needs HOST:PORT}" ;;
        --watch) watch="${2:?--watch needs a process id}" ;;
        --interval) interval="${2:?--interval needs a duration such as 1s}" ;;
        --wait) wait_s="${2:?--wait needs a number of seconds}" ;;
        *) fail "start: unknown option $1 (expected --target, --watch, --interval or --wait)" ;;
        esac
        shift 2
    done
    [[ "$target" == *:* ]] || fail "start needs --target HOST:PORT, the retailtwin serve to scrape"
    install
    local bin dir port attempt pid
    bin="$(binary)"
    dir="$(mktemp -d "${TMPDIR:-/tmp}/retailtwin-prometheus.XXXXXX")"
    touch "$dir/$MARKER"
    cat >"$dir/prometheus.yml" <<EOF
# generated by $ME for one test: scrape one retailtwin serve, often
global:
  scrape_interval: $interval
  scrape_timeout: $interval
  evaluation_interval: $interval
scrape_configs:
  - job_name: $JOB
    metrics_path: /metrics
    static_configs:
      - targets: ["$target"]
EOF
    for attempt in 1 2 3 4 5; do
        port=$((20000 + RANDOM % 40000))
        setsid "$bin" --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
            --web.listen-address="127.0.0.1:$port" --storage.tsdb.retention.time=1d \
            </dev/null >"$dir/prometheus.log" 2>&1 &
        pid=$!
        echo "$pid" >"$dir/prometheus.pid"
        echo "$port" >"$dir/port"
        if ready "$pid" "$port"; then
            break
        fi
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
        if [[ $attempt -eq 5 ]]; then
            say "prometheus did not start: $(tail -n 5 "$dir/prometheus.log" 2>/dev/null)"
            remove "$dir"
            exit 1
        fi
    done
    if [[ -n "$watch" ]]; then
        # stops the server when the process it serves is gone, however it ended
        setsid bash "$SELF" watch "$watch" "$dir" </dev/null >/dev/null 2>&1 &
    fi
    if ! scraped "$port" "$target" "$wait_s"; then
        stop "$dir"
        exit 1
    fi
    echo "PROMDIR=$dir"
    echo "PROMETHEUS_URL=http://127.0.0.1:$port"
}

# true once the server answers /-/ready (within a minute), false if it died first
ready() {
    local pid="$1" port="$2" i
    for ((i = 0; i < 600; i++)); do
        kill -0 "$pid" 2>/dev/null || return 1
        if http_get "$port" /-/ready >/dev/null 2>&1; then
            return 0
        fi
        sleep 0.1
    done
    return 1
}

# true once the target has been scraped (within WAIT seconds); else says why not
scraped() {
    local port="$1" target="$2" wait_s="$3" targets="" i
    for ((i = 0; i < wait_s * 10; i++)); do
        targets="$(http_get "$port" /api/v1/targets 2>/dev/null || true)"
        if [[ "$targets" == *'"health":"up"'* ]]; then
            return 0
        fi
        sleep 0.1
    done
    local error
    # the target's last scrape error, out of the JSON (its quotes escaped)
    error="$(grep -o '"lastError":"\([^"\\]\|\\.\)*"' <<<"$targets" | head -n 1 |
        sed 's/^"lastError":"//; s/"$//; s/\\"/"/g' || true)"
    say "prometheus started but could not scrape http://$target/metrics within $wait_s s" \
        "(${error:-no scrape yet})"
    return 1
}

remove() {
    local dir="$1"
    if [[ -f "$dir/$MARKER" ]]; then
        rm -rf "$dir"
    fi
}

stop() {
    local dir="${1:?stop needs the folder of the server (PROMDIR)}" pid i
    if [[ ! -d "$dir" ]]; then
        return # stopped already
    fi
    [[ -f "$dir/$MARKER" ]] || fail "$dir is not a Prometheus this script started"
    pid="$(cat "$dir/prometheus.pid" 2>/dev/null || true)"
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < 100; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
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

case "${1:-}" in
install) install ;;
start) start "${@:2}" ;;
stop) stop "${@:2}" ;;
watch) watch "${@:2}" ;;
*)
    sed -n '2,19p' "$SELF" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
