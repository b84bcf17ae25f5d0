package io.agentnexus.wallet;

import io.agentnexus.platform.web.PageRequest;
import io.agentnexus.wallet.WalletDtos.AccountView;
import io.agentnexus.wallet.WalletDtos.OperationList;
import io.agentnexus.wallet.WalletDtos.OperationView;
import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/users/me/wallet")
@Tag(name = "Smart account", description = "The caller's ERC-4337 smart account and its user operations")
@Authenticated
public class WalletResource {

    private final WalletService wallets;

    WalletResource(WalletService wallets) {
        this.wallets = wallets;
    }

    @GET
    @Operation(summary = "The caller's smart account",
            description = "A SimpleAccount (EntryPoint v0.7) owned by the caller's wallet. The address is the factory's "
                    + "getAddress(owner, salt): known and fundable before deployment; the first operation deploys it.")
    public AccountView account() {
        return wallets.account();
    }

    @POST
    @Path("/operations")
    @Operation(summary = "Prepare a user operation of the caller's account",
            description = "Builds the operation for the calls (execute or executeBatch), with the EntryPoint's nonce, "
                    + "factory data while the account is not deployed, gas estimated by the bundler and, unless "
                    + "sponsored is false, the paymaster's sponsorship. Sponsored: only calls into the platform's "
                    + "contracts, a daily cap per user (403 names the rule). Answers 201 with userOpHash for the owner "
                    + "to sign with personal_sign, status AWAITING_SIGNATURE.")
    public Response prepare(@NotNull @Valid WalletDtos.PrepareRequest request, @Context UriInfo uri) {
        OperationView operation = wallets.prepare(request);
        return Response.created(uri.getAbsolutePathBuilder().path(operation.id().toString()).build())
                .entity(operation).build();
    }

    @GET
    @Path("/operations")
    @Operation(summary = "The caller's operations, newest first")
    public OperationList operations(@Valid @BeanParam PageRequest page) {
        return wallets.mine(page.page, page.size);
    }

    @GET
    @Path("/operations/{id}")
    @Operation(summary = "One operation of the caller",
            description = "AWAITING_SIGNATURE, SUBMITTED, INCLUDED (bundle transaction, success, actual gas) or FAILED "
                    + "(the reason in words). Another user's operation is 404.")
    public OperationView operation(@PathParam("id") UUID id) {
        return wallets.get(id);
    }

    @POST
    @Path("/operations/{id}/signature")
    @Operation(summary = "Sign and send an operation",
            description = "The owner's personal_sign (EIP-191) signature of userOpHash; 400 if it recovers to anyone "
                    + "else. The operation goes to the bundler (eth_sendUserOperation): 202, SUBMITTED. The bundler "
                    + "unreachable: 503 and nothing changes, so the same call can be made again.")
    public Response sign(@PathParam("id") UUID id, @NotNull @Valid WalletDtos.SignatureRequest request) {
        return Response.accepted(wallets.submit(id, request.signature())).build();
    }
}
