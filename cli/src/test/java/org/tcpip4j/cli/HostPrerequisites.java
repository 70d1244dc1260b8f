package org.tcpip4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.tcpip4j.testsupport.Ci;

/** Checks a class's {@link NeedsHost}: skips it with a printed reason, or fails it under CI (true, 1 or yes). */
final class HostPrerequisites implements BeforeAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        NeedsHost needs = context.getRequiredTestClass().getAnnotation(NeedsHost.class);
        String missing = missing(needs);
        if (missing == null) {
            return;
        }
        String message = context.getDisplayName() + " cannot run: " + missing;
        System.err.println("[cli] SKIPPED " + message);
        if (Ci.isCi()) {
            throw new AssertionError(message + " (CI=" + System.getenv("CI") + ", where a skipped test fails the run)");
        }
        Assumptions.abort(message);
    }

    /**
     * Skips the calling test, with the reason printed, unless {@code tool} is on the PATH;
     * under CI fails it instead.
     */
    static void requireTool(String tool) {
        if (HostCommand.available(tool)) {
            return;
        }
        String message = tool + " is not installed (scripts/prepare-interop.sh installs it as root: apt-get install "
                + packageOf(tool) + ")";
        System.err.println("[cli] SKIPPED a test: " + message);
        if (Ci.isCi()) {
            throw new AssertionError(message + " (CI=" + System.getenv("CI") + ", where a skipped test fails the run)");
        }
        Assumptions.abort(message);
    }

    private static String missing(NeedsHost needs) {
        if (needs.root()) {
            if (!System.getProperty("os.name", "").startsWith("Linux")) {
                return "TAP devices and network namespaces need Linux";
            }
            long uid = effectiveUid();
            if (uid != 0) {
                return "it needs root (TAP devices and network namespaces need CAP_NET_ADMIN); effective uid is " + uid;
            }
            if (!Files.exists(Path.of("/dev/net/tun"))) {
                return "/dev/net/tun is missing (modprobe tun)";
            }
            if (!HostCommand.available("ip")) {
                return "the ip command (iproute2) is missing";
            }
        }
        for (String tool : needs.tools()) {
            if (!HostCommand.available(tool)) {
                return tool + " is not installed (scripts/prepare-interop.sh installs it as root: apt-get install "
                        + packageOf(tool) + ")";
            }
        }
        return null;
    }

    private static String packageOf(String tool) {
        return switch (tool) {
            case "ping" -> "iputils-ping";
            case "nc" -> "netcat-openbsd";
            default -> tool;
        };
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

}
