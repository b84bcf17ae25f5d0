package io.agentnexus.webhook;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Host name → addresses; the system's DNS, replaceable in tests that play a rebinding DNS server. */
@FunctionalInterface
public interface HostResolver {

    InetAddress[] resolve(String host) throws UnknownHostException;

    @ApplicationScoped
    class SystemResolver {
        @Produces
        @DefaultBean
        @ApplicationScoped
        HostResolver system() {
            return InetAddress::getAllByName;
        }
    }
}
