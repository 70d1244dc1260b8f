package org.tcpip4j.fuzz;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Map;
import org.tcpip4j.stack.direct.DirectStack;

/**
 * What the fuzz targets read of a stack's state that no public interface shows: the sizes
 * of the tables whose bounds they check. Read reflectively (the targets run on the class
 * path), in this one place, so that a renamed field fails here with a clear message.
 */
final class Internals {

    private Internals() {
    }

    /** Entries in the ARP cache, bounded by {@code ArpConfig.cacheSize}. */
    static int arpCacheSize(DirectStack stack) {
        return (Integer) call(field(stack.arp(), "cache"), "size");
    }

    /** Addresses being resolved, each with a timer and held datagrams. */
    static int arpResolutions(DirectStack stack) {
        return ((Map<?, ?>) field(stack.arp(), "resolving")).size();
    }

    /** Connections the TCP layer holds, in every state but CLOSED. */
    static int tcpConnections(DirectStack stack) {
        return (Integer) call(stack.tcp(), "connectionCount");
    }

    private static Object field(Object owner, String name) {
        try {
            Field f = owner.getClass().getDeclaredField(name);
            f.setAccessible(true);
            return f.get(owner);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("no field " + name + " in " + owner.getClass().getName()
                    + ": update Internals to the class as it is now", e);
        }
    }

    private static Object call(Object owner, String name) {
        try {
            Method m = owner.getClass().getDeclaredMethod(name);
            m.setAccessible(true);
            return m.invoke(owner);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("no method " + name + "() in " + owner.getClass().getName()
                    + ": update Internals to the class as it is now", e);
        }
    }
}
