package org.tcpip4j.ipv4.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.tcpip4j.arp.Arp;
import org.tcpip4j.arp.ArpConfig;
import org.tcpip4j.arp.ArpException;
import org.tcpip4j.netif.Counters;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.MacAddress;

/** An ARP layer whose answers the test decides: known neighbours resolve at once, others wait. */
final class ScriptedArp implements Arp {

    final List<Ipv4Address> queried = new ArrayList<>();
    boolean recording = true;
    /** What {@link #config()} returns. */
    ArpConfig config = ArpConfig.DEFAULT;
    private final Map<Ipv4Address, CompletableFuture<MacAddress>> futures = new HashMap<>();

    /** Makes {@code ip} resolve to {@code mac} now and for every later query. */
    void resolve(Ipv4Address ip, MacAddress mac) {
        futures.computeIfAbsent(ip, k -> new CompletableFuture<>()).complete(mac);
    }

    /** Fails the pending resolution of {@code ip}. */
    void fail(Ipv4Address ip) {
        futures.remove(ip).completeExceptionally(new ArpException.Timeout(ip));
    }

    @Override
    public CompletableFuture<MacAddress> query(Ipv4Address ip) {
        if (recording) {
            queried.add(ip);
        }
        return futures.computeIfAbsent(ip, k -> new CompletableFuture<>());
    }

    @Override
    public void input(ByteBuffer packet) {
    }

    @Override
    public List<Ipv4Address> ips() {
        return List.of();
    }

    @Override
    public CompletableFuture<Void> setIps(List<Ipv4Address> ips) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> addIp(Ipv4Address ip) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> removeIp(Ipv4Address ip) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> addStatic(Ipv4Address ip, MacAddress mac) {
        resolve(ip, mac);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> removeStatic(Ipv4Address ip) {
        futures.remove(ip);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public ArpConfig config() {
        return config;
    }

    @Override
    public Counters counters() {
        return new Counters("arp");
    }

    @Override
    public CompletableFuture<Void> disconnect() {
        return CompletableFuture.completedFuture(null);
    }
}
