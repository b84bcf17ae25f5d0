package io.agentnexus.wallet;

/**
 * Who pays an operation's gas instead of the account. Implementations: our own VerifyingPaymaster
 * ({@link VerifyingPaymasterSigner}), Alchemy's Gas Manager ({@link GasManagerPaymaster}) and any
 * ERC-7677 paymaster service ({@link Erc7677Paymaster}); {@code agentnexus.wallet.paymaster.mode} picks one.
 * A service that refuses is {@link OperationRejected}; one that cannot be reached is a 503.
 */
public interface Paymaster {

    /**
     * The draft (fees set, signature a placeholder) with gas limits and the paymaster's fields filled in so
     * that the paymaster pays; after this only the owner's signature may change.
     */
    UserOperation sponsor(UserOperation draft);
}
