package org.tcpip4j.testsupport;

import java.util.Locale;

/**
 * Whether this is a CI run, where a test that cannot run fails instead of being skipped:
 * the environment's {@code CI} is {@code true}, {@code 1} or {@code yes}, in any case, the
 * rule {@code scripts/ci.sh} reads it by.
 */
public final class Ci {

    private Ci() {
    }

    /** True when the environment's {@code CI} says this is a CI run. */
    public static boolean isCi() {
        return isCi(System.getenv("CI"));
    }

    /** True when {@code value}, taken as the environment's {@code CI}, says this is a CI run. */
    public static boolean isCi(String value) {
        return value != null && switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            default -> false;
        };
    }
}
