package org.tcpip4j.it;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.tcpip4j.netif.ForwardingNetif;
import org.tcpip4j.netif.FrameHandler;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Netif;

/**
 * A netif that passes every frame on and notices the first TCP segment with FIN from one
 * address: placed under a delay, it tells a test that the peer's FIN is on our wire while
 * our stack has not seen it yet, the moment to close for a simultaneous close.
 */
final class FinWatchNetif extends ForwardingNetif {

    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERNET_HEADER = 14;
    private static final int PROTOCOL_TCP = 6;
    private static final int FIN = 0x01;

    private final int from;
    private final CompletableFuture<Void> finSeen = new CompletableFuture<>();

    /** Watches the frames {@code inner} receives for a FIN from {@code from}. */
    FinWatchNetif(Netif inner, Ipv4Address from) {
        super(inner);
        this.from = from.bits();
    }

    /** Completes, on the loop, when the first FIN from the address has arrived. */
    CompletableFuture<Void> finSeen() {
        return finSeen;
    }

    @Override
    public CompletableFuture<Void> listen(FrameHandler handler) {
        return inner.listen(frame -> {
            if (!finSeen.isDone() && isFinFromWatchedAddress(frame)) {
                finSeen.complete(null);
            }
            handler.frame(frame);
        });
    }

    private boolean isFinFromWatchedAddress(ByteBuffer frame) {
        int at = frame.position();
        int end = frame.limit();
        if (end - at < ETHERNET_HEADER + 20 || (frame.getShort(at + 12) & 0xffff) != ETHERTYPE_IPV4) {
            return false;
        }
        int ip = at + ETHERNET_HEADER;
        int headerLength = (frame.get(ip) & 0x0f) * 4;
        if ((frame.get(ip + 9) & 0xff) != PROTOCOL_TCP || frame.getInt(ip + 12) != from) {
            return false;
        }
        int tcp = ip + headerLength;
        return tcp + 14 <= end && (frame.get(tcp + 13) & FIN) != 0;
    }
}
