package io.agentnexus.wallet;

import io.agentnexus.chain.ChainConfig;
import io.agentnexus.platform.error.ApiException;
import io.agentnexus.platform.security.Caller;
import io.agentnexus.user.User;
import io.agentnexus.user.Wallet;
import io.agentnexus.wallet.WalletDtos.AccountView;
import io.agentnexus.wallet.WalletDtos.OperationList;
import io.agentnexus.wallet.WalletDtos.OperationView;
import io.agentnexus.wallet.WalletDtos.PackedUserOperation;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.ws.rs.core.Response.Status;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.web3j.utils.Numeric;

/**
 * Users' smart accounts (ERC-4337, SimpleAccount v0.7): the counterfactual account of the user's wallet,
 * operations prepared here (estimated by the bundler, sponsored by the paymaster within the policy), signed
 * by the owner, handed to the bundler and followed until a bundle includes them. Chain, bundler and
 * paymaster calls happen outside database transactions; each state change is one short transaction under
 * the operation's row lock, so replicas and retries agree.
 */
@ApplicationScoped
public class WalletService {

    private static final Logger LOG = Logger.getLogger(WalletService.class);

    private final WalletConfig config;
    private final ChainConfig chain;
    private final SmartAccounts accounts;
    private final Bundler bundler;
    private final Paymaster paymaster;
    private final SponsorshipPolicy policy;
    private final EntityManager em;
    private final Caller caller;
    private final Clock clock;
    private final Event<OperationIncluded> included;

    WalletService(WalletConfig config, ChainConfig chain, SmartAccounts accounts, Bundler bundler, Paymaster paymaster,
            SponsorshipPolicy policy, EntityManager em, Caller caller, Clock clock, Event<OperationIncluded> included) {
        this.config = config;
        this.chain = chain;
        this.accounts = accounts;
        this.bundler = bundler;
        this.paymaster = paymaster;
        this.policy = policy;
        this.em = em;
        this.caller = caller;
        this.clock = clock;
        this.included = included;
    }

    /** An operation worked out (gas, sponsorship, hash) but not stored yet. */
    public record Prepared(UserOperation operation, String userOpHash, boolean sponsored, List<Call> calls) {
    }

    public AccountView account() {
        String owner = ownerOf(caller.requireUserId());
        String address = accounts.address(owner);
        return new AccountView(Wallet.checksummed(address), Wallet.checksummed(owner), accounts.deployed(address),
                Wallet.checksummed(config.entryPoint()), Wallet.checksummed(config.factory()), chain.id());
    }

    /** The smart account (lowercase address) that belongs to an owner wallet. */
    public String accountOf(String owner) {
        return accounts.address(owner);
    }

    /** Prepares and stores an operation of the caller's account. */
    public OperationView prepare(WalletDtos.PrepareRequest request) {
        UUID userId = caller.requireUserId();
        List<Call> calls = request.calls().stream().map(c -> new Call(c.to().toLowerCase(),
                c.value() == null ? BigInteger.ZERO : new BigInteger(c.value()), c.data() == null ? "0x" : c.data()))
                .toList();
        Prepared prepared = prepare(ownerOf(userId), calls, !Boolean.FALSE.equals(request.sponsored()));
        return QuarkusTransaction.requiringNew().call(() -> view(record(userId, prepared)));
    }

    /**
     * Works out an operation of the owner's account making these calls: the policy first (403), then the
     * EntryPoint's nonce, the factory data while the account is not deployed, fees, the bundler's gas estimate
     * and the paymaster's fields. No database work.
     */
    public Prepared prepare(String owner, List<Call> calls, boolean sponsored) {
        if (sponsored) {
            policy.check(calls);
        }
        String sender = accounts.address(owner);
        boolean deployed = accounts.deployed(sender);
        UserOperation draft = UserOperation.draft(sender, accounts.nonce(sender), deployed ? null : config.factory(),
                accounts.factoryData(owner), SmartAccounts.callData(calls), accounts.fees());
        UserOperation priced;
        try {
            priced = sponsored ? paymaster.sponsor(draft) : draft.withGas(bundler.estimate(draft));
        } catch (OperationRejected e) {
            throw refusal(e);
        }
        return new Prepared(priced.withSignature("0x"), priced.hash(config.entryPoint(), chain.id()), sponsored, calls);
    }

    /**
     * Stores a prepared operation of the user, in the caller's transaction. Sponsored ones count against the
     * user's daily cap, counted under the user's row lock so that parallel requests cannot pass it together.
     */
    public WalletOperation record(UUID userId, Prepared prepared) {
        User user = em.find(User.class, userId, LockModeType.PESSIMISTIC_WRITE);
        Instant now = clock.instant();
        if (prepared.sponsored()) {
            policy.checkDailyCap(WalletOperation.count("user.id = ?1 and sponsored = true and createdAt > ?2",
                    userId, now.minus(Duration.ofDays(1))));
        }
        WalletOperation operation = new WalletOperation();
        operation.user = user;
        operation.sender = prepared.operation().sender();
        operation.nonce = prepared.operation().nonce();
        operation.userOpHash = prepared.userOpHash();
        operation.sponsored = prepared.sponsored();
        operation.calls = prepared.calls().stream().map(c -> Map.of("to", c.to(), "value", c.value().toString(),
                "data", c.data())).toList();
        operation.operation = prepared.operation().toRpc();
        operation.status = OperationStatus.AWAITING_SIGNATURE;
        operation.expiresAt = now.plus(config.operationTtl());
        operation.createdAt = now;
        operation.updatedAt = now;
        operation.persist();
        return operation;
    }

    /** The caller's operation; anyone else's is 404. A submitted one is looked up on the bundler first. */
    public OperationView get(UUID id) {
        WalletOperation operation = own(id);
        if (operation.status == OperationStatus.SUBMITTED) {
            try {
                track(id);
            } catch (RuntimeException e) {
                LOG.debugf("operation %s: the bundler could not be asked (%s); showing the stored state", id, e.toString());
            }
            return view(id);
        }
        return view(operation);
    }

    /** The operation as stored now (read in a transaction of its own: this request's session may hold it older). */
    public OperationView view(UUID id) {
        return view(QuarkusTransaction.requiringNew().call(() -> WalletOperation.<WalletOperation>findById(id)));
    }

    public OperationList mine(int page, int size) {
        UUID userId = caller.requireUserId();
        long total = WalletOperation.count("user.id", userId);
        List<OperationView> operations = WalletOperation.<WalletOperation>find("user.id = ?1 order by createdAt desc, id",
                userId).page(page, size).list().stream().map(this::view).toList();
        return new OperationList(operations, page, size, total);
    }

    /**
     * Checks that the signature is the owner's (400 otherwise) and hands the operation to the bundler. The
     * bundler unreachable: 503 and nothing changes, so the same call can be made again. Idempotent: the same
     * signature again answers the operation as it is.
     */
    public OperationView submit(UUID id, String signature) {
        WalletOperation operation = own(id);
        switch (operation.status) {
            case SUBMITTED, INCLUDED -> {
                if (signature.equalsIgnoreCase(operation.operation.get("signature"))) {
                    return view(operation);
                }
                throw ApiException.conflict("operation " + id + " was submitted already");
            }
            case FAILED -> throw ApiException.conflict("operation " + id + " failed (" + operation.failureReason
                    + "); prepare a new one");
            case AWAITING_SIGNATURE -> { }
        }
        if (!clock.instant().isBefore(operation.expiresAt)) {
            throw ApiException.conflict("operation " + id + " expired at " + operation.expiresAt + " before it was "
                    + "signed (its gas fees and sponsorship are no longer good); prepare a new one");
        }
        String owner = operation.user.walletAddress;
        String signer;
        try {
            signer = Wallet.personalSigner(Numeric.hexStringToByteArray(operation.userOpHash), signature);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidField("signature", e.getMessage());
        }
        if (!signer.equalsIgnoreCase(owner)) {
            throw ApiException.invalidField("signature", "recovers to " + Wallet.checksummed(signer)
                    + ", not the account's owner " + Wallet.checksummed(owner)
                    + ": sign userOpHash (as bytes) with personal_sign from the owner's wallet");
        }
        try {
            bundler.send(UserOperation.fromRpc(operation.operation).withSignature(signature));
        } catch (OperationRejected e) {
            if (!bundler.knows(operation.userOpHash)) { // not an earlier send whose answer was lost
                ApiException refusal = refusal(e);
                if (refusal.status() != Status.SERVICE_UNAVAILABLE) {
                    finish(id, op -> fail(op, e.reason()));
                }
                throw refusal;
            }
        }
        finish(id, op -> {
            if (op.status == OperationStatus.AWAITING_SIGNATURE) {
                Map<String, String> signed = new LinkedHashMap<>(op.operation);
                signed.put("signature", signature);
                op.operation = signed;
                op.status = OperationStatus.SUBMITTED;
                op.submittedAt = clock.instant();
            }
        });
        return view(id);
    }

    /**
     * Asks the bundler about a submitted operation: INCLUDED once a bundle holds it (then {@link OperationIncluded}
     * fires, once), FAILED when the bundler dropped it. Safe to run anywhere, any number of times.
     */
    void track(UUID id) {
        WalletOperation operation = QuarkusTransaction.requiringNew().call(() -> WalletOperation.<WalletOperation>findById(id));
        if (operation == null || operation.status != OperationStatus.SUBMITTED) {
            return;
        }
        Optional<Bundler.Inclusion> inclusion = bundler.receipt(operation.userOpHash);
        if (inclusion.isPresent()) {
            Bundler.Inclusion found = inclusion.get();
            boolean changed = finish(id, op -> {
                op.status = OperationStatus.INCLUDED;
                op.bundleTxHash = found.transactionHash().toLowerCase();
                op.success = found.success();
                op.actualGasCost = found.actualGasCost();
                op.actualGasUsed = found.actualGasUsed();
                op.failureReason = found.success() ? null : "the calls reverted" + (found.reason() == null ? ""
                        : ": " + found.reason());
                op.includedAt = clock.instant();
            });
            if (changed) {
                included.fire(new OperationIncluded(id, found.transactionHash().toLowerCase(), found.success()));
            }
        } else if (operation.submittedAt.plus(config.dropAfter()).isBefore(clock.instant())
                && !bundler.knows(operation.userOpHash)) {
            finish(id, op -> fail(op, "the bundler dropped the operation without including it; prepare a new one"));
        }
    }

    /** Submitted operations, oldest first, for the tracker. */
    List<UUID> submitted(int limit) {
        return QuarkusTransaction.requiringNew().call(() -> WalletOperation.<WalletOperation>find(
                "status = ?1 order by submittedAt", OperationStatus.SUBMITTED).page(0, limit).list().stream()
                .map(op -> op.id).toList());
    }

    private void fail(WalletOperation operation, String reason) {
        operation.status = OperationStatus.FAILED;
        operation.failureReason = reason;
    }

    /**
     * Applies a change to a SUBMITTED or AWAITING_SIGNATURE operation under its row lock; false when it had
     * reached an end state meanwhile (another replica, a parallel request), so each transition happens once.
     */
    private boolean finish(UUID id, java.util.function.Consumer<WalletOperation> change) {
        return QuarkusTransaction.requiringNew().call(() -> {
            WalletOperation operation = em.find(WalletOperation.class, id, LockModeType.PESSIMISTIC_WRITE);
            if (operation.status == OperationStatus.INCLUDED || operation.status == OperationStatus.FAILED) {
                return false;
            }
            OperationStatus before = operation.status;
            change.accept(operation);
            operation.updatedAt = clock.instant();
            return operation.status != before;
        });
    }

    /** A bundler's or paymaster's refusal as the client sees it: their trouble is a 503, a stale operation 409. */
    private static ApiException refusal(OperationRejected e) {
        String aa = e.entryPointCode();
        if ("AA30".equals(aa) || "AA31".equals(aa) || e.code() == -32504) {
            return ApiException.unavailable(e.reason() + "; the platform's paymaster or the bundler must be fixed, "
                    + "try again later");
        }
        if (e.stale()) {
            return ApiException.conflict(e.reason() + "; prepare a new operation");
        }
        if ("paymaster".equals(e.source())) {
            return new ApiException(Status.FORBIDDEN, "sponsorship-refused", e.reason());
        }
        return ApiException.badRequest(e.reason());
    }

    private WalletOperation own(UUID id) {
        WalletOperation operation = WalletOperation.findById(id);
        if (operation == null || !operation.user.id.equals(caller.requireUserId())) {
            throw ApiException.notFound("Operation", id);
        }
        return operation;
    }

    private static String ownerOf(UUID userId) {
        User user = User.findById(userId);
        if (user == null) {
            throw ApiException.notFound("User", userId);
        }
        return user.walletAddress;
    }

    private OperationView view(WalletOperation o) {
        UserOperation op = UserOperation.fromRpc(o.operation);
        var packed = new PackedUserOperation(Wallet.checksummed(op.sender()), UserOperation.quantity(op.nonce()),
                Numeric.toHexString(op.initCode()), op.callData(), Numeric.toHexString(op.accountGasLimits()),
                UserOperation.quantity(op.preVerificationGas()), Numeric.toHexString(op.gasFees()),
                Numeric.toHexString(op.paymasterAndData()), op.signature());
        return new OperationView(o.id, o.status, o.userOpHash, o.sponsored, o.calls, packed, o.operation,
                Wallet.checksummed(config.entryPoint()), chain.id(), o.expiresAt, o.bundleTxHash, o.success,
                o.actualGasCost == null ? null : o.actualGasCost.toString(),
                o.actualGasUsed == null ? null : o.actualGasUsed.toString(), o.failureReason, o.createdAt,
                o.submittedAt, o.includedAt);
    }
}
