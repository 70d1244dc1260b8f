package org.tcpip4j.testsupport;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the tests take for a CI run: CI is true, 1 or yes, in any case, as scripts/ci.sh reads it. */
class CiTest {

    @ParameterizedTest
    @ValueSource(strings = {"true", "TRUE", "True", "1", "yes", "YES", "Yes", " true "})
    void ciRun(String value) {
        assertTrue(Ci.isCi(value), value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "false", "0", "no", "off", "truthy", "2"})
    void notCiRun(String value) {
        assertFalse(Ci.isCi(value), value);
    }

    @Test
    void unsetIsNotCi() {
        assertFalse(Ci.isCi(null));
    }
}
