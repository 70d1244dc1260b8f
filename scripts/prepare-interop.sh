#!/usr/bin/env bash
# Prepares this machine for the interop tests (module `it`): a running Docker engine and
# the peer image, built locally because no image registry is reachable.
#
# Idempotent: every step is skipped when its result is already there, so a second run on a
# prepared machine takes a second or two.
#
#   1. root is required (Docker, TAP devices, bridges); without it: exit 3, and the caller
#      decides whether the interop tests are skipped or the run fails.
#   2. installs the host tools the tests run (ip; ping, curl, socat, nc and tshark for the
#      cli module's tests; tcpdump for the path MTU test's router; ethtool for netif-tap's
#      offload test) and Debian's docker.io
#      when they are missing;
#   3. starts dockerd in the background when `docker info` fails, and waits for it;
#   4. builds the peer image (a minimal Debian made by debootstrap, then `docker import`)
#      when `docker image inspect` does not find it.
#
# Exit codes: 0 ready; 3 not root; 4 Docker could not be installed or started;
# 5 the peer image could not be built.
#
# Environment:
#   TCPIP4J_PEER_IMAGE    the image to build (default tcpip4j/peer:bookworm-v6); the tests read
#                         the same variable with the same default
#   TCPIP4J_DOCKERD_LOG   where dockerd logs (default /var/log/tcpip4j-dockerd.log)
#   TCPIP4J_DOCKER_WAIT   seconds to wait for dockerd (default 60)
set -euo pipefail

# The one place the peer image is named (the Java fixture uses the same default). The tag
# changes with the package list, so a machine holding an older image builds the new one.
PEER_IMAGE="${TCPIP4J_PEER_IMAGE:-tcpip4j/peer:bookworm-v6}"
PEER_SUITE=bookworm
# radvd sends the router advertisements of the SLAAC test; ndisc6 (ndisc6, rdisc6) solicits
# neighbors and routers by hand when a test or a person needs to look.
PEER_PACKAGES=iproute2,iputils-ping,netcat-openbsd,socat,iperf3,tcpdump,radvd,ndisc6
DOCKERD_LOG="${TCPIP4J_DOCKERD_LOG:-/var/log/tcpip4j-dockerd.log}"
DOCKER_WAIT="${TCPIP4J_DOCKER_WAIT:-60}"
# The debootstrap tree is built outside the repository and removed after the import.
ROOTFS_PARENT=/var/tmp

say() { printf 'prepare-interop: %s\n' "$*" >&2; }
die() { local code=$1; shift; say "ERROR: $*"; exit "$code"; }

if [ "$(id -u)" -ne 0 ]; then
    say "not running as root (uid $(id -u)): the interop tests need root to run Docker and to"
    say "create TAP devices and bridges. Run this script (and the tests) as root."
    exit 3
fi

export DEBIAN_FRONTEND=noninteractive
apt_updated=false
apt_install() {
    if [ "$apt_updated" = false ]; then
        say "apt-get update"
        apt-get update -qq || return 1
        apt_updated=true
    fi
    say "apt-get install $*"
    apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Tools the tests themselves run on the host: ip (TAP, bridge, namespaces).
if ! command -v ip >/dev/null 2>&1; then
    apt_install iproute2 || die 4 "could not install iproute2"
fi

# The Linux tools the cli module's tests reach `tcpip4j serve` with from a namespace, and
# tshark, which must open the pcap files that `serve` and `demo` write.
host_tools=()
command -v ping >/dev/null 2>&1 || host_tools+=(iputils-ping)
command -v curl >/dev/null 2>&1 || host_tools+=(curl)
# wrk loads serve --http with keep-alive requests.
command -v wrk >/dev/null 2>&1 || host_tools+=(wrk)
command -v socat >/dev/null 2>&1 || host_tools+=(socat)
command -v nc >/dev/null 2>&1 || host_tools+=(netcat-openbsd)
# tcpdump watches the namespace router of the path MTU test for IP fragments.
command -v tcpdump >/dev/null 2>&1 || host_tools+=(tcpdump)
# ethtool reads the features TUNSETOFFLOAD gives a TAP, and turns checksum offload off on
# the router namespace of the netif-tap offload test.
command -v ethtool >/dev/null 2>&1 || host_tools+=(ethtool)
# python3 writes the raw frames of the SYN flood test.
command -v python3 >/dev/null 2>&1 || host_tools+=(python3)
if ! command -v tshark >/dev/null 2>&1; then
    # wireshark-common asks whether non-root users may capture; answer "no" beforehand so
    # the install never waits for a terminal.
    echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
    host_tools+=(tshark)
fi
if [ "${#host_tools[@]}" -gt 0 ]; then
    apt_install "${host_tools[@]}" || die 4 "could not install ${host_tools[*]}"
fi

# --- 2. the Docker engine -----------------------------------------------------------
if ! command -v dockerd >/dev/null 2>&1; then
    say "dockerd is not installed: installing Debian's docker.io"
    # iptables: dockerd programs the isolation of internal networks with it.
    apt_install docker.io iptables ca-certificates || die 4 "could not install docker.io"
fi
command -v docker >/dev/null 2>&1 || die 4 "docker.io is installed but no docker client is on PATH"

# --- 3. a running daemon ------------------------------------------------------------
if docker info >/dev/null 2>&1; then
    say "Docker engine already running"
else
    # dockerd writes its pid here; a live one that does not answer yet is still starting.
    dockerd_pid=$(cat /var/run/docker.pid 2>/dev/null || true)
    if [ -n "$dockerd_pid" ] && kill -0 "$dockerd_pid" 2>/dev/null; then
        say "dockerd (pid $dockerd_pid) is running but does not answer yet; waiting for it"
    else
        say "starting dockerd (log: $DOCKERD_LOG)"
        mkdir -p "$(dirname "$DOCKERD_LOG")"
        # setsid: the daemon outlives this script and is not killed with the caller's group.
        setsid dockerd >>"$DOCKERD_LOG" 2>&1 </dev/null &
        dockerd_pid=$!
    fi
    waited=0
    until docker info >/dev/null 2>&1; do
        if ! kill -0 "$dockerd_pid" 2>/dev/null; then
            say "dockerd exited; the end of its log:"
            tail -n 20 "$DOCKERD_LOG" >&2 || true
            die 4 "the Docker engine could not be started"
        fi
        if [ "$waited" -ge "$DOCKER_WAIT" ]; then
            tail -n 20 "$DOCKERD_LOG" >&2 || true
            die 4 "the Docker engine did not answer within ${DOCKER_WAIT}s"
        fi
        sleep 1
        waited=$((waited + 1))
    done
    say "Docker engine up after ${waited}s"
fi

# --- 4. the peer image --------------------------------------------------------------
if docker image inspect "$PEER_IMAGE" >/dev/null 2>&1; then
    say "peer image $PEER_IMAGE present"
else
    if ! command -v debootstrap >/dev/null 2>&1; then
        apt_install debootstrap || die 5 "could not install debootstrap"
    fi
    rootfs=$(mktemp -d "$ROOTFS_PARENT/tcpip4j-peer-rootfs.XXXXXX")
    # The tree holds device nodes and root-owned files: always remove it, even on failure.
    trap 'rm -rf --one-file-system "$rootfs"' EXIT
    say "building $PEER_IMAGE: debootstrap $PEER_SUITE into $rootfs (about a minute)"
    if ! debootstrap --variant=minbase --include="$PEER_PACKAGES" "$PEER_SUITE" "$rootfs" \
            >"$rootfs.log" 2>&1; then
        tail -n 20 "$rootfs.log" >&2 || true
        die 5 "debootstrap failed (full log: $rootfs.log)"
    fi
    rm -f "$rootfs.log"
    # apt's lists and caches are not needed in the peer.
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    say "importing the tree as $PEER_IMAGE"
    tar -C "$rootfs" -c . | docker import --change 'CMD ["sleep", "infinity"]' - "$PEER_IMAGE" >/dev/null \
        || die 5 "docker import failed"
    rm -rf --one-file-system "$rootfs"
    trap - EXIT
    say "peer image $PEER_IMAGE built"
fi

say "ready: Docker engine running, peer image $PEER_IMAGE present"
