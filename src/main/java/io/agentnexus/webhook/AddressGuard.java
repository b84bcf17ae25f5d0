package io.agentnexus.webhook;

import io.agentnexus.platform.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * Keeps webhooks away from the service's own network (SSRF): a host is refused if any address it resolves
 * to is loopback, private, link-local (cloud metadata), CGNAT, unique-local, multicast, unspecified or
 * reserved, also when written inside an IPv6 address (mapped, compatible, NAT64, 6to4). The sender then
 * connects to the very address that was checked, so a DNS answer that changes in between (rebinding)
 * cannot get through.
 */
@ApplicationScoped
public class AddressGuard {

    private static final List<Cidr> BLOCKED_V4 = Cidr.all("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8",
            "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15",
            "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4");
    private static final List<Cidr> BLOCKED_V6 = Cidr.all("::/128", "::1/128", "fc00::/7", "fe80::/10", "fec0::/10",
            "ff00::/8", "2001:db8::/32", "2001::/32", "100::/64");
    /** IPv6 ranges whose last four bytes are an IPv4 address: IPv4-compatible, IPv4-mapped, NAT64. */
    private static final List<Cidr> EMBEDDING_V4 = Cidr.all("::/96", "::ffff:0:0/96", "64:ff9b::/96");
    private static final Cidr SIX_TO_FOUR = Cidr.of("2002::/16");

    private final boolean allowPrivate;
    private final HostResolver resolver;

    AddressGuard(WebhooksConfig config, HostResolver resolver) {
        this.allowPrivate = config.allowPrivateAddresses();
        this.resolver = resolver;
    }

    /** A webhook may not reach this address (when private addresses are not allowed). */
    public static boolean isBlocked(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            return BLOCKED_V4.stream().anyMatch(c -> c.contains(bytes));
        }
        if (EMBEDDING_V4.stream().anyMatch(c -> c.contains(bytes))) {
            return isBlockedV4(Arrays.copyOfRange(bytes, 12, 16));
        }
        if (SIX_TO_FOUR.contains(bytes)) {
            return isBlockedV4(Arrays.copyOfRange(bytes, 2, 6));
        }
        return BLOCKED_V6.stream().anyMatch(c -> c.contains(bytes));
    }

    private static boolean isBlockedV4(byte[] v4) {
        return BLOCKED_V4.stream().anyMatch(c -> c.contains(v4));
    }

    /** The address to connect to: the first the host resolves to, once every one it resolves to is allowed. */
    public InetAddress resolve(String host) throws UnknownHostException, RefusedAddressException {
        InetAddress[] addresses = resolver.resolve(host);
        if (!allowPrivate) {
            for (InetAddress address : addresses) {
                if (isBlocked(address)) {
                    throw new RefusedAddressException(host + " resolves to " + address.getHostAddress()
                            + ", a private, loopback or reserved address that webhooks may not reach");
                }
            }
        }
        return addresses[0];
    }

    /**
     * A webhook URL as given by a user: http or https, a host, no credentials; 400 on {@code field} if not,
     * or if the host resolves to a refused address now. A host that does not resolve yet is accepted: every
     * delivery checks again.
     */
    public String checkUrl(String url, String field) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw ApiException.invalidField(field, "is not a valid URL: " + e.getReason());
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
            throw ApiException.invalidField(field, "must be an http or https URL");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null) {
            throw ApiException.invalidField(field, "must name a host, without user or password");
        }
        try {
            resolve(host(uri));
        } catch (UnknownHostException e) {
            // accepted: checked again at each delivery
        } catch (RefusedAddressException e) {
            throw ApiException.invalidField(field, e.getMessage());
        }
        return url;
    }

    /** The host without the brackets of an IPv6 literal. */
    static String host(URI uri) {
        String host = uri.getHost();
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    /** Why a webhook may not go to a host. */
    public static final class RefusedAddressException extends Exception {
        RefusedAddressException(String message) {
            super(message, null, false, false);
        }
    }

    /** An IP prefix: the leading {@code bits} of an address. */
    private record Cidr(byte[] prefix, int bits) {

        /** {@code ::ffff:0:0/96} is written as bytes: Java parses IPv4-mapped literals as IPv4 addresses. */
        static Cidr of(String cidr) {
            String[] parts = cidr.split("/");
            byte[] prefix = new byte[16];
            if (parts[0].equals("::ffff:0:0")) {
                prefix[10] = (byte) 0xff;
                prefix[11] = (byte) 0xff;
            } else {
                try {
                    prefix = InetAddress.getByName(parts[0]).getAddress();
                } catch (UnknownHostException e) {
                    throw new IllegalArgumentException(cidr, e);
                }
            }
            return new Cidr(prefix, Integer.parseInt(parts[1]));
        }

        static List<Cidr> all(String... cidrs) {
            return Arrays.stream(cidrs).map(Cidr::of).toList();
        }

        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            for (int bit = 0; bit < bits; bit++) {
                int mask = 0x80 >> (bit % 8);
                if ((address[bit / 8] & mask) != (prefix[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
