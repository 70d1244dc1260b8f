#!/usr/bin/env bash
# Linux's TCP sender beside ours, on the same impaired paths, over a TAP device: prints a
# table of Linux sending to our stack and our stack sending to Linux, in Gbit/s, and the
# ratio. A benchmark, not a test: run it as root when you want the figures.
#
#   bench/tcp-paths.sh [--quick] [--runs N] [--size SIZE] [--timeout SECONDS] [--linux-cc NAME] [OPTIONS...]
#
# The paths: clean, --loss 1, --loss 5 and --delay 25 (a 50 ms round trip), then one path
# per further argument, each a set of serve's impairment options in one word:
#   bench/tcp-paths.sh '--loss 2 --delay 10' '--rate 100 --delay 5'
#
# Method, per path: `tcpip4j serve --discard 9 --chargen 19 [impairments]` on a TAP device
# whose kernel side is 198.18.77.1/24 in the network namespace tcpip4j-bench, our stack
# being 198.18.77.2. Linux sends: `head -c SIZE /dev/zero | nc -N 198.18.77.2 9` in the
# namespace, into our discard. We send: `nc -d 198.18.77.2 19 | wc -c` in the namespace,
# our chargen sending SIZE bytes (serve's --chargen-bytes) then closing. Each transfer is
# timed inside the namespace from its start to its close, under `timeout`; a transfer that
# does not end in time is reported as stalled. The impairments are serve's, on our side of
# the device, both ways: both senders face the same loss and delay. Before the timed runs,
# each path's JVM is warmed up with 16 MiB each way (untimed).
#
# Options:
#   --quick            one run each, small sizes (50 MiB clean and at 50 ms, 10 MiB lossy)
#   --runs N           runs per direction and path, the median reported (default 3)
#   --size SIZE        the same size on every path: bytes, or with K, M, G (KiB, MiB, GiB)
#   --timeout SECONDS  the most a transfer may take (default 300)
#   --only             only the paths given as arguments, not the four standard ones
#                      (bench/tcp-paths.sh --only --size 1G '--delay 25')
#   --linux-cc NAME    Linux's congestion control on the path (default cubic, ours being
#                      CUBIC; set on the namespace's route with `congctl`). This machine's
#                      default is bbr, which does not back off on random loss: compare
#                      like with like, and run --linux-cc bbr to see it.
#
# Needs root (TAP, namespace); installs netcat-openbsd with apt-get when nc is missing.
# Everything it creates (namespace, TAP, serve) is removed on exit, Ctrl-C included.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
NS=tcpip4j-bench
TAP=tp4jbench0
KERNEL_IP=198.18.77.1
STACK_IP=198.18.77.2
MIB=$((1024 * 1024))
WARMUP_BYTES=$((16 * MIB))

say() { printf 'tcp-paths: %s\n' "$*" >&2; }
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"


runs=3
quick=false
linux_cc=cubic
size_override=
transfer_timeout=300
extra_paths=()
only=false
while [ $# -gt 0 ]; do
    case $1 in
        --quick) quick=true; runs=1 ;;
        --only) only=true ;;
        --linux-cc) [ $# -ge 2 ] || usage; linux_cc=$2; shift ;;
        --runs) [ $# -ge 2 ] || usage; runs=$2; shift ;;
        --size) [ $# -ge 2 ] || usage; size_override=$(parse_size "$2") || die "--size takes bytes or 50M, 1G: $2"; shift ;;
        --timeout) [ $# -ge 2 ] || usage; transfer_timeout=$2; shift ;;
        -h|--help) usage ;;
        --*' '*) extra_paths+=("$1") ;;
        *) say "unknown argument: $1 (a further path is serve's impairment options in one word: '--loss 2')"; exit 2 ;;
    esac
    shift
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "--runs takes a positive number: $runs"
[[ $transfer_timeout =~ ^[1-9][0-9]*$ ]] || die "--timeout takes a positive number of seconds: $transfer_timeout"
if [ -n "$size_override" ] && [ "$size_override" -lt 1 ]; then
    die "--size must be at least 1 byte"
fi

# The paths: a name, serve's impairment options, and the bytes sent each way.
if $quick; then
    big=$((50 * MIB)); lossy=$((10 * MIB))
else
    big=$((200 * MIB)); lossy=$((50 * MIB))
fi
names=("clean" "1% loss" "5% loss" "50 ms RTT")
options=("" "--loss 1" "--loss 5" "--delay 25")
sizes=("$big" "$lossy" "$lossy" "$big")
if $only; then
    names=(); options=(); sizes=()
fi
for p in "${extra_paths[@]}"; do
    names+=("$p")
    options+=("$p")
    sizes+=("$lossy")
done
if [ -n "$size_override" ]; then
    for i in "${!sizes[@]}"; do sizes[i]=$size_override; done
fi

if [ "$(id -u)" -ne 0 ]; then
    die "needs root (a TAP device and a network namespace); run it with sudo"
fi
command -v ip >/dev/null 2>&1 || die "needs ip (iproute2)"
command -v timeout >/dev/null 2>&1 || die "needs timeout (coreutils)"
# netcat-openbsd: -N (shut down the socket at the end of input) and -d (read no input).
if ! command -v nc >/dev/null 2>&1 || ! nc -h 2>&1 | grep -q -- '-N'; then
    say "apt-get install netcat-openbsd"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends netcat-openbsd >/dev/null \
        || die "could not install netcat-openbsd"
fi
if ip netns list | grep -qw "$NS"; then
    die "the namespace $NS exists: another run, or one that was killed (remove it: ip netns del $NS)"
fi

serve_pid=
work=$(mktemp -d "${TMPDIR:-/tmp}/tcp-paths.XXXXXX")
cleanup() {
    remove_setup "$TAP" "$NS"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Builds the CLI now if needed, so no build happens while a path is timed.
"$root/tcpip4j" --version >/dev/null

ip netns add "$NS"
ip -n "$NS" link set lo up
ip -n "$NS" tuntap add dev "$TAP" mode tap
ip -n "$NS" addr add "$KERNEL_IP/24" dev "$TAP"
ip -n "$NS" link set "$TAP" up
# Linux's congestion control for this path, set on the route (per namespace sysctls may be
# locked): CUBIC by default, the algorithm our sender defaults to; this machine's default
# is BBR, which does not treat random loss as congestion, so it is named, not assumed.
ip -n "$NS" route replace "${KERNEL_IP%.*}.0/24" dev "$TAP" congctl "$linux_cc" \
    || die "Linux has no congestion control '$linux_cc' (available: $(cat /proc/sys/net/ipv4/tcp_available_congestion_control))"
say "Linux's congestion control on the path: $linux_cc (the host's default: $(cat /proc/sys/net/ipv4/tcp_congestion_control))"

# Starts serve on the TAP (inside the namespace, where it opens the existing device) with
# the impairments $1 and chargen sending $2 bytes; waits until it serves.
start_serve() {
    local impairments=$1 chargen_bytes=$2 log=$work/serve.log
    : >"$log" # emptied here, not by the redirection in the child, which may come after the first look
    # shellcheck disable=SC2086 # the impairment options are words
    ip netns exec "$NS" "$root/tcpip4j" serve --tap "$TAP" --ip "$STACK_IP/24" --discard 9 --chargen 19 \
        --chargen-bytes "$chargen_bytes" $impairments >"$log" 2>&1 &
    serve_pid=$!
    wait_for_serve "$log"
    grep "impairments:" "$log" | sed 's/^ */  serve: /' >&2 || true
}


# One transfer in the namespace: "ok NANOS", "stalled", or "failed WHY".
# $1: linux (Linux sends to our discard) or ours (our chargen sends to Linux); $2: bytes.
transfer() {
    local who=$1 bytes=$2 out
    if [ "$who" = linux ]; then
        out=$(ip netns exec "$NS" bash -c '
            t0=$(date +%s%N)
            head -c "$1" /dev/zero | timeout "$2" nc -N "$3" 9
            rc=${PIPESTATUS[1]}
            t1=$(date +%s%N)
            echo "$rc $((t1 - t0)) $1"' _ "$bytes" "$transfer_timeout" "$STACK_IP")
    else
        out=$(ip netns exec "$NS" bash -c '
            t0=$(date +%s%N)
            timeout "$2" nc -d "$3" 19 | wc -c >"$4"
            rc=${PIPESTATUS[0]}
            t1=$(date +%s%N)
            echo "$rc $((t1 - t0)) $(cat "$4")"' _ "$bytes" "$transfer_timeout" "$STACK_IP" "$work/received")
    fi
    local rc nanos got
    read -r rc nanos got <<<"$out"
    if [ "$rc" = 124 ]; then
        echo "stalled"
    elif [ "$rc" != 0 ]; then
        echo "failed nc-exit-$rc"
    elif [ "$got" != "$bytes" ]; then
        echo "failed $got-of-$bytes-bytes"
    else
        echo "ok $nanos"
    fi
}

gbps() { awk -v b="$1" -v ns="$2" 'BEGIN { printf "%.3f", b * 8 / ns }'; }


# A table cell: the median Gbit/s of the runs that completed, with how many did not.
cell() {
    local runs_total=$1; shift
    local values=() bad=0 reason=
    for r in "$@"; do
        case $r in
            ok\ *) values+=("${r#ok }") ;;
            *) bad=$((bad + 1)); reason=${r%% *} ;;
        esac
    done
    if [ ${#values[@]} -eq 0 ]; then
        echo "$reason"
    elif [ "$bad" -gt 0 ]; then
        echo "$(median "${values[@]}") ($bad of $runs_total $reason)"
    else
        median "${values[@]}"
    fi
}

human() { awk -v b="$1" 'BEGIN { if (b >= 1048576) printf "%g MiB", b / 1048576; else printf "%d B", b }'; }

rows=()
for i in "${!names[@]}"; do
    name=${names[i]}
    bytes=${sizes[i]}
    say "path '$name' (${options[i]:-no impairments}): $(human "$bytes") each way, $runs run(s)"
    start_serve "${options[i]}" "$bytes"
    warm=$(( bytes < WARMUP_BYTES ? bytes : WARMUP_BYTES ))
    ip netns exec "$NS" bash -c 'head -c "$1" /dev/zero | timeout "$2" nc -N "$3" 9' _ "$warm" "$transfer_timeout" \
        "$STACK_IP" || say "  warm-up to us did not complete"
    ip netns exec "$NS" bash -c 'timeout "$2" nc -d "$3" 19 | head -c "$1" >/dev/null' _ "$warm" \
        "$transfer_timeout" "$STACK_IP" || true
    linux=()
    ours=()
    for ((run = 1; run <= runs; run++)); do
        r=$(transfer linux "$bytes")
        [ "${r%% *}" = ok ] && r="ok $(gbps "$bytes" "${r#ok }")"
        linux+=("$r")
        s=$(transfer ours "$bytes")
        [ "${s%% *}" = ok ] && s="ok $(gbps "$bytes" "${s#ok }")"
        ours+=("$s")
        say "  run $run: Linux sends to us ${r#ok }, we send to Linux ${s#ok } (Gbit/s)"
    done
    stop_serve
    l=$(cell "$runs" "${linux[@]}")
    o=$(cell "$runs" "${ours[@]}")
    lm=${l%% *}
    om=${o%% *}
    if [[ $lm =~ ^[0-9.]+$ && $om =~ ^[0-9.]+$ ]] && awk -v l="$lm" 'BEGIN { exit !(l > 0) }'; then
        ratio=$(awk -v o="$om" -v l="$lm" 'BEGIN { printf "%.2f", o / l }')
    else
        ratio="-"
    fi
    rows+=("| $name | $(human "$bytes") | $l | $o | $ratio |")
done

echo
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
echo "TCP over a TAP against Linux $(uname -r), tcpip4j at $commit, $runs run(s) each, median;" \
    "impairments on our side, both ways"
echo
echo "| path | size | Linux sends to us (Gbit/s) | we send to Linux (Gbit/s) | ratio ours/Linux |"
echo "|---|---:|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
