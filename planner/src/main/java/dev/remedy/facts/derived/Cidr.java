package dev.remedy.facts.derived;

import java.util.Optional;

/** An IPv4 CIDR block. IPv6 pod networks are not judged: their containment is unknown, never assumed. */
public record Cidr(String text, long network, int prefix) {

    public static Optional<Cidr> parse(String text) {
        if (text == null || !text.contains("/")) {
            return Optional.empty();
        }
        String[] parts = text.strip().split("/");
        Optional<Long> address = ipv4(parts[0]);
        try {
            int prefix = Integer.parseInt(parts[1]);
            if (address.isEmpty() || prefix < 0 || prefix > 32) {
                return Optional.empty();
            }
            return Optional.of(new Cidr(text.strip(), address.get() & mask(prefix), prefix));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    public static Optional<Long> ipv4(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String[] octets = text.strip().split("\\.");
        if (octets.length != 4) {
            return Optional.empty();
        }
        long value = 0;
        try {
            for (String octet : octets) {
                int n = Integer.parseInt(octet);
                if (n < 0 || n > 255) {
                    return Optional.empty();
                }
                value = value << 8 | n;
            }
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.of(value);
    }

    /** Whether {@code ip} is inside this block; empty when {@code ip} is not an IPv4 address. */
    public Optional<Boolean> contains(String ip) {
        return ipv4(ip).map(a -> (a & mask(prefix)) == network);
    }

    /** Whether every address of {@code other} is inside this block. */
    public boolean covers(Cidr other) {
        return other.prefix >= prefix && (other.network & mask(prefix)) == network;
    }

    private static long mask(int prefix) {
        return prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
    }

    @Override
    public String toString() {
        return text;
    }
}
