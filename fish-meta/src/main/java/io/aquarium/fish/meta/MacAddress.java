package io.aquarium.fish.meta;

import java.util.Locale;
import java.util.Optional;

/** MAC addresses as drivers and tools spell them, reduced to one form for comparison. */
public final class MacAddress {
    private MacAddress() {
    }

    /**
     * {@code aa:bb:cc:dd:ee:ff} from {@code AA-BB-CC-DD-EE-FF}, {@code a:b:c:d:e:f} (macOS arp drops
     * leading zeros) or {@code aabb.ccdd.eeff}; empty when it is not a MAC, or all zeros (incomplete).
     */
    public static Optional<String> normalise(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String s = text.trim().toLowerCase(Locale.ROOT);
        String hex;
        if (s.indexOf(':') >= 0 || s.indexOf('-') >= 0) {
            String[] parts = s.split("[:-]", -1);
            if (parts.length != 6) {
                return Optional.empty();
            }
            StringBuilder b = new StringBuilder(12);
            for (String p : parts) {
                if (p.isEmpty() || p.length() > 2) {
                    return Optional.empty();
                }
                b.append(p.length() == 1 ? "0" + p : p);
            }
            hex = b.toString();
        } else {
            hex = s.replace(".", "");
        }
        if (hex.length() != 12 || !hex.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))
                || hex.equals("000000000000")) {
            return Optional.empty();
        }
        StringBuilder out = new StringBuilder(17);
        for (int i = 0; i < 12; i += 2) {
            if (i > 0) {
                out.append(':');
            }
            out.append(hex, i, i + 2);
        }
        return Optional.of(out.toString());
    }
}
