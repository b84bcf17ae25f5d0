package io.agentnexus.entitlement;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/** Access rights to agents: which a user holds now. */
@ApplicationScoped
public class EntitlementService {

    private static final String CURRENT = "from Entitlement e where e.user.id = ?1 and e.revokedAt is null"
            + " and (e.expiresAt is null or e.expiresAt > ?2)";

    private final Clock clock;

    EntitlementService(Clock clock) {
        this.clock = clock;
    }

    /** The user's entitlements that are neither revoked nor expired, newest first. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public EntitlementList current(UUID userId, int page, int size) {
        Instant now = clock.instant();
        long total = Entitlement.count(CURRENT, userId, now);
        var entitlements = Entitlement.<Entitlement>find(CURRENT.replace("from Entitlement e",
                        "from Entitlement e join fetch e.agent") + " order by e.createdAt desc", userId, now)
                .page(page, size).list().stream()
                .map(e -> new EntitlementView(e.id, e.agent.id, e.agent.name, e.tokenId.toString(),
                        e.amount.toString(), e.purchase == null ? null : e.purchase.id, e.expiresAt, e.createdAt))
                .toList();
        return new EntitlementList(entitlements, page, size, total);
    }
}
