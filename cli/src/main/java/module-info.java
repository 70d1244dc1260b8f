/**
 * The {@code tcpip4j} command: {@code demo} (two stacks on an in-memory network) and the
 * tools a network engineer keeps.
 */
module org.tcpip4j.cli {
    requires org.tcpip4j.stack.direct;
    requires org.tcpip4j.netif.memory;
    requires org.tcpip4j.netif.decorators;
    requires info.picocli;
    requires org.slf4j;

    opens org.tcpip4j.cli to info.picocli;
}
