package org.tcpip4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.Result;

/**
 * The first interop checks: frames cross the bridge both ways between the peer's kernel and
 * a raw {@link org.tcpip4j.netif.tap.TapNetif}. ARP is built and parsed by hand here.
 */
class TapSmokeTest {

    @RegisterExtension
    static final InteropNetwork net = new InteropNetwork();

    private static final Duration WAIT = Duration.ofSeconds(10);

    /** The peer's ARP request for {@code address}, read from the TAP. */
    private ArpFrames.Arp awaitPeerRequestFor(org.tcpip4j.netif.Ipv4Address address) throws InterruptedException {
        byte[] frame = net.frames().await(f -> {
            ArpFrames.Arp arp = ArpFrames.parse(f);
            return arp != null && arp.operation() == ArpFrames.REQUEST && arp.targetIp().equals(address);
        }, WAIT);
        return frame == null ? null : ArpFrames.parse(frame);
    }

    @Test
    void thePeersArpRequestForOurAddressIsReadFromTheTap() throws Exception {
        net.peer().startInBackground("ping -c 3 -W 1 " + net.localAddress());

        ArpFrames.Arp request = awaitPeerRequestFor(net.localAddress());

        assertNotNull(request, "the peer's ARP request for " + net.localAddress() + " crossed the bridge to the TAP");
        MacAddress peerMac = net.peerMac();
        assertEquals(MacAddress.BROADCAST, request.frameDestination());
        assertEquals(peerMac, request.frameSource());
        assertEquals(peerMac, request.senderMac());
        assertEquals(net.peerAddress(), request.senderIp());
        assertTrue(net.netif().stats().rxPackets() >= 1);
    }

    @Test
    void anArpReplyWrittenOnTheTapPutsOurMacInThePeersNeighbourTable() throws Exception {
        // The peer asks first, so it has a neighbour entry waiting for the answer.
        net.peer().startInBackground("ping -c 5 -W 1 " + net.localAddress());
        ArpFrames.Arp request = awaitPeerRequestFor(net.localAddress());
        assertNotNull(request, "the peer asked for " + net.localAddress());

        byte[] reply = ArpFrames.build(new ArpFrames.Arp(request.senderMac(), net.localMac(), ArpFrames.REPLY,
                net.localMac(), net.localAddress(), request.senderMac(), request.senderIp()));
        assertSame(Result.ok(), net.write(reply));

        String neighbours = "";
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            neighbours = net.peer().check("ip", "neigh", "show", net.localAddress().toString());
            if (neighbours.contains("lladdr " + net.localMac())) {
                break;
            }
            Thread.sleep(100);
        }
        assertTrue(neighbours.contains("lladdr " + net.localMac()),
                "the peer's neighbour table maps " + net.localAddress() + " to " + net.localMac() + ": " + neighbours);
        assertEquals(1, net.netif().stats().txPackets());
    }
}
