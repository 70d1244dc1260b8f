package org.tcpip4j.netif.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tcpip4j.netif.tap.child.OpenTapAndWait;

/**
 * A JVM started with {@code ip netns exec NS java ...} creates its TAP inside NS: the device
 * lives in the JVM's network namespace, not in the one the test runs in.
 */
@ExtendWith(RequiresRoot.class)
class TapInNamespacedJvmTest {

    @Test
    void aJvmRunInANamespaceCreatesItsTapThere() throws Exception {
        String namespace = "t4j-ns-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        String name = TapNetifTest.freshName();
        Commands.check("ip", "netns", "add", namespace);
        Process child = null;
        try {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            // The module path of this JVM holds netif-tap and netif-api; the child's program
            // comes from the test classes, on the class path.
            String testClasses = Path.of(OpenTapAndWait.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString();
            List<String> command = List.of("ip", "netns", "exec", namespace, java,
                    "--module-path", System.getProperty("jdk.module.path"),
                    "--add-modules", "org.tcpip4j.netif.tap",
                    "--enable-native-access=org.tcpip4j.netif.tap",
                    "-cp", testClasses, OpenTapAndWait.class.getName(), name);
            child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String opened = out.readLine();
            assertEquals("OPEN " + name + " 1500", opened);

            assertEquals(0, Commands.run("ip", "-n", namespace, "link", "show", "dev", name).exitCode(),
                    "the TAP is in the child's namespace");
            assertNotEquals(0, Commands.run("ip", "link", "show", "dev", name).exitCode(),
                    "and not in the test's");
            String link = Commands.check("ip", "-n", namespace, "-o", "link", "show", "dev", name);
            assertTrue(TapNetifTest.isAdministrativelyUp(link), "set up: " + link);

            try (OutputStream in = child.getOutputStream()) {
                in.write('\n');
            }
            assertEquals("CLOSED", out.readLine());
            assertTrue(child.waitFor(10, TimeUnit.SECONDS));
            assertNotEquals(0, Commands.run("ip", "-n", namespace, "link", "show", "dev", name).exitCode(),
                    "closing deleted it");
        } finally {
            if (child != null && child.isAlive()) {
                child.destroyForcibly();
            }
            Commands.run("ip", "netns", "del", namespace);
        }
    }
}
