package org.tcpip4j.stack.direct;

import java.lang.management.ManagementFactory;
import java.lang.ref.Cleaner;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.ImmutableDescriptor;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.ReflectionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stack's counters in the platform MBean server, under
 * {@code org.tcpip4j:type=Stack,name=NAME}, where JConsole, JDK Mission Control and
 * {@code jcmd} see them: one read-only {@code long} attribute per counter, named
 * {@code layer.counter} as everywhere else ({@code tcp.tx.retransmits},
 * {@code netif.rx.packets}), plus {@code Name} and {@code Addresses}. Each read takes the
 * stack's counters afresh ({@link DirectStack#counters()}, safe from any thread).
 *
 * <p>The bean holds its stack weakly: a stack dropped without {@code disconnect()} (as
 * simulations do) is not kept alive by the MBean server, and its bean goes away once the
 * stack is collected. Registration failing (no management, a stack of the same name
 * registered) is logged, at WARN the first time in a process, and never stops the stack.
 */
final class StackMBean implements DynamicMBean {

    private static final Logger LOG = LoggerFactory.getLogger(StackMBean.class);
    /** The domain of the beans' names. */
    static final String DOMAIN = "org.tcpip4j";
    private static final AtomicBoolean WARNED = new AtomicBoolean();
    private static final Cleaner CLEANER = Cleaner.create(Thread.ofPlatform().daemon().name("tcpip4j-mbeans")
            .factory());

    private final WeakReference<DirectStack> stack;
    private final String name;
    private final ObjectName objectName;
    private final MBeanInfo info;
    private final AtomicBoolean registered = new AtomicBoolean();
    private MBeanServer server;

    private StackMBean(DirectStack stack, String name, ObjectName objectName) {
        this.stack = new WeakReference<>(stack);
        this.name = name;
        this.objectName = objectName;
        this.info = info(name, stack.counters());
    }

    /** The name the bean of the stack called {@code stackName} is registered under. */
    static ObjectName objectName(String stackName) throws MalformedObjectNameException {
        boolean plain = stackName.chars().noneMatch(c -> ",=:\"*?\n\\".indexOf(c) >= 0);
        return new ObjectName(DOMAIN + ":type=Stack,name=" + (plain ? stackName : ObjectName.quote(stackName)));
    }

    /**
     * Registers a bean for {@code stack} in the platform MBean server.
     *
     * @return the bean, to unregister at disconnect, or null when registration failed (logged)
     */
    static StackMBean register(DirectStack stack, String name) {
        try {
            StackMBean bean = new StackMBean(stack, name, objectName(name));
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            server.registerMBean(bean, bean.objectName);
            bean.server = server;
            bean.registered.set(true);
            CLEANER.register(stack, bean::unregister);
            return bean;
        } catch (JMException | RuntimeException | LinkageError e) {
            String message = "{}: counters not registered with JMX as {}: {}";
            if (WARNED.compareAndSet(false, true)) {
                LOG.warn(message + " (later failures are logged at DEBUG)", name, DOMAIN + ":type=Stack,name=" + name,
                        e.toString());
            } else {
                LOG.debug(message, name, DOMAIN + ":type=Stack,name=" + name, e.toString());
            }
            return null;
        }
    }

    /** Removes the bean from the server; once only, whoever calls first (disconnect, or the cleaner). */
    void unregister() {
        if (!registered.compareAndSet(true, false)) {
            return;
        }
        try {
            server.unregisterMBean(objectName);
        } catch (JMException e) {
            LOG.debug("{}: unregistering {} failed: {}", name, objectName, e.toString());
        }
    }

    /** The name the bean is registered under. */
    ObjectName objectName() {
        return objectName;
    }

    private static MBeanInfo info(String name, Map<String, Map<String, Long>> counters) {
        List<MBeanAttributeInfo> attributes = new ArrayList<>();
        attributes.add(new MBeanAttributeInfo("Name", String.class.getName(), "The stack's name, as in its log lines",
                true, false, false));
        attributes.add(new MBeanAttributeInfo("Addresses", String[].class.getName(), "The stack's addresses",
                true, false, false));
        ImmutableDescriptor counter = new ImmutableDescriptor("metricType=counter");
        counters.forEach((layer, values) -> values.keySet().forEach(c -> attributes.add(new MBeanAttributeInfo(
                layer + "." + c, "long", "Counter " + c + " of the " + layer + " layer", true, false, false,
                counter))));
        return new MBeanInfo(StackMBean.class.getName(), "The counters of tcpip4j stack " + name,
                attributes.toArray(MBeanAttributeInfo[]::new), null, null, null);
    }

    private DirectStack stack() throws AttributeNotFoundException {
        DirectStack s = stack.get();
        if (s == null) {
            unregister();
            throw new AttributeNotFoundException("stack " + name + " is gone");
        }
        return s;
    }

    @Override
    public Object getAttribute(String attribute) throws AttributeNotFoundException {
        DirectStack s = stack();
        return value(s, s.counters(), attribute);
    }

    private Object value(DirectStack s, Map<String, Map<String, Long>> counters, String attribute)
            throws AttributeNotFoundException {
        switch (attribute) {
            case "Name" -> {
                return name;
            }
            case "Addresses" -> {
                return s.addresses().stream().map(Object::toString).toArray(String[]::new);
            }
            default -> {
                int dot = attribute.indexOf('.');
                Map<String, Long> layer = dot < 0 ? null : counters.get(attribute.substring(0, dot));
                Long value = layer == null ? null : layer.get(attribute.substring(dot + 1));
                if (value == null) {
                    throw new AttributeNotFoundException(attribute);
                }
                return value;
            }
        }
    }

    @Override
    public AttributeList getAttributes(String[] attributes) {
        AttributeList list = new AttributeList();
        DirectStack s = stack.get();
        if (s == null) {
            return list;
        }
        Map<String, Map<String, Long>> counters = s.counters(); // one snapshot for all
        for (String a : attributes) {
            try {
                list.add(new Attribute(a, value(s, counters, a)));
            } catch (AttributeNotFoundException e) {
                // left out, as the contract says
            }
        }
        return list;
    }

    @Override
    public void setAttribute(Attribute attribute) throws AttributeNotFoundException {
        throw new AttributeNotFoundException("read-only: " + attribute.getName());
    }

    @Override
    public AttributeList setAttributes(AttributeList attributes) {
        return new AttributeList();
    }

    @Override
    public Object invoke(String actionName, Object[] params, String[] signature) throws ReflectionException {
        throw new ReflectionException(new NoSuchMethodException(actionName), "no operations");
    }

    @Override
    public MBeanInfo getMBeanInfo() {
        return info;
    }
}
