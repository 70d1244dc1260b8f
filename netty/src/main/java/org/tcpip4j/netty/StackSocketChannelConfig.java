package org.tcpip4j.netty;

import static io.netty.channel.ChannelOption.ALLOW_HALF_CLOSURE;
import static io.netty.channel.ChannelOption.IP_TOS;
import static io.netty.channel.ChannelOption.SO_KEEPALIVE;
import static io.netty.channel.ChannelOption.SO_LINGER;
import static io.netty.channel.ChannelOption.SO_RCVBUF;
import static io.netty.channel.ChannelOption.SO_REUSEADDR;
import static io.netty.channel.ChannelOption.SO_SNDBUF;
import static io.netty.channel.ChannelOption.TCP_NODELAY;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.MessageSizeEstimator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannelConfig;
import java.time.Duration;
import java.util.Map;
import org.tcpip4j.tcp.FlowOptions;
import org.tcpip4j.tcp.Keepalive;
import org.tcpip4j.tcp.TcpConfig;
import org.tcpip4j.tcp.TcpFlow;

/**
 * The options of a {@link StackSocketChannel}, mapped to the flow's:
 * <ul>
 *   <li>{@code TCP_NODELAY} (default true, as Netty's): flushes go out with
 *       {@code writevNodelay}, else with {@code writev} (Nagle);
 *   <li>{@code SO_KEEPALIVE} and {@link StackChannelOption#KEEPALIVE}: TCP keepalive, set
 *       when the connection is opened (for accepted connections, on the server channel);
 *   <li>{@link StackChannelOption#CONGESTION_CONTROL}: the algorithm, when connecting;
 *   <li>{@code CONNECT_TIMEOUT_MILLIS}, {@code ALLOW_HALF_CLOSURE} and Netty's own options
 *       as Netty defines them.
 * </ul>
 * {@code SO_SNDBUF} and {@code SO_RCVBUF} fix the flow's buffer sizes, as on Linux
 * ({@link TcpFlow#setBufferSizes}: auto-tuning then leaves that direction alone); unset, the
 * buffers grow with the connection within the TCP layer's memory budget.
 * {@code SO_LINGER}, {@code IP_TOS} and {@code SO_REUSEADDR} are recorded and read back,
 * but the stack has no such per-connection switches: setting one is logged once.
 */
public final class StackSocketChannelConfig extends DefaultChannelConfig implements SocketChannelConfig {

    /** Linux's keepalive timings, for {@code SO_KEEPALIVE} without {@link StackChannelOption#KEEPALIVE}. */
    static final Keepalive DEFAULT_KEEPALIVE = new Keepalive(Duration.ofHours(2), Duration.ofSeconds(75), 9);

    private volatile boolean tcpNoDelay = true;
    private volatile Keepalive keepalive;
    private volatile String congestionControl;
    private volatile boolean allowHalfClosure;
    private volatile int sendBufferSize = -1;
    private volatile int receiveBufferSize = -1;
    private volatile int soLinger = -1;
    private volatile int trafficClass;
    private volatile boolean reuseAddress;
    private final boolean accepted;

    StackSocketChannelConfig(StackSocketChannel channel, boolean accepted, Keepalive keepalive) {
        super(channel);
        this.accepted = accepted;
        this.keepalive = keepalive;
    }

    /** The flow options a connect uses. */
    FlowOptions flowOptions() {
        return new FlowOptions(keepalive, congestionControl);
    }

    @Override
    protected void autoReadCleared() {
        ((StackSocketChannel) channel).autoReadCleared();
    }

    @Override
    public Map<ChannelOption<?>, Object> getOptions() {
        return getOptions(super.getOptions(), SO_RCVBUF, SO_SNDBUF, TCP_NODELAY, SO_KEEPALIVE, SO_REUSEADDR,
            SO_LINGER, IP_TOS, ALLOW_HALF_CLOSURE, StackChannelOption.KEEPALIVE, StackChannelOption.CONGESTION_CONTROL);
    }

    @SuppressWarnings("unchecked")
    @Override
    public <T> T getOption(ChannelOption<T> option) {
        if (option == SO_RCVBUF) {
            return (T) Integer.valueOf(getReceiveBufferSize());
        }
        if (option == SO_SNDBUF) {
            return (T) Integer.valueOf(getSendBufferSize());
        }
        if (option == TCP_NODELAY) {
            return (T) Boolean.valueOf(isTcpNoDelay());
        }
        if (option == SO_KEEPALIVE) {
            return (T) Boolean.valueOf(isKeepAlive());
        }
        if (option == SO_REUSEADDR) {
            return (T) Boolean.valueOf(isReuseAddress());
        }
        if (option == SO_LINGER) {
            return (T) Integer.valueOf(getSoLinger());
        }
        if (option == IP_TOS) {
            return (T) Integer.valueOf(getTrafficClass());
        }
        if (option == ALLOW_HALF_CLOSURE) {
            return (T) Boolean.valueOf(isAllowHalfClosure());
        }
        if (option == StackChannelOption.KEEPALIVE) {
            return (T) keepalive;
        }
        if (option == StackChannelOption.CONGESTION_CONTROL) {
            return (T) congestionControl;
        }
        return super.getOption(option);
    }

    @Override
    public <T> boolean setOption(ChannelOption<T> option, T value) {
        validate(option, value);
        if (option == SO_RCVBUF) {
            setReceiveBufferSize((Integer) value);
        } else if (option == SO_SNDBUF) {
            setSendBufferSize((Integer) value);
        } else if (option == TCP_NODELAY) {
            setTcpNoDelay((Boolean) value);
        } else if (option == SO_KEEPALIVE) {
            setKeepAlive((Boolean) value);
        } else if (option == SO_REUSEADDR) {
            setReuseAddress((Boolean) value);
        } else if (option == SO_LINGER) {
            setSoLinger((Integer) value);
        } else if (option == IP_TOS) {
            setTrafficClass((Integer) value);
        } else if (option == ALLOW_HALF_CLOSURE) {
            setAllowHalfClosure((Boolean) value);
        } else if (option == StackChannelOption.KEEPALIVE) {
            setKeepalive((Keepalive) value);
        } else if (option == StackChannelOption.CONGESTION_CONTROL) {
            checkNotOpened("CONGESTION_CONTROL");
            congestionControl = (String) value;
        } else {
            return super.setOption(option, value);
        }
        return true;
    }

    private void checkNotOpened(String option) {
        if (accepted || ((StackSocketChannel) channel).isActive()) {
            IgnoredOptions.ignored(option + " on an open connection",
                "it acts when a connection is opened; for accepted connections set it on the server channel");
        }
    }

    /** The keepalive the connection opens (opened) with, or null. */
    public Keepalive getKeepalive() {
        return keepalive;
    }

    /** Sets the keepalive a connection opens with (null for none). */
    public StackSocketChannelConfig setKeepalive(Keepalive keepalive) {
        checkNotOpened("KEEPALIVE");
        this.keepalive = keepalive;
        return this;
    }

    @Override
    public boolean isTcpNoDelay() {
        return tcpNoDelay;
    }

    @Override
    public StackSocketChannelConfig setTcpNoDelay(boolean tcpNoDelay) {
        this.tcpNoDelay = tcpNoDelay;
        return this;
    }

    @Override
    public int getSoLinger() {
        return soLinger;
    }

    @Override
    public StackSocketChannelConfig setSoLinger(int soLinger) {
        IgnoredOptions.ignored("SO_LINGER", "close always flushes and sends FIN, in the background");
        this.soLinger = soLinger;
        return this;
    }

    @Override
    public int getSendBufferSize() {
        return sendBufferSize;
    }

    @Override
    public StackSocketChannelConfig setSendBufferSize(int sendBufferSize) {
        checkSize("SO_SNDBUF", sendBufferSize);
        this.sendBufferSize = sendBufferSize;
        TcpFlow flow = ((StackSocketChannel) channel).flowOrNull();
        if (flow != null) {
            flow.setBufferSizes(sendBufferSize, 0);
        }
        return this;
    }

    @Override
    public int getReceiveBufferSize() {
        return receiveBufferSize;
    }

    @Override
    public StackSocketChannelConfig setReceiveBufferSize(int receiveBufferSize) {
        checkSize("SO_RCVBUF", receiveBufferSize);
        this.receiveBufferSize = receiveBufferSize;
        TcpFlow flow = ((StackSocketChannel) channel).flowOrNull();
        if (flow != null) {
            flow.setBufferSizes(0, receiveBufferSize);
        }
        return this;
    }

    private static void checkSize(String option, int bytes) {
        if (bytes < 1 || bytes > TcpConfig.MAX_BUFFER_SIZE) {
            throw new IllegalArgumentException(option + " must be in 1.." + TcpConfig.MAX_BUFFER_SIZE + ": " + bytes);
        }
    }

    /** Fixes the buffer sizes set before the connection was open on its flow, once it is. */
    void applyBufferSizes(TcpFlow flow) {
        int send = Math.max(0, sendBufferSize);
        int receive = Math.max(0, receiveBufferSize);
        if (send > 0 || receive > 0) {
            flow.setBufferSizes(send, receive);
        }
    }

    @Override
    public boolean isKeepAlive() {
        return keepalive != null;
    }

    @Override
    public StackSocketChannelConfig setKeepAlive(boolean keepAlive) {
        if (keepAlive != isKeepAlive()) {
            setKeepalive(keepAlive ? DEFAULT_KEEPALIVE : null);
        }
        return this;
    }

    @Override
    public int getTrafficClass() {
        return trafficClass;
    }

    @Override
    public StackSocketChannelConfig setTrafficClass(int trafficClass) {
        IgnoredOptions.ignored("IP_TOS", "the stack sets no per-connection traffic class");
        this.trafficClass = trafficClass;
        return this;
    }

    @Override
    public boolean isReuseAddress() {
        return reuseAddress;
    }

    @Override
    public StackSocketChannelConfig setReuseAddress(boolean reuseAddress) {
        this.reuseAddress = reuseAddress;
        return this;
    }

    @Override
    public StackSocketChannelConfig setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
        return this;
    }

    @Override
    public boolean isAllowHalfClosure() {
        return allowHalfClosure;
    }

    @Override
    public StackSocketChannelConfig setAllowHalfClosure(boolean allowHalfClosure) {
        this.allowHalfClosure = allowHalfClosure;
        return this;
    }

    @Override
    public StackSocketChannelConfig setConnectTimeoutMillis(int connectTimeoutMillis) {
        super.setConnectTimeoutMillis(connectTimeoutMillis);
        return this;
    }

    @Deprecated
    @Override
    public StackSocketChannelConfig setMaxMessagesPerRead(int maxMessagesPerRead) {
        super.setMaxMessagesPerRead(maxMessagesPerRead);
        return this;
    }

    @Override
    public StackSocketChannelConfig setWriteSpinCount(int writeSpinCount) {
        super.setWriteSpinCount(writeSpinCount);
        return this;
    }

    @Override
    public StackSocketChannelConfig setAllocator(ByteBufAllocator allocator) {
        super.setAllocator(allocator);
        return this;
    }

    @Override
    public StackSocketChannelConfig setRecvByteBufAllocator(RecvByteBufAllocator allocator) {
        super.setRecvByteBufAllocator(allocator);
        return this;
    }

    @Override
    public StackSocketChannelConfig setAutoRead(boolean autoRead) {
        super.setAutoRead(autoRead);
        return this;
    }

    @Override
    public StackSocketChannelConfig setAutoClose(boolean autoClose) {
        super.setAutoClose(autoClose);
        return this;
    }

    @Override
    public StackSocketChannelConfig setMessageSizeEstimator(MessageSizeEstimator estimator) {
        super.setMessageSizeEstimator(estimator);
        return this;
    }

    @Override
    public StackSocketChannelConfig setWriteBufferWaterMark(WriteBufferWaterMark writeBufferWaterMark) {
        super.setWriteBufferWaterMark(writeBufferWaterMark);
        return this;
    }

    @Deprecated
    @Override
    public StackSocketChannelConfig setWriteBufferHighWaterMark(int writeBufferHighWaterMark) {
        super.setWriteBufferHighWaterMark(writeBufferHighWaterMark);
        return this;
    }

    @Deprecated
    @Override
    public StackSocketChannelConfig setWriteBufferLowWaterMark(int writeBufferLowWaterMark) {
        super.setWriteBufferLowWaterMark(writeBufferLowWaterMark);
        return this;
    }
}
