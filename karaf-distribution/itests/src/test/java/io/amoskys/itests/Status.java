package io.amoskys.itests;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** {@code amoskys:status --no-format}, parsed. */
record Status(List<Plugin> plugins, Map<String, Route> routes, Map<String, Endpoint> endpoints, long deadLettered) {

    record Plugin(String kind, String name, String state, String bundle) {}

    record Route(String id, String state, String from, long exchanges, long failed, long inflight, String source) {}

    record Endpoint(String uri, boolean present, long delivered, long filtered, long failed, int held, int capacity,
            long deadLettered) {}

    static Status parse(String output) {
        List<Plugin> plugins = new ArrayList<>();
        Map<String, Route> routes = new TreeMap<>();
        Map<String, Endpoint> endpoints = new TreeMap<>();
        String section = "";
        long deadLettered = -1;
        for (String line : output.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("Dead letters since start: ")) {
                deadLettered = Long.parseLong(trimmed.substring("Dead letters since start: ".length()));
                continue;
            }
            if (trimmed.equals("Plugins") || trimmed.equals("Routes") || trimmed.equals("Endpoints")) {
                section = trimmed;
                continue;
            }
            String[] c = line.split("\t");
            if (c.length < 4) {
                continue;
            }
            for (int i = 0; i < c.length; i++) {
                c[i] = c[i].strip();
            }
            switch (section) {
                case "Plugins" -> plugins.add(new Plugin(c[0], c[1], c[2], c[3]));
                case "Routes" -> routes.put(c[0], new Route(c[0], c[1], c[2], Long.parseLong(c[3]), Long.parseLong(c[4]),
                        Long.parseLong(c[5]), c[6]));
                case "Endpoints" -> {
                    String[] held = c[5].split("/");
                    endpoints.put(c[0], new Endpoint(c[0], c[1].equals("present"), Long.parseLong(c[2]),
                            Long.parseLong(c[3]), Long.parseLong(c[4]), Integer.parseInt(held[0]),
                            Integer.parseInt(held[1]), Long.parseLong(c[6])));
                }
                default -> { }
            }
        }
        return new Status(plugins, routes, endpoints, deadLettered);
    }

    Optional<Endpoint> endpoint(String uri) {
        return Optional.ofNullable(endpoints.get(uri));
    }

    /** Messages delivered to an endpoint so far, 0 when no route has used it yet. */
    long delivered(String uri) {
        return endpoint(uri).map(Endpoint::delivered).orElse(0L);
    }

    long deadLettered(String uri) {
        return endpoint(uri).map(Endpoint::deadLettered).orElse(0L);
    }

    int held(String uri) {
        return endpoint(uri).map(Endpoint::held).orElse(0);
    }

    boolean hasPlugin(String kind, String name) {
        return plugins.stream().anyMatch(p -> p.kind().equals(kind) && p.name().equals(name) && p.state().equals("active"));
    }
}
