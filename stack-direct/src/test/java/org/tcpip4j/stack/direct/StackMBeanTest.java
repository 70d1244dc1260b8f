package org.tcpip4j.stack.direct;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpip4j.stack.direct.SimulatedLan.ip;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import javax.management.AttributeNotFoundException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.tcpip4j.netif.impair.Impairment;
import org.tcpip4j.tcp.TcpFlow;

/**
 * Each stack's counters in the platform MBean server, as JConsole, JDK Mission Control and
 * {@code jcmd} read them: {@code org.tcpip4j:type=Stack,name=NAME}, one attribute per
 * counter, read afresh each time, gone once the stack disconnects.
 */
class StackMBeanTest {

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

    private static ObjectName name(String stack) throws Exception {
        return new ObjectName("org.tcpip4j:type=Stack,name=" + stack);
    }

    @Test
    void countersAreAttributesThatFollowTheStackAndLeaveAtDisconnect() throws Exception {
        SimulatedLan lan = new SimulatedLan(1);
        SimulatedLan.Host a = lan.host(1, Impairment.NONE, b -> b.name("mbean-client"));
        SimulatedLan.Host b = lan.host(2, Impairment.NONE, x -> x.name("mbean-server"));
        ObjectName client = name("mbean-client");
        assertTrue(server.isRegistered(client));
        assertTrue(server.isRegistered(name("mbean-server")));
        assertEquals("mbean-client", server.getAttribute(client, "Name"));
        assertEquals("mbean-client", a.stack.name());
        assertArrayEquals(new String[] {"198.18.0.1"}, (String[]) server.getAttribute(client, "Addresses"));

        Set<String> attributes = Arrays.stream(server.getMBeanInfo(client).getAttributes())
            .map(MBeanAttributeInfo::getName).collect(Collectors.toSet());
        for (String counter : new String[] {"tcp.tx.retransmits", "tcp.conn.active_opens", "arp.tx.requests",
            "netif.tx.packets", "ipv4.rx.packets", "stack.rx.unknown_ip_protocol"}) {
            assertTrue(attributes.contains(counter), counter + " in " + attributes);
        }
        assertEquals(0L, server.getAttribute(client, "tcp.conn.active_opens"));
        long packets = (Long) server.getAttribute(client, "netif.tx.packets");

        b.stack.listenTcp(7, flow -> { });
        TcpFlow flow = lan.await(a.stack.tcp().connect(ip(2), 7), Duration.ofSeconds(10));
        assertEquals(1L, server.getAttribute(client, "tcp.conn.active_opens"));
        assertEquals(1L, server.getAttribute(name("mbean-server"), "tcp.conn.passive_opens"));
        assertTrue((Long) server.getAttribute(client, "netif.tx.packets") > packets);
        assertEquals(a.count("tcp", "tx.segments"), server.getAttribute(client, "tcp.tx.segments"));
        var list = server.getAttributes(client, new String[] {"tcp.conn.active_opens", "no.such", "Name"});
        assertEquals(2, list.size(), list.toString());
        assertThrows(AttributeNotFoundException.class, () -> server.getAttribute(client, "tcp.no_such_counter"));

        flow.close();
        lan.await(a.stack.disconnect(), Duration.ofSeconds(10));
        assertFalse(server.isRegistered(client), "unregistered at disconnect");
        assertTrue(server.isRegistered(name("mbean-server")));
        lan.await(b.stack.disconnect(), Duration.ofSeconds(10));
        assertFalse(server.isRegistered(name("mbean-server")));
    }

    @Test
    void turnedOffNoBeanAndADuplicateNameIsNotFatal() throws Exception {
        SimulatedLan lan = new SimulatedLan(2);
        SimulatedLan.Host off = lan.host(1, Impairment.NONE, b -> b.name("mbean-off").jmx(false));
        assertFalse(server.isRegistered(name("mbean-off")));
        assertNull(((AssembledStack) off.stack).mbean());

        SimulatedLan.Host first = lan.host(2, Impairment.NONE, b -> b.name("mbean-twice"));
        SimulatedLan.Host second = lan.host(3, Impairment.NONE, b -> b.name("mbean-twice"));
        assertNotNull(((AssembledStack) first.stack).mbean());
        assertNull(((AssembledStack) second.stack).mbean(), "the second of a name runs without a bean");
        assertEquals("198.18.0.2", ((String[]) server.getAttribute(name("mbean-twice"), "Addresses"))[0]);
        // The second's disconnect leaves the first's bean alone.
        lan.await(second.stack.disconnect(), Duration.ofSeconds(10));
        assertTrue(server.isRegistered(name("mbean-twice")));
        lan.await(first.stack.disconnect(), Duration.ofSeconds(10));
        assertFalse(server.isRegistered(name("mbean-twice")));
        lan.await(off.stack.disconnect(), Duration.ofSeconds(10));
    }

    @Test
    void stacksBuiltWithoutANameGetOneOfTheirOwn() throws Exception {
        SimulatedLan lan = new SimulatedLan(3);
        DirectStack one = DirectStackBuilder.on(lan.network.port(SimulatedLan.mac(1)))
            .address(new org.tcpip4j.netif.Ipv4Cidr(ip(1), 24)).seed(1).build();
        DirectStack two = DirectStackBuilder.on(lan.network.port(SimulatedLan.mac(2)))
            .address(new org.tcpip4j.netif.Ipv4Cidr(ip(2), 24)).seed(2).build();
        assertTrue(one.name().matches("stack-\\d+"), one.name());
        assertTrue(two.name().matches("stack-\\d+"), two.name());
        assertNotEquals(one.name(), two.name());
        assertTrue(server.isRegistered(name(one.name())));
        assertTrue(server.isRegistered(name(two.name())));
        assertTrue(one.toString().contains(one.name()));
        lan.await(one.disconnect(), Duration.ofSeconds(10));
        lan.await(two.disconnect(), Duration.ofSeconds(10));
    }
}
