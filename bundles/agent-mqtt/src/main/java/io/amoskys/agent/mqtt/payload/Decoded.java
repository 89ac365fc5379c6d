package io.amoskys.agent.mqtt.payload;

import java.util.List;

/** What one message held: its readings and what was wrong with it (either may be empty). */
public record Decoded(List<IotReading> readings, List<Problem> problems) {
    static Decoded failed(Problem problem) {
        return new Decoded(List.of(), List.of(problem));
    }
}
