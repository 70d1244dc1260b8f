package org.tcpip4j.netty;

import static io.netty.channel.ChannelOption.IP_MULTICAST_IF;
import static io.netty.channel.ChannelOption.IP_MULTICAST_LOOP_DISABLED;
import static io.netty.channel.ChannelOption.IP_MULTICAST_TTL;
import static io.netty.channel.ChannelOption.IP_TOS;
import static io.netty.channel.ChannelOption.SO_BROADCAST;
import static io.netty.channel.ChannelOption.SO_RCVBUF;
import static io.netty.channel.ChannelOption.SO_REUSEADDR;
import static io.netty.channel.ChannelOption.SO_SNDBUF;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MessageSizeEstimator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.DatagramChannelConfig;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.Map;

/**
 * The options of a {@link StackDatagramChannel}. {@code IP_MULTICAST_TTL} is the TTL of
 * the datagrams sent (-1: the stack's default); {@code SO_BROADCAST} is recorded (the stack
 * sends to broadcast addresses regardless). Buffer sizes, the traffic class and the
 * multicast interface options are recorded and ignored, said once in the log.
 */
public final class StackDatagramChannelConfig extends DefaultChannelConfig implements DatagramChannelConfig {

    private volatile int sendBufferSize = -1;
    private volatile int receiveBufferSize = -1;
    private volatile int trafficClass;
    private volatile boolean reuseAddress;
    private volatile boolean broadcast;
    private volatile boolean loopbackModeDisabled;
    private volatile int timeToLive = -1;

    StackDatagramChannelConfig(StackDatagramChannel channel) {
        super(channel, new FixedRecvByteBufAllocator(2048));
    }

    @Override
    protected void autoReadCleared() {
        ((StackDatagramChannel) channel).autoReadCleared();
    }

    @Override
    public Map<ChannelOption<?>, Object> getOptions() {
        return getOptions(super.getOptions(), SO_BROADCAST, SO_RCVBUF, SO_SNDBUF, SO_REUSEADDR,
            IP_MULTICAST_LOOP_DISABLED, IP_MULTICAST_TTL, IP_TOS);
    }

    @SuppressWarnings("unchecked")
    @Override
    public <T> T getOption(ChannelOption<T> option) {
        if (option == SO_BROADCAST) {
            return (T) Boolean.valueOf(isBroadcast());
        }
        if (option == SO_RCVBUF) {
            return (T) Integer.valueOf(getReceiveBufferSize());
        }
        if (option == SO_SNDBUF) {
            return (T) Integer.valueOf(getSendBufferSize());
        }
        if (option == SO_REUSEADDR) {
            return (T) Boolean.valueOf(isReuseAddress());
        }
        if (option == IP_MULTICAST_LOOP_DISABLED) {
            return (T) Boolean.valueOf(isLoopbackModeDisabled());
        }
        if (option == IP_MULTICAST_TTL) {
            return (T) Integer.valueOf(getTimeToLive());
        }
        if (option == IP_TOS) {
            return (T) Integer.valueOf(getTrafficClass());
        }
        if (option == IP_MULTICAST_IF) {
            return null;
        }
        return super.getOption(option);
    }

    @Override
    public <T> boolean setOption(ChannelOption<T> option, T value) {
        validate(option, value);
        if (option == SO_BROADCAST) {
            setBroadcast((Boolean) value);
        } else if (option == SO_RCVBUF) {
            setReceiveBufferSize((Integer) value);
        } else if (option == SO_SNDBUF) {
            setSendBufferSize((Integer) value);
        } else if (option == SO_REUSEADDR) {
            setReuseAddress((Boolean) value);
        } else if (option == IP_MULTICAST_LOOP_DISABLED) {
            setLoopbackModeDisabled((Boolean) value);
        } else if (option == IP_MULTICAST_TTL) {
            setTimeToLive((Integer) value);
        } else if (option == IP_TOS) {
            setTrafficClass((Integer) value);
        } else {
            return super.setOption(option, value);
        }
        return true;
    }

    @Override
    public int getSendBufferSize() {
        return sendBufferSize;
    }

    @Override
    public StackDatagramChannelConfig setSendBufferSize(int sendBufferSize) {
        IgnoredOptions.ignored("SO_SNDBUF (UDP)", "a datagram goes to the IP layer as it is written");
        this.sendBufferSize = sendBufferSize;
        return this;
    }

    @Override
    public int getReceiveBufferSize() {
        return receiveBufferSize;
    }

    @Override
    public StackDatagramChannelConfig setReceiveBufferSize(int receiveBufferSize) {
        IgnoredOptions.ignored("SO_RCVBUF (UDP)", "a datagram is delivered as it arrives");
        this.receiveBufferSize = receiveBufferSize;
        return this;
    }

    @Override
    public int getTrafficClass() {
        return trafficClass;
    }

    @Override
    public StackDatagramChannelConfig setTrafficClass(int trafficClass) {
        IgnoredOptions.ignored("IP_TOS (UDP)", "the stack sets no per-socket traffic class");
        this.trafficClass = trafficClass;
        return this;
    }

    @Override
    public boolean isReuseAddress() {
        return reuseAddress;
    }

    @Override
    public StackDatagramChannelConfig setReuseAddress(boolean reuseAddress) {
        this.reuseAddress = reuseAddress;
        return this;
    }

    @Override
    public boolean isBroadcast() {
        return broadcast;
    }

    @Override
    public StackDatagramChannelConfig setBroadcast(boolean broadcast) {
        this.broadcast = broadcast;
        return this;
    }

    @Override
    public boolean isLoopbackModeDisabled() {
        return loopbackModeDisabled;
    }

    @Override
    public StackDatagramChannelConfig setLoopbackModeDisabled(boolean loopbackModeDisabled) {
        this.loopbackModeDisabled = loopbackModeDisabled;
        return this;
    }

    @Override
    public int getTimeToLive() {
        return timeToLive;
    }

    @Override
    public StackDatagramChannelConfig setTimeToLive(int ttl) {
        this.timeToLive = ttl;
        return this;
    }

    @Override
    public InetAddress getInterface() {
        return null;
    }

    @Override
    public StackDatagramChannelConfig setInterface(InetAddress interfaceAddress) {
        IgnoredOptions.ignored("IP_MULTICAST_IF", "the transport has no multicast");
        return this;
    }

    @Override
    public NetworkInterface getNetworkInterface() {
        return null;
    }

    @Override
    public StackDatagramChannelConfig setNetworkInterface(NetworkInterface networkInterface) {
        IgnoredOptions.ignored("IP_MULTICAST_IF", "the transport has no multicast");
        return this;
    }

    @Deprecated
    @Override
    public StackDatagramChannelConfig setMaxMessagesPerRead(int maxMessagesPerRead) {
        super.setMaxMessagesPerRead(maxMessagesPerRead);
        return this;
    }

    @Override
    public StackDatagramChannelConfig setWriteSpinCount(int writeSpinCount) {
        super.setWriteSpinCount(writeSpinCount);
        return this;
    }

    @Override
    public StackDatagramChannelConfig setConnectTimeoutMillis(int connectTimeoutMillis) {
        super.setConnectTimeoutMillis(connectTimeoutMillis);
        return this;
    }

    @Override
    public StackDatagramChannelConfig setAllocator(ByteBufAllocator allocator) {
        super.setAllocator(allocator);
        return this;
    }

    @Override
    public StackDatagramChannelConfig setRecvByteBufAllocator(RecvByteBufAllocator allocator) {
        super.setRecvByteBufAllocator(allocator);
        return this;
    }

    @Override
    public StackDatagramChannelConfig setAutoRead(boolean autoRead) {
        super.setAutoRead(autoRead);
        return this;
    }

    @Override
    public StackDatagramChannelConfig setAutoClose(boolean autoClose) {
        super.setAutoClose(autoClose);
        return this;
    }

    @Override
    public StackDatagramChannelConfig setMessageSizeEstimator(MessageSizeEstimator estimator) {
        super.setMessageSizeEstimator(estimator);
        return this;
    }

    @Override
    public StackDatagramChannelConfig setWriteBufferWaterMark(WriteBufferWaterMark writeBufferWaterMark) {
        super.setWriteBufferWaterMark(writeBufferWaterMark);
        return this;
    }
}
