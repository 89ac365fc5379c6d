package io.amoskys.agent.mqtt.payload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class UnitsTest {
    @Test
    void commonSpellingsBecomeSenmlNames() {
        assertEquals(new Units.Unit("Cel", true), Units.normalise("°C", false));
        assertEquals(new Units.Unit("Cel", true), Units.normalise("celsius", true));
        assertEquals(new Units.Unit("%RH", true), Units.normalise("% RH", false));
        assertEquals(new Units.Unit("hPa", true), Units.normalise("mbar", false));
        assertEquals(new Units.Unit("W", true), Units.normalise("Watts", false));
        assertEquals(new Units.Unit("[degF]", true), Units.normalise("°F", false));
        assertEquals(new Units.Unit("Pa", true), Units.normalise(" Pa ", true));
    }

    @Test
    void aSingleLetterMeansWhatTheFormatSays() {
        // In plain JSON "C" is what thermometers send; in SenML it is the coulomb.
        assertEquals("Cel", Units.normalise("C", false).name());
        assertEquals("C", Units.normalise("C", true).name());
        assertEquals("F", Units.normalise("F", true).name());
    }

    @Test
    void unknownUnitsAreKeptAsGivenAndMarked() {
        assertEquals(new Units.Unit("furlong", false), Units.normalise("furlong", false));
        assertEquals(new Units.Unit("", true), Units.normalise("  ", false));
    }

    @Test
    void unitsTellTheQuantity() {
        assertEquals("temperature", Units.quantityOf("Cel"));
        assertEquals("humidity", Units.quantityOf("%RH"));
        assertEquals("", Units.quantityOf("count"));
    }
}
