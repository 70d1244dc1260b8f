package org.tcpip4j.netif.tap.child;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import org.tcpip4j.netif.loop.RealTimeEventLoop;
import org.tcpip4j.netif.tap.TapConfig;
import org.tcpip4j.netif.tap.TapNetif;

/**
 * A program for a child JVM started in another network namespace
 * ({@code ip netns exec NS java ...}): opens the TAP named in its argument, prints
 * "OPEN name", waits for a line on standard input, disconnects and prints "CLOSED".
 */
public final class OpenTapAndWait {

    private OpenTapAndWait() {
    }

    /** Runs the program; the single argument is the TAP's name. */
    public static void main(String[] args) throws Exception {
        try (RealTimeEventLoop loop = new RealTimeEventLoop("child-loop")) {
            TapNetif tap = TapNetif.open(TapConfig.named(args[0]), loop);
            System.out.println("OPEN " + tap.interfaceName() + " " + tap.mtu());
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in)).readLine();
            tap.disconnect().get();
            System.out.println("CLOSED");
            System.out.flush();
        }
    }
}
