package io.agentnexus.execution;

/** QUEUED → RUNNING → one of the four final states. */
public enum ExecutionStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, TIMED_OUT, CANCELLED
}
