package org.tcpip4j.cli;

import picocli.CommandLine.IVersionProvider;

/**
 * What {@code --version} and {@code -V} print, for the command and every subcommand alike:
 * the version of this module (as the build stamped it; {@link #DEFAULT} when run from
 * classes without one) and the Java runtime's.
 */
final class Version implements IVersionProvider {

    /** The version when the module carries none. */
    static final String DEFAULT = "0.1.0";

    @Override
    public String[] getVersion() {
        String version = Version.class.getModule().getDescriptor() == null ? null
                : Version.class.getModule().getDescriptor().rawVersion().orElse(null);
        return new String[] {"tcpip4j " + (version != null ? version : DEFAULT),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vendor", "unknown vendor") + ")"};
    }
}
