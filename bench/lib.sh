# What the bench scripts share, sourced by each after it defines say() (its messages'
# prefix): die, usage, sizes, medians, and waiting for and stopping the serve it runs.
# Not a script of its own.

die() { say "ERROR: $*"; exit 1; }
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }

# Bytes of SIZE: 1000, 64K, 50M, 2G (binary units; KiB, MiB, GiB too).
parse_size() {
    local v=$1 n unit
    if [[ $v =~ ^([0-9]+)([KMG]?)(i?B)?$ ]]; then
        n=${BASH_REMATCH[1]}
        unit=${BASH_REMATCH[2]}
        case $unit in
            K) echo $((n * 1024)) ;;
            M) echo $((n * 1024 * 1024)) ;;
            G) echo $((n * 1024 * 1024 * 1024)) ;;
            *) echo "$n" ;;
        esac
    else
        return 1
    fi
}

# The median of the numbers given, or empty.
median() {
    [ $# -gt 0 ] || return 0
    printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
        if (NR % 2) printf "%.3f", v[(NR + 1) / 2]; else printf "%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# Waits until the serve started in the background as serve_pid says it serves in its log
# $1 (emptied before it started); shows the log and dies when serve exits first, or after
# 60 s.
wait_for_serve() {
    local log=$1 waited=0
    until grep -q "serving until interrupted" "$log"; do
        if ! kill -0 "$serve_pid" 2>/dev/null || [ "$waited" -ge 600 ]; then
            cat "$log" >&2
            die "serve did not start"
        fi
        sleep 0.1
        waited=$((waited + 1))
    done
}

# Stops the serve serve_pid names, and waits for it.
stop_serve() {
    kill -TERM "$serve_pid" 2>/dev/null || true
    wait "$serve_pid" 2>/dev/null || true
    serve_pid=
}
# Removes what a run set up: serve_pid's serve, what still runs in the namespaces given
# after the TAP (a sink, a server, a transfer cut short), the TAP $1 in the first of them,
# the namespaces, and the work directory $work.
remove_setup() {
    local tap=$1 ns pid
    shift
    if [ -n "${serve_pid:-}" ] && kill -0 "$serve_pid" 2>/dev/null; then
        kill -TERM "$serve_pid" 2>/dev/null || true
        wait "$serve_pid" 2>/dev/null || true
    fi
    for ns in "$@"; do
        for pid in $(ip netns pids "$ns" 2>/dev/null); do
            kill -TERM "$pid" 2>/dev/null || true
        done
    done
    ip -n "$1" link del "$tap" 2>/dev/null || true
    for ns in "$@"; do
        ip netns del "$ns" 2>/dev/null || true
    done
    rm -rf "${work:-}"
}
