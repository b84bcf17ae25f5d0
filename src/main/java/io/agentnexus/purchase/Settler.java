package io.agentnexus.purchase;

import io.agentnexus.chain.Chain;
import io.agentnexus.platform.error.DependencyUnavailableException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Quarkus;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;
import org.jboss.logging.Logger;

/**
 * Money moves with the outcome, by itself. An access purchase settles when its dispute window closes: released
 * to the creator if the buyer had a successful run or did not try, refunded (access revoked) if every run the
 * buyer tried failed (crash, timeout, OOM, platform error: an input the service rejects never becomes a run);
 * a disputed one waits for an admin. A run's payment settles once its run ends: released on SUCCEEDED (or a
 * cancel after the start), refunded otherwise. Every replica runs this; claims keep them from settling one
 * purchase twice, and each decision is recorded, with its grounds, before the chain is asked (PaymentService).
 */
@ApplicationScoped
class Settler {

    private static final Logger LOG = Logger.getLogger(Settler.class);

    private final PurchaseLedger ledger;
    private final PaymentService payments;
    private final Chain chain;
    private final PurchaseConfig config;
    private final Clock clock;
    private final MeterRegistry metrics;
    private volatile boolean windowChecked;
    private volatile boolean windowUnreadLogged;

    Settler(PurchaseLedger ledger, PaymentService payments, Chain chain, PurchaseConfig config, Clock clock,
            MeterRegistry metrics) {
        this.ledger = ledger;
        this.payments = payments;
        this.chain = chain;
        this.config = config;
        this.clock = clock;
        this.metrics = metrics;
    }

    @Scheduled(identity = "settler", every = "${agentnexus.purchase.settlement-interval}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        if (windowChecked || checkWindow()) {
            settleDue();
        }
    }

    /**
     * The escrow lets a payer refund themselves after its refund window: the dispute window must close first.
     * Asked by the first pass rather than at start-up, which then need not build the chain client: a wrong
     * setting stops the service seconds after it starts, before it settles anything. While the chain cannot be
     * reached the settler goes on (settling needs the chain anyway) and asks again on the next pass.
     */
    private boolean checkWindow() {
        long refundWindow;
        try {
            refundWindow = chain.refundWindowSeconds();
        } catch (DependencyUnavailableException | FaultToleranceException e) {
            if (!windowUnreadLogged) {
                windowUnreadLogged = true;
                LOG.warnf("the escrow's refund window could not be read yet (%s); the dispute window of %s is "
                        + "checked once it can be", e.getMessage(), config.disputeWindow());
            }
            return true;
        }
        Optional<String> problem = windowProblem(config.disputeWindow(), refundWindow);
        if (problem.isPresent()) {
            LOG.error(problem.get());
            Quarkus.asyncExit(1);
            return false;
        }
        windowChecked = true;
        return true;
    }

    static Optional<String> windowProblem(Duration disputeWindow, long refundWindowSeconds) {
        return disputeWindow.toSeconds() < refundWindowSeconds ? Optional.empty()
                : Optional.of("agentnexus.purchase.dispute-window (" + disputeWindow + ") must be shorter than the "
                        + "escrow's refund window (" + Duration.ofSeconds(refundWindowSeconds)
                        + "): set AGENTNEXUS_PURCHASE_DISPUTE_WINDOW lower");
    }

    /** One pass: claims what is due and settles it; the purchases this pass settled. */
    List<UUID> settleDue() {
        Instant now = clock.instant();
        List<UUID> settled = new ArrayList<>();
        for (UUID id : ledger.claimDue(now.minus(config.disputeWindow()), now.plus(config.settlementClaim()),
                config.settlementBatch())) {
            try {
                if (settle(id)) {
                    settled.add(id);
                }
            } catch (DependencyUnavailableException | FaultToleranceException e) {
                LOG.warnf("settling purchase %s waits for the chain: %s", id, e.getMessage());
                break; // the claims lapse; the next pass takes them up again
            } catch (RuntimeException e) {
                metrics.counter("agentnexus.settlement.failures").increment();
                LOG.errorf(e, "purchase %s not settled (tried again once its claim lapses): %s", id, e.getMessage());
            }
        }
        return settled;
    }

    private boolean settle(UUID id) {
        PurchaseLedger.Snapshot purchase = ledger.snapshot(id).orElseThrow();
        Optional<Decision> decision = purchase.kind() == PurchaseKind.RUN ? forRun(purchase) : forAccess(purchase);
        if (decision.isEmpty()) {
            return false; // runs still in flight: looked at again when the claim lapses
        }
        if (decision.get().release()) {
            payments.release(id, decision.get().reason());
        } else {
            payments.refund(id, decision.get().reason());
        }
        metrics.counter("agentnexus.settlement.decisions", "kind", purchase.kind().name().toLowerCase(),
                "outcome", decision.get().release() ? "released" : "refunded").increment();
        LOG.infof("purchase %s %s", id, decision.get().reason());
        return true;
    }

    record Decision(boolean release, String reason) {
    }

    private Optional<Decision> forAccess(PurchaseLedger.Snapshot purchase) {
        Instant windowEnd = purchase.confirmedAt().plus(config.disputeWindow());
        PurchaseLedger.RunTally runs = ledger.runsWithin(purchase.buyerId(), purchase.agentId(),
                purchase.confirmedAt(), windowEnd);
        return Optional.ofNullable(decideAccess(runs, config.disputeWindow()));
    }

    /** The rule for access, on the buyer's runs within the window; null while some are still in flight. */
    static Decision decideAccess(PurchaseLedger.RunTally runs, Duration window) {
        String when = "automatically when the " + window.toHours() + " h dispute window closed: ";
        if (runs.inFlight() > 0) {
            return null;
        }
        if (runs.succeeded() > 0) {
            return new Decision(true, "released " + when + runs.succeeded() + " of the buyer's "
                    + (runs.succeeded() + runs.failed()) + " run(s) succeeded");
        }
        if (runs.failed() == 0) {
            return new Decision(true, "released " + when + "the buyer did not run the agent");
        }
        return new Decision(false, "refunded " + when + "all " + runs.failed() + " run(s) the buyer tried failed"
                + " (the agent crashed, timed out, ran out of memory, or the platform could not run it)");
    }

    private Optional<Decision> forRun(PurchaseLedger.Snapshot purchase) {
        return ledger.paidRun(purchase.id()).map(Settler::decideRun);
    }

    /** The rule for a run's payment, once its run has ended. */
    static Decision decideRun(PurchaseLedger.PaidRun run) {
        return switch (run.status()) {
            case "SUCCEEDED" -> new Decision(true, "released automatically: the run succeeded");
            case "CANCELLED" -> run.started()
                    ? new Decision(true, "released automatically: the buyer cancelled the run after it started")
                    : new Decision(false, "refunded automatically: the run was cancelled before it started");
            case "TIMED_OUT" -> new Decision(false, "refunded automatically: the run timed out");
            default -> new Decision(false, "refunded automatically: the run failed ("
                    + (run.error() == null ? "no reason recorded" : abbreviated(run.error())) + ")");
        };
    }

    private static String abbreviated(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }
}
