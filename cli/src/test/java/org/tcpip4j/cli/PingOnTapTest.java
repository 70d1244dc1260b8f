package org.tcpip4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * {@code tcpip4j ping} from our stack on a TAP device to Linux, whose side of the TAP is in
 * a namespace the test creates, at 198.18.93.1/24 and 2001:2:0:93::1/64; our stack is
 * 198.18.93.2, and 2001:2:0:93::2 when a test gives it IPv6.
 */
@NeedsHost
@Timeout(90)
class PingOnTapTest {

    private static final String KERNEL = "198.18.93.1";
    private static final String KERNEL6 = "2001:2:0:93::1";
    private static Namespace namespace;

    @BeforeAll
    static void createNamespace() {
        namespace = Namespace.create();
    }

    @AfterAll
    static void deleteNamespace() {
        if (namespace != null) {
            namespace.close();
        }
    }

    private record Run(int code, String out) {
    }

    private static Run ping(String... args) {
        CapturedOutput output = new CapturedOutput();
        PingCommand ping = new PingCommand();
        ping.out = output.stream;
        ping.onReady = tap -> {
            namespace.adopt(tap.interfaceName(), KERNEL + "/24");
            // nodad: the kernel's address is usable at once (our own ran DAD before onReady).
            HostCommand.check("ip", "-n", namespace.name, "addr", "add", KERNEL6 + "/64", "dev", tap.interfaceName(),
                    "nodad");
        };
        String[] all = new String[args.length + 4];
        System.arraycopy(new String[] {"--tap", Namespace.freshTapName(), "--ip", "198.18.93.2/24"}, 0, all, 0, 4);
        System.arraycopy(args, 0, all, 4, args.length);
        int code = new CommandLine(ping).execute(all);
        return new Run(code, output.text());
    }

    @Test
    void linuxAnswersAndTheOutputHasTheShapeOfLinuxPing() {
        Run r = ping("-c", "3", "-i", "0.2", "-s", "100", KERNEL);
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().startsWith("PING " + KERNEL + " (" + KERNEL + ") 100(128) bytes of data.\n"), r.out());
        for (int seq = 1; seq <= 3; seq++) {
            assertTrue(Pattern.compile("(?m)^108 bytes from " + Pattern.quote(KERNEL) + ": icmp_seq=" + seq
                    + " time=\\d+(\\.\\d+)? ms$").matcher(r.out()).find(), r.out());
        }
        assertTrue(r.out().contains("\n--- " + KERNEL + " ping statistics ---\n"), r.out());
        assertTrue(r.out().contains("3 packets transmitted, 3 received, 0% packet loss, time "), r.out());
        assertTrue(Pattern.compile("(?m)^rtt min/avg/max/mdev = [\\d.]+/[\\d.]+/[\\d.]+/[\\d.]+ ms$")
                .matcher(r.out()).find(), r.out());
    }

    @Test
    void aHostThatNeverAnswersMeansExitCodeOne() {
        Run r = ping("-c", "2", "-i", "0.2", "-W", "0.5", "198.18.93.77");
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().contains("2 packets transmitted, 0 received, 100% packet loss"), r.out());
        assertFalse(r.out().contains("rtt min/avg/max/mdev"), r.out());
    }

    @Test
    void overIpv6LinuxAnswersFragmentedEchoesAndTheOutputHasTheShapeOfLinuxPing() {
        Run r = ping("--ip6", "2001:2:0:93::2/64", "-c", "3", "-i", "0.2", "-s", "4000", KERNEL6);
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().startsWith("PING " + KERNEL6 + " (" + KERNEL6 + ") 4000 data bytes\n"), r.out());
        for (int seq = 1; seq <= 3; seq++) {
            assertTrue(Pattern.compile("(?m)^4008 bytes from " + Pattern.quote(KERNEL6) + ": icmp_seq=" + seq
                    + " time=\\d+(\\.\\d+)? ms$").matcher(r.out()).find(), r.out());
        }
        assertTrue(r.out().contains("3 packets transmitted, 3 received, 0% packet loss, time "), r.out());
    }

    @Test
    void anIpv6DestinationWithoutIpv6IsAUsageError() {
        Run r = ping("-c", "1", KERNEL6);
        assertEquals(2, r.code(), r.out());
    }
}
