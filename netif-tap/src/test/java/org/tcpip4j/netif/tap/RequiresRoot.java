package org.tcpip4j.netif.tap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.tcpip4j.testsupport.Ci;

/**
 * Skips a test class, with the reason printed, when the machine cannot run it: not root,
 * no {@code /dev/net/tun}, no {@code ip}. Under CI (the environment's {@code CI} is
 * {@code true}, {@code 1} or {@code yes}, in any case) the class fails instead, so a green
 * CI run means these tests really ran.
 */
public final class RequiresRoot implements BeforeAllCallback {

    /** The extension, as JUnit makes it for {@code @ExtendWith}. */
    public RequiresRoot() {
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        String missing = missingPrerequisite();
        if (missing == null) {
            return;
        }
        String message = context.getDisplayName() + " cannot run: " + missing;
        System.err.println("[netif-tap] SKIPPED " + message);
        if (Ci.isCi()) {
            throw new AssertionError(message + " (CI=" + System.getenv("CI") + ", where a skipped test fails the run)");
        }
        Assumptions.abort(message);
    }

    /** What this machine lacks to run TAP tests, or null. */
    static String missingPrerequisite() {
        if (!System.getProperty("os.name", "").startsWith("Linux")) {
            return "TAP devices need Linux";
        }
        long uid = effectiveUid();
        if (uid != 0) {
            return "it needs root (creating TAP devices and namespaces needs CAP_NET_ADMIN); effective uid is " + uid;
        }
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            return "/dev/net/tun is missing (modprobe tun)";
        }
        if (Commands.run("ip", "-V").exitCode() != 0) {
            return "the ip command (iproute2) is missing";
        }
        return null;
    }

    /** The effective uid from /proc/self/status ("Uid: real effective saved fs"), or -1. */
    static long effectiveUid() {
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
}
