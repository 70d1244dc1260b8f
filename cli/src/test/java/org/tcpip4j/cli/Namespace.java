package org.tcpip4j.cli;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A network namespace the test creates, with a random name, where Linux plays the peer of
 * our stack: the TAP device the stack opened is moved into it and gets the kernel's
 * address there. Closing deletes the namespace, and with it any device still inside.
 */
final class Namespace implements AutoCloseable {

    final String name;

    private Namespace(String name) {
        this.name = name;
    }

    /** Creates a namespace named t4jcli-XXXXXXXX, with its loopback up. */
    static Namespace create() {
        String name = "t4jcli-" + randomHex();
        HostCommand.check("ip", "netns", "add", name);
        HostCommand.check("ip", "-n", name, "link", "set", "lo", "up");
        return new Namespace(name);
    }

    /** A TAP name no other test uses: at most 15 bytes, as Linux requires. */
    static String freshTapName() {
        return "t4jc" + randomHex();
    }

    /**
     * Moves {@code device} (open in our namespace) into this one, gives it {@code cidr} and
     * brings it up. The TAP's file descriptor stays bound to the device wherever it goes.
     */
    void adopt(String device, String cidr) {
        HostCommand.check("ip", "link", "set", "dev", device, "netns", name);
        HostCommand.check("ip", "-n", name, "addr", "add", cidr, "dev", device);
        HostCommand.check("ip", "-n", name, "link", "set", "dev", device, "up");
    }

    /** The command line that runs {@code command} inside the namespace. */
    String[] exec(String... command) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", name));
        all.addAll(List.of(command));
        return all.toArray(String[]::new);
    }

    @Override
    public void close() {
        HostCommand.run("ip", "netns", "del", name);
    }

    private static String randomHex() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }
}
