package org.tcpip4j.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.tcpip4j.ipv6.Ipv6Config;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.Ipv6Cidr;
import org.tcpip4j.netif.MacAddress;
import org.tcpip4j.netif.loop.RealTimeEventLoop;
import org.tcpip4j.netif.tap.TapNetif;
import org.tcpip4j.stack.Stack;
import org.tcpip4j.stack.direct.DirectStack;
import org.tcpip4j.stack.direct.DirectStackBuilder;
import org.tcpip4j.tck.Feature;
import org.tcpip4j.tck.IpVersion;
import org.tcpip4j.tck.StackFixture;

/**
 * Two direct stacks, each on its own TAP device enslaved to the interop network's Linux
 * bridge, in real time: the TCK's frames cross a real kernel bridge (and its netfilter)
 * rather than the in-memory switch. The client is {@code .20} and the server {@code .21} of
 * the network's subnet; over IPv6 the stacks also have {@code ::20} and {@code ::21} of the
 * network's /64 and reach each other there (without Duplicate Address Detection, so that
 * each case starts at once: the addresses are the fixture's alone). Both TAPs are deleted
 * when the stacks disconnect.
 */
final class TapStackFixture implements StackFixture {

    private static final int CLIENT_HOST = 20;
    private static final int SERVER_HOST = 21;
    private static final int FOREIGN_HOST = 99;
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final int FIRST_FREE_PORT = 10_000;

    private final InteropNetwork net;
    private final IpVersion version;
    private final RealTimeEventLoop loop = InteropTap.loop("tck-tap-loop");
    private final List<DirectStack> stacks = new ArrayList<>();
    private final DirectStack client;
    private final DirectStack server;
    private int nextFreePort = FIRST_FREE_PORT;

    /** Opens two TAPs on {@code net}'s bridge and a stack on each, reaching each other over {@code version}. */
    TapStackFixture(InteropNetwork net, IpVersion version) {
        this.net = net;
        this.version = version;
        try {
            client = stackOnNewTap("tck-client", CLIENT_HOST);
            server = stackOnNewTap("tck-server", SERVER_HOST);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    private DirectStack stackOnNewTap(String name, int host) {
        String tapName = "t4jt" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        TapNetif netif;
        try {
            netif = TapNetif.open(InteropTap.config(tapName, MacAddress.randomLocal(ThreadLocalRandom.current()))
                    .build(), loop);
        } catch (Exception e) {
            throw new IllegalStateException("cannot open TAP " + tapName, e);
        }
        DirectStack stack;
        try {
            // The host's own IPv6 chatter on the port would only be noise.
            Files.writeString(Path.of("/proc/sys/net/ipv6/conf", tapName, "disable_ipv6"), "1");
            host("ip", "link", "set", "dev", tapName, "master", net.bridgeName());
            host("ip", "link", "set", "dev", tapName, "up");
            DirectStackBuilder builder = DirectStackBuilder.on(netif).address(new Ipv4Cidr(net.address(host), 24))
                    .name(name);
            if (version == IpVersion.IPV6) {
                builder.ipv6Config(Ipv6Config.of(new Ipv6Cidr(net.address6(host), 64)).withDadTransmits(0)
                        .withRouterAdvertisements(false));
            }
            stack = builder.build();
        } catch (IOException | RuntimeException e) {
            netif.disconnect();
            throw new IllegalStateException("cannot put a stack on TAP " + tapName, e);
        }
        stacks.add(stack);
        return stack;
    }

    private static void host(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
    }

    @Override
    public String description() {
        return "direct stacks on TAP devices of a Linux bridge over " + version;
    }

    @Override
    public Stack client() {
        return client;
    }

    @Override
    public Stack server() {
        return server;
    }

    /** The server's address of the fixture's version, named rather than taken from a list that holds both. */
    @Override
    public IpAddress serverAddress() {
        return version == IpVersion.IPV4 ? net.address(SERVER_HOST) : net.address6(SERVER_HOST);
    }

    @Override
    public IpAddress clientAddress() {
        return version == IpVersion.IPV4 ? net.address(CLIENT_HOST) : net.address6(CLIENT_HOST);
    }

    @Override
    public IpAddress foreignAddress() {
        return version == IpVersion.IPV4 ? net.address(FOREIGN_HOST) : net.address6(FOREIGN_HOST);
    }

    /** The stacks are ours alone, so any port nobody listened on yet is free. */
    @Override
    public int freeUdpPort(Stack stack) {
        return nextFreePort++;
    }

    @Override
    public <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("the future failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("the future did not complete within " + BOUND + " (" + description() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The direct stack has every feature, on TAP as on the in-memory network. */
    @Override
    public boolean supports(Feature feature) {
        return true;
    }

    /** Disconnects the stacks, which closes and deletes their TAPs, then stops the loop. */
    @Override
    public void close() {
        try {
            for (DirectStack s : stacks) {
                s.disconnect().get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot disconnect the stacks", e);
        } finally {
            loop.close();
        }
    }
}
