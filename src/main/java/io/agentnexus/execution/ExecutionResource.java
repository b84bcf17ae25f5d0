package io.agentnexus.execution;

import io.agentnexus.execution.ExecutionDtos.ExecutionList;
import io.agentnexus.execution.ExecutionDtos.ExecutionView;
import io.agentnexus.platform.error.ApiException;
import io.agentnexus.platform.ratelimit.RateLimited;
import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import io.agentnexus.platform.web.PageRequest;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.ws.rs.core.Response.Status;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.jboss.logging.Logger;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/executions")
@Tag(name = "Executions", description = "Running agents in isolated containers")
@Authenticated
public class ExecutionResource {

    private static final Logger LOG = Logger.getLogger(ExecutionResource.class);

    private final ExecutionService executions;
    private final LogTail logTail;
    private final SyncRuns syncRuns;

    ExecutionResource(ExecutionService executions, LogTail logTail, SyncRuns syncRuns) {
        this.executions = executions;
        this.logTail = logTail;
        this.syncRuns = syncRuns;
    }

    @POST
    @RateLimited("executions")
    @RunOnVirtualThread // a sync run holds the request up to a minute: a parked virtual thread, not a worker
    @Operation(summary = "Run an agent the caller is entitled to (or pay for one run of a pay-per-run agent)",
            description = "202 + Location with a QUEUED execution; for a pay-per-run agent, AWAITING_PAYMENT with its "
                    + "own escrow `payment` (the transaction to send, or with payWith smart-account the sponsored "
                    + "operation to sign): queued once the deposit is verified, released to the creator if the run "
                    + "succeeds, refunded otherwise. The input must match the agent's inputSchema "
                    + "(400 lists the violations) and be at most 256 KiB (413). A repeated Idempotency-Key returns "
                    + "the execution it created. With `Prefer: wait=N` (RFC 7240, N ≤ 60) the answer waits until "
                    + "the run ends or N seconds pass: 200 with the final execution, or 202 with the execution as "
                    + "it is; `Preference-Applied: wait=<N applied>`. A client that goes away does not cancel the run.")
    @APIResponse(responseCode = "200", description = "Prefer: wait=N and the run ended in time: the final execution")
    @APIResponse(responseCode = "202", description = "Queued; with Prefer: wait=N, still running when N s passed")
    public Response submit(@NotNull @Valid ExecutionDtos.Submit request,
            @HeaderParam("Idempotency-Key") @Size(max = 128) @Pattern(regexp = "^[\\x21-\\x7e]+$",
                    message = "must be printable ASCII without spaces") String idempotencyKey,
            @Parameter(description = "`wait=N`: hold the answer until the run ends, at most N (≤ 60) seconds; "
                    + "a malformed value is ignored") @HeaderParam("Prefer") List<String> prefer,
            @Context UriInfo uri) {
        ExecutionView execution = executions.submit(request, idempotencyKey);
        URI location = uri.getBaseUriBuilder().path("api/executions").path(execution.id().toString()).build();
        OptionalInt wait = WaitPreference.seconds(prefer);
        if (wait.isEmpty()) {
            return Response.accepted(execution).location(location).build();
        }
        ExecutionView now = syncRuns.await(execution.id(), Duration.ofSeconds(wait.getAsInt()));
        return Response.status(now.status().isFinal() ? Status.OK : Status.ACCEPTED).entity(now).location(location)
                .header("Preference-Applied", "wait=" + wait.getAsInt()).build();
    }

    @GET
    @Operation(summary = "The caller's executions (all, for admins), newest first; filters status and agentId")
    public ExecutionList list(@QueryParam("status") String status, @QueryParam("agentId") UUID agentId,
            @Valid @BeanParam PageRequest page) {
        return executions.list(Optional.ofNullable(status).map(ExecutionResource::status), Optional.ofNullable(agentId),
                page.page, page.size);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One execution: status, exit code, output, error, timings",
            description = "Another user's execution answers 404.")
    public ExecutionView get(@PathParam("id") UUID id) {
        return executions.get(id);
    }

    @POST
    @Path("/{id}/cancel")
    @Operation(summary = "Cancel a queued or running execution (SIGTERM, short grace, then kill)",
            description = "Idempotent; a finished execution answers 409.")
    public ExecutionView cancel(@PathParam("id") UUID id) {
        return executions.cancel(id);
    }

    @GET
    @Path("/{id}/logs")
    @Produces(MediaType.TEXT_PLAIN)
    @RunOnVirtualThread
    @Operation(summary = "The execution's log lines as text: timestamp, stream, line",
            description = "With ?follow=true the text streams as lines arrive until the execution ends, like tail -f.")
    public Response logs(@PathParam("id") UUID id, @QueryParam("follow") @DefaultValue("false") boolean follow,
            @Context HttpServerResponse response) {
        if (!follow) {
            return Response.ok(executions.logText(id)).build();
        }
        executions.get(id); // 404 before the stream starts
        return Response.ok(following(id, -1, response, ExecutionService::format, status -> "[" + status + "]\n"))
                .build();
    }

    @GET
    @Path("/{id}/logs")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RunOnVirtualThread
    @Operation(summary = "Live log lines as Server-Sent Events (event 'log', id = line number), then a 'done' event "
            + "with the final status; Last-Event-ID resumes after a reconnect")
    public Response stream(@PathParam("id") UUID id,
            @HeaderParam("Last-Event-ID") @DefaultValue("-1") int lastEventId, @Context HttpServerResponse response) {
        executions.get(id); // 404 before the stream starts
        return Response.ok(following(id, lastEventId, response,
                line -> ServerSentEvent.format("log", Integer.toString(line.key.seq()),
                        ExecutionService.format(line).stripTrailing()),
                status -> ServerSentEvent.format("done", null, "{\"status\":\"" + status.name() + "\"}")))
                .header("Cache-Control", "no-store").build();
    }

    /**
     * The execution's log as a streamed body, a text per line and one at the end, each flushed: the framework
     * opens and ends the response (on HTTP/2 too), and a slow reader holds the follower back. A reader that
     * goes away ends it, quietly: that is how a follow usually ends.
     */
    private StreamingOutput following(UUID id, int afterSeq, HttpServerResponse response,
            Function<ExecutionLogLine, String> lineText, Function<ExecutionStatus, String> endText) {
        return out -> {
            try {
                logTail.follow(id, afterSeq, () -> !response.closed(), line -> write(out, lineText.apply(line)),
                        status -> write(out, endText.apply(status)));
            } catch (UncheckedIOException e) {
                LOG.debugf("the reader of %s's log went away: %s", id, e.getMessage());
            }
        };
    }

    private static void write(OutputStream out, String text) {
        try {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ExecutionStatus status(String value) {
        try {
            return ExecutionStatus.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidField("status", "must be one of " + java.util.Arrays.stream(
                    ExecutionStatus.values()).map(Enum::name).collect(java.util.stream.Collectors.joining(", ")));
        }
    }
}
