package org.tcpip4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tcpip4j.netif.impair.Impairment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The impairment options of {@code demo}, {@code serve} and {@code perf}: how they parse,
 * the {@link Impairment} each direction gets, the banner's line, and the usage errors.
 */
class ImpairmentOptionsTest {

    /** A command holding only the options, as the three commands mix them in. */
    @Command(name = "holder")
    static final class Holder implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        ImpairmentOptions options = new ImpairmentOptions();

        @Override
        public void run() {
            options.validate(spec);
        }
    }

    private static ImpairmentOptions parse(String... args) {
        Holder h = new Holder();
        CommandLine cl = new CommandLine(h);
        cl.parseArgs(args);
        h.options.validate(h.spec);
        return h.options;
    }

    private record Run(int code, String err) {
    }

    private static Run run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        int code = cl.execute(args);
        return new Run(code, err.toString());
    }

    @Test
    void everyOptionMapsToTheImpairmentOfEachDirection() {
        ImpairmentOptions o = parse("--loss", "1", "--delay", "25", "--jitter", "2.5", "--rate", "100", "--queue", "100",
                "--reorder", "2", "--duplicate", "0.5", "--seed", "7");
        Impairment i = o.impairment(1500);
        assertEquals(0.01, i.lossProbability(), 1e-12);
        assertEquals(Duration.ofMillis(25), i.delay());
        assertEquals(Duration.ofMillis(2).plusNanos(500_000), i.jitter());
        assertEquals(100_000_000L, i.bandwidthBitsPerSecond());
        assertEquals(100, i.queueLimit());
        assertEquals(0.02, i.reorderProbability(), 1e-12);
        assertEquals(3, i.reorderDistance());
        assertEquals(Duration.ofMillis(10), i.reorderMaxHold());
        assertEquals(0.005, i.duplicateProbability(), 1e-12);
        assertEquals(Impairment.BurstLoss.NONE, i.burstLoss());
        assertEquals(0, i.corruptProbability());
        assertTrue(i.blackouts().isEmpty());
        assertEquals(7, o.seed);
        assertEquals(List.of("--loss", "--delay", "--jitter", "--rate", "--queue", "--reorder", "--duplicate"), o.given());
    }

    @Test
    void withoutOptionsNothingIsImpairedAndTheBannerSaysNothing() {
        ImpairmentOptions o = parse();
        assertTrue(o.impairment(1500).isNone());
        assertTrue(o.given().isEmpty());
        assertNull(o.describe(1500));
        assertTrue(parse("--loss", "0", "--seed", "9").impairment(1500).isNone(), "zero is none");
    }

    @Test
    void theDefaultQueueIsTheBandwidthDelayProductInFullSizeFramesAtLeast16() {
        // 100 Mbit/s over the 50 ms round trip of --delay 25: 625,000 bytes, 412.8 frames of 1514 bytes.
        assertEquals(413, parse("--rate", "100", "--delay", "25").queueFrames(1500));
        assertEquals(413, parse("--rate", "100", "--delay", "25").impairment(1500).queueLimit());
        // The same product in frames of a 9000-byte MTU.
        assertEquals(70, parse("--rate", "100", "--delay", "25").queueFrames(9000));
        assertEquals(16, parse("--rate", "100").queueFrames(1500), "no delay: the floor");
        assertEquals(16, parse("--rate", "1", "--delay", "25").queueFrames(1500), "4.1 frames: the floor");
        assertEquals(0, parse("--delay", "25").queueFrames(1500), "no rate, no queue");
        assertEquals(0, parse("--delay", "25").impairment(1500).bandwidthBitsPerSecond());
    }

    @Test
    void aQueueGivenAsASizeHoldsItsFullSizeFrames() {
        assertEquals(43, parse("--rate", "10", "--queue", "64KiB").queueFrames(1500), "65536 / 1514");
        assertEquals(660, parse("--rate", "10", "--queue", "1MB").queueFrames(1500), "1,000,000 / 1514");
        assertEquals(692, parse("--rate", "10", "--queue", "1MiB").queueFrames(1500));
        assertEquals(66, parse("--rate", "10", "--queue", "100kB").queueFrames(1500));
        assertEquals(1, parse("--rate", "10", "--queue", "100B").queueFrames(1500), "never less than one frame");
        assertEquals(2, parse("--rate", "10", "--queue", "3028 b").queueFrames(1500));
        assertEquals(43, parse("--rate", "10", "--queue", "64K").queueFrames(1500), "K is 1024");
        assertEquals(692, parse("--rate", "10", "--queue", "1m").queueFrames(1500), "in any case");
        assertEquals(25, parse("--rate", "0.5", "--queue", "25").queueFrames(1500), "a plain number is packets");
        assertEquals(500_000L, parse("--rate", "0.5").rateBitsPerSecond());
    }

    @Test
    void theBannerStatesEveryImpairmentInOneLine() {
        String pm = ImpairmentOptions.PLUS_MINUS;
        assertEquals("impairments: loss 1% each way, delay 25 ms " + pm + "2 ms each way (50 ms RTT), rate 100 Mbit/s "
                        + "each way with a 413-packet queue, reorder 0.5% each way (3 frames overtake, 10 ms hold at "
                        + "most), duplicate 0.25% each way, seed 1",
                parse("--loss", "1", "--delay", "25", "--jitter", "2", "--rate", "100", "--reorder", "0.5",
                        "--duplicate", "0.25").describe(1500));
        assertEquals("impairments: rate 2.5 Mbit/s each way with a 43-packet queue (64KiB), seed 3",
                parse("--rate", "2.5", "--queue", "64KiB", "--seed", "3").describe(1500));
        assertEquals("impairments: delay 0.5 ms each way (1 ms RTT), seed 1", parse("--delay", "0.5").describe(1500));
        assertEquals("impairments: loss 5% each way, seed 7", parse("--loss", "5", "--seed", "7").describe(1500));
    }

    /** The command's usage error: exit code 2, and its one line without the command's name and the help's. */
    private static String usageError(String... args) {
        Run r = run(args);
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        String line = r.err().strip();
        String command = "tcpip4j " + args[0];
        String help = "; see '" + command + " --help'";
        assertTrue(line.startsWith(command + ": ") && line.endsWith(help), line);
        return line.substring(command.length() + 2, line.length() - help.length());
    }

    @Test
    void outOfRangeValuesAreUsageErrorsNamingTheOptionTheValueAndTheRule() {
        assertEquals("--jitter 5: must be 0 to --delay (2 ms)", usageError("demo", "--delay", "2", "--jitter", "5"));
        assertEquals("--jitter 5: must be 0 to --delay (2 ms)",
                usageError("serve", "--tap", "t0", "--ip", "198.18.0.2/24", "--delay", "2", "--jitter", "5"));
        assertEquals("--jitter 5: must be 0 to --delay (2 ms)", usageError("perf", "--delay", "2", "--jitter", "5"));
        assertEquals("--loss 100: must be a percentage in [0, 100)", usageError("demo", "--loss", "100"));
        assertEquals("--reorder -1: must be a percentage in [0, 100)", usageError("demo", "--reorder", "-1"));
        assertEquals("--duplicate 150: must be a percentage in [0, 100)", usageError("demo", "--duplicate", "150"));
        assertEquals("--delay -5: must be 0 to 10000 ms", usageError("demo", "--delay", "-5"));
        assertEquals("--delay NaN: not a number", usageError("demo", "--delay", "NaN"));
        assertEquals("--jitter 1: must be 0 to --delay (0 ms)", usageError("demo", "--jitter", "1"));
        assertEquals("--rate 0: must be 0.001 to 100000 Mbit/s", usageError("demo", "--rate", "0"));
        assertEquals("--queue 100: goes with --rate (the queue in front of the bottleneck)",
                usageError("demo", "--queue", "100"));
        assertEquals("--queue 0: must be 1 to 1000000 packets, or a size of 1 B to 1 GiB",
                usageError("demo", "--rate", "10", "--queue", "0"));
        assertEquals("--queue 2048MiB: must be 1 to 1000000 packets, or a size of 1 B to 1 GiB",
                usageError("demo", "--rate", "10", "--queue", "2048MiB"));
        assertEquals("--queue '64 furlongs': neither a number of packets (100) nor a size with a unit (64K, 64KiB, "
                + "1MB, 90000B)", usageError("demo", "--rate", "10", "--queue", "64 furlongs"));
        assertEquals("--delay soon: not a number", usageError("demo", "--delay", "soon"));
    }

    @Test
    void theSocketStackAndCompareRefuseImpairmentsAndCaptureTheyCannotApply() {
        assertEquals("--loss 1: cannot apply to --stack socket, which is the host kernel's TCP over loopback: "
                + "perf cannot impair that path", usageError("perf", "--stack", "socket", "--loss", "1", "--delay", "5"));
        assertEquals("--rate 100: cannot apply to --compare, whose socket run is the host kernel's TCP over loopback: "
                + "perf cannot impair that path", usageError("perf", "--compare", "--rate", "100"));
        assertEquals("--pcap x.pcap: cannot capture --stack socket, which is the host kernel's TCP over loopback "
                + "(capture that with tcpdump -i lo)", usageError("perf", "--stack", "socket", "--pcap", "x.pcap"));
        assertEquals("--pcap x.pcap: cannot capture --compare, whose socket run is the host kernel's TCP over loopback "
                + "(capture that with tcpdump -i lo)", usageError("perf", "--compare", "--pcap", "x.pcap"));
    }
}
