-- Delivered on commit to the sessions that LISTEN (execution/QueueNotifications, one per instance with
-- workers): a run joined the queue (idle workers on every replica wake at once), or a running run was asked
-- to cancel (its runner stops it at once). Identical notifications in one transaction are delivered once.
CREATE FUNCTION notify_execution_queued() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('agentnexus_executions_queued', '');
    RETURN NULL;
END
$$;

CREATE FUNCTION notify_execution_cancel() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('agentnexus_executions_cancel', NEW.id::text);
    RETURN NULL;
END
$$;

-- Submitted, paid, requeued by the reaper or handed back by a worker: every way into the queue.
CREATE TRIGGER executions_queued_insert AFTER INSERT ON executions
    FOR EACH ROW WHEN (NEW.status = 'QUEUED') EXECUTE FUNCTION notify_execution_queued();
CREATE TRIGGER executions_queued_update AFTER UPDATE OF status ON executions
    FOR EACH ROW WHEN (NEW.status = 'QUEUED' AND OLD.status <> 'QUEUED') EXECUTE FUNCTION notify_execution_queued();

CREATE TRIGGER executions_cancel_requested AFTER UPDATE OF cancel_requested ON executions
    FOR EACH ROW WHEN (NEW.cancel_requested AND NOT OLD.cancel_requested AND NEW.status = 'RUNNING')
    EXECUTE FUNCTION notify_execution_cancel();
