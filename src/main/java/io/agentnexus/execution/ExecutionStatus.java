package io.agentnexus.execution;

/** QUEUED → RUNNING → one of the four final states. */
public enum ExecutionStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, TIMED_OUT, CANCELLED;

    /** Nothing changes any more: the output, exit code and end time are what they will stay. */
    public boolean isFinal() {
        return this != QUEUED && this != RUNNING;
    }
}
