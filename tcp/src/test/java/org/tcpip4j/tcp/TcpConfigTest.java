package org.tcpip4j.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every field of TcpConfig keeps to a range in which the layer's arithmetic holds. */
class TcpConfigTest {

    private static final TcpConfig D = TcpConfig.DEFAULT;
    private static final int GIB = 1 << 30;

    private static void rejected(String message, Executable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        assertEquals(message, e.getMessage());
    }

    private static TcpConfig with(int send, int receive, Duration msl, int synRetries, int retransmissions,
                                  int backlog, int challengeAcks) {
        return new TcpConfig(send, receive, msl, synRetries, retransmissions, backlog, true, true, challengeAcks);
    }

    @Test
    void eachFieldOutsideItsRangeIsRejectedWithItsNameAndRange() {
        Duration msl = Duration.ofSeconds(30);
        rejected("TcpConfig.sendBufferSize must be in 1..1073741824: 0", () -> with(0, 1024, msl, 6, 12, 128, 1000));
        rejected("TcpConfig.sendBufferSize must be in 1..1073741824: 1073741825",
            () -> with(GIB + 1, 1024, msl, 6, 12, 128, 1000));
        rejected("TcpConfig.receiveBufferSize must be in 1..1073741824: -5", () -> with(1024, -5, msl, 6, 12, 128, 1000));
        rejected("TcpConfig.receiveBufferSize must be in 1..1073741824: 2147483647",
            () -> with(1024, Integer.MAX_VALUE, msl, 6, 12, 128, 1000));
        rejected("TcpConfig.msl must be more than 0 and at most PT1H: PT0S",
            () -> with(1024, 1024, Duration.ZERO, 6, 12, 128, 1000));
        rejected("TcpConfig.msl must be more than 0 and at most PT1H: PT-1S",
            () -> with(1024, 1024, Duration.ofSeconds(-1), 6, 12, 128, 1000));
        rejected("TcpConfig.msl must be more than 0 and at most PT1H: PT2562047H47M16.854775807S",
            () -> with(1024, 1024, Duration.ofNanos(Long.MAX_VALUE), 6, 12, 128, 1000));
        rejected("TcpConfig.synRetries must be in 0..127: -1", () -> with(1024, 1024, msl, -1, 12, 128, 1000));
        rejected("TcpConfig.synRetries must be in 0..127: 128", () -> with(1024, 1024, msl, 128, 12, 128, 1000));
        rejected("TcpConfig.maxRetransmissions must be in 1..255: 0", () -> with(1024, 1024, msl, 6, 0, 128, 1000));
        rejected("TcpConfig.maxRetransmissions must be in 1..255: 256", () -> with(1024, 1024, msl, 6, 256, 128, 1000));
        rejected("TcpConfig.synBacklog must be in 1..1048576: 0", () -> with(1024, 1024, msl, 6, 12, 0, 1000));
        rejected("TcpConfig.synBacklog must be in 1..1048576: 2147483647",
            () -> with(1024, 1024, msl, 6, 12, Integer.MAX_VALUE, 1000));
        rejected("TcpConfig.challengeAcksPerSecond must be in 1..1073741824: 0",
            () -> with(1024, 1024, msl, 6, 12, 128, 0));
        rejected("TcpConfig.challengeAcksPerSecond must be in 1..1073741824: 2147483647",
            () -> D.withChallengeAcksPerSecond(Integer.MAX_VALUE));
        rejected("TcpConfig.maxSendBufferSize must be at most 1073741824: 2147483647",
            () -> D.withBuffers(1024, Integer.MAX_VALUE, 1024, 1024));
        rejected("TcpConfig.maxReceiveBufferSize must be at most 1073741824: 1073741825",
            () -> D.withBuffers(1024, 1024, 1024, GIB + 1));
        assertThrows(NullPointerException.class, () -> with(1024, 1024, null, 6, 12, 128, 1000));
    }

    @Test
    void theEdgesOfEachRangeAreAccepted() {
        TcpConfig low = with(1, 1, Duration.ofNanos(1), 0, 1, 1, 1);
        assertEquals(1, low.maxSendBufferSize(), "the maximum is raised to the initial size");
        TcpConfig high = with(GIB, GIB, TcpConfig.MAX_MSL, 127, 255, 1 << 20, 1 << 30);
        assertEquals(GIB, high.maxReceiveBufferSize());
        assertEquals(4096, D.withBuffers(4096, 0, 4096, 1).maxSendBufferSize(), "below the initial: raised to it");
    }
}
