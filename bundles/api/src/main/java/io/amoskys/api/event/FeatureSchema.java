package io.amoskys.api.event;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The names of a feature vector's columns, shared by every vector of that schema so that vectors
 * themselves carry only primitive arrays. Identified by name and version; detectors check both.
 */
public final class FeatureSchema {
    private final String name;
    private final int version;
    private final List<String> features;
    private final Map<String, Integer> indexByName;
    /** Schemas are map keys on every vector's path: their hash is computed once. */
    private final int hash;

    public FeatureSchema(String name, int version, List<String> features) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("feature schema needs a name");
        }
        this.name = name;
        this.version = version;
        this.features = List.copyOf(features);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < this.features.size(); i++) {
            if (index.put(this.features.get(i), i) != null) {
                throw new IllegalArgumentException(
                        "feature schema " + name + " names feature '" + this.features.get(i) + "' twice");
            }
        }
        this.indexByName = Map.copyOf(index);
        this.hash = Objects.hash(name, version, this.features);
    }

    public String name() {
        return name;
    }

    public int version() {
        return version;
    }

    public List<String> features() {
        return features;
    }

    public int size() {
        return features.size();
    }

    /** @return the column of {@code feature}, or -1 when the schema has no such feature */
    public int indexOf(String feature) {
        return indexByName.getOrDefault(feature, -1);
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof FeatureSchema other
                && hash == other.hash
                && version == other.version
                && name.equals(other.name)
                && features.equals(other.features);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return name + "/v" + version + Arrays.toString(features.toArray());
    }
}
