package io.agentnexus.platform.dev;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigValue;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** A ConfigSourceContext with a fixed profile and values, for testing config source factories. */
record FakeConfigSourceContext(String profile, Map<String, String> values) implements ConfigSourceContext {

    static FakeConfigSourceContext of(String profile, Map<String, String> values) {
        return new FakeConfigSourceContext(profile, values);
    }

    @Override
    public ConfigValue getValue(String name) {
        return ConfigValue.builder().withName(name).withValue(values.get(name)).build();
    }

    @Override
    public List<String> getProfiles() {
        return List.of(profile);
    }

    @Override
    public Iterator<String> iterateNames() {
        return values.keySet().iterator();
    }
}
