package io.agentnexus.receipt;

import io.agentnexus.chain.ChainConfig;
import io.agentnexus.execution.ExecutionService;
import io.agentnexus.execution.FinishedRun;
import io.agentnexus.receipt.ReceiptDtos.PlatformView;
import io.agentnexus.receipt.ReceiptDtos.ReceiptView;
import io.agentnexus.user.Wallet;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;

/** Run receipts, computed on request from the stored run: the same run always gives the same receipt. */
@ApplicationScoped
class ReceiptService {

    private final ExecutionService executions;
    private final CanonicalJson canonical;
    private final ReceiptSigner signer;
    private final ChainConfig chain;

    ReceiptService(ExecutionService executions, CanonicalJson canonical, ReceiptSigner signer, ChainConfig chain) {
        this.executions = executions;
        this.canonical = canonical;
        this.signer = signer;
        this.chain = chain;
    }

    /** The caller's finished run's receipt (any, for admins); 404 for another user's, 409 while it runs. */
    ReceiptView receipt(UUID executionId) {
        FinishedRun run = executions.finished(executionId);
        String inputHash = canonical.sha256(run.input());
        String outputHash = canonical.sha256(run.output());
        Map<String, Object> typedData = RunReceipt.of(run, inputHash, outputHash).typedData(chain.id());
        ReceiptSigner.Signed signed = signer.sign(typedData);
        return new ReceiptView(run.id(), run.agentId(), run.imageDigest(), inputHash, outputHash, run.status(),
                run.exitCode(), run.startedAt(), run.endedAt(), run.paymentId(), typedData, signed.digest(),
                signed.signature(), signer.address());
    }

    PlatformView platform() {
        return new PlatformView(chain.id(), Wallet.checksummed(chain.escrowAddress()),
                Wallet.checksummed(chain.entitlementsAddress()), signer.address(), RunReceipt.domain(chain.id()));
    }
}
