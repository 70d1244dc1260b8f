package org.tcpip4j.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.tcpip4j.testsupport.Ci;
import org.testcontainers.DockerClientFactory;

/**
 * Whether this machine can run the interop suite: root (TAP devices, bridge ports), the
 * TUN/TAP driver, the {@code ip} tool, a Docker engine that answers, and the peer image
 * built by {@code scripts/prepare-interop.sh}.
 *
 * <p>The suite runs when asked for, with {@code -Dtcpip4j.interop=true} (as {@code ./run-tests}
 * does as root), or under CI (the environment's {@code CI} is {@code true}, {@code 1} or
 * {@code yes}, in any case, as {@code scripts/ci.sh} reads it: {@code it/pom.xml}'s profile
 * {@code ci} then runs the module's tests); otherwise each test is skipped at once. When
 * something is missing the suite is skipped with the reason printed; under CI it fails
 * instead, so a green CI run always means the interop tests ran.
 */
public final class InteropPreconditions {

    /** The peer image; {@code scripts/prepare-interop.sh} builds it under the same name and variable. */
    public static final String PEER_IMAGE = envOr("TCPIP4J_PEER_IMAGE", "tcpip4j/peer:bookworm-v6");

    private static volatile String missing;
    private static volatile boolean checked;

    private InteropPreconditions() {
    }

    /** Returns when the suite can run; otherwise skips the calling test (fails it under CI). */
    public static void require(String what) {
        requireAsked(what);
        String reason = missingPrerequisite();
        if (reason == null) {
            return;
        }
        skipOrFail(what, reason);
    }

    /**
     * As {@link #require}, for a test that needs no container, only the host: root, the
     * TUN/TAP driver, {@code ip}, and each of {@code tools} on the path
     * ({@code scripts/prepare-interop.sh} installs them).
     */
    public static void requireHost(String what, String... tools) {
        requireAsked(what);
        String reason = hostMissing();
        for (int i = 0; reason == null && i < tools.length; i++) {
            if (!commandWorks("sh", "-c", "command -v " + tools[i])) {
                reason = tools[i] + " is missing; scripts/prepare-interop.sh installs it";
            }
        }
        if (reason == null) {
            return;
        }
        skipOrFail(what, reason);
    }

    /** Skips the calling test unless the suite was asked for or this is a CI run. */
    private static void requireAsked(String what) {
        if (!Boolean.getBoolean("tcpip4j.interop") && !Ci.isCi()) {
            Assumptions.abort(what + " not run: the interop suite runs with -Dtcpip4j.interop=true or under CI");
        }
    }

    /** Skips the calling test, saying why; under CI fails it instead. */
    private static void skipOrFail(String what, String reason) {
        String message = what + " cannot run: " + reason;
        System.err.println("[interop] SKIPPED " + message);
        if (Ci.isCi()) {
            throw new AssertionError(message + " (CI=" + System.getenv("CI")
                    + ", where a skipped interop test fails the run)");
        }
        Assumptions.abort(message);
    }

    /** What this machine lacks, or null; checked once per JVM. */
    static synchronized String missingPrerequisite() {
        if (!checked) {
            missing = check();
            checked = true;
        }
        return missing;
    }

    private static String check() {
        String host = hostMissing();
        if (host != null) {
            return host;
        }
        boolean dockerUp;
        try {
            dockerUp = DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            dockerUp = false;
        }
        if (!dockerUp) {
            return "no Docker engine answers; run scripts/prepare-interop.sh as root (it installs and starts"
                    + " dockerd), with TESTCONTAINERS_RYUK_DISABLED=true and TESTCONTAINERS_HOST_OVERRIDE=localhost";
        }
        try {
            DockerClientFactory.lazyClient().inspectImageCmd(PEER_IMAGE).exec();
        } catch (RuntimeException e) {
            return "the peer image " + PEER_IMAGE + " is missing (no registry is reachable, so it is built"
                    + " locally): run scripts/prepare-interop.sh as root";
        }
        return null;
    }

    /** What the host lacks for TAP devices and namespaces, or null. */
    private static String hostMissing() {
        if (!System.getProperty("os.name", "").startsWith("Linux")) {
            return "the interop suite needs Linux (TAP devices, bridges)";
        }
        long uid = effectiveUid();
        if (uid != 0) {
            return "the interop suite needs root to create TAP devices and attach them to Docker's bridges"
                    + " (effective uid " + uid + "); run ./run-tests as root";
        }
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            return "/dev/net/tun is missing (load the tun module: modprobe tun)";
        }
        if (!commandWorks("ip", "-V")) {
            return "the ip command (iproute2) is missing; scripts/prepare-interop.sh installs it";
        }
        return null;
    }

    private static boolean commandWorks(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The effective uid from /proc/self/status ("Uid: real effective saved fs"), or -1. */
    private static long effectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Long.parseLong(line.substring(4).trim().split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
