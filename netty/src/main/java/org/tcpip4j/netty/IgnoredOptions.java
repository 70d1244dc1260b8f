package org.tcpip4j.netty;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Says once per option that a socket option this transport records but cannot apply is ignored. */
final class IgnoredOptions {

    private static final Logger LOG = LoggerFactory.getLogger(IgnoredOptions.class);
    private static final Set<String> SAID = ConcurrentHashMap.newKeySet();

    private IgnoredOptions() {
    }

    static void ignored(String option, String why) {
        if (SAID.add(option)) {
            LOG.info("{} is ignored by the tcpip4j transport: {}", option, why);
        }
    }
}
