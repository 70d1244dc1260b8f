#!/usr/bin/env bash
# Bulk TCP throughput and CPU cost of our stack on a TAP beside Linux against Linux over a
# veth, offloads off and on, 1 flow and several, in one run: prints Gbit/s and CPU seconds
# per GiB per row, and the ratios between them. A benchmark, not a test: run it as root
# when you want the figures.
#
#   bench/tap-throughput.sh [--size SIZE] [--runs N] [--flows N] [--warmup SECONDS] [--timeout SECONDS]
#                           [--serve-args ARGS] [--linux-cc NAME] [--ipv6] [--no-iperf3]
#
# The paths:
#   Linux-veth: the namespaces tcpip4j-tt-a (198.18.80.1) and tcpip4j-tt-b (198.18.80.2)
#     joined by a veth pair. Offloads off: `ethtool -K DEV rx off tx off sg off tso off
#     gso off gro off` on both ends (no checksum offload, no scatter-gather, no
#     segmentation or receive offload: every segment is built, checksummed and received
#     one MTU at a time). Offloads on: the veth's defaults, restored on both ends (on this
#     kernel rx, tx, sg, tso, gso on and gro off); the states in effect are printed.
#   ours-TAP: `tcpip4j serve --tap tp4jtt0 --ip 198.18.81.2/24 --discard 9 --chargen 19
#     --chargen-bytes SIZE/FLOWS [--serve-args]`, the TAP's kernel side 198.18.81.1/24 in
#     tcpip4j-tt-a. Linux sends to our discard (we receive) and reads from our chargen (we
#     send). When `serve --help` lists --offloads, ours runs twice, `--offloads off` and
#     `--offloads on` (two rows each); otherwise once, with serve's defaults.
#
# Method, the same for every row: a small Python program (python3) moves SIZE bytes over
# 1 flow, then over FLOWS flows (SIZE/FLOWS each, in parallel), from a 1 MiB buffer of
# zeros with send(2), and receives into a 1 MiB buffer, counting; a transfer is timed
# from before the connections open until every flow is closed by its receiver (the sender
# shuts its side, then waits for the receiver's close; the receiver closes at end of
# stream, as our discard does). Over the veth it sends from tcpip4j-tt-a to a sink in
# tcpip4j-tt-b; to us it sends to our discard; from us it reads our chargen to its end.
# CPU per GiB moved, two ways, each the same for every row:
#   machine: the whole machine's busy time from /proc/stat (user + nice + system + irq +
#     softirq) over the transfer: both ends and all the kernel's work, but also whatever
#     else the machine runs, so only meaningful on a quiet machine;
#   processes: the CPU time (user + system) over the transfer of the processes doing it,
#     the transfer program at each Linux end (sender, sink or reader), serve's JVM (all its
#     threads: loop, JIT, GC) and the kernel's ksoftirqd threads. A kernel without
#     CONFIG_IRQ_TIME_ACCOUNTING charges the network work done in a process's context (its
#     system calls and the softirq they run) to the process; with it, softirq time is
#     missing from this column (the script says so). Steadier on a shared machine.
# iperf3 (-n SIZE -P FLOWS, when installed) gives a Linux-veth sanity column: what Linux
# reaches with iperf3's own method.
#
# With `--serve-args "--queues N"` serve also answers HTTP on port 8080, and each of our
# transfers is bracketed by two reads of its /stats: the share of the transfer's bytes each
# queue carried (queues.qI.rx_bytes, tx_bytes) is printed per measurement and per round
# under the tables. The queues own flows by a hash of the peer's address and port, so
# FLOWS flows split over them at random: with 4 flows on 2 queues, 2+2 in 3 cases of 8,
# 3+1 in 4, 4+0 in 1; a transfer of SIZE/FLOWS a flow ends when the busiest queue's flows
# do, so the split bounds what the several flows can gain over one.
#
# Each measurement runs --runs times (default 3), the paths alternating (veth off, ours,
# veth on, ours with offloads; reversed on every other round) so that a change in the
# machine's load falls on all of them; the median of each figure is printed. Each serve
# (one per round, variant and flow count) is warmed up untimed, --warmup seconds each way
# (default 5): the JVM compiles the data path while traffic runs, and a transfer measured
# earlier measures the compiler as much as the stack (at 51ac30b, after 64 MiB of warm-up,
# 1 GiB from Linux ran at 10.6 Gbit/s; the same serve, after a few more GiB, at 23).
#
# Options:
#   --size SIZE        bytes moved per measurement: bytes, or with K, M, G (KiB, MiB, GiB);
#                      default 2G
#   --runs N           rounds, the median reported (default 3)
#   --flows N          the several flows (default 4); 1 flow always runs
#   --warmup SECONDS   untimed traffic each way on every serve before it is measured
#                      (default 5; 0 for none, which measures a cold JVM)
#   --timeout SECONDS  the most a transfer may take (default 300); it is then reported as
#                      stalled and the run goes on
#   --serve-args ARGS  further serve options, one word, added to every serve
#                      (TCPIP4J_SERVE_ARGS in the environment does the same)
#   --linux-cc NAME    Linux's congestion control on both paths (default cubic, as ours;
#                      set on the routes)
#   --ipv6             every transfer over IPv6: the veth's ends 2001:2:0:80::1 and ::2, the
#                      TAP's kernel side 2001:2:0:81::1 and serve --ip6 2001:2:0:81::2/64
#                      (beside its IPv4 address); Linux's congestion control on /128
#                      routes to the peers (the kernel's own /64 routes would win)
#   --no-iperf3        no iperf3 column
#
# Needs root (TAP, namespaces), python3, ethtool, ip. Everything it creates (namespaces,
# veth, TAP, serve, the programs in the namespaces) is removed on exit, Ctrl-C included.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
NS_A=tcpip4j-tt-a
NS_B=tcpip4j-tt-b
VETH_A=tp4jttv0
VETH_B=tp4jttv1
VETH_A_IP=198.18.80.1
VETH_B_IP=198.18.80.2
TAP=tp4jtt0
TAP_KERNEL_IP=198.18.81.1
TAP_STACK_IP=198.18.81.2
VETH_A_IP6=2001:2:0:80::1
VETH_B_IP6=2001:2:0:80::2
TAP_KERNEL_IP6=2001:2:0:81::1
TAP_STACK_IP6=2001:2:0:81::2
STATS_PORT=8080
SINK_PORT=9
IPERF_PORT=5201
MIB=$((1024 * 1024))
GIB=$((1024 * MIB))
warmup_seconds=5
OFFLOAD_FEATURES=(rx tx sg tso gso gro)

say() { printf 'tap-throughput: %s\n' "$*" >&2; }
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"


size=$((2 * GIB))
runs=3
flows_many=4
transfer_timeout=300
serve_args=${TCPIP4J_SERVE_ARGS:-}
linux_cc=cubic
iperf=true
ipv6=false
while [ $# -gt 0 ]; do
    case $1 in
        --size) [ $# -ge 2 ] || usage; size=$(parse_size "$2") || die "--size takes bytes or 512M, 2G: $2"; shift ;;
        --runs) [ $# -ge 2 ] || usage; runs=$2; shift ;;
        --flows) [ $# -ge 2 ] || usage; flows_many=$2; shift ;;
        --timeout) [ $# -ge 2 ] || usage; transfer_timeout=$2; shift ;;
        --warmup) [ $# -ge 2 ] || usage; warmup_seconds=$2; shift ;;
        --serve-args) [ $# -ge 2 ] || usage; serve_args=$2; shift ;;
        --linux-cc) [ $# -ge 2 ] || usage; linux_cc=$2; shift ;;
        --no-iperf3) iperf=false ;;
        --ipv6) ipv6=true ;;
        -h|--help) usage ;;
        *) say "unknown argument: $1"; usage ;;
    esac
    shift
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "--runs takes a positive number: $runs"
[[ $flows_many =~ ^[1-9][0-9]*$ ]] && [ "$flows_many" -ge 2 ] || die "--flows takes a number from 2: $flows_many"
[[ $warmup_seconds =~ ^[0-9]+$ ]] || die "--warmup takes a number of seconds: $warmup_seconds"
[[ $transfer_timeout =~ ^[1-9][0-9]*$ ]] || die "--timeout takes a positive number of seconds: $transfer_timeout"
[ "$size" -ge "$flows_many" ] || die "--size must be at least one byte per flow"

if [ "$(id -u)" -ne 0 ]; then
    die "needs root (a TAP device, network namespaces, ethtool); run it with sudo"
fi
for tool in ip ethtool timeout; do
    command -v "$tool" >/dev/null 2>&1 || die "needs $tool"
done
if [ -x /usr/bin/python3 ]; then
    PY=/usr/bin/python3
else
    PY=$(command -v python3) || die "needs python3"
fi
if $iperf && ! command -v iperf3 >/dev/null 2>&1; then
    say "no iperf3: no iperf3 column"
    iperf=false
fi
for ns in "$NS_A" "$NS_B"; do
    if ip netns list | grep -qw "$ns"; then
        die "the namespace $ns exists: another run, or one that was killed (remove it: ip netns del $ns)"
    fi
done

# The transfer program. Modes:
#   send ADDR PORT FLOWS BYTES_PER_FLOW TIMEOUT [PIDS]  sends, each flow shutting its side,
#                                           then waiting for the receiver's close
#   recv ADDR PORT FLOWS BYTES_PER_FLOW TIMEOUT [PIDS]  connects and reads each flow to its
#                                           end, expecting BYTES_PER_FLOW
#   peek ADDR PORT FLOWS BYTES_PER_FLOW TIMEOUT         reads BYTES_PER_FLOW, closes (warm-up)
# With WARM_SECONDS in the environment, send and peek also stop once that long has passed
# (the warm-up: serve's JIT compiler needs seconds of traffic, not a number of bytes).
#   sink ADDR PORT FLOWS 0 TIMEOUT          prints "listening", accepts FLOWS connections,
#                                           reads each to its end and closes
# send, recv and peek print "ok NANOS BUSY_TICKS BYTES PROCESS_SECONDS" or "failed WHY":
# BUSY_TICKS is /proc/stat's user + nice + system + irq + softirq over the transfer, all
# CPUs; PROCESS_SECONDS the CPU time (user + system) over the transfer of this program and
# of the processes PIDS (comma-separated). sink prints "ok BYTES PROCESS_SECONDS", its own
# CPU time from its first accept.
FLOWS_PY=$(cat <<'PY'
import os, resource, socket, sys, threading, time

HZ = os.sysconf("SC_CLK_TCK")

def busy():
    with open("/proc/stat") as f:
        v = f.readline().split()
    return int(v[1]) + int(v[2]) + int(v[3]) + int(v[6]) + int(v[7])

def cpu_seconds(pids):
    r = resource.getrusage(resource.RUSAGE_SELF)
    total = r.ru_utime + r.ru_stime
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                v = f.read().rsplit(")", 1)[1].split()
            total += (int(v[11]) + int(v[12])) / HZ
        except OSError:
            pass
    return total

mode, addr, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
flows, per_flow, limit = int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6])
pids = [p for p in (sys.argv[7] if len(sys.argv) > 7 else "").split(",") if p]
CHUNK = 1 << 20
deadline = time.monotonic() + float(os.environ["WARM_SECONDS"]) if os.environ.get("WARM_SECONDS") else None
counts = [0] * flows
errors = []

def flow(i, s=None):
    try:
        if s is None:
            s = socket.create_connection((addr, port), timeout=limit)
        s.settimeout(limit)
        with s:
            if mode == "send":
                zeros = memoryview(bytes(CHUNK))
                left = per_flow
                while left > 0 and (deadline is None or time.monotonic() < deadline):
                    left -= s.send(zeros[:min(left, CHUNK)])
                counts[i] = per_flow - left
                s.shutdown(socket.SHUT_WR)
                while s.recv(65536):
                    pass
            else:
                buf = bytearray(CHUNK)
                n = 0
                want = per_flow if mode == "peek" else None
                while (want is None or n < want) and (deadline is None or time.monotonic() < deadline):
                    k = s.recv_into(buf)
                    if k == 0:
                        break
                    n += k
                counts[i] = n
                if mode == "recv" and n != per_flow:
                    errors.append(f"flow {i}: {n} of {per_flow} bytes")
    except Exception as e:
        errors.append(f"flow {i}: {e}")

if mode == "sink":
    ls = socket.socket(socket.AF_INET6 if ":" in addr else socket.AF_INET)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((addr, port))
    ls.listen(flows)
    ls.settimeout(limit)
    print("listening", flush=True)
    threads = []
    p0 = None
    try:
        for i in range(flows):
            c, _ = ls.accept()
            if p0 is None:
                p0 = cpu_seconds([])
            t = threading.Thread(target=flow, args=(i, c))
            t.start()
            threads.append(t)
    except Exception as e:
        errors.append(f"accept: {e}")
    for t in threads:
        t.join()
    if errors:
        print("failed " + "; ".join(errors), flush=True)
        sys.exit(1)
    print(f"ok {sum(counts)} {cpu_seconds([]) - p0:.3f}", flush=True)
    sys.exit(0)

threads = [threading.Thread(target=flow, args=(i,)) for i in range(flows)]
c0, p0, t0 = busy(), cpu_seconds(pids), time.monotonic_ns()
for t in threads:
    t.start()
for t in threads:
    t.join()
t1, p1, c1 = time.monotonic_ns(), cpu_seconds(pids), busy()
if errors:
    print("failed " + "; ".join(errors).replace(" ", "-"))
    sys.exit(1)
print(f"ok {t1 - t0} {c1 - c0} {sum(counts)} {p1 - p0:.3f}")
PY
)

serve_pid=
work=$(mktemp -d "${TMPDIR:-/tmp}/tap-throughput.XXXXXX")
cleanup() {
    remove_setup "$TAP" "$NS_A" "$NS_B"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
flows_py=$work/flows.py
printf '%s\n' "$FLOWS_PY" >"$flows_py"

# Builds the CLI now if needed, so that no build runs during a measurement.
"$root/tcpip4j" --version >/dev/null

# Our variants: a label and serve's options for each.
variant_labels=()
variant_args=()
if [[ $serve_args != *--offloads* ]] && "$root/tcpip4j" serve --help 2>&1 | grep -q -- '--offloads'; then
    variant_labels=("ours-TAP, offloads off" "ours-TAP, offloads on")
    variant_args=("--offloads off $serve_args" "--offloads on $serve_args")
else
    variant_labels=("ours-TAP${serve_args:+ ($serve_args)}")
    variant_args=("$serve_args")
    if [[ $serve_args != *--offloads* ]]; then
        say "serve has no --offloads option: ours runs once, with serve's defaults"
    fi
fi

# The machine before the run: its load, and how busy it is with nothing of ours running.
hz=$(getconf CLK_TCK)
cores=$(nproc)
busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8; exit }' /proc/stat; }
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
b0=$(busy_ticks); sleep 2; b1=$(busy_ticks)
background=$(awk -v d=$((b1 - b0)) -v hz="$hz" 'BEGIN { printf "%.2f", d / hz / 2 }')
say "load average $load_start; busy CPUs before the run: $background of $cores"

ip netns add "$NS_A"
ip netns add "$NS_B"
ip -n "$NS_A" link set lo up
ip -n "$NS_B" link set lo up
ip link add "$VETH_A" netns "$NS_A" type veth peer name "$VETH_B" netns "$NS_B"
ip -n "$NS_A" addr add "$VETH_A_IP/24" dev "$VETH_A"
ip -n "$NS_B" addr add "$VETH_B_IP/24" dev "$VETH_B"
ip -n "$NS_A" link set "$VETH_A" up
ip -n "$NS_B" link set "$VETH_B" up
# serve --queues N opens the TAP with IFF_MULTI_QUEUE, which a device must be made with.
if [[ $serve_args == *--queues* ]]; then
    ip -n "$NS_A" tuntap add dev "$TAP" mode tap multi_queue
else
    ip -n "$NS_A" tuntap add dev "$TAP" mode tap
fi
ip -n "$NS_A" addr add "$TAP_KERNEL_IP/24" dev "$TAP"
ip -n "$NS_A" link set "$TAP" up
if $ipv6; then
    ip -n "$NS_A" addr add "$VETH_A_IP6/64" dev "$VETH_A" nodad
    ip -n "$NS_B" addr add "$VETH_B_IP6/64" dev "$VETH_B" nodad
    ip -n "$NS_A" addr add "$TAP_KERNEL_IP6/64" dev "$TAP" nodad
fi
# Linux's congestion control, named on every route a Linux sender uses (this kind of host
# defaults to bbr; ours is CUBIC).
for route in "$NS_A ${VETH_A_IP%.*}.0/24 $VETH_A" "$NS_B ${VETH_B_IP%.*}.0/24 $VETH_B" \
        "$NS_A ${TAP_KERNEL_IP%.*}.0/24 $TAP"; do
    read -r ns net dev <<<"$route"
    ip -n "$ns" route replace "$net" dev "$dev" congctl "$linux_cc" \
        || die "Linux has no congestion control '$linux_cc' (available: $(cat /proc/sys/net/ipv4/tcp_available_congestion_control))"
done
if $ipv6; then
    for route in "$NS_A $VETH_B_IP6/128 $VETH_A" "$NS_B $VETH_A_IP6/128 $VETH_B" "$NS_A $TAP_STACK_IP6/128 $TAP"; do
        read -r ns net dev <<<"$route"
        ip -n "$ns" -6 route replace "$net" dev "$dev" congctl "$linux_cc"
    done
fi
# The addresses the transfers use: IPv4, or with --ipv6 IPv6 (serve's /stats stays on IPv4).
VETH_B_TO=$VETH_B_IP
TAP_STACK_TO=$TAP_STACK_IP
if $ipv6; then
    VETH_B_TO=$VETH_B_IP6
    TAP_STACK_TO=$TAP_STACK_IP6
fi

# The offload features of a device in a namespace, as "rx on tx on ...".
features() {
    local ns=$1 dev=$2
    ip netns exec "$ns" ethtool -k "$dev" | awk '
        /^rx-checksumming:/ { f["rx"] = $2 } /^tx-checksumming:/ { f["tx"] = $2 }
        /^scatter-gather:/ { f["sg"] = $2 } /^tcp-segmentation-offload:/ { f["tso"] = $2 }
        /^generic-segmentation-offload:/ { f["gso"] = $2 } /^generic-receive-offload:/ { f["gro"] = $2 }
        END { printf "rx %s tx %s sg %s tso %s gso %s gro %s", f["rx"], f["tx"], f["sg"], f["tso"], f["gso"], f["gro"] }'
}
irq_time=false
if [ -r /proc/config.gz ] && zcat /proc/config.gz 2>/dev/null | grep -q '^CONFIG_IRQ_TIME_ACCOUNTING=y'; then
    irq_time=true
    say "this kernel accounts softirq time apart (CONFIG_IRQ_TIME_ACCOUNTING): the process CPU column misses it"
fi
veth_defaults_a=$(features "$NS_A" "$VETH_A")
veth_defaults_b=$(features "$NS_B" "$VETH_B")
veth_off=""
for f in "${OFFLOAD_FEATURES[@]}"; do veth_off+="$f off "; done

set_veth_offloads() {
    local state=$1
    if [ "$state" = off ]; then
        # shellcheck disable=SC2086 # feature/value words
        ip netns exec "$NS_A" ethtool -K "$VETH_A" $veth_off >/dev/null 2>&1 || true
        # shellcheck disable=SC2086
        ip netns exec "$NS_B" ethtool -K "$VETH_B" $veth_off >/dev/null 2>&1 || true
    else
        # shellcheck disable=SC2086
        ip netns exec "$NS_A" ethtool -K "$VETH_A" $veth_defaults_a >/dev/null 2>&1 || true
        # shellcheck disable=SC2086
        ip netns exec "$NS_B" ethtool -K "$VETH_B" $veth_defaults_b >/dev/null 2>&1 || true
    fi
}
set_veth_offloads off
veth_state_off=$(features "$NS_A" "$VETH_A")
[ "$(features "$NS_B" "$VETH_B")" = "$veth_state_off" ] || say "the veth's ends differ with offloads off"
set_veth_offloads on
veth_state_on=$(features "$NS_A" "$VETH_A")
say "veth offloads off: $veth_state_off"
say "veth offloads on (defaults): $veth_state_on"

# Runs the transfer program in namespace $1 with the rest as its arguments, under timeout.
transfer() {
    local ns=$1; shift
    local out rc=0
    out=$(ip netns exec "$ns" timeout "$transfer_timeout" "$PY" "$flows_py" "$@" 2>&1) || rc=$?
    if [ "$rc" = 124 ]; then
        echo "stalled"
    elif [[ $out == ok\ * ]]; then
        echo "$out"
    else
        echo "failed $(echo "$out" | tail -1 | sed 's/^failed //; s/ /-/g')"
    fi
}

# The transfer program's "ok NANOS TICKS BYTES SECONDS", plus $2 further CPU seconds (the
# sink's), to "ok GBPS MACHINE_CPU_S_PER_GIB PROCESS_CPU_S_PER_GIB WALL_S"; anything else
# unchanged.
figures() {
    local r=$1 more=${2:-0}
    if [[ $r == ok\ * ]]; then
        read -r _ ns ticks bytes secs <<<"$r"
        awk -v ns="$ns" -v t="$ticks" -v b="$bytes" -v p="$secs" -v m="$more" -v hz="$hz" -v gib="$GIB" \
            'BEGIN { printf "ok %.3f %.3f %.3f %.3f", b * 8 / ns, (t / hz) / (b / gib), (p + m) / (b / gib), ns / 1e9 }'
    else
        echo "$r"
    fi
}

# The kernel's softirq threads: network receive work the kernel defers runs there, so
# their CPU time counts in every row's process CPU.
ksoftirqd=$(for d in /proc/[0-9]*; do
    [[ $(cat "$d/comm" 2>/dev/null) == ksoftirqd/* ]] && printf '%s,' "${d#/proc/}"
done || true)

# Starts a program in namespace B in the background, stdout to $2, its pid in bg_pid;
# waits until $3 appears in its output. The program must end by itself.
bg_pid=
start_in_b() {
    local name=$1 out=$2 ready=$3 waited=0; shift 3
    : >"$out" # emptied before the child starts: the previous program's output must not be seen
    ip netns exec "$NS_B" "$@" >"$out" 2>&1 &
    bg_pid=$!
    until grep -q "$ready" "$out" 2>/dev/null; do
        if ! kill -0 "$bg_pid" 2>/dev/null || [ "$waited" -ge 200 ]; then
            cat "$out" >&2
            die "$name did not start"
        fi
        sleep 0.05
        waited=$((waited + 1))
    done
}

# Results: key "CONFIG|DIRECTION|FLOWS", value the runs' results, one a line.
declare -A results
declare -A iperf_results
record() { results[$1]+="$2"$'\n'; }

# One measurement over the veth: FLOWS flows from A to a sink in B, then iperf3.
veth_measure() {
    local config=$1 flows=$2 per=$((size / flows)) sink_pid r s got secs
    # The sink's own timeouts (accept, each read) end it when a transfer does not.
    start_in_b sink "$work/sink.out" listening "$PY" "$flows_py" sink "$VETH_B_TO" \
        "$SINK_PORT" "$flows" 0 "$transfer_timeout"
    sink_pid=$bg_pid
    r=$(transfer "$NS_A" send "$VETH_B_TO" "$SINK_PORT" "$flows" "$per" "$transfer_timeout" "$ksoftirqd")
    # The sink ends with the transfer; when the transfer failed, it may still be waiting.
    [[ $r == ok\ * ]] || kill -TERM "$sink_pid" 2>/dev/null || true
    wait "$sink_pid" 2>/dev/null || true
    s=$(tail -n 1 "$work/sink.out")
    read -r _ got secs <<<"$s"
    if [[ $r == ok\ * && ( $s != ok\ * || $got != "$((per * flows))" ) ]]; then
        r="failed sink:${s// /-}"
    fi
    r=$(figures "$r" "${secs:-0}")
    record "$config|A->B|$flows" "$r"
    local i=
    if $iperf; then
        local server
        start_in_b iperf3 "$work/iperf.out" "listening" timeout $((transfer_timeout + 30)) iperf3 -s -1 -B "$VETH_B_TO" -p "$IPERF_PORT" --forceflush
        server=$bg_pid
        i=$(ip netns exec "$NS_A" timeout "$transfer_timeout" iperf3 -c "$VETH_B_TO" -p "$IPERF_PORT" \
            -n "$((per * flows))" -P "$flows" -J 2>/dev/null \
            | "$PY" -c 'import json, sys; print("%.3f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"] / 1e9))' \
            2>/dev/null || echo failed)
        kill -TERM "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
        iperf_results[$config|$flows]+="$i"$'\n'
    fi
    say "  $config, $flows flow(s): ${r#ok }${i:+ (iperf3 $i)}   [Gbit/s, CPU s/GiB machine, processes, wall s]"
}

# Starts serve with the variant's options, chargen sending $2 bytes a connection; waits
# until it serves, then warms it up untimed.
start_serve() {
    local args=$1 chargen_bytes=$2 log=$work/serve.log
    : >"$log" # emptied here, not by the redirection in the child, which may come after the first look
    # shellcheck disable=SC2086 # serve's options are words
    local stats=() six=()
    [[ $args != *--queues* ]] || stats=(--http "$STATS_PORT")
    ! $ipv6 || six=(--ip6 "$TAP_STACK_IP6/64")
    ip netns exec "$NS_A" "$root/tcpip4j" serve --tap "$TAP" --ip "$TAP_STACK_IP/24" --discard 9 --chargen 19 \
        --chargen-bytes "$chargen_bytes" "${stats[@]}" "${six[@]}" $args >"$log" 2>&1 &
    serve_pid=$!
    wait_for_serve "$log"
    [ "$warmup_seconds" -gt 0 ] || return 0
    local r until
    # To us: one connection for the whole time. From us: connections one after another
    # (each serves chargen_bytes) until the time is up.
    r=$(WARM_SECONDS=$warmup_seconds transfer "$NS_A" send "$TAP_STACK_TO" 9 1 $((1024 * GIB)) "$transfer_timeout")
    [[ $r == ok\ * ]] || say "  warm-up to us: $r"
    until=$((SECONDS + warmup_seconds))
    while [ "$SECONDS" -lt "$until" ]; do
        r=$(WARM_SECONDS=$((until - SECONDS)) transfer "$NS_A" peek "$TAP_STACK_TO" 19 1 "$chargen_bytes" "$transfer_timeout")
        [[ $r == ok\ * ]] || { say "  warm-up from us: $r"; break; }
    done
}


# serve's per-queue TCP payload bytes, "RX0 RX1 ... / TX0 TX1 ...", read from its /stats
# (serve with --queues only; empty when it cannot be read).
queue_bytes() {
    ip netns exec "$NS_A" "$PY" -c '
import sys, urllib.request
text = urllib.request.urlopen(sys.argv[1], timeout=5).read().decode()
v = dict(l.split("=", 1) for l in text.splitlines() if l.startswith("queues.") and "=" in l)
n = sum(1 for k in v if k.endswith(".rx_bytes"))
print(" ".join(v["queues.q%d.rx_bytes" % i] for i in range(n)), "/",
      " ".join(v["queues.q%d.tx_bytes" % i] for i in range(n)))
' "http://$TAP_STACK_IP:$STATS_PORT/stats" 2>/dev/null || true
}

# The share of each queue in the bytes moved between two queue_bytes readings $2 and $3,
# received ($1 = rx) or sent (tx): "0.75+0.25", or "?" without both readings.
queue_shares() {
    local side=$1 before=$2 after=$3
    [ -n "$before" ] && [ -n "$after" ] || { echo "?"; return; }
    awk -v side="$side" -v b="$before" -v a="$after" 'BEGIN {
        split(b, bs, " / "); split(a, as, " / "); k = side == "rx" ? 1 : 2
        n = split(bs[k], x, " "); split(as[k], y, " "); total = 0
        for (i = 1; i <= n; i++) { d[i] = y[i] - x[i]; total += d[i] }
        if (total <= 0) { print "?"; exit }
        for (i = 1; i <= n; i++) printf "%s%.2f", (i > 1 ? "+" : ""), d[i] / total
        print "" }'
}

tap_states=()
declare -A shares=()
# One measurement of ours: FLOWS flows Linux to us, then us to Linux, on a fresh serve.
ours_measure() {
    local v=$1 flows=$2 per=$((size / flows)) r s config=${variant_labels[$1]} q0= q1= q2= split= queued=false
    [[ ${variant_args[v]} != *--queues* ]] || queued=true
    start_serve "${variant_args[v]}" "$per"
    [ -n "${tap_states[v]:-}" ] || tap_states[v]=$(features "$NS_A" "$TAP")
    ! $queued || q0=$(queue_bytes)
    r=$(figures "$(transfer "$NS_A" send "$TAP_STACK_TO" 9 "$flows" "$per" "$transfer_timeout" "$serve_pid,$ksoftirqd")")
    record "$config|Linux->us|$flows" "$r"
    ! $queued || q1=$(queue_bytes)
    s=$(figures "$(transfer "$NS_A" recv "$TAP_STACK_TO" 19 "$flows" "$per" "$transfer_timeout" "$serve_pid,$ksoftirqd")")
    record "$config|us->Linux|$flows" "$s"
    if $queued; then
        q2=$(queue_bytes)
        local rs ts
        rs=$(queue_shares rx "$q0" "$q1")
        ts=$(queue_shares tx "$q1" "$q2")
        shares[$config|Linux->us|$flows]+="$rs "
        shares[$config|us->Linux|$flows]+="$ts "
        split="; queue shares: Linux->us $rs, us->Linux $ts"
    fi
    stop_serve
    say "  $config, $flows flow(s): Linux->us ${r#ok }, us->Linux ${s#ok }   [Gbit/s, CPU s/GiB machine, processes, wall s]$split"
}

# The paths of a round, alternating: veth off, ours (offloads off), veth on, ours (on).
paths=("veth off" "ours 0" "veth on")
[ ${#variant_labels[@]} -gt 1 ] && paths+=("ours 1")

human() { awk -v b="$1" 'BEGIN { if (b >= 1073741824 && b % 1073741824 == 0) printf "%d GiB", b / 1073741824;
    else if (b >= 1048576) printf "%g MiB", b / 1048576; else printf "%d B", b }'; }

say "$(human "$size") per measurement, 1 and $flows_many flows, $runs round(s), timeout ${transfer_timeout} s each"
for ((round = 1; round <= runs; round++)); do
    order=("${paths[@]}")
    if ((round % 2 == 0)); then
        order=()
        for ((k = ${#paths[@]} - 1; k >= 0; k--)); do order+=("${paths[k]}"); done
    fi
    say "round $round of $runs"
    for p in "${order[@]}"; do
        read -r kind arg <<<"$p"
        for flows in 1 "$flows_many"; do
            if [ "$kind" = veth ]; then
                set_veth_offloads "$arg"
                veth_measure "Linux-veth, offloads $arg" "$flows"
            else
                ours_measure "$arg" "$flows"
            fi
        done
    done
done
set_veth_offloads on
load_end=$(cut -d' ' -f1-3 /proc/loadavg)


# The medians of a key's runs: "GBPS CPU_MACHINE CPU_PROCESSES WALL NOTE" ("- - - - NOTE"
# when none completed); NOTE says how many runs did not complete and why, or is empty.
medians() {
    local g=() c=() p=() w=() bad=0 reason= line
    while IFS= read -r line; do
        [ -n "$line" ] || continue
        if [[ $line == ok\ * ]]; then
            read -r _ a b e d <<<"$line"
            g+=("$a"); c+=("$b"); p+=("$e"); w+=("$d")
        else
            bad=$((bad + 1)); reason=${line%% *}
            say "  ${1}: ${line}"
        fi
    done <<<"${results[$1]:-}"
    local note=
    [ "$bad" -eq 0 ] || note="($bad of $runs $reason)"
    if [ ${#g[@]} -eq 0 ]; then
        echo "- - - - $note"
    else
        echo "$(median "${g[@]}") $(median "${c[@]}") $(median "${p[@]}") $(median "${w[@]}") $note"
    fi
}

iperf_median() {
    local v=() line
    while IFS= read -r line; do
        [[ $line =~ ^[0-9.]+$ ]] && v+=("$line")
    done <<<"${iperf_results[$1]:-}"
    [ ${#v[@]} -gt 0 ] && median "${v[@]}" || echo "-"
}

ratio() {
    if [[ $1 =~ ^[0-9.]+$ && $2 =~ ^[0-9.]+$ ]] && awk -v d="$2" 'BEGIN { exit !(d > 0) }'; then
        awk -v n="$1" -v d="$2" 'BEGIN { printf "%.2f", n / d }'
    else
        echo "-"
    fi
}

declare -A gbps cpu pcpu
table=()
row() {
    local config=$1 dir=$2 flows=$3 key="$1|$2|$3" g c p w note i=
    read -r g c p w note <<<"$(medians "$key")"
    gbps[$key]=$g
    cpu[$key]=$c
    pcpu[$key]=$p
    if $iperf; then
        if [ "$dir" = "A->B" ]; then i=" $(iperf_median "$config|$flows") |"; else i=" |"; fi
    fi
    table+=("| $config | $dir | $flows | $g${note:+ $note} | $c | $p | $w |$i")
}
for state in off on; do
    for flows in 1 "$flows_many"; do row "Linux-veth, offloads $state" "A->B" "$flows"; done
done
for v in "${!variant_labels[@]}"; do
    for dir in "Linux->us" "us->Linux"; do
        for flows in 1 "$flows_many"; do row "${variant_labels[v]}" "$dir" "$flows"; done
    done
done

ratios=()
ratio_row() {
    local what=$1 num=$2 den=$3
    ratios+=("| $what | $(ratio "${gbps[$num]}" "${gbps[$den]}") | $(ratio "${cpu[$num]}" "${cpu[$den]}")"\
" | $(ratio "${pcpu[$num]}" "${pcpu[$den]}") |")
}
for v in "${!variant_labels[@]}"; do
    label=${variant_labels[v]}
    if [[ ${variant_args[v]} =~ --offloads[=\ ]+on ]]; then
        baselines=(on)
    elif [ ${#variant_labels[@]} -gt 1 ]; then
        baselines=(off)
    else
        baselines=(off on)
    fi
    for state in "${baselines[@]}"; do
        for dir in "Linux->us" "us->Linux"; do
            ratio_row "$label, $dir, 1 flow / Linux-veth, offloads $state, 1 flow" \
                "$label|$dir|1" "Linux-veth, offloads $state|A->B|1"
        done
    done
done
for v in "${!variant_labels[@]}"; do
    for dir in "Linux->us" "us->Linux"; do
        ratio_row "${variant_labels[v]}, $dir, $flows_many flows / 1 flow" \
            "${variant_labels[v]}|$dir|$flows_many" "${variant_labels[v]}|$dir|1"
    done
done
for state in off on; do
    ratio_row "Linux-veth, offloads $state, $flows_many flows / 1 flow" \
        "Linux-veth, offloads $state|A->B|$flows_many" "Linux-veth, offloads $state|A->B|1"
done

echo
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
echo "Bulk TCP over IPv$($ipv6 && echo 6 || echo 4), $(human "$size") per measurement, median of $runs round(s), serve warmed up $warmup_seconds s each way; Linux $(uname -r) on $linux_cc," \
    "tcpip4j at $commit; $cores CPUs, load average $load_start at the start, $load_end at the end;" \
    "busy CPUs before the run $background"
echo "veth offloads off: $veth_state_off; on: $veth_state_on"
echo "CPU s/GiB: machine = /proc/stat busy time, everything the machine ran; processes = the" \
    "transfer programs, serve's JVM and ksoftirqd$($irq_time && echo ", softirq time not included")"
for v in "${!variant_labels[@]}"; do
    echo "${variant_labels[v]}: serve ${variant_args[v]:-with its defaults}; the TAP's kernel side: ${tap_states[v]:-?}"
done
echo
if $iperf; then
    echo "| path | direction | flows | Gbit/s | CPU s/GiB, machine | CPU s/GiB, processes | wall s | iperf3 Gbit/s |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|"
else
    echo "| path | direction | flows | Gbit/s | CPU s/GiB, machine | CPU s/GiB, processes | wall s |"
    echo "|---|---|---:|---:|---:|---:|---:|"
fi
printf '%s\n' "${table[@]}"
echo
echo "| ratio | Gbit/s | CPU s/GiB, machine | CPU s/GiB, processes |"
echo "|---|---:|---:|---:|"
printf '%s\n' "${ratios[@]}"
if [ ${#shares[@]} -gt 0 ]; then
    echo
    echo "Each queue's share of the bytes, per round (serve --queues: flows split by a hash of the peer's address and port):"
    while IFS= read -r key; do
        echo "  ${key//|/, } flow(s): ${shares[$key]}"
    done < <(printf '%s\n' "${!shares[@]}" | sort)
fi
