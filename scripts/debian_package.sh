# Sourced by scripts/postgres.sh and scripts/prometheus.sh: install one of Debian's
# packages with apt-get, as root or with passwordless sudo, or fail saying why. The
# caller defines `say` and `fail` (which exits).
#
#   debian_package PACKAGE WHY HINT
#
# WHY says what is missing ("Prometheus (a prometheus command) is not installed"); HINT
# says what to do on a machine without apt-get ("install Prometheus and set ...").

debian_package() {
    local package="$1" why="$2" hint="$3"
    if ! command -v apt-get >/dev/null 2>&1; then
        fail "$why and there is no apt-get here to install Debian's $package package; $hint"
    fi
    local sudo=()
    if [[ $(id -u) -ne 0 ]]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            sudo=(sudo -n)
        else
            fail "$why, and installing Debian's $package package needs root or" \
                "passwordless sudo (this is $(id -un)); run 'apt-get install $package' as root"
        fi
    fi
    export DEBIAN_FRONTEND=noninteractive
    # one install at a time from this project's scripts (two test workers may want
    # PostgreSQL at once): apt-get update does not wait for another's lists lock
    local lock_fd
    exec {lock_fd}>/tmp/retailtwin-apt.lock
    flock "$lock_fd"
    # another process may hold the dpkg lock (a second test run, unattended upgrades): wait
    local apt=("${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 -qq)
    local log
    log="$(mktemp)"
    # the package lists are fetched only when apt knows no such package, or when
    # installing from the lists it has fails (they name files the mirror has replaced)
    if ! apt-cache show "$package" >/dev/null 2>&1; then
        say "updating apt's package lists"
        "${apt[@]}" update >"$log" 2>&1 || fail "apt-get update failed: $(tail -n 5 "$log")"
    fi
    say "installing Debian's $package package (once; about a minute)"
    if ! "${apt[@]}" install -y --no-install-recommends "$package" >"$log" 2>&1; then
        say "apt-get install failed; updating the package lists and trying again"
        "${apt[@]}" update >>"$log" 2>&1 || true
        "${apt[@]}" install -y --no-install-recommends "$package" >>"$log" 2>&1 ||
            fail "apt-get install $package failed: $(tail -n 5 "$log")"
    fi
    rm -f "$log"
}
