package org.tcpip4j.stack.socket.internal;

import java.io.IOException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.NetworkChannel;
import java.time.Duration;
import java.util.Set;
import jdk.net.ExtendedSocketOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tcpip4j.tcp.Keepalive;

/**
 * Applies a {@link Keepalive} to a socket: {@code SO_KEEPALIVE} and, where the platform
 * has them, {@code TCP_KEEPIDLE}, {@code TCP_KEEPINTERVAL} and {@code TCP_KEEPCOUNT}.
 *
 * <p>The kernel counts keepalive times in whole seconds, so durations are rounded up, to
 * at least one second (Linux refuses 0), and clamped to Linux's limits: 32,767 s for the
 * times and 127 probes.
 */
final class KeepaliveOptions {

    private static final Logger LOG = LoggerFactory.getLogger(KeepaliveOptions.class);

    static final int MAX_SECONDS = 32_767;
    static final int MAX_PROBES = 127;

    private KeepaliveOptions() {
    }

    /** Turns keepalive on for {@code channel} with {@code keepalive}'s timing. */
    static void apply(NetworkChannel channel, Keepalive keepalive) throws IOException {
        channel.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
        Set<SocketOption<?>> supported = channel.supportedOptions();
        if (!supported.contains(ExtendedSocketOptions.TCP_KEEPIDLE)) {
            LOG.warn("this platform has no TCP_KEEPIDLE: keepalive runs with the kernel's default timing");
            return;
        }
        channel.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, seconds(keepalive.after()));
        channel.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, seconds(keepalive.interval()));
        channel.setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, Math.min(keepalive.probes(), MAX_PROBES));
    }

    /** {@code d} in whole seconds, rounded up, within 1..{@link #MAX_SECONDS}. */
    static int seconds(Duration d) {
        long s = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
        return Math.clamp(s, 1, MAX_SECONDS);
    }
}
