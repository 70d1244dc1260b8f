#!/usr/bin/env bash
# Tests the ./tcpip4j launcher as other users meet it (./run-tests runs this after the
# suite, as root):
#
#  1. two first runs at once in a fresh copy of the checkout build once: the second waits
#     for the first's lock and then runs what it built;
#  2. a second user, nobody, with no writable home and no Maven on the path, runs
#     `--version` and a short demo from a checkout root built, without building;
#  3. that user, in a copy whose sources changed after the build, runs the build as it is
#     with one line saying so; in a copy never built, gets one line saying why not.
#
# It needs root (to act as nobody) and a built checkout: it runs ./tcpip4j --version as root
# first, which builds only when the build is missing or older than the sources (after the
# suite's `mvn verify` it is neither). The copies' "build" is a stand-in that sleeps and
# copies this checkout's build (TCPIP4J_BUILD_COMMAND), so the lock is tested in seconds.
# Not root: says it did not run, and fails under CI (CI=true, 1 or yes, in any case).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

say() { echo "test-launcher: $*"; }
failures=0
fail() { echo "test-launcher: FAIL $*" >&2; failures=$((failures + 1)); }
source "$root/scripts/ci.sh"

if [ "$(id -u)" != 0 ] || ! command -v setpriv >/dev/null 2>&1 || ! id nobody >/dev/null 2>&1; then
    echo "test-launcher: NOT RUN: the launcher tests need root, setpriv (util-linux) and the user nobody" >&2
    if is_ci; then
        echo "test-launcher: under CI a test that cannot run fails the run" >&2
        exit 1
    fi
    exit 0
fi

# nobody, with the home Debian gives it (/nonexistent) and a PATH whose mvn records that it
# was called: nothing here may build.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tcpip4j-launcher.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
mkdir "$tmp/bin"
cat >"$tmp/bin/mvn" <<EOF
#!/bin/sh
echo "mvn \$*" >>"$tmp/mvn-calls"
exit 1
EOF
chmod 755 "$tmp/bin/mvn"
as_nobody() {
    setpriv --reuid="$(id -u nobody)" --regid="$(id -g nobody)" --clear-groups \
        env -i PATH="$tmp/bin:/usr/bin:/bin" HOME=/nonexistent "$@"
}

# A copy of the checkout's sources (no target directories), owned by root, readable by all.
copy_sources() {
    mkdir -p "$1"
    tar -C "$root" --exclude=target --exclude=.git --exclude=.peer-image --exclude='*.pcap' -cf - . \
        | tar -C "$1" -xf -
    chmod -R go+rX,go-w "$1"
}

# --- the checkout, built as root ---
say "building the checkout as root when it is not built (./tcpip4j --version)"
if ! ./tcpip4j --version >"$tmp/root.out" 2>"$tmp/root.err"; then
    cat "$tmp/root.err" >&2
    fail "./tcpip4j --version as root"
    exit 1
fi
grep '^tcpip4j: ' "$tmp/root.err" || true
if grep -q '^/' cli/target/module-path.txt || grep -q '\.m2' cli/target/module-path.txt; then
    fail "cli/target/module-path.txt names paths outside the checkout: $(cat cli/target/module-path.txt)"
fi

# --- 1. two first runs at once build once ---
say "two first runs at once in a fresh copy"
copy_sources "$tmp/fresh"
cat >"$tmp/stub-build" <<EOF
#!/bin/sh
# Stands in for Maven: slow enough for the second launcher to arrive, then the real build's output.
set -e
echo build >>"$tmp/builds"
sleep 5
mkdir -p cli/target
cp -r "$root"/cli/target/lib "$root"/cli/target/cli-*.jar "$root"/cli/target/module-path.txt cli/target/
EOF
chmod 755 "$tmp/stub-build"
for i in 1 2; do
    TCPIP4J_BUILD_COMMAND="$tmp/stub-build" "$tmp/fresh/tcpip4j" --version \
        >"$tmp/first$i.out" 2>"$tmp/first$i.err" &
    eval "pid$i=$!"
done
wait "$pid1" || fail "the first of two simultaneous first runs exited with $?"
wait "$pid2" || fail "the second of two simultaneous first runs exited with $?"
cat "$tmp/first1.err" "$tmp/first2.err"
builds=$(wc -l <"$tmp/builds" 2>/dev/null || echo 0)
building=$(cat "$tmp/first1.err" "$tmp/first2.err" | grep -c '^tcpip4j: building' || true)
waiting=$(cat "$tmp/first1.err" "$tmp/first2.err" | grep -c 'waiting for another build' || true)
[ "$builds" = 1 ] || fail "two simultaneous first runs built $builds times, not once"
[ "$building" = 1 ] || fail "two simultaneous first runs said 'building' $building times, not once"
[ "$waiting" = 1 ] || fail "the second of two simultaneous first runs did not say it was waiting ($waiting)"
for i in 1 2; do
    grep -q '^tcpip4j [0-9]' "$tmp/first$i.out" || fail "simultaneous first run $i printed no version"
done

# --- 2. nobody runs what root built ---
check_nobody_run() {  # LABEL DIR ARGS...: nobody runs DIR/tcpip4j ARGS; it must succeed without building
    local label=$1 dir=$2
    shift 2
    if as_nobody test -w "$dir/cli/target"; then
        fail "$label: nobody can write to $dir/cli/target, so this proves nothing"
        return
    fi
    if ! as_nobody "$dir/tcpip4j" "$@" >"$tmp/nobody.out" 2>"$tmp/nobody.err"; then
        cat "$tmp/nobody.out" "$tmp/nobody.err" >&2
        fail "$label: nobody's ./tcpip4j $* failed"
        return
    fi
    if [ -s "$tmp/nobody.err" ]; then
        cat "$tmp/nobody.err" >&2
        fail "$label: nobody's ./tcpip4j $* said something on stderr (a build, or a stale one)"
    fi
    say "$label: nobody ran ./tcpip4j $*: $(tail -n 1 "$tmp/nobody.out")"
}
check_nobody_run "fresh copy" "$tmp/fresh" --version
check_nobody_run "fresh copy" "$tmp/fresh" demo --bytes 1048576
grep -q 'demo: all steps passed' "$tmp/nobody.out" || fail "nobody's demo did not pass"
if as_nobody test -r "$root/tcpip4j" -a -x "$root/cli/target"; then
    check_nobody_run "this checkout" "$root" --version
else
    say "this checkout is not readable by nobody: the run by nobody was made in the copy only"
fi

# --- 3. nobody, stale and unbuilt copies ---
touch "$tmp/fresh/tcp/src/main/java/module-info.java"
if as_nobody "$tmp/fresh/tcpip4j" --version >"$tmp/stale.out" 2>"$tmp/stale.err"; then
    [ "$(wc -l <"$tmp/stale.err")" = 1 ] && grep -q 'older than the sources' "$tmp/stale.err" \
        || fail "a stale build run by nobody: expected one line saying it is older, got: $(cat "$tmp/stale.err")"
    grep -q '^tcpip4j [0-9]' "$tmp/stale.out" || fail "a stale build run by nobody printed no version"
else
    fail "a stale build run by nobody failed: $(cat "$tmp/stale.err")"
fi
copy_sources "$tmp/unbuilt"
if as_nobody "$tmp/unbuilt/tcpip4j" --version >"$tmp/unbuilt.out" 2>"$tmp/unbuilt.err"; then
    fail "an unbuilt checkout run by nobody succeeded"
else
    [ "$(wc -l <"$tmp/unbuilt.err")" = 1 ] && grep -q 'cannot write' "$tmp/unbuilt.err" \
        || fail "an unbuilt checkout run by nobody: expected one line saying why, got: $(cat "$tmp/unbuilt.err")"
fi

if [ -s "$tmp/mvn-calls" ]; then
    fail "Maven was called for nobody: $(cat "$tmp/mvn-calls")"
fi
if [ "$failures" -gt 0 ]; then
    echo "test-launcher: $failures failure(s)" >&2
    exit 1
fi
say "all passed"
