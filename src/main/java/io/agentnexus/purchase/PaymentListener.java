package io.agentnexus.purchase;

import io.agentnexus.chain.Chain;
import io.agentnexus.chain.ChainConfig;
import io.agentnexus.platform.error.ApiException;
import io.agentnexus.platform.error.DependencyUnavailableException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;
import org.jboss.logging.Logger;

/**
 * Follows the escrow's events (eth_getLogs from the last processed block, kept in the database) so
 * that a deposit whose buyer never called confirm still becomes an entitlement, and releases and
 * refunds made on-chain show up here. While the chain is down it waits; it loses nothing, because
 * the cursor only moves past blocks that were fully handled. Anyone can deposit anything into the
 * escrow: events it cannot settle are skipped and counted ({@code agentnexus.chain.listener.skipped}).
 */
@ApplicationScoped
public class PaymentListener {

    static final String CURSOR = "escrow";
    private static final Logger LOG = Logger.getLogger(PaymentListener.class);

    private final Chain chain;
    private final ChainConfig config;
    private final PurchaseLedger ledger;
    private final PaymentService payments;
    private final MeterRegistry metrics;
    /** Confirmed head − cursor as last seen; NaN until the listener first reaches the chain. */
    private volatile double lagBlocks = Double.NaN;

    PaymentListener(Chain chain, ChainConfig config, PurchaseLedger ledger, PaymentService payments,
            MeterRegistry metrics) {
        this.chain = chain;
        this.config = config;
        this.ledger = ledger;
        this.payments = payments;
        this.metrics = metrics;
        Gauge.builder("agentnexus.chain.listener.lag", this, listener -> listener.lagBlocks).baseUnit("blocks")
                .description("Confirmed blocks the escrow listener has yet to handle").register(metrics);
        // At zero from the start, so that the first failure already shows in increase().
        metrics.counter("agentnexus.chain.listener.failures");
    }

    @Scheduled(identity = "escrow-listener", every = "${agentnexus.chain.poll-interval}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void poll() {
        try {
            catchUp();
            for (UUID purchase : ledger.unconfirmedDeposits()) {
                isolated("purchase " + purchase, () -> payments.finishConfirmation(purchase));
            }
            ledger.expireUnpaid();
        } catch (DependencyUnavailableException | FaultToleranceException e) {
            metrics.counter("agentnexus.chain.listener.failures").increment();
            LOG.warnf("chain listener waiting for the chain: %s", e.getMessage());
        }
    }

    /** Handles every confirmed block since the cursor, batch by batch, moving the cursor after each. */
    void catchUp() {
        long cursor = ledger.cursor(CURSOR, config.startBlock() - 1);
        long confirmed = chain.confirmedBlock();
        lagBlocks = Math.max(0, confirmed - cursor);
        while (cursor < confirmed) {
            long to = Math.min(cursor + config.logBatchSize(), confirmed);
            for (Chain.EscrowEvent event : chain.escrowEvents(cursor + 1, to)) {
                isolated("payment " + event.paymentId(), () -> handle(event));
            }
            ledger.advanceCursor(CURSOR, to);
            cursor = to;
            lagBlocks = confirmed - cursor;
        }
    }

    /**
     * One purchase's step, kept from blocking the others: anyone can deposit anything into the escrow, so
     * one event must never stop the listener. Only an unreachable chain stops the batch (and the cursor).
     */
    private void isolated(String what, Runnable step) {
        try {
            step.run();
        } catch (DependencyUnavailableException | FaultToleranceException e) {
            throw e;
        } catch (RuntimeException e) {
            skipped("settlement-error");
            LOG.errorf(e, "chain listener skipped %s: %s", what, e.getMessage());
        }
    }

    private void handle(Chain.EscrowEvent event) {
        var purchase = ledger.snapshotByPaymentId(event.paymentId());
        if (purchase.isEmpty()) {
            // Anyone can deposit under any id of theirs: nothing of ours, but counted to make abuse visible.
            skipped("unknown-payment");
            LOG.debugf("escrow event for payment %s matches no purchase", event.paymentId());
            return;
        }
        switch (event) {
            case Chain.Deposited deposited -> deposit(purchase.get(), deposited.deposit());
            case Chain.Released released -> payments.settled(purchase.get(), PurchaseStatus.RELEASED,
                    released.txHash());
            case Chain.Refunded refunded -> payments.settled(purchase.get(), PurchaseStatus.REFUNDED,
                    refunded.txHash());
        }
    }

    private void deposit(PurchaseLedger.Snapshot purchase, Chain.Deposit deposit) {
        String mismatch = ledger.depositMismatch(purchase.id(), deposit);
        if (mismatch != null) {
            // Not ours to confirm: it stays in escrow until an admin refunds it.
            skipped("mismatch");
            LOG.warnf("deposit %s in %s does not pay for purchase %s: %s", deposit.paymentId(), deposit.txHash(),
                    purchase.id(), mismatch);
            return;
        }
        try {
            payments.settleDeposit(deposit);
        } catch (ApiException e) {
            skipped("rejected");
            LOG.warnf("deposit %s in %s not settled: %s", deposit.paymentId(), deposit.txHash(), e.getMessage());
        }
    }

    private void skipped(String reason) {
        metrics.counter("agentnexus.chain.listener.skipped", "reason", reason).increment();
    }
}
