package io.aquarium.fish.core.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** Checks "IP" or "IP/prefix" literals without ever touching DNS. */
final class IpSpec {
    private static final Pattern IPV4 =
            Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    private IpSpec() {
    }

    /** @return null when valid, otherwise why not */
    static String problem(String spec) {
        if (spec == null || spec.isBlank()) {
            return "must not be empty";
        }
        int slash = spec.indexOf('/');
        String address = slash < 0 ? spec : spec.substring(0, slash);
        int maxPrefix;
        if (IPV4.matcher(address).matches()) {
            maxPrefix = 32;
        } else if (address.indexOf(':') >= 0 && IPV6_CHARS.matcher(address).matches()) {
            try {
                // A literal with ':' is parsed, never resolved.
                InetAddress.getByName(address);
            } catch (UnknownHostException e) {
                return "not an IP address or CIDR network";
            }
            maxPrefix = 128;
        } else {
            return "not an IP address or CIDR network";
        }
        if (slash >= 0) {
            String prefix = spec.substring(slash + 1);
            if (prefix.isEmpty() || prefix.length() > 3 || !prefix.chars().allMatch(Character::isDigit)
                    || Integer.parseInt(prefix) > maxPrefix) {
                return "network prefix must be between 0 and " + maxPrefix;
            }
        }
        return null;
    }
}
