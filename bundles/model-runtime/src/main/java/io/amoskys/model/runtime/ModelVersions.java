package io.amoskys.model.runtime;

import java.util.Comparator;

/** Orders MAJOR.MINOR.PATCH version strings numerically. */
final class ModelVersions {
    static final Comparator<String> ORDER = ModelVersions::compare;

    private ModelVersions() {}

    static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = Long.compare(Long.parseLong(x[i]), Long.parseLong(y[i]));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }
}
