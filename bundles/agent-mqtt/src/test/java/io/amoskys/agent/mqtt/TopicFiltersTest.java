package io.amoskys.agent.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The examples of MQTT 3.1.1, section 4.7. */
class TopicFiltersTest {
    private static boolean match(String filter, String topic) {
        return new TopicFilters(List.of(filter)).match(topic);
    }

    @Test
    void multiLevelWildcard() {
        for (String topic : List.of("sport/tennis/player1", "sport/tennis/player1/ranking", "sport/tennis/player1/score/wimbledon")) {
            assertEquals(true, match("sport/tennis/player1/#", topic), topic);
        }
        assertEquals(true, match("sport/#", "sport"), "# takes in the parent level");
        assertEquals(true, match("#", "a/b"));
        assertEquals(false, match("sport/tennis/#", "sport/football"));
    }

    @Test
    void singleLevelWildcard() {
        assertEquals(true, match("sport/tennis/+", "sport/tennis/player1"));
        assertEquals(false, match("sport/tennis/+", "sport/tennis/player1/ranking"));
        assertEquals(false, match("sport/+", "sport"));
        assertEquals(true, match("sport/+", "sport/"));
        assertEquals(true, match("+/+", "/finance"));
        assertEquals(true, match("/+", "/finance"));
        assertEquals(false, match("+", "/finance"));
    }

    @Test
    void wildcardsDoNotMatchSystemTopicsFromTheirFirstLevel() {
        assertEquals(false, match("#", "$SYS/broker"));
        assertEquals(false, match("+/monitor/Clients", "$SYS/monitor/Clients"));
        assertEquals(true, match("$SYS/#", "$SYS/monitor/Clients"));
        assertEquals(true, match("$SYS/monitor/+", "$SYS/monitor/Clients"));
    }

    @Test
    void aSharedSubscriptionMatchesTheTopicsOfItsFilter() {
        assertEquals(true, match("$share/amoskys/sensors/#", "sensors/x"));
        assertEquals(false, match("$share/amoskys/sensors/#", "other/x"));
        assertEquals(true, match("$queue/sensors/+", "sensors/x"));
    }

    @Test
    void anyOfSeveralFilters() {
        TopicFilters filters = new TopicFilters(List.of("a/#", "b/+/c"));
        assertEquals(true, filters.match("b/x/c"));
        assertEquals(false, filters.match("b/x/d"));
        assertEquals(false, filters.match("c"));
    }
}
