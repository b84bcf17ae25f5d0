package io.agentnexus.execution;

/** (AWAITING_PAYMENT →) QUEUED → RUNNING → one of the four final states. */
public enum ExecutionStatus {
    /** A pay-per-run execution whose escrow deposit has not been verified yet. */
    AWAITING_PAYMENT, QUEUED, RUNNING, SUCCEEDED, FAILED, TIMED_OUT, CANCELLED;

    /** Nothing more will happen to the run. */
    public boolean isFinal() {
        return this != AWAITING_PAYMENT && this != QUEUED && this != RUNNING;
    }
}
