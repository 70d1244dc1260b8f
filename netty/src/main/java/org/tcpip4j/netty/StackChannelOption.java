package org.tcpip4j.netty;

import io.netty.channel.ChannelOption;
import org.tcpip4j.tcp.Keepalive;

/**
 * Channel options of this transport beyond Netty's own. Like {@link ChannelOption#SO_KEEPALIVE},
 * they act when a connection is opened: on a client channel before connecting, and on a
 * server channel (its {@code option}, not {@code childOption}) for every connection it
 * accepts.
 */
public final class StackChannelOption {

    /**
     * TCP keepalive with its timings; {@link ChannelOption#SO_KEEPALIVE} {@code true} uses
     * Linux's defaults (2 hours idle, then 9 probes 75 seconds apart). Null for none.
     */
    public static final ChannelOption<Keepalive> KEEPALIVE = ChannelOption.valueOf(StackChannelOption.class, "KEEPALIVE");

    /** The congestion-control algorithm by name ("cubic", "newreno"); null for the stack's. */
    public static final ChannelOption<String> CONGESTION_CONTROL = ChannelOption.valueOf(StackChannelOption.class,
        "CONGESTION_CONTROL");

    private StackChannelOption() {
    }
}
