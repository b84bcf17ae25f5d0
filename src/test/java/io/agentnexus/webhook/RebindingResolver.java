package io.agentnexus.webhook;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A DNS server playing the rebinding trick: {@value #HOST} answers a public address the first time it is
 * asked, loopback ever after. Every other name goes to the system's resolver. Enabled by one test profile.
 */
@Alternative
@ApplicationScoped
public class RebindingResolver implements HostResolver {

    static final String HOST = "rebind.example";

    private final Set<String> asked = ConcurrentHashMap.newKeySet();

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        if (!host.equals(HOST)) {
            return InetAddress.getAllByName(host);
        }
        String answer = asked.add(host) ? "93.184.216.34" : "127.0.0.1";
        return new InetAddress[] {InetAddress.getByName(answer)};
    }
}
