package org.tcpip4j.tck;

/** The TCK on the direct stack: our own layers on the in-memory network, in virtual time. */
class DirectStackTck extends StackTck implements UdpTck, TcpTck {

    @Override
    protected StackFixture createFixture() {
        return new DirectStackFixture();
    }
}
