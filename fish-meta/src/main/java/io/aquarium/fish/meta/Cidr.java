package io.aquarium.fish.meta;

import java.net.InetAddress;
import java.util.Arrays;

/** An IP network ({@code 10.0.0.0/8}, {@code fd00::/8}); a bare address is a network of one. */
public final class Cidr {
    private final byte[] network;
    private final int prefix;

    private Cidr(byte[] network, int prefix) {
        this.network = mask(network, prefix);
        this.prefix = prefix;
    }

    /** @throws IllegalArgumentException when {@code spec} is not an IP literal with an optional valid prefix */
    public static Cidr parse(String spec) {
        String s = spec == null ? "" : spec.trim();
        int slash = s.indexOf('/');
        InetAddress address = IpLiteral.parse(slash < 0 ? s : s.substring(0, slash))
                .orElseThrow(() -> new IllegalArgumentException("not an IP address or CIDR network: " + spec));
        int bits = address.getAddress().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String p = s.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(p) > bits) {
                throw new IllegalArgumentException("network prefix must be between 0 and " + bits + ": " + spec);
            }
            prefix = Integer.parseInt(p);
        }
        return new Cidr(address.getAddress(), prefix);
    }

    /** The network {@code address} is in, given its interface prefix length. */
    public static Cidr of(InetAddress address, int prefix) {
        int bits = address.getAddress().length * 8;
        return new Cidr(address.getAddress(), Math.max(0, Math.min(prefix, bits)));
    }

    /** False for the other address family (IPv4-mapped IPv6 addresses are IPv4 once parsed). */
    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        return a.length == network.length && Arrays.equals(mask(a, prefix), network);
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - 8 * i));
            out[i] &= (byte) (0xff << (8 - keep));
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefix == prefix && Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefix;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
