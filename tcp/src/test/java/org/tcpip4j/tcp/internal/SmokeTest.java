package org.tcpip4j.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tcpip4j.tcp.internal.TcpHarness.*;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.tcpip4j.tcp.ReadResult;
import org.tcpip4j.tcp.TcpFlow;

class SmokeTest {

    @Test
    void passiveOpenEchoAndClose() throws Exception {
        TcpHarness h = new TcpHarness();
        TcpFlow flow = h.acceptFrom(80, 40000, 5000);
        h.inject(from(40000, 80, ACK | PSH, 5001, 1001).payload("hello"));
        var read = flow.read();
        h.settle();
        ReadResult r = read.get();
        assertEquals("hello", StandardCharsets.US_ASCII.decode(((ReadResult.Data) r).data()).toString());
        flow.write(ByteBuffer.wrap("world".getBytes()));
        h.settle();
        System.out.println(h.sent());
    }
}
