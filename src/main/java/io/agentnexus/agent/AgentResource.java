package io.agentnexus.agent;

import io.agentnexus.platform.ratelimit.RateLimited;
import io.agentnexus.user.Role;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import io.smallrye.mutiny.Uni;
import java.util.UUID;
import java.util.function.Supplier;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/agents")
@Tag(name = "Agents", description = "The agent catalog")
public class AgentResource {

    /**
     * What the Jackson writer declares, so that a response from memory carries the same header. Declared, with
     * the bytes as the return type, the REST layer picks its writer once at build time, not per request.
     */
    private static final String JSON = MediaType.APPLICATION_JSON + ";charset=UTF-8";

    private final AgentService agents;
    private final ManagedExecutor workers;

    AgentResource(AgentService agents, ManagedExecutor workers) {
        this.agents = agents;
        this.workers = workers;
    }

    // The two catalog reads answer from memory on the event loop when they can (NearCache); otherwise they
    // move to a worker, where Redis and the database may block. The bytes are the REST layer's own JSON.

    @GET
    @PermitAll
    @Produces(JSON)
    @Operation(summary = "Search the catalog",
            description = "ACTIVE agents by default; other statuses list only the caller's own agents (all of them "
                    + "for admins). Filters: category, q (name/description), creator, minPrice/maxPrice (wei). "
                    + "sort: newest, price_asc, price_desc, popular. page from 0, size 1-100.")
    @APIResponse(responseCode = "200", description = "OK",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AgentList.class)))
    public Uni<byte[]> list(@Valid @BeanParam AgentSearch search) {
        byte[] cached = agents.cachedListJson(search);
        return cached != null ? Uni.createFrom().item(cached) : onWorker(() -> agents.listJson(search));
    }

    @GET
    @Path("/{id}")
    @PermitAll
    @Produces(JSON)
    @Operation(summary = "One agent", description = "404 for an agent that is deleted or not visible to the caller.")
    @APIResponse(responseCode = "200", description = "OK",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AgentView.class)))
    public Uni<byte[]> get(@PathParam("id") UUID id) {
        byte[] cached = agents.cachedActiveJson(id);
        return cached != null ? Uni.createFrom().item(cached) : onWorker(() -> agents.getJson(id));
    }

    /** On a worker, with this request's context (the caller, for visibility) carried over. */
    private Uni<byte[]> onWorker(Supplier<byte[]> body) {
        return Uni.createFrom().completionStage(() -> workers.supplyAsync(body));
    }

    @GET
    @Path("/{id}/stats")
    @PermitAll
    @Operation(summary = "Usage of an agent: executions, success rate, durations, purchases, revenue, users")
    public AgentStats stats(@PathParam("id") UUID id) {
        return agents.stats(id);
    }

    @POST
    @RolesAllowed({Role.CREATOR_GROUP, Role.ADMIN_GROUP})
    @RateLimited("agent-write")
    @Operation(summary = "Publish an agent", description = "The caller becomes its creator.")
    public Response create(@NotNull @Valid AgentRequests.Create request, @jakarta.ws.rs.core.Context UriInfo uri) {
        AgentView agent = agents.create(request);
        return Response.created(uri.getAbsolutePathBuilder().path(agent.id().toString()).build()).entity(agent).build();
    }

    @PUT
    @Path("/{id}")
    @RolesAllowed({Role.CREATOR_GROUP, Role.ADMIN_GROUP})
    @RateLimited("agent-write")
    @Operation(summary = "Change an agent (its creator or an admin)", description = "Fields given replace the agent's; "
            + "fields left out stay as they are.")
    public AgentView update(@PathParam("id") UUID id, @NotNull @Valid AgentRequests.Update request) {
        return agents.update(id, request);
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed({Role.CREATOR_GROUP, Role.ADMIN_GROUP})
    @RateLimited("agent-write")
    @Operation(summary = "Withdraw an agent (soft delete; its creator or an admin)")
    public Response delete(@PathParam("id") UUID id) {
        agents.delete(id);
        return Response.noContent().build();
    }
}
