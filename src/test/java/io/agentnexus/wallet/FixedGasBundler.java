package io.agentnexus.wallet;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** A bundler for unit tests: estimates every operation at the given gas and remembers what it was asked. */
final class FixedGasBundler implements Bundler {

    final List<UserOperation> estimated = new CopyOnWriteArrayList<>();
    private final UserOperation.Gas gas;

    FixedGasBundler(UserOperation.Gas gas) {
        this.gas = gas;
    }

    @Override
    public UserOperation.Gas estimate(UserOperation operation) {
        estimated.add(operation);
        return gas;
    }

    @Override
    public String send(UserOperation operation) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<Inclusion> receipt(String userOpHash) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean knows(String userOpHash) {
        throw new UnsupportedOperationException();
    }
}
