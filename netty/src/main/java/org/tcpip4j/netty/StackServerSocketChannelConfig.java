package org.tcpip4j.netty;

import static io.netty.channel.ChannelOption.SO_BACKLOG;
import static io.netty.channel.ChannelOption.SO_KEEPALIVE;
import static io.netty.channel.ChannelOption.SO_RCVBUF;
import static io.netty.channel.ChannelOption.SO_REUSEADDR;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.MessageSizeEstimator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.ServerChannelRecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.ServerSocketChannelConfig;
import java.util.Map;
import org.tcpip4j.tcp.FlowOptions;
import org.tcpip4j.tcp.Keepalive;

/**
 * The options of a {@link StackServerSocketChannel}. What the stack applies to a connection
 * when it is established is set here, on the server channel, since Netty's
 * {@code childOption}s reach a child only after that: {@code SO_KEEPALIVE},
 * {@link StackChannelOption#KEEPALIVE} and {@link StackChannelOption#CONGESTION_CONTROL}.
 * {@code SO_BACKLOG} and {@code SO_RCVBUF} are recorded and ignored (the TCP layer bounds
 * its half-open and accepted connections by its own limits), said once in the log.
 */
public final class StackServerSocketChannelConfig extends DefaultChannelConfig implements ServerSocketChannelConfig {

    private volatile int backlog = 128;
    private volatile boolean reuseAddress = true;
    private volatile int receiveBufferSize = -1;
    private volatile Keepalive keepalive;
    private volatile String congestionControl;

    StackServerSocketChannelConfig(StackServerSocketChannel channel) {
        super(channel, new ServerChannelRecvByteBufAllocator());
    }

    /** The options the listener applies to each connection, for IP version {@code ipVersion}. */
    FlowOptions flowOptions(int ipVersion) {
        return new FlowOptions(keepalive, congestionControl, ipVersion);
    }

    @Override
    protected void autoReadCleared() {
        ((StackServerSocketChannel) channel).autoReadCleared();
    }

    @Override
    public Map<ChannelOption<?>, Object> getOptions() {
        return getOptions(super.getOptions(), SO_RCVBUF, SO_REUSEADDR, SO_BACKLOG, SO_KEEPALIVE,
            StackChannelOption.KEEPALIVE, StackChannelOption.CONGESTION_CONTROL);
    }

    @SuppressWarnings("unchecked")
    @Override
    public <T> T getOption(ChannelOption<T> option) {
        if (option == SO_RCVBUF) {
            return (T) Integer.valueOf(getReceiveBufferSize());
        }
        if (option == SO_REUSEADDR) {
            return (T) Boolean.valueOf(isReuseAddress());
        }
        if (option == SO_BACKLOG) {
            return (T) Integer.valueOf(getBacklog());
        }
        if (option == SO_KEEPALIVE) {
            return (T) Boolean.valueOf(keepalive != null);
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
        } else if (option == SO_REUSEADDR) {
            setReuseAddress((Boolean) value);
        } else if (option == SO_BACKLOG) {
            setBacklog((Integer) value);
        } else if (option == SO_KEEPALIVE) {
            keepalive = (Boolean) value ? StackSocketChannelConfig.DEFAULT_KEEPALIVE : null;
        } else if (option == StackChannelOption.KEEPALIVE) {
            keepalive = (Keepalive) value;
        } else if (option == StackChannelOption.CONGESTION_CONTROL) {
            congestionControl = (String) value;
        } else {
            return super.setOption(option, value);
        }
        return true;
    }

    /** The keepalive applied to accepted connections, or null. */
    public Keepalive getKeepalive() {
        return keepalive;
    }

    @Override
    public int getBacklog() {
        return backlog;
    }

    @Override
    public StackServerSocketChannelConfig setBacklog(int backlog) {
        IgnoredOptions.ignored("SO_BACKLOG", "the TCP layer bounds pending connections with its own limits");
        this.backlog = backlog;
        return this;
    }

    @Override
    public boolean isReuseAddress() {
        return reuseAddress;
    }

    @Override
    public StackServerSocketChannelConfig setReuseAddress(boolean reuseAddress) {
        this.reuseAddress = reuseAddress;
        return this;
    }

    @Override
    public int getReceiveBufferSize() {
        return receiveBufferSize;
    }

    @Override
    public StackServerSocketChannelConfig setReceiveBufferSize(int receiveBufferSize) {
        IgnoredOptions.ignored("SO_RCVBUF", "the TCP layer sizes receive buffers itself, within its memory budget");
        this.receiveBufferSize = receiveBufferSize;
        return this;
    }

    @Override
    public StackServerSocketChannelConfig setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
        return this;
    }

    @Override
    public StackServerSocketChannelConfig setConnectTimeoutMillis(int connectTimeoutMillis) {
        super.setConnectTimeoutMillis(connectTimeoutMillis);
        return this;
    }

    @Deprecated
    @Override
    public StackServerSocketChannelConfig setMaxMessagesPerRead(int maxMessagesPerRead) {
        super.setMaxMessagesPerRead(maxMessagesPerRead);
        return this;
    }

    @Override
    public StackServerSocketChannelConfig setWriteSpinCount(int writeSpinCount) {
        super.setWriteSpinCount(writeSpinCount);
        return this;
    }

    @Override
    public StackServerSocketChannelConfig setAllocator(ByteBufAllocator allocator) {
        super.setAllocator(allocator);
        return this;
    }

    @Override
    public StackServerSocketChannelConfig setRecvByteBufAllocator(RecvByteBufAllocator allocator) {
        super.setRecvByteBufAllocator(allocator);
        return this;
    }

    @Override
    public StackServerSocketChannelConfig setAutoRead(boolean autoRead) {
        super.setAutoRead(autoRead);
        return this;
    }

    @Override
    public StackServerSocketChannelConfig setMessageSizeEstimator(MessageSizeEstimator estimator) {
        super.setMessageSizeEstimator(estimator);
        return this;
    }

    @Deprecated
    @Override
    public StackServerSocketChannelConfig setWriteBufferHighWaterMark(int writeBufferHighWaterMark) {
        super.setWriteBufferHighWaterMark(writeBufferHighWaterMark);
        return this;
    }

    @Deprecated
    @Override
    public StackServerSocketChannelConfig setWriteBufferLowWaterMark(int writeBufferLowWaterMark) {
        super.setWriteBufferLowWaterMark(writeBufferLowWaterMark);
        return this;
    }

    @Override
    public StackServerSocketChannelConfig setWriteBufferWaterMark(WriteBufferWaterMark writeBufferWaterMark) {
        super.setWriteBufferWaterMark(writeBufferWaterMark);
        return this;
    }
}
