#!/usr/bin/env bash
# HTTP keep-alive requests per second: `tcpip4j serve --http` on a TAP beside nginx (one
# worker) on the Linux kernel over a veth, both loaded by wrk from the same namespace, in
# one run, at 1 connection and at 64; prints requests/s, errors and the ratio. A benchmark,
# not a test: run it as root when you want the figures.
#
#   bench/http.sh [--duration SECONDS] [--runs N] [--size BYTES] [--connections "1 64"]
#                 [--serve-args ARGS]
#
# The paths:
#   nginx-veth: the namespaces tcpip4j-ht-a (wrk, 198.18.82.1) and tcpip4j-ht-b (nginx,
#     198.18.82.2) joined by a veth pair with its default offloads. nginx runs with one
#     worker process, access log off, keep-alive without a request limit, and serves the
#     response body from a file of SIZE bytes (Debian's defaults otherwise: sendfile on).
#   ours-TAP: `tcpip4j serve --tap tp4jht0 --ip 198.18.83.2/24 --http 80 [--serve-args]`,
#     the TAP's kernel side 198.18.83.1/24 in tcpip4j-ht-a; wrk fetches /bytes/SIZE.
# Method: `wrk -t1 -cN -dSECONDS` (one thread: the machine may have two cores, and both
# servers get the same client), after a 3 s warm-up of the same kind, untimed. Each
# measurement runs --runs times (default 3), the two servers alternating; the median is
# printed, with the errors wrk counted (socket errors and non-2xx answers) summed over the
# runs. The response sizes are checked once with curl before the runs.
#
# Options:
#   --duration SECONDS  each wrk run (default 10)
#   --runs N            rounds, the median reported (default 3)
#   --size BYTES        the response body (default 1024; 1K, 64K also taken)
#   --connections LIST  the connection counts, in quotes (default "1 64")
#   --serve-args ARGS   further serve options, one word (TCPIP4J_SERVE_ARGS does the same)
#
# Needs root (TAP, namespaces), ip, wrk, nginx and curl (Debian's wrk, nginx-light and
# curl: installed when missing where apt-get works). Everything it creates (namespaces,
# veth, TAP, serve, nginx) is removed on exit, Ctrl-C included.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
NS_A=tcpip4j-ht-a
NS_B=tcpip4j-ht-b
VETH_A=tp4jhtv0
VETH_B=tp4jhtv1
VETH_A_IP=198.18.82.1
VETH_B_IP=198.18.82.2
TAP=tp4jht0
TAP_KERNEL_IP=198.18.83.1
TAP_STACK_IP=198.18.83.2

say() { printf 'http: %s\n' "$*" >&2; }
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

duration=10
runs=3
size=1024
connections="1 64"
serve_args=${TCPIP4J_SERVE_ARGS:-}
while [ $# -gt 0 ]; do
    case $1 in
        --duration) [ $# -ge 2 ] || usage; duration=$2; shift ;;
        --runs) [ $# -ge 2 ] || usage; runs=$2; shift ;;
        --size) [ $# -ge 2 ] || usage; size=$(parse_size "$2") || die "--size takes bytes or 1K, 64K: $2"; shift ;;
        --connections) [ $# -ge 2 ] || usage; connections=$2; shift ;;
        --serve-args) [ $# -ge 2 ] || usage; serve_args=$2; shift ;;
        -h|--help) usage ;;
        *) say "unknown argument: $1"; usage ;;
    esac
    shift
done
[[ $duration =~ ^[1-9][0-9]*$ ]] || die "--duration takes a positive number of seconds: $duration"
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "--runs takes a positive number: $runs"
for c in $connections; do
    [[ $c =~ ^[1-9][0-9]*$ ]] || die "--connections takes positive numbers: $c"
done

if [ "$(id -u)" -ne 0 ]; then
    die "needs root (a TAP device, network namespaces); run it with sudo"
fi
missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v nginx >/dev/null 2>&1 || missing+=(nginx-light)
command -v curl >/dev/null 2>&1 || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}"
    # The package's own start-up of a system-wide nginx is not wanted: policy-rc.d says no.
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    (apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
        || { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }) \
        || { rm -f /usr/sbin/policy-rc.d; die "could not install ${missing[*]}"; }
    rm -f /usr/sbin/policy-rc.d
fi
for ns in "$NS_A" "$NS_B"; do
    if ip netns list | grep -qw "$ns"; then
        die "the namespace $ns exists: another run, or one that was killed (remove it: ip netns del $ns)"
    fi
done

serve_pid=
work=$(mktemp -d "${TMPDIR:-/tmp}/http-bench.XXXXXX")
cleanup() {
    remove_setup "$TAP" "$NS_A" "$NS_B"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Builds the CLI now if needed, so that no build runs during a measurement.
"$root/tcpip4j" --version >/dev/null

ip netns add "$NS_A"
ip netns add "$NS_B"
ip -n "$NS_A" link set lo up
ip -n "$NS_B" link set lo up
ip link add "$VETH_A" netns "$NS_A" type veth peer name "$VETH_B" netns "$NS_B"
ip -n "$NS_A" addr add "$VETH_A_IP/24" dev "$VETH_A"
ip -n "$NS_B" addr add "$VETH_B_IP/24" dev "$VETH_B"
ip -n "$NS_A" link set "$VETH_A" up
ip -n "$NS_B" link set "$VETH_B" up
ip -n "$NS_A" tuntap add dev "$TAP" mode tap
ip -n "$NS_A" addr add "$TAP_KERNEL_IP/24" dev "$TAP"
ip -n "$NS_A" link set "$TAP" up

# nginx: one worker, its own configuration, pid file and logs in the work directory.
mkdir -p "$work/www/bytes" "$work/nginx"
head -c "$size" /dev/zero | tr '\0' 'x' >"$work/www/bytes/$size"
# nginx's worker runs as an unprivileged user: it must read the files.
chmod 755 "$work" "$work/www" "$work/www/bytes"
chmod 644 "$work/www/bytes/$size"
cat >"$work/nginx/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65;
    keepalive_requests 100000000;
    default_type application/octet-stream;
    client_body_temp_path $work/nginx/body;
    proxy_temp_path $work/nginx/proxy;
    fastcgi_temp_path $work/nginx/fastcgi;
    uwsgi_temp_path $work/nginx/uwsgi;
    scgi_temp_path $work/nginx/scgi;
    server {
        listen $VETH_B_IP:80;
        root $work/www;
    }
}
EOF
ip netns exec "$NS_B" nginx -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" &

serve_log=$work/serve.log
: >"$serve_log"
# shellcheck disable=SC2086
ip netns exec "$NS_A" "$root/tcpip4j" serve --tap "$TAP" --ip "$TAP_STACK_IP/24" --http 80 $serve_args \
    >"$serve_log" 2>&1 &
serve_pid=$!
wait_for_serve "$serve_log"

nginx_url="http://$VETH_B_IP/bytes/$size"
ours_url="http://$TAP_STACK_IP/bytes/$size"
for url in "$nginx_url" "$ours_url"; do
    got=""
    for _ in $(seq 50); do
        got=$(ip netns exec "$NS_A" curl -s -o /dev/null -w '%{http_code} %{size_download}' --max-time 5 "$url" || true)
        [ "$got" = "200 $size" ] && break
        sleep 0.1
    done
    [ "$got" = "200 $size" ] || die "$url answered '$got', not '200 $size'"
done
say "nginx $(nginx -v 2>&1 | sed 's/.*version: //'), one worker; ours: serve --http ${serve_args:+$serve_args }on a TAP; wrk -t1, ${duration} s x $runs runs, body $size bytes"

# One wrk run: prints "REQUESTS_PER_SECOND ERRORS".
wrk_run() {
    local url=$1 conns=$2 secs=$3 out
    out=$(ip netns exec "$NS_A" wrk -t1 -c"$conns" -d"${secs}s" "$url" 2>&1) || { printf '%s\n' "$out" >&2; die "wrk failed on $url"; }
    awk '
        /^Requests\/sec:/ { rps = $2 }
        /Socket errors:/ { gsub(",", ""); e += $4 + $6 + $8 + $10 }
        /Non-2xx or 3xx responses:/ { e += $5 }
        END { printf "%s %d\n", rps == "" ? 0 : rps, e }' <<<"$out"
}

printf '\n%-12s %14s %14s %8s %16s\n' "connections" "nginx-veth r/s" "ours-TAP r/s" "ratio" "errors (n/ours)"
for conns in $connections; do
    wrk_run "$nginx_url" "$conns" 3 >/dev/null
    wrk_run "$ours_url" "$conns" 3 >/dev/null
    n_rps=(); o_rps=(); n_err=0; o_err=0
    for ((r = 0; r < runs; r++)); do
        order=("$nginx_url" "$ours_url")
        ((r % 2)) && order=("$ours_url" "$nginx_url")
        for url in "${order[@]}"; do
            read -r rps errs < <(wrk_run "$url" "$conns" "$duration")
            if [ "$url" = "$nginx_url" ]; then
                n_rps+=("$rps"); n_err=$((n_err + errs))
            else
                o_rps+=("$rps"); o_err=$((o_err + errs))
            fi
        done
    done
    n=$(median "${n_rps[@]}")
    o=$(median "${o_rps[@]}")
    ratio=$(awk -v a="$o" -v b="$n" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
    printf '%-12s %14.0f %14.0f %7sx %16s\n' "$conns" "$n" "$o" "$ratio" "$n_err/$o_err"
done
kill -0 "$serve_pid" 2>/dev/null || { cat "$serve_log" >&2; die "serve ended during the run"; }
