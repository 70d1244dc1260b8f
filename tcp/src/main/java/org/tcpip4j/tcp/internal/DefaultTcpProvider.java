package org.tcpip4j.tcp.internal;

import org.tcpip4j.ip.Ip;
import org.tcpip4j.netif.loop.StackContext;
import org.tcpip4j.tcp.Tcp;
import org.tcpip4j.tcp.TcpConfig;
import org.tcpip4j.tcp.TcpProvider;

/** Provides {@link DefaultTcp}, the stack's own TCP (RFC 9293), under the name "default". */
public final class DefaultTcpProvider implements TcpProvider {

    /** The provider, as {@link java.util.ServiceLoader} creates it. */
    public DefaultTcpProvider() {
    }

    @Override
    public String name() {
        return "default";
    }

    @Override
    public String description() {
        return "tcpip4j's TCP: RFC 9293 state machine, RFC 6298 RTO, RACK-TLP, PRR, SACK, timestamps and PAWS, window"
            + " scaling and auto-tuning; congestion control by name (CUBIC, NewReno, or a provider's own)";
    }

    @Override
    public Tcp create(Ip ip, TcpConfig config, StackContext context) {
        return new DefaultTcp(ip, config, context);
    }
}
