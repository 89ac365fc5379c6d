package io.amoskys.agent.mqtt;

import java.util.List;

/** MQTT 3.1.1 topic filters (section 4.7): {@code +} one level, {@code #} the rest; wildcards never match a {@code $} topic's first level. */
final class TopicFilters {
    private final List<String[]> filters;

    TopicFilters(List<String> filters) {
        this.filters = filters.stream().map(TopicFilters::withoutSharePrefix).map(f -> f.split("/", -1)).toList();
    }

    /**
     * A shared subscription ({@code $share/GROUP/FILTER}, or EMQX's {@code $queue/FILTER}) delivers
     * messages on the topics its filter names: match against that filter.
     */
    static String withoutSharePrefix(String filter) {
        if (filter.startsWith("$share/")) {
            int end = filter.indexOf('/', "$share/".length());
            return end < 0 ? filter : filter.substring(end + 1);
        }
        return filter.startsWith("$queue/") ? filter.substring("$queue/".length()) : filter;
    }

    boolean match(String topic) {
        String[] levels = topic.split("/", -1);
        for (String[] filter : filters) {
            if (matches(filter, levels, topic.startsWith("$"))) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(String[] filter, String[] levels, boolean system) {
        if (system && (filter[0].equals("+") || filter[0].equals("#"))) {
            return false;
        }
        for (int i = 0; i < filter.length; i++) {
            if (filter[i].equals("#")) {
                return true; // the parent level too: sport/# matches sport
            }
            if (i >= levels.length || !filter[i].equals("+") && !filter[i].equals(levels[i])) {
                return false;
            }
        }
        return filter.length == levels.length;
    }
}
