package org.tcpip4j.cli;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.channels.Channels;
import java.nio.charset.Charset;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.tcpip4j.netif.NetifOffloads;
import org.tcpip4j.netif.impair.Impairment;
import org.tcpip4j.netif.pcap.PcapWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The path impairments of {@code demo}, {@code serve} and {@code perf}, with {@code --seed}
 * and {@code --pcap}: each impairment applies on our side of the device, to the frames we
 * send and to those we receive alike (each direction with its own queue and delay line),
 * as an {@link Impairment} of an {@link org.tcpip4j.netif.impair.ImpairedNetif}. A
 * {@code --pcap} file is opened before anything else starts ({@link #openCapture}), so that
 * one that cannot be written ends the command at once, in one line.
 */
final class ImpairmentOptions {

    /** How many later frames overtake a frame held back by {@code --reorder}. */
    static final int REORDER_DISTANCE = 3;
    /** How long a frame held back by {@code --reorder} waits at most for those frames. */
    static final Duration REORDER_MAX_HOLD = Duration.ofMillis(10);
    /** The smallest queue {@code --rate} gets by default. */
    static final int MIN_DEFAULT_QUEUE = 16;
    static final double MAX_DELAY_MS = 10_000;
    static final double MIN_RATE_MBIT = 0.001;
    static final double MAX_RATE_MBIT = 100_000;
    static final long MAX_QUEUE_PACKETS = 1_000_000;
    static final long MAX_QUEUE_BYTES = 1L << 30;
    private static final int ETHERNET_HEADER = 14;
    /** "±" where the terminal's encoding has it, else "+-". */
    static final String PLUS_MINUS = encodes(System.getProperty("stdout.encoding"), '\u00b1') ? "\u00b1" : "+-";

    @Option(names = "--loss", paramLabel = "PERCENT", defaultValue = "0",
            description = "Percent of frames dropped at random, each way (default: none).")
    double lossPercent;

    @Option(names = "--delay", paramLabel = "MS", defaultValue = "0",
            description = "One-way delay added each way, in milliseconds: the round trip grows by twice this "
                    + "(default: none; at most 10000).")
    double delayMs;

    @Option(names = "--jitter", paramLabel = "MS", defaultValue = "0",
            description = "Each frame's delay is drawn uniformly from --delay minus to plus this, in milliseconds "
                    + "(at most --delay; default: 0). As netem's, jitter reorders frames.")
    double jitterMs;

    @Option(names = "--rate", paramLabel = "MBIT",
            description = "A bottleneck each way: frames leave at this many Mbit/s (serialisation delay) from a "
                    + "drop-tail queue of --queue packets (default: no limit).")
    Double rateMbit;

    @Option(names = "--queue", paramLabel = "N|SIZE", converter = Converters.QueueLimit.class,
            description = "The --rate queue: N packets, or a size with a unit (64K, 64KiB, 1MB; K is 1024, kB 1000) "
                    + "counted in full-size frames of the device's MTU + 14 bytes. Default: the bandwidth-delay "
                    + "product of --rate and the round trip --delay adds, in full-size frames, at least 16 packets.")
    QueueLimit queue;

    @Option(names = "--reorder", paramLabel = "PERCENT", defaultValue = "0",
            description = "Percent of frames held back, each way, until 3 later frames have overtaken them or "
                    + "10 ms have passed (default: none).")
    double reorderPercent;

    @Option(names = "--duplicate", paramLabel = "PERCENT", defaultValue = "0",
            description = "Percent of frames delivered twice, each way (default: none).")
    double duplicatePercent;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "Seed of the impairments and of the stack's randomness (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--pcap", paramLabel = "FILE",
            description = "Capture the stack's frames to this pcap file (open it in Wireshark or tshark); - writes "
                    + "the capture to standard output (tshark -r -) and everything else to standard error.")
    Path pcap;

    /** The {@code --pcap} that means standard output. */
    static final String STDOUT = "-";

    /** The capture {@link #openCapture} opened, or null. */
    private PcapWriter capture;

    /**
     * A {@code --queue}: a number of frames, or a size in bytes counted in full-size frames.
     *
     * @param value frames, or bytes
     * @param bytes whether {@code value} is bytes
     * @param text what was given on the command line
     */
    record QueueLimit(long value, boolean bytes, String text) {

        /** The frames the queue holds, for a device of {@code mtu}: a size holds its full-size frames, 1 or more. */
        int frames(int mtu) {
            return (int) (bytes ? Math.max(1, value / (mtu + ETHERNET_HEADER)) : value);
        }
    }

    /** Fails with a usage error, one line naming the option, its value and the rule it breaks. */
    void validate(CommandSpec spec) {
        percentage(spec, "--loss", lossPercent);
        percentage(spec, "--reorder", reorderPercent);
        percentage(spec, "--duplicate", duplicatePercent);
        if (!(delayMs >= 0 && delayMs <= MAX_DELAY_MS)) {
            throw Usage.error(spec, "--delay", delayMs, "must be 0 to " + number(MAX_DELAY_MS) + " ms");
        }
        if (!(jitterMs >= 0 && jitterMs <= delayMs)) {
            throw Usage.error(spec, "--jitter", jitterMs, "must be 0 to --delay (" + number(delayMs) + " ms)");
        }
        if (rateMbit != null && !(rateMbit >= MIN_RATE_MBIT && rateMbit <= MAX_RATE_MBIT)) {
            throw Usage.error(spec, "--rate", rateMbit,
                    "must be " + number(MIN_RATE_MBIT) + " to " + number(MAX_RATE_MBIT) + " Mbit/s");
        }
        if (queue != null) {
            if (rateMbit == null) {
                throw Usage.error(spec, "--queue", queue.text(), "goes with --rate (the queue in front of the bottleneck)");
            }
            if (queue.bytes() ? queue.value() < 1 || queue.value() > MAX_QUEUE_BYTES
                    : queue.value() < 1 || queue.value() > MAX_QUEUE_PACKETS) {
                throw Usage.error(spec, "--queue", queue.text(),
                        "must be 1 to " + MAX_QUEUE_PACKETS + " packets, or a size of 1 B to 1 GiB");
            }
        }
    }

    private static void percentage(CommandSpec spec, String option, double value) {
        if (!(value >= 0 && value < 100)) {
            throw Usage.error(spec, option, value, "must be a percentage in [0, 100)");
        }
    }

    /** Whether {@code --pcap -} sends the capture to standard output. */
    boolean captureToStdout() {
        return pcap != null && pcap.toString().equals(STDOUT);
    }

    /** Where the capture goes, for the banner: the file, or "standard output". */
    String captureName() {
        return captureToStdout() ? "standard output" : String.valueOf(pcap);
    }

    /**
     * The {@code --pcap} capture, its file created (or truncated) and its header written the
     * first time; null without {@code --pcap}.
     *
     * @throws Usage.Failure naming the file and the system's reason, when it cannot be written
     */
    PcapWriter openCapture() {
        if (pcap == null || capture != null) {
            return capture;
        }
        try {
            capture = captureToStdout() ? new PcapWriter(Channels.newChannel(unclosable(System.out)))
                    : PcapWriter.create(pcap);
        } catch (IOException e) {
            throw new Usage.Failure("--pcap " + pcap + ": cannot write the capture: " + reason(e), 2);
        }
        return capture;
    }

    /** Closes a capture no device took over (the command ended before it had one). */
    void closeUnusedCapture() {
        if (capture != null) {
            try {
                capture.close();
            } catch (IOException e) {
                // nothing was captured; the command's own failure is what it reports
            }
        }
    }

    /** The system's reason an operation on a file failed, as strerror words it: "No such file or directory". */
    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** {@code out}, but for close, which flushes: standard output stays open for what follows. */
    private static OutputStream unclosable(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

    /**
     * The offloads of a port on the in-memory network: all of them (TSO, checksums left to
     * the device, coalesced receive, as between two stacks on one host) unless impairments
     * act on the frames, which must then be wire-sized and checksummed whole.
     */
    NetifOffloads memoryOffloads() {
        return any() ? NetifOffloads.NONE : NetifOffloads.ALL;
    }

    /** True when any impairment is asked for. */
    boolean any() {
        return !given().isEmpty();
    }

    /** The impairment options given with an effect, in the order of the help: "--loss", "--delay", ... */
    List<String> given() {
        List<String> given = new ArrayList<>();
        if (lossPercent > 0) {
            given.add("--loss");
        }
        if (delayMs > 0) {
            given.add("--delay");
        }
        if (jitterMs > 0) {
            given.add("--jitter");
        }
        if (rateMbit != null) {
            given.add("--rate");
        }
        if (queue != null) {
            given.add("--queue");
        }
        if (reorderPercent > 0) {
            given.add("--reorder");
        }
        if (duplicatePercent > 0) {
            given.add("--duplicate");
        }
        return given;
    }

    /** The loss as a probability. */
    double loss() {
        return lossPercent / 100.0;
    }

    Duration delay() {
        return Duration.ofNanos(Math.round(delayMs * 1e6));
    }

    Duration jitter() {
        return Duration.ofNanos(Math.round(jitterMs * 1e6));
    }

    /** The bottleneck's rate in bit/s; 0 for none. */
    long rateBitsPerSecond() {
        return rateMbit == null ? 0 : Math.max(1, Math.round(rateMbit * 1e6));
    }

    /**
     * The frames the {@code --rate} queue holds on a device of {@code mtu}: {@code --queue},
     * else the bandwidth-delay product of the rate and the round trip {@code --delay} adds,
     * in full-size frames, at least {@link #MIN_DEFAULT_QUEUE}; 0 without {@code --rate}.
     */
    int queueFrames(int mtu) {
        if (rateMbit == null) {
            return 0;
        }
        if (queue != null) {
            return queue.frames(mtu);
        }
        double bdpBytes = rateBitsPerSecond() / 8.0 * (2 * delay().toNanos() / 1e9);
        long frames = (long) Math.ceil(bdpBytes / (mtu + ETHERNET_HEADER));
        return (int) Math.min(MAX_QUEUE_PACKETS, Math.max(MIN_DEFAULT_QUEUE, frames));
    }

    /** What each direction of a device of {@code mtu} does to its frames; {@link Impairment#isNone()} when nothing is asked. */
    Impairment impairment(int mtu) {
        Impairment.Builder b = Impairment.builder().loss(loss()).duplicate(duplicatePercent / 100.0);
        if (reorderPercent > 0) {
            b.reorder(reorderPercent / 100.0, REORDER_DISTANCE, REORDER_MAX_HOLD);
        }
        if (delayMs > 0) {
            b.delay(delay(), jitter());
        }
        if (rateMbit != null) {
            b.bandwidth(rateBitsPerSecond(), queueFrames(mtu));
        }
        return b.build();
    }

    /**
     * The banner's line, e.g. "impairments: loss 1% each way, delay 25 ms ±2 ms each way (50 ms
     * RTT), rate 100 Mbit/s each way with a 413-packet queue, seed 1"; null when nothing is asked.
     */
    String describe(int mtu) {
        if (!any()) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        if (lossPercent > 0) {
            parts.add("loss " + number(lossPercent) + "% each way");
        }
        if (delayMs > 0) {
            parts.add("delay " + number(delayMs) + " ms" + (jitterMs > 0 ? " " + PLUS_MINUS + number(jitterMs) + " ms" : "")
                    + " each way (" + number(2 * delayMs) + " ms RTT)");
        }
        if (rateMbit != null) {
            parts.add("rate " + number(rateMbit) + " Mbit/s each way with a " + queueFrames(mtu) + "-packet queue"
                    + (queue != null && queue.bytes() ? " (" + queue.text() + ")" : ""));
        }
        if (reorderPercent > 0) {
            parts.add("reorder " + number(reorderPercent) + "% each way (" + REORDER_DISTANCE
                    + " frames overtake, " + REORDER_MAX_HOLD.toMillis() + " ms hold at most)");
        }
        if (duplicatePercent > 0) {
            parts.add("duplicate " + number(duplicatePercent) + "% each way");
        }
        parts.add("seed " + seed);
        return "impairments: " + String.join(", ", parts);
    }

    private static boolean encodes(String charset, char c) {
        try {
            return charset != null && Charset.forName(charset).newEncoder().canEncode(c);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** A number without trailing zeros, three decimals at most: 1, 0.5, 2.25. */
    static String number(double value) {
        return BigDecimal.valueOf(value).setScale(3, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }
}
