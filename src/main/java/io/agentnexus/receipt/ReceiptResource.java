package io.agentnexus.receipt;

import io.agentnexus.receipt.ReceiptDtos.ReceiptView;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/executions/{id}/receipt")
@Tag(name = "Executions")
@Authenticated
public class ReceiptResource {

    private final ReceiptService receipts;

    ReceiptResource(ReceiptService receipts) {
        this.receipts = receipts;
    }

    @GET
    @Operation(summary = "The finished run's receipt, signed by the platform as EIP-712 typed data",
            description = "The run's owner or an admin; another user's run answers 404. Verify it with any Ethereum "
                    + "library against the receiptSigner of GET /api/platform (README, \"Run receipts\").")
    @APIResponse(responseCode = "409", description = "The run has not finished yet")
    public ReceiptView get(@PathParam("id") UUID id) {
        return receipts.receipt(id);
    }
}
