#!/usr/bin/env bash
# A SYN flood against Linux and against our stack, the same flood at the same rate, side by
# side: while spoofed SYNs (sources in 198.19.0.0/16, off-link, their SYN-ACKs dropped by the
# flooding namespace) arrive, 20 Linux clients (socat) each send a line to an echo service
# and wait for it back. Prints, per server: clients served, their times (median and max, in
# ms, socat's own start-up included) and SYN cookies sent and accepted. A benchmark, not a
# test: run it as root when you want the figures.
#
#   bench/syn-flood.sh [RATE [COUNT]]     default 8000 SYNs a second, 40000 SYNs
#
# Linux: the namespaces tcpip4j-sf-srv (198.18.94.2, socat echo on port 7, backlog 1024)
# and tcpip4j-sf-cli (198.18.94.1) joined by a veth. Ours: `tcpip4j serve --echo 7` on the
# TAP tp4jsf0, moved into tcpip4j-sf-cli with 198.18.95.1/24, our stack 198.18.95.2. The
# flood is cli/src/test/resources/org/tcpip4j/cli/synflood.py writing raw frames from the
# client namespace (python3; socat installed with apt-get when missing). Everything is
# removed on exit.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
RATE=${1:-8000}
COUNT=${2:-40000}
CLIENTS=20
SRV=tcpip4j-sf-srv
CLI=tcpip4j-sf-cli
TAP=tp4jsf0
FLOOD="$root/cli/src/test/resources/org/tcpip4j/cli/synflood.py"
serve_pid=""

if [ "$(id -u)" != 0 ]; then
    echo "syn-flood.sh: needs root (namespaces, a TAP device)" >&2
    exit 1
fi
command -v socat >/dev/null 2>&1 || apt-get install -y -qq socat >/dev/null
command -v python3 >/dev/null 2>&1 || apt-get install -y -qq python3 >/dev/null

cleanup() {
    if [ -n "$serve_pid" ]; then
        kill "$serve_pid" 2>/dev/null || true
        wait "$serve_pid" 2>/dev/null || true
        serve_pid=""
    fi
    ip netns del "$SRV" 2>/dev/null || true
    ip netns del "$CLI" 2>/dev/null || true
    ip link del "$TAP" 2>/dev/null || true
}
trap cleanup EXIT INT TERM
cleanup

ip netns add "$SRV"
ip netns add "$CLI"
ip -n "$CLI" link set lo up
ip -n "$SRV" link set lo up

# clients SERVER MAC DEVICE: floods SERVER (MAC, on DEVICE of the client namespace) and runs
# the clients during it; prints "served median max" and the times.
clients() {
    local server=$1 mac=$2 dev=$3
    echo warm | ip netns exec "$CLI" socat -T 3 - "TCP:$server:7" >/dev/null
    ip netns exec "$CLI" python3 "$FLOOD" "$dev" "$mac" "$server" 7 "$COUNT" "$RATE" >/dev/null &
    local flood=$!
    sleep 0.5
    local served=0 times=()
    for i in $(seq 1 $CLIENTS); do
        sleep 0.1
        local s e out
        s=$(date +%s%N)
        out=$(echo "client $i" | ip netns exec "$CLI" socat -T 5 - "TCP:$server:7,connect-timeout=5" 2>/dev/null || true)
        e=$(date +%s%N)
        [ "$out" = "client $i" ] && served=$((served + 1))
        times+=($(( (e - s) / 1000000 )))
    done
    wait "$flood"
    local sorted
    sorted=$(printf '%s\n' "${times[@]}" | sort -n)
    echo "$served $(echo "$sorted" | sed -n "$((CLIENTS / 2))p") $(echo "$sorted" | tail -1)"
}

# Linux
ip link add sfv0 netns "$CLI" type veth peer name sfv1 netns "$SRV"
ip -n "$CLI" addr add 198.18.94.1/24 dev sfv0
ip -n "$SRV" addr add 198.18.94.2/24 dev sfv1
ip -n "$CLI" link set sfv0 up
ip -n "$SRV" link set sfv1 up
ip -n "$SRV" route add default via 198.18.94.1
ip netns exec "$SRV" socat TCP-LISTEN:7,fork,reuseaddr,backlog=1024 EXEC:cat &
linux_pid=$!
sleep 0.5
mac=$(ip -n "$SRV" link show sfv1 | awk '/ether/ {print $2}')
read -r l_served l_median l_max < <(clients 198.18.94.2 "$mac" sfv0)
l_cookies=$(ip netns exec "$SRV" nstat -az TcpExtSyncookiesSent TcpExtSyncookiesRecv | awk '/Syncookies/ {printf "%s ", $2}')
kill "$linux_pid" 2>/dev/null || true

# ours
"$root/tcpip4j" serve --tap "$TAP" --ip 198.18.95.2/24 --gateway 198.18.95.1 --mac 02:00:c6:12:5f:02 --echo 7 \
    --http 8080 >/tmp/tcpip4j-syn-flood-serve.log 2>&1 &
serve_pid=$!
for _ in $(seq 1 300); do
    ip link show "$TAP" >/dev/null 2>&1 && grep -q "serving until" /tmp/tcpip4j-syn-flood-serve.log && break
    sleep 0.1
done
ip link set dev "$TAP" netns "$CLI"
ip -n "$CLI" addr add 198.18.95.1/24 dev "$TAP"
ip -n "$CLI" link set dev "$TAP" up
read -r o_served o_median o_max < <(clients 198.18.95.2 02:00:c6:12:5f:02 "$TAP")
stats=$(ip netns exec "$CLI" curl -sS --max-time 5 http://198.18.95.2:8080/stats || true)
o_cookies="$(echo "$stats" | awk -F= '/^tcp.syncookies.sent=/ {printf "%s ", $2} /^tcp.syncookies.accepted=/ {printf "%s ", $2}')"

printf 'SYN flood of %d SYNs at %d a second, %d clients during it:\n' "$COUNT" "$RATE" "$CLIENTS"
printf '  %-9s served %2d/%d, median %5s ms, max %5s ms, cookies sent/accepted %s\n' \
    Linux "$l_served" "$CLIENTS" "$l_median" "$l_max" "$l_cookies"
printf '  %-9s served %2d/%d, median %5s ms, max %5s ms, cookies sent/accepted %s\n' \
    tcpip4j "$o_served" "$CLIENTS" "$o_median" "$o_max" "$o_cookies"
