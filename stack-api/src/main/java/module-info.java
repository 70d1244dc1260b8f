/**
 * STACK: the interface an application is written against (Mirage's {@code Tcpip.Stack}),
 * implemented by the direct stack and by the socket stack.
 */
module org.tcpip4j.stack {
    requires transitive org.tcpip4j.udp;
    requires transitive org.tcpip4j.tcp;

    exports org.tcpip4j.stack;
}
