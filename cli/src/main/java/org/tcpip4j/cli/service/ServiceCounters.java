package org.tcpip4j.cli.service;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of the services {@code serve} runs, reported beside the stack's layers
 * under the layer name {@link #LAYER}. Unlike the layers' counters these may be updated
 * from any thread: the HTTP server runs on virtual threads.
 */
public final class ServiceCounters {

    /** The layer name the counters are reported under. */
    public static final String LAYER = "services";

    private final Map<String, LongAdder> counters = Collections.synchronizedMap(new LinkedHashMap<>());

    /** The counter {@code name}, created at zero (and so reported) on first use. */
    public LongAdder counter(String name) {
        return counters.computeIfAbsent(name, n -> new LongAdder());
    }

    /** Every counter and its value, in creation order. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new LinkedHashMap<>();
        synchronized (counters) {
            counters.forEach((k, v) -> out.put(k, v.sum()));
        }
        return out;
    }
}
