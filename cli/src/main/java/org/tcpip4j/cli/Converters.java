package org.tcpip4j.cli;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tcpip4j.netif.Ipv4Address;
import org.tcpip4j.netif.Ipv4Cidr;
import org.tcpip4j.netif.IpAddress;
import org.tcpip4j.netif.Ipv6Address;
import org.tcpip4j.netif.Ipv6Cidr;
import org.tcpip4j.netif.MacAddress;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Option types of the command line: a bad value is a usage error (exit code 2). Each
 * converter's message is the rule the value breaks, without the value: {@link Usage} puts
 * the option and the value in front.
 */
final class Converters {

    /** How the help explains a size. */
    static final String SIZE_HELP = "a size such as 1000, 64K, 1.5M or 2G (K, M, G and KiB, MiB, GiB count in "
            + "1024s; kB, MB, GB in 1000s)";

    private Converters() {
    }

    /** Reads {@code int}, {@code long} and {@code double} options as {@link WholeNumber} and {@link Decimal} say. */
    static void register(CommandLine commandLine) {
        commandLine.registerConverter(int.class, v -> (int) WholeNumber.parse(v, Integer.MIN_VALUE, Integer.MAX_VALUE));
        commandLine.registerConverter(Integer.class, v -> (int) WholeNumber.parse(v, Integer.MIN_VALUE, Integer.MAX_VALUE));
        commandLine.registerConverter(long.class, v -> WholeNumber.parse(v, Long.MIN_VALUE, Long.MAX_VALUE));
        commandLine.registerConverter(Long.class, v -> WholeNumber.parse(v, Long.MIN_VALUE, Long.MAX_VALUE));
        commandLine.registerConverter(double.class, Decimal::parse);
        commandLine.registerConverter(Double.class, Decimal::parse);
    }

    /** A whole number, as {@code 5201} or {@code -1}. */
    static final class WholeNumber {
        private WholeNumber() {
        }

        static long parse(String value, long min, long max) {
            long n;
            try {
                n = Long.parseLong(value.trim());
            } catch (NumberFormatException e) {
                throw new TypeConversionException(value.trim().matches("[+-]?\\d+")
                        ? "too large" : "not a whole number");
            }
            if (n < min || n > max) {
                throw new TypeConversionException("too large");
            }
            return n;
        }
    }

    /** A finite decimal number, as {@code 2.5} or {@code 10}. */
    static final class Decimal {
        private Decimal() {
        }

        static double parse(String value) {
            String v = value.trim();
            // Double.parseDouble would also take "NaN", "Infinity", "0x1p3" and "5d".
            if (!v.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
                throw new TypeConversionException("not a number");
            }
            double d = Double.parseDouble(v);
            if (Double.isInfinite(d)) {
                throw new TypeConversionException("too large");
            }
            return d;
        }
    }

    /**
     * A size in bytes: a whole number, or a number with a unit, {@code B} (bytes), {@code K},
     * {@code M}, {@code G} (1024, 1024^2, 1024^3, as {@code head -c} and iperf3 read them),
     * {@code KiB}, {@code MiB}, {@code GiB} (the same), or {@code kB}, {@code MB}, {@code GB}
     * (1000, 1000^2, 1000^3); in any case, and a decimal number with a unit when the bytes
     * come out whole ({@code 1.5M}).
     */
    static final class Size implements ITypeConverter<Long> {
        private static final Pattern SIZE = Pattern.compile("(\\d{1,19}(?:\\.\\d{1,9})?)\\s*([a-z]*)",
                Pattern.CASE_INSENSITIVE);

        @Override
        public Long convert(String value) {
            return parse(value);
        }

        /** The bytes {@code value} gives. */
        static long parse(String value) {
            Matcher m = SIZE.matcher(value.trim());
            long unit = m.matches() ? unit(m.group(2)) : 0;
            if (unit == 0) {
                throw new TypeConversionException(value.trim().startsWith("-") ? "must not be negative"
                        : "not a size: 1000, 64K, 1.5M or 2G (K = 1024, kB = 1000)");
            }
            return bytes(m.group(1), unit);
        }

        /** The bytes in a unit: 1 for none or B, 0 for a unit not known. */
        static long unit(String unit) {
            return switch (unit.toLowerCase(Locale.ROOT)) {
                case "", "b" -> 1;
                case "k", "kib" -> 1L << 10;
                case "m", "mib" -> 1L << 20;
                case "g", "gib" -> 1L << 30;
                case "kb" -> 1000;
                case "mb" -> 1_000_000;
                case "gb" -> 1_000_000_000;
                default -> 0;
            };
        }

        static long bytes(String number, long unit) {
            BigDecimal bytes = new BigDecimal(number).multiply(BigDecimal.valueOf(unit));
            try {
                return bytes.stripTrailingZeros().longValueExact();
            } catch (ArithmeticException e) {
                throw new TypeConversionException(bytes.signum() > 0 && bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0
                        ? "too large" : "not a whole number of bytes");
            }
        }
    }

    /** {@code A.B.C.D/PREFIX}. */
    static final class Cidr implements ITypeConverter<Ipv4Cidr> {
        @Override
        public Ipv4Cidr convert(String value) {
            if (value.indexOf('/') < 0) {
                throw new TypeConversionException("needs a prefix length, as in 198.18.5.2/24");
            }
            try {
                return Ipv4Cidr.parse(value);
            } catch (RuntimeException e) {
                throw new TypeConversionException("not A.B.C.D/PREFIX, as in 198.18.5.2/24");
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
                throw new TypeConversionException("not an IPv4 address, as in 198.18.5.1");
            }
        }
    }

    /** {@code 2001:2::2/64}. */
    static final class Cidr6 implements ITypeConverter<Ipv6Cidr> {
        @Override
        public Ipv6Cidr convert(String value) {
            if (value.indexOf('/') < 0) {
                throw new TypeConversionException("needs a prefix length, as in 2001:2::2/64");
            }
            try {
                return Ipv6Cidr.parse(value);
            } catch (RuntimeException e) {
                throw new TypeConversionException("not ADDR/PREFIX, as in 2001:2::2/64");
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
                throw new TypeConversionException("not an IPv6 address, as in 2001:2::1");
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
                throw new TypeConversionException("neither an IPv4 nor an IPv6 address");
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
                default -> throw new TypeConversionException("neither on nor off");
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
                throw new TypeConversionException("not a MAC address, as in 02:00:00:00:00:01");
            }
        }
    }

    /** {@code --queue}: {@code 100} packets, or a size with a unit: {@code 64KiB}, {@code 1MB}, {@code 90000B}. */
    static final class QueueLimit implements ITypeConverter<ImpairmentOptions.QueueLimit> {
        private static final Pattern PACKETS = Pattern.compile("\\d{1,12}");

        @Override
        public ImpairmentOptions.QueueLimit convert(String value) {
            String v = value.trim();
            if (PACKETS.matcher(v).matches()) {
                return new ImpairmentOptions.QueueLimit(Long.parseLong(v), false, value);
            }
            try {
                return new ImpairmentOptions.QueueLimit(Size.parse(v), true, value);
            } catch (TypeConversionException e) {
                throw new TypeConversionException("neither a number of packets (100) nor a size with a unit (64K, "
                        + "64KiB, 1MB, 90000B)");
            }
        }
    }
}
