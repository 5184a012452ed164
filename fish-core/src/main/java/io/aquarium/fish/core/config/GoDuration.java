package io.aquarium.fish.core.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;

/**
 * Go's {@code time.ParseDuration} / {@code Duration.String} syntax, so durations written for the
 * original node ("30s", "1h30m", "500ms", "-1s") keep working. Adds {@code d} (24h), which the
 * original accepted in lifetimes. The range is Go's: what fits in a signed 64-bit nanosecond count.
 */
public final class GoDuration {
    private static final BigInteger NANOS_PER_SECOND = BigInteger.valueOf(1_000_000_000L);
    private static final BigInteger MAX_NANOS = BigInteger.valueOf(Long.MAX_VALUE);

    private GoDuration() {
    }

    /**
     * Parses a Go duration such as {@code 1h30m30s}, {@code 1.5h}, {@code 2d}, {@code -1s} or {@code 0}.
     *
     * @throws IllegalArgumentException naming the input when it is empty or malformed
     */
    public static Duration parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("duration must not be null");
        }
        String s = text.strip();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty duration");
        }
        int pos = 0;
        boolean negative = false;
        if (s.charAt(0) == '-' || s.charAt(0) == '+') {
            negative = s.charAt(0) == '-';
            pos = 1;
        }
        if (s.substring(pos).equals("0")) {
            return Duration.ZERO;
        }
        if (pos == s.length()) {
            throw invalid(text, "missing number");
        }
        BigDecimal totalNanos = BigDecimal.ZERO;
        while (pos < s.length()) {
            int numberStart = pos;
            while (pos < s.length() && (Character.isDigit(s.charAt(pos)) || s.charAt(pos) == '.')) {
                pos++;
            }
            String number = s.substring(numberStart, pos);
            if (number.isEmpty() || number.equals(".") || number.indexOf('.') != number.lastIndexOf('.')) {
                throw invalid(text, "expected a number at position " + numberStart);
            }
            int unitStart = pos;
            while (pos < s.length() && !Character.isDigit(s.charAt(pos)) && s.charAt(pos) != '.') {
                pos++;
            }
            String unit = s.substring(unitStart, pos);
            if (unit.isEmpty()) {
                throw invalid(text, "missing unit after " + number
                        + " (use ns, us, ms, s, m, h or d)");
            }
            totalNanos = totalNanos.add(new BigDecimal(number).multiply(BigDecimal.valueOf(unitNanos(text, unit))));
        }
        BigInteger nanos = totalNanos.setScale(0, RoundingMode.DOWN).toBigIntegerExact();
        if (nanos.compareTo(MAX_NANOS) > 0) {
            throw invalid(text, "out of range");
        }
        return Duration.ofNanos(negative ? -nanos.longValueExact() : nanos.longValueExact());
    }

    /** Like {@link #parse} but null or blank text means "not set". */
    public static Duration parseOrNull(String text) {
        return text == null || text.isBlank() ? null : parse(text);
    }

    /** Go's {@code Duration.String}: {@code 1h30m30s}, {@code 11s}, {@code 1.5s}, {@code 500ms}, {@code 0s}. */
    public static String format(Duration duration) {
        BigInteger nanos = BigInteger.valueOf(duration.getSeconds()).multiply(NANOS_PER_SECOND)
                .add(BigInteger.valueOf(duration.getNano()));
        if (nanos.signum() == 0) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        if (nanos.signum() < 0) {
            out.append('-');
            nanos = nanos.negate();
        }
        if (nanos.compareTo(NANOS_PER_SECOND) < 0) {
            long n = nanos.longValueExact();
            if (n < 1_000) {
                out.append(n).append("ns");
            } else if (n < 1_000_000) {
                appendFraction(out, n / 1_000, n % 1_000, 3).append("µs");
            } else {
                appendFraction(out, n / 1_000_000, n % 1_000_000, 6).append("ms");
            }
            return out.toString();
        }
        BigInteger[] secondsAndNanos = nanos.divideAndRemainder(NANOS_PER_SECOND);
        BigInteger[] minutesAndSeconds = secondsAndNanos[0].divideAndRemainder(BigInteger.valueOf(60));
        BigInteger[] hoursAndMinutes = minutesAndSeconds[0].divideAndRemainder(BigInteger.valueOf(60));
        BigInteger hours = hoursAndMinutes[0];
        BigInteger minutes = hoursAndMinutes[1];
        if (hours.signum() > 0) {
            out.append(hours).append('h').append(minutes).append('m');
        } else if (minutes.signum() > 0) {
            out.append(minutes).append('m');
        }
        appendFraction(out, minutesAndSeconds[1].longValueExact(), secondsAndNanos[1].longValueExact(), 9)
                .append('s');
        return out.toString();
    }

    private static StringBuilder appendFraction(StringBuilder out, long whole, long fraction, int digits) {
        out.append(whole);
        if (fraction != 0) {
            String f = String.format("%0" + digits + "d", fraction).replaceFirst("0+$", "");
            out.append('.').append(f);
        }
        return out;
    }

    private static long unitNanos(String text, String unit) {
        return switch (unit) {
            case "ns" -> 1L;
            case "us", "µs", "μs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            case "d" -> 86_400_000_000_000L;
            default -> throw invalid(text, "unknown unit '" + unit + "' (use ns, us, ms, s, m, h or d)");
        };
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("invalid duration '" + text + "': " + why);
    }
}
