package org.tcpip4j.netty;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.util.ResourceLeakDetector;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tcpip4j.testsupport.AllocationMeter;

/**
 * Sending datagrams allocates nothing of the channel's own per datagram on the loop in
 * steady state: the payload goes to the UDP layer as the buffer's own NIO view, and the
 * destination's address is converted once.
 */
class DatagramWriteAllocationTest {

    private static final int DATAGRAMS = 20_000;
    private static final int BATCH = 50;

    private final TwoStacks net = new TwoStacks();

    @AfterEach
    void close() throws Exception {
        net.close();
    }

    @Test
    void aConnectedChannelSendsDatagramsWithoutAllocatingPerDatagram() throws Exception {
        assumeTrue(AllocationMeter.allocatedBytes() >= 0, "the JVM counts allocations per thread");
        assumeTrue(ResourceLeakDetector.getLevel().compareTo(ResourceLeakDetector.Level.SIMPLE) <= 0,
            "Netty's leak detector records no access traces (it allocates for each at ADVANCED and PARANOID)");
        // The receiver reads nothing: its datagrams are dropped and counted, allocating nothing.
        StackDatagramChannel receiver = (StackDatagramChannel) new Bootstrap().group(net.serverGroup)
            .channel(StackDatagramChannel.class).option(ChannelOption.AUTO_READ, false)
            .handler(new ChannelInboundHandlerAdapter()).bind(5401).sync().channel();
        ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
        Channel sender = new Bootstrap().group(net.clientGroup).channel(StackDatagramChannel.class)
            .option(ChannelOption.ALLOCATOR, alloc).handler(new ChannelInboundHandlerAdapter())
            .connect(TwoStacks.server(5401)).sync().channel();
        ByteBuf payload = alloc.directBuffer(64).writeLong(1).writeLong(2);
        Thread loopThread = sender.eventLoop().submit(Thread::currentThread).get(5, TimeUnit.SECONDS);
        sendInBatches(sender, payload); // warm up: pools, JIT, the ARP entry
        AllocationMeter.allocatedBytes(loopThread);
        long before = AllocationMeter.allocatedBytes(loopThread);
        sendInBatches(sender, payload);
        long perDatagram = (AllocationMeter.allocatedBytes(loopThread) - before) / DATAGRAMS;
        StackChannelTest.await(() -> receiver.droppedWhilePaused() == 2L * DATAGRAMS,
            () -> "datagrams arrived: " + receiver.droppedWhilePaused());
        System.out.println("datagram send: " + perDatagram + " bytes allocated per datagram on the loop");
        payload.release();
        // What remains is Netty's: the outbound buffer's entry for each write, which its
        // Recycler makes anew on a thread of ours (64 bytes here). A view of the payload
        // and a conversion of the address per datagram would add some 200 more.
        assertTrue(perDatagram < 128, perDatagram + " bytes allocated per datagram sent");
    }

    /** Sends in batches the switch delivers between, each batch in a task on the loop. */
    private static void sendInBatches(Channel ch, ByteBuf payload) throws Exception {
        for (int b = 0; b < DATAGRAMS / BATCH; b++) {
            ch.eventLoop().submit(() -> send(ch, payload, BATCH)).sync();
        }
    }

    /** Sends one buffer {@code n} times: what Netty's own pools allocate stays out of the count. */
    private static void send(Channel ch, ByteBuf payload, int n) {
        for (int i = 0; i < n; i++) {
            ch.writeAndFlush(payload.retain(), ch.voidPromise());
        }
    }
}
