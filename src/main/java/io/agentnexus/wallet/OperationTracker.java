package io.agentnexus.wallet;

import io.agentnexus.platform.error.DependencyUnavailableException;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Follows submitted operations on the bundler until a bundle includes them (then purchases paid by them
 * confirm), on every replica: each transition is taken once under the operation's row lock.
 */
@ApplicationScoped
class OperationTracker {

    private static final Logger LOG = Logger.getLogger(OperationTracker.class);
    private static final int BATCH = 100;

    private final WalletService wallets;

    OperationTracker(WalletService wallets) {
        this.wallets = wallets;
    }

    @Scheduled(every = "${agentnexus.wallet.receipt-poll-interval}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void poll() {
        for (UUID id : wallets.submitted(BATCH)) {
            try {
                wallets.track(id);
            } catch (DependencyUnavailableException e) {
                LOG.debugf("the bundler cannot be asked now (%s); submitted operations wait", e.getMessage());
                return;
            } catch (RuntimeException e) {
                LOG.warnf(e, "could not follow operation %s", id);
            }
        }
    }
}
