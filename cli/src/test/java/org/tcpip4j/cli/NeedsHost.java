package org.tcpip4j.cli;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a test class needs of the machine: root (TAP devices and network namespaces) and
 * host tools on the PATH. Without them the class is skipped with the reason printed, and
 * under {@code CI=true} it fails instead, so a green CI run means these tests ran.
 * {@code scripts/prepare-interop.sh} (run by {@code ./run-tests} as root) installs the tools.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(HostPrerequisites.class)
@interface NeedsHost {

    /** Whether the tests need root, /dev/net/tun and ip (iproute2). */
    boolean root() default true;

    /** Tools that must be on the PATH: "ping", "curl", "socat", "tshark". */
    String[] tools() default {};
}
