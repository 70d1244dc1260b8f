package org.tcpip4j.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.Ipv6Cidr;
import org.tcpip4j.netif.MacAddress;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Option types of the command line: a bad value is a usage error (exit code 2) that says why. */
final class Converters {

    private Converters() {
    }

    /** {@code A.B.C.D/PREFIX}. */
    static final class Cidr implements ITypeConverter<Ipv4Cidr> {
        @Override
        public Ipv4Cidr convert(String value) {
            if (value.indexOf('/') < 0) {
                throw new TypeConversionException("'" + value + "' needs a prefix length, as in 198.18.5.2/24");
            }
            try {
                return Ipv4Cidr.parse(value);
            } catch (RuntimeException e) {
                throw new TypeConversionException("'" + value + "' is not A.B.C.D/PREFIX: " + e.getMessage());
            }
        }
    }

    /** {@code A.B.C.D}. */
    static final class Address implements ITypeConverter<Ipv4Address> {
        @Override
        public Ipv4Address convert(String value) {
            try {
                return Ipv4Address.parse(value);
            } catch (RuntimeException e) {
                throw new TypeConversionException("'" + value + "' is not an IPv4 address: " + e.getMessage());
            }
        }
    }

    /** {@code 2001:2::2/64}. */
    static final class Cidr6 implements ITypeConverter<Ipv6Cidr> {
        @Override
        public Ipv6Cidr convert(String value) {
            if (value.indexOf('/') < 0) {
                throw new TypeConversionException("'" + value + "' needs a prefix length, as in 2001:2::2/64");
            }
            try {
                return Ipv6Cidr.parse(value);
            } catch (RuntimeException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** An IPv6 address, {@code 2001:2::1} or {@code fe80::1}. */
    static final class Address6 implements ITypeConverter<Ipv6Address> {
        @Override
        public Ipv6Address convert(String value) {
            try {
                return Ipv6Address.parse(value);
            } catch (RuntimeException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** An IPv4 or an IPv6 address. */
    static final class AnyAddress implements ITypeConverter<IpAddress> {
        @Override
        public IpAddress convert(String value) {
            try {
                return IpAddress.parse(value);
            } catch (RuntimeException e) {
                throw new TypeConversionException("'" + value + "' is neither an IPv4 nor an IPv6 address");
            }
        }
    }

    /** A switch given as {@code on} or {@code off}, in any case. */
    enum OnOff {
        ON, OFF;

        /** True for {@link #ON}. */
        boolean on() {
            return this == ON;
        }
    }

    /** {@code on} or {@code off}, in any case. */
    static final class Switch implements ITypeConverter<OnOff> {
        @Override
        public OnOff convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "on" -> OnOff.ON;
                case "off" -> OnOff.OFF;
                default -> throw new TypeConversionException("'" + value + "' is neither on nor off");
            };
        }
    }

    /** {@code 02:00:00:00:00:01}. */
    static final class Mac implements ITypeConverter<MacAddress> {
        @Override
        public MacAddress convert(String value) {
            try {
                return MacAddress.parse(value);
            } catch (RuntimeException e) {
                throw new TypeConversionException("'" + value + "' is not a MAC address: " + e.getMessage());
            }
        }
    }

    /** {@code --queue}: {@code 100} packets, or a size in bytes: {@code 64KiB}, {@code 1MB}, {@code 90000B}. */
    static final class QueueLimit implements ITypeConverter<ImpairmentOptions.QueueLimit> {
        private static final Pattern SIZE = Pattern.compile("(\\d{1,12})\\s*(|B|kB|KiB|MB|MiB)", Pattern.CASE_INSENSITIVE);

        @Override
        public ImpairmentOptions.QueueLimit convert(String value) {
            Matcher m = SIZE.matcher(value.trim());
            if (!m.matches()) {
                throw new TypeConversionException("'" + value + "' is neither a number of packets (100) nor a size "
                        + "(64KiB, 1MB, 90000B)");
            }
            long n = Long.parseLong(m.group(1));
            long unit = switch (m.group(2).toLowerCase(Locale.ROOT)) {
                case "" -> 0;
                case "b" -> 1;
                case "kb" -> 1000;
                case "kib" -> 1024;
                case "mb" -> 1_000_000;
                default -> 1024 * 1024;
            };
            return unit == 0 ? new ImpairmentOptions.QueueLimit(n, false, value)
                    : new ImpairmentOptions.QueueLimit(n * unit, true, value);
        }
    }
}
