package io.aquarium.fish.meta;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** IP address literals: parsed without DNS, compared in one canonical form. */
public final class IpLiteral {
    private static final Pattern IPV4 =
            Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");
    private static final int MAX_LENGTH = 64;

    private IpLiteral() {
    }

    /**
     * The address written in {@code text}: IPv4, IPv6 (optionally in brackets, a zone suffix is
     * dropped). IPv4-mapped IPv6 ({@code ::ffff:127.0.0.1}) comes back as IPv4. Host names are
     * never resolved: they give empty.
     */
    public static Optional<InetAddress> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String s = text.trim();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        int zone = s.indexOf('%');
        if (zone >= 0) {
            s = s.substring(0, zone);
        }
        if (s.isEmpty() || s.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        boolean v4 = IPV4.matcher(s).matches();
        if (!v4 && (s.indexOf(':') < 0 || !IPV6_CHARS.matcher(s).matches())) {
            return Optional.empty();
        }
        try {
            // Only literals get here, and InetAddress parses a literal without any lookup.
            return Optional.of(InetAddress.getByName(s));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /**
     * The spellings a driver may have stored for {@code address}: IPv4 dotted, or IPv6 both in the
     * RFC 5952 short form ({@code fe80::1}) and in Java's full form ({@code fe80:0:0:0:0:0:0:1}).
     */
    public static List<String> spellings(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return List.of(address.getHostAddress());
        }
        Set<String> forms = new LinkedHashSet<>();
        forms.add(rfc5952(address.getAddress()));
        String full = address.getHostAddress();
        int zone = full.indexOf('%');
        forms.add(zone >= 0 ? full.substring(0, zone) : full);
        return List.copyOf(forms);
    }

    /** Lower-case hex, no leading zeros, the longest run (of two or more) of zero groups as "::". */
    static String rfc5952(byte[] ipv6) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((ipv6[2 * i] & 0xff) << 8) | (ipv6[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }
}
