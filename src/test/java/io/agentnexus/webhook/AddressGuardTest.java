package io.agentnexus.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentnexus.platform.error.ApiException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Which addresses a webhook may reach when private addresses are not allowed. */
class AddressGuardTest {

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.1.2.3", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.1",
            "169.254.169.254", "100.64.0.1", "100.127.255.255", "0.0.0.0", "0.1.2.3", "224.0.0.1", "255.255.255.255",
            "198.18.0.1", "192.0.2.1", "::1", "::", "fc00::1", "fd12:3456::1", "fe80::1", "ff02::1",
            "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::127.0.0.1", "64:ff9b::7f00:1",
            "64:ff9b::a9fe:a9fe", "2002:7f00:1::", "2002:c0a8:101::1", "2001:db8::1", "fec0::1"})
    void refuses(String address) throws UnknownHostException {
        assertTrue(AddressGuard.isBlocked(InetAddress.getByName(address)), address);
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "1.1.1.1", "172.15.255.255", "172.32.0.1", "100.63.255.255",
            "100.128.0.1", "169.253.255.255", "2606:4700:4700::1111", "2a00:1450:4001::200e", "::ffff:8.8.8.8",
            "64:ff9b::808:808", "2002:808:808::1"})
    void allowsPublic(String address) throws UnknownHostException {
        assertEquals(false, AddressGuard.isBlocked(InetAddress.getByName(address)), address);
    }

    @Test
    void refusesAHostNameWhenAnyOfItsAddressesIsPrivate() {
        AddressGuard guard = guard(false, host -> new InetAddress[] {InetAddress.getByName("93.184.216.34"),
                InetAddress.getByName("10.1.2.3")});
        assertThrows(AddressGuard.RefusedAddressException.class, () -> guard.resolve("mixed.example"));
    }

    @Test
    void refusesLocalhostThroughTheSystemResolver() {
        AddressGuard guard = guard(false, InetAddress::getAllByName);
        AddressGuard.RefusedAddressException refused = assertThrows(AddressGuard.RefusedAddressException.class,
                () -> guard.resolve("localhost"));
        assertTrue(refused.getMessage().contains("localhost resolves to"), refused.getMessage());
    }

    @Test
    void allowsLoopbackWhenConfigured() throws Exception {
        assertEquals("127.0.0.1", guard(true, InetAddress::getAllByName).resolve("127.0.0.1").getHostAddress());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://example.com/x", "file:///etc/passwd", "http://user:pass@example.com/", "not a url",
            "http:///path", "http://127.0.0.1:8080/", "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://localhost/",
            "https://169.254.169.254/latest/meta-data"})
    void refusesUrls(String url) {
        ApiException refused = assertThrows(ApiException.class, () -> guard(false, InetAddress::getAllByName)
                .checkUrl(url, "url"));
        assertEquals("url", refused.errors().getFirst().field());
    }

    @Test
    void acceptsAPublicUrlAndOneWhoseHostDoesNotResolveYet() {
        AddressGuard guard = guard(false, host -> {
            if (host.equals("later.example")) {
                throw new UnknownHostException(host);
            }
            return new InetAddress[] {InetAddress.getByName("93.184.216.34")};
        });
        assertEquals("https://hooks.example/x?y=1", guard.checkUrl("https://hooks.example/x?y=1", "url"));
        assertEquals("http://later.example/", guard.checkUrl("http://later.example/", "url"));
    }

    private static AddressGuard guard(boolean allowPrivate, HostResolver resolver) {
        return new AddressGuard(new WebhooksConfig() {
            public Duration timeout() { return Duration.ofSeconds(10); }
            public Duration dispatchInterval() { return Duration.ofSeconds(1); }
            public Duration lease() { return Duration.ofSeconds(60); }
            public int batchSize() { return 32; }
            public List<Duration> retrySchedule() { return List.of(); }
            public boolean allowPrivateAddresses() { return allowPrivate; }
            public int maxSubscriptionsPerUser() { return 20; }
        }, resolver);
    }
}
