package org.tcpip4j.netif;

/**
 * What every layer's service provider says of itself, so that a stack assembled through
 * {@link java.util.ServiceLoader} can report which implementation it picked and which
 * others were available.
 */
public interface LayerProvider {

    /** The name users choose the provider by ("default", "counting", ...). */
    String name();

    /** One line saying what this implementation is. */
    default String description() {
        return getClass().getName();
    }
}
