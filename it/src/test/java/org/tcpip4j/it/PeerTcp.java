package org.tcpip4j.it;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.tck.IpVersion;

/**
 * What the TCP interop tests ask of the Linux peer beyond single commands: waiting until a
 * program there listens on a port, and running a command that lasts (a transfer, a
 * capture) beside the test while our stack does its part.
 */
final class PeerTcp {

    private PeerTcp() {
    }

    /**
     * Returns once something in the peer listens on TCP {@code port}, as {@code ss} reports
     * it; fails after 10 s. A program started in the background (socat) opens its socket a
     * moment later, and connecting before would be refused.
     */
    static void awaitListening(LinuxPeer peer, int port) {
        peer.check("timeout", "10", "sh", "-c",
                "until ss -Hltn 'sport = :" + port + "' | grep -q .; do sleep 0.02; done");
    }

    /**
     * Runs {@code shellScript} in the peer on a thread of its own (the exec blocks until the
     * script ends) and returns a future of its standard output; the future fails with the
     * exit code and output when the script exits non-zero.
     */
    static CompletableFuture<String> runInBackground(LinuxPeer peer, String shellScript) {
        return inBackground(() -> peer.check("sh", "-c", shellScript));
    }

    /** Runs {@code task} on a platform thread of its own (Testcontainers' exec blocks). */
    static <T> CompletableFuture<T> inBackground(Supplier<T> task) {
        return CompletableFuture.supplyAsync(task, r -> Thread.ofPlatform().daemon().name("peer-exec").start(r));
    }

    /** socat's address of a TCP listener on {@code port} of {@code version} only. */
    static String socatListen(IpVersion version, int port) {
        return (version == IpVersion.IPV6 ? "TCP6" : "TCP4") + "-LISTEN:" + port;
    }

    /** socat's address of a TCP connection to {@code address}:{@code port} (an IPv6 address in brackets). */
    static String socatConnect(IpAddress address, int port) {
        return address.version() == 6 ? "TCP6:[" + address + "]:" + port : "TCP4:" + address + ":" + port;
    }

    /**
     * A shell fragment that starts tcpdump on the peer's eth0 with {@code filter} and
     * {@code options}, printing to {@code output}, and waits until it captures; the capture's
     * pid is in {@code $td}, to stop it with {@code kill $td; wait $td}.
     */
    static String startCapture(String options, String filter, String output) {
        // The files go first: the wait below must not find an earlier capture's "listening on".
        return "rm -f " + output + " " + output + ".err; tcpdump -n -l -i eth0 " + options + " '" + filter + "' >"
                + output + " 2>" + output + ".err & td=$!;"
                + " i=0; until grep -qs 'listening on' " + output + ".err; do sleep 0.05; i=$((i+1));"
                + " [ $i -gt 200 ] && exit 3; done;";
    }

    /**
     * A shell fragment that stops the capture {@link #startCapture} started into
     * {@code output} once it shows {@code awaited} (a grep pattern: the last frame the test
     * needs), or after 5 s: tcpdump reads its ring only when scheduled, and a capture
     * killed at once on a busy machine may not have printed the frames yet.
     */
    static String stopCapture(String output, String awaited) {
        return " i=0; until grep -q '" + awaited + "' " + output + "; do sleep 0.05; i=$((i+1));"
                + " [ $i -gt 100 ] && break; done; sleep 0.2; kill $td; wait $td;";
    }
}
