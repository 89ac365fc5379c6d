package io.amoskys.rules.sigma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.amoskys.api.event.Alert;
import io.amoskys.api.rule.RuleInput;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The numbering of rule fields, and an evaluation's values kept by number. */
class FieldSlotsTest {
    private static final RuleInput FLOW = Events.at(0, "flow", "host:10.1.2.3", Map.of("proto", "tcp", "dport", "22"),
            Map.of("syn_fwd", 2.0), Map.of());

    @Test
    void aNameKeepsItsNumberAndNumbersStopAtTheCap() {
        FieldSlots slots = new FieldSlots();
        assertEquals(0, slots.slotOf("proto"));
        assertEquals(1, slots.slotOf("dport"));
        assertEquals(0, slots.slotOf(new String("proto")));
        assertEquals(2, slots.size());
        for (int i = slots.size(); i < FieldSlots.MOST; i++) {
            assertEquals(i, slots.slotOf("field" + i));
        }
        assertEquals(FieldSlots.NONE, slots.slotOf("one too many"));
        assertEquals(FieldSlots.MOST, slots.size());
        assertEquals(1, slots.slotOf("dport"), "names numbered before the cap keep their numbers");
    }

    @Test
    void eachNumberKeepsItsOwnFieldsValue() {
        Fields fields = new Fields(FLOW, 3);
        RuleInput.Field proto = RuleInput.Field.of("proto");
        RuleInput.Field synFwd = RuleInput.Field.of("syn_fwd");
        RuleInput.Field missing = RuleInput.Field.of("nope");
        for (int i = 0; i < 3; i++) {
            assertEquals("tcp", fields.get(proto, 0));
            assertEquals(2.0, fields.get(synFwd, 1));
            assertNull(fields.get(missing, 2), "an absent field stays absent once kept");
            assertEquals("22", fields.get(RuleInput.Field.of("dport"), 3), "numbered after the evaluation began: read directly");
            assertEquals("22", fields.get(RuleInput.Field.of("dport"), FieldSlots.NONE), "no number: read directly");
        }
    }

    @Test
    void rulesPastTheCapStillMatch() {
        SigmaEngine engine = new SigmaEngine();
        StringBuilder many = new StringBuilder("title: many\nid: many\nlogsource: {product: amoskys, category: flow}\ndetection:\n"
                + "  s:\n");
        for (int i = 0; i < FieldSlots.MOST + 10; i++) {
            many.append("    absent").append(i).append(": null\n");
        }
        many.append("    proto: tcp\n  condition: s\n");
        assertEquals(List.of(), engine.load("many.yml", -1, many.toString()));
        String late = "title: late\nid: late\nlogsource: {product: amoskys, category: flow}\ndetection:\n"
                + "  s: {dport: 22, syn_fwd|gte: 2}\n  condition: s\n";
        assertEquals(List.of(), engine.load("late.yml", -1, late));
        assertEquals(Set.of("many", "late"), engine.evaluate(FLOW).stream().map(Alert::rule).collect(Collectors.toSet()));
    }
}
