package io.amoskys.agent.mqtt.payload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PayloadDecoderTest {
    private static final long NOW = 1_800_000_000_000_000_000L;
    private final PayloadDecoder auto = new PayloadDecoder(PayloadFormat.AUTO, 1024);

    private Decoded decode(PayloadDecoder decoder, String topic, String payload) {
        return decoder.decode(topic, payload.getBytes(StandardCharsets.UTF_8), NOW);
    }

    private Decoded decode(String topic, String payload) {
        return decode(auto, topic, payload);
    }

    private static Problem only(Decoded d) {
        assertEquals(1, d.problems().size(), d.problems().toString());
        return d.problems().get(0);
    }

    @Test
    void oneJsonReadingWithUnitSensorQuantityAndTime() {
        Decoded d = decode("site/a", "{\"value\":3.5,\"unit\":\"kW\",\"sensor\":\"meter-7\",\"quantity\":\"load\",\"time\":1700000000.25}");
        assertEquals(List.of(new IotReading("meter-7", "site/a", "load", new Units.Unit("kW", true), "json", 3.5, null,
                1_700_000_000_250_000_000L)), d.readings());
        assertEquals(List.of(), d.problems());
    }

    @Test
    void quantityFromTheUnitElseFromTheTopic() {
        assertEquals("temperature", decode("a/b", "{\"value\":1,\"unit\":\"Cel\"}").readings().get(0).quantity());
        assertEquals("b", decode("a/b", "{\"value\":1}").readings().get(0).quantity());
        assertEquals(NOW, decode("a/b", "{\"value\":1}").readings().get(0).timeNanos());
    }

    @Test
    void flatObjectsGiveOneReadingPerMemberAndNameWrongTypes() {
        Decoded d = decode("room/1", "{\"sensor\":\"r1\",\"t\":20,\"rh\":41.5,\"label\":\"x\",\"nested\":{}}");
        assertEquals(List.of("t", "rh"), d.readings().stream().map(IotReading::quantity).toList());
        assertEquals(List.of("r1", "r1"), d.readings().stream().map(IotReading::sensor).toList());
        assertEquals(2, d.problems().size());
        assertEquals(ErrorReason.WRONG_TYPE, d.problems().get(0).reason());
        assertTrue(d.problems().get(0).message().startsWith("topic room/1: member 'label' is a string, expected a number"),
                d.problems().get(0).message());
        assertTrue(d.problems().get(1).detail().contains("member 'nested' is an object"), d.problems().get(1).detail());
    }

    @Test
    void senmlResolvesBaseFieldsAsRfc8428Says() {
        String pack = "[{\"bn\":\"urn:dev:ow:10e2073a01080063:\",\"bt\":1.320067464e9,\"bu\":\"%RH\",\"bv\":10,"
                + "\"n\":\"humidity\",\"v\":10.6},"
                + "{\"n\":\"temperature\",\"u\":\"Cel\",\"v\":13.2,\"t\":-5},"
                + "{\"bn\":\"urn:dev:ow:other:\",\"n\":\"alarm\",\"vb\":false},"
                + "{\"n\":\"state\",\"vs\":\"ok\"},"
                + "{\"n\":\"energy\",\"u\":\"kWh\",\"s\":42}]";
        List<IotReading> r = decode("s", pack).readings();
        assertEquals(5, r.size());
        assertEquals(new IotReading("urn:dev:ow:10e2073a01080063:humidity", "s", "humidity", new Units.Unit("%RH", true),
                "senml", 20.6, null, 1_320_067_464_000_000_000L), r.get(0));
        assertEquals("urn:dev:ow:10e2073a01080063:temperature", r.get(1).sensor());
        assertEquals(23.2, r.get(1).value(), 1e-9, "bv applies to v");
        assertEquals(1_320_067_459_000_000_000L, r.get(1).timeNanos());
        assertEquals("urn:dev:ow:other:alarm", r.get(2).sensor());
        assertEquals(0.0, r.get(2).value());
        assertEquals("%RH", r.get(2).unit().name(), "bu stays in force");
        assertEquals("ok", r.get(3).text());
        assertTrue(Double.isNaN(r.get(3).value()));
        assertEquals(42.0, r.get(4).value());
        assertEquals("energy", r.get(4).quantity());
    }

    @Test
    void senmlTimesBelow2To28AreRelativeToNow() {
        IotReading r = decode("s", "[{\"n\":\"x\",\"v\":1,\"t\":-60}]").readings().get(0);
        assertEquals(NOW - 60_000_000_000L, r.timeNanos());
        assertEquals("", r.quantity());
    }

    @Test
    void badSenmlRecordsAreProblemsOfTheirOwn() {
        Decoded d = decode("s", "[{\"n\":\"ok\",\"v\":1},{\"v\":2},{\"n\":\"-bad\",\"v\":3},{\"n\":\"t\",\"v\":\"4\"},"
                + "{\"n\":\"m\",\"v\":5,\"new_\":1},{\"n\":\"nov\"},7]");
        assertEquals(List.of("ok"), d.readings().stream().map(IotReading::sensor).toList());
        assertEquals(List.of(ErrorReason.INVALID_SENML, ErrorReason.INVALID_SENML, ErrorReason.WRONG_TYPE,
                ErrorReason.INVALID_SENML, ErrorReason.NO_READINGS, ErrorReason.WRONG_TYPE),
                d.problems().stream().map(Problem::reason).toList());
        assertEquals("SenML record 1: has no name (neither bn nor n)", d.problems().get(0).detail());
        assertEquals("SenML record 3: field 'v' is a string, expected a number", d.problems().get(2).detail());
        assertEquals("t", d.problems().get(2).sensor());
        assertEquals("SenML record 6 is a number, expected an object", d.problems().get(5).detail());
    }

    @Test
    void aNullValueIsNoReadingOfZero() {
        Decoded d = decode("s", "[{\"n\":\"t\",\"v\":null},{\"n\":\"label\",\"vs\":null},{\"n\":\"ok\",\"v\":1}]");
        assertEquals(List.of("ok"), d.readings().stream().map(IotReading::sensor).toList());
        assertEquals(List.of(ErrorReason.WRONG_TYPE, ErrorReason.WRONG_TYPE), d.problems().stream().map(Problem::reason).toList());
        assertEquals("SenML record 0: field 'v' is null, expected a value", d.problems().get(0).detail());
    }

    @Test
    void theWholeMessageCanBeWrong() {
        assertEquals(ErrorReason.OVERSIZED, only(decode("big", "[" + "1,".repeat(600) + "1]")).reason());
        assertEquals(ErrorReason.MALFORMED, only(decode("t", "21.5 C")).reason());
        assertEquals(ErrorReason.MALFORMED, only(auto.decode("t", new byte[] {(byte) 0xc3, 0x28}, NOW)).reason());
        assertEquals(ErrorReason.NO_READINGS, only(decode("t", "")).reason());
        assertEquals(ErrorReason.NO_READINGS, only(decode("t", "{}")).reason());
        assertEquals(ErrorReason.NO_READINGS, only(decode("t", "[]")).reason());
        Problem number = only(decode("t", "42"));
        assertEquals(ErrorReason.WRONG_TYPE, number.reason());
        assertEquals("topic t: payload is a number, expected a JSON object or a SenML array (format auto)", number.message());
        Problem object = only(decode(new PayloadDecoder(PayloadFormat.SENML, 1024), "t", "{\"n\":\"x\",\"v\":1}"));
        assertEquals("payload is an object, expected a SenML array of records (format senml)", object.detail());
        assertEquals(ErrorReason.WRONG_TYPE, only(decode(new PayloadDecoder(PayloadFormat.JSON, 1024), "t", "[]")).reason());
    }

    @Test
    void unknownUnitsAreDeliveredAndCounted() {
        Decoded d = decode("t", "{\"value\":2,\"unit\":\"smoots\"}");
        assertEquals(1, d.readings().size());
        assertEquals(new Units.Unit("smoots", false), d.readings().get(0).unit());
        assertEquals(ErrorReason.UNKNOWN_UNIT, only(d).reason());
        assertEquals("unknown unit 'smoots' for sensor t (reading kept with the unit as given)", only(d).detail());
    }

    @Test
    void wrongTypesInAOneReadingObject() {
        assertEquals("member 'value' is null, expected a number", only(decode("t", "{\"value\":null}")).detail());
        assertEquals("member 'unit' is a number, expected a string", only(decode("t", "{\"value\":1,\"unit\":5}")).detail());
        assertEquals("member 'time' is a string, expected epoch seconds",
                only(decode("t", "{\"value\":1,\"time\":\"now\"}")).detail());
        assertEquals("member 'value' is a number out of range, expected a number",
                only(decode("t", "{\"value\":1e999}")).detail());
    }
}
