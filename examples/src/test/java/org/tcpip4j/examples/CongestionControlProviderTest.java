package org.tcpip4j.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.loop.VirtualTimeEventLoop;
import org.tcpip4j.netif.memory.MemorySwitch;
import org.tcpip4j.stack.direct.DirectStack;
import org.tcpip4j.stack.direct.DirectStackBuilder;
import org.tcpip4j.tcp.FlowOptions;
import org.tcpip4j.tcp.ReadResult;
import org.tcpip4j.tcp.TcpConfig;
import org.tcpip4j.tcp.TcpFlow;
import org.tcpip4j.tcp.TcpInfo;
import org.tcpip4j.tcp.congestion.CongestionSample;

/** A user's congestion control, found through ServiceLoader and chosen by name, carries a connection. */
class CongestionControlProviderTest {

    private static final Ipv4Address A = Ipv4Address.parse("198.18.0.1");
    private static final Ipv4Address B = Ipv4Address.parse("198.18.0.2");

    private final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
    private final MemorySwitch network = new MemorySwitch(loop);

    private DirectStack stack(String name, Ipv4Address address, TcpConfig tcp) {
        return DirectStackBuilder.on(network.port(MacAddress.parse(name.equals("a") ? "02:00:00:00:00:0a" : "02:00:00:00:00:0b")))
            .address(new Ipv4Cidr(address, 24)).name(name).seed(name.hashCode()).tcpConfig(tcp).build();
    }

    private byte[] transfer(DirectStack client, DirectStack server, FlowOptions options, CompletableFuture<TcpInfo> info)
            throws Exception {
        byte[] data = new byte[2 << 20];
        new SplittableRandom(7).nextBytes(data);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        CompletableFuture<Void> done = new CompletableFuture<>();
        server.tcp().listen(5001, flow -> drain(flow, received, done));
        TcpFlow flow = loop.await(client.tcp().connectWith(B, 5001, options), Duration.ofSeconds(5));
        loop.await(flow.write(ByteBuffer.wrap(data)), Duration.ofSeconds(30));
        flow.info().thenAccept(info::complete);
        loop.await(flow.close(), Duration.ofSeconds(60));
        loop.await(done, Duration.ofSeconds(60));
        return received.toByteArray();
    }

    private static void drain(TcpFlow flow, ByteArrayOutputStream into, CompletableFuture<Void> done) {
        flow.read().whenComplete((r, e) -> {
            if (e != null) {
                done.completeExceptionally(e);
            } else if (r instanceof ReadResult.Data d) {
                ByteBuffer b = d.data();
                byte[] bytes = new byte[b.remaining()];
                b.get(bytes);
                into.writeBytes(bytes);
                drain(flow, into, done);
            } else {
                flow.close();
                done.complete(null);
            }
        });
    }

    @Test
    void aConnectionNamingTheProviderUsesIt() throws Exception {
        DirectStack a = stack("a", A, TcpConfig.DEFAULT);
        DirectStack b = stack("b", B, TcpConfig.DEFAULT);
        CompletableFuture<TcpInfo> info = new CompletableFuture<>();
        byte[] sent = new byte[2 << 20];
        new SplittableRandom(7).nextBytes(sent);
        assertArrayEquals(sent, transfer(a, b, FlowOptions.DEFAULT.withCongestionControl(ScalableTcpProvider.NAME), info));
        assertEquals("scalable", info.join().congestionControl());
        a.disconnect();
        b.disconnect();
    }

    @Test
    void aStackNamingTheProviderUsesItForEveryConnectionAndTheDefaultIsCubic() throws Exception {
        DirectStack a = stack("a", A, TcpConfig.DEFAULT.withCongestionControl(ScalableTcpProvider.NAME));
        DirectStack b = stack("b", B, TcpConfig.DEFAULT);
        CompletableFuture<TcpInfo> info = new CompletableFuture<>();
        transfer(a, b, FlowOptions.DEFAULT, info);
        assertEquals("scalable", info.join().congestionControl());
        DirectStack c = stack("a", A, TcpConfig.DEFAULT);
        CompletableFuture<TcpInfo> plain = new CompletableFuture<>();
        TcpFlow flow = loop.await(c.tcp().connect(B, 5001), Duration.ofSeconds(5));
        flow.info().thenAccept(plain::complete);
        assertEquals("cubic", loop.await(plain, Duration.ofSeconds(5)).congestionControl(), "as on Linux");
        a.disconnect();
        b.disconnect();
        c.disconnect();
    }

    @Test
    void aNameNobodyProvidesFailsWithTheListOfThoseAvailable() {
        DirectStack a = stack("a", A, TcpConfig.DEFAULT);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> a.tcp().connectWith(B, 5001, FlowOptions.DEFAULT.withCongestionControl("vegas")));
        assertTrue(e.getMessage().contains("vegas") && e.getMessage().contains("scalable")
            && e.getMessage().contains("cubic") && e.getMessage().contains("newreno"), e.getMessage());
        a.disconnect();
    }

    @Test
    void scalableTcpGrowsByOnePercentOfWhatIsAcknowledgedAndKeepsSevenEighthsOnLoss() {
        ScalableTcp s = new ScalableTcp(1000);
        TestSample sample = new TestSample();
        s.onRecoveryStart(sample.mss(1000).flight(100_000));
        s.onRecoveryEnd(sample);
        assertEquals(3500, s.cwnd(), "0.875 of the initial 4000");
        for (int i = 0; i < 100; i++) {
            s.onAck(sample.delivered(1000));
        }
        assertEquals(3500 + 1000, s.cwnd(), "1% of 100,000 bytes acknowledged");
    }

    /** The sample an algorithm sees, with what these tests set. */
    private static final class TestSample implements CongestionSample {
        private int mss;
        private int flight;
        private int delivered;

        TestSample mss(int value) {
            mss = value;
            return this;
        }

        TestSample flight(int value) {
            flight = value;
            return this;
        }

        TestSample delivered(int value) {
            delivered = value;
            return this;
        }

        @Override public long now() { return 0; }
        @Override public int mss() { return mss; }
        @Override public int ackedBytes() { return delivered; }
        @Override public int sackedBytes() { return 0; }
        @Override public int deliveredBytes() { return delivered; }
        @Override public int priorInFlight() { return flight; }
        @Override public int inFlight() { return flight; }
        @Override public int flightSize() { return flight; }
        @Override public boolean cwndLimited() { return true; }
        @Override public long rttSample() { return -1; }
        @Override public long minRtt() { return -1; }
        @Override public long srtt() { return -1; }
        @Override public boolean roundStart() { return false; }
        @Override public long deliveryRate() { return -1; }
        @Override public int consecutiveTimeouts() { return 1; }
    }
}
