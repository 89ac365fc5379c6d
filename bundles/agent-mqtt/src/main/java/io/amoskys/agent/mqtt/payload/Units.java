package io.amoskys.agent.mqtt.payload;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Unit names as SenML spells them (the RFC 8428 units registry with the RFC 8798 additions), and
 * the usual ways devices spell them otherwise. Only names change here, never values: "mbar" is
 * "hPa" because they are the same unit; a Fahrenheit reading stays Fahrenheit, under its UCUM
 * name {@code [degF]}.
 */
public final class Units {
    /** A unit as normalised; {@code known} is false for a name kept as the device spelt it. */
    public record Unit(String name, boolean known) {
        static final Unit NONE = new Unit("", true);
    }

    /** RFC 8428 section 12.1 and RFC 8798, plus the few UCUM names our aliases lead to. */
    private static final Set<String> REGISTERED = Set.of(
            "m", "kg", "g", "s", "A", "K", "cd", "mol", "Hz", "rad", "sr", "N", "Pa", "J", "W", "C", "V", "F",
            "Ohm", "S", "Wb", "T", "H", "Cel", "lm", "lx", "Bq", "Gy", "Sv", "kat", "m2", "m3", "l", "m/s",
            "m/s2", "m3/s", "l/s", "W/m2", "cd/m2", "bit", "bit/s", "lat", "lon", "pH", "dB", "dBW", "Bspl",
            "count", "/", "%", "%RH", "%EL", "EL", "1/s", "1/min", "beat/min", "beats", "S/m",
            "B", "VA", "VAs", "var", "vars", "J/m", "kg/m3", "deg", "NTU",
            "ms", "min", "h", "MHz", "kW", "kVA", "kvar", "Ah", "Wh", "kWh", "varh", "kvarh", "VAh", "kVAh",
            "Wh/km", "KiB", "GB", "Mbit/s", "B/s", "MB/s", "mV", "mA", "dBm", "ug/m3", "mm/h", "m/h", "ppm",
            "/100", "/1000", "hPa", "mm", "cm", "km", "km/h",
            "[degF]", "kPa", "[ppb]");

    /** Other spellings, keyed in lower case. */
    private static final Map<String, String> ALIASES = new HashMap<>();
    /** Spellings that mean one thing in plain JSON and another in SenML ("C" is coulomb there). */
    private static final Map<String, String> JSON_ONLY_ALIASES = Map.of("c", "Cel", "f", "[degF]");

    private static final Map<String, String> QUANTITIES = new HashMap<>();

    static {
        alias("Cel", "°C", "℃", "degc", "deg c", "celsius", "centigrade", "cel");
        alias("[degF]", "°F", "℉", "degf", "deg f", "fahrenheit");
        alias("K", "kelvin");
        alias("%RH", "%rh", "% rh", "rh", "relative humidity");
        alias("%", "percent", "pct");
        alias("Pa", "pa", "pascal");
        alias("hPa", "hpa", "mbar", "millibar");
        alias("kPa", "kpa");
        alias("W", "w", "watt", "watts");
        alias("kW", "kw", "kilowatt");
        alias("Wh", "wh");
        alias("kWh", "kwh");
        alias("V", "v", "volt", "volts");
        alias("mV", "mv");
        alias("A", "amp", "amps", "ampere");
        alias("mA", "ma");
        alias("lx", "lux");
        alias("ppm", "ppm");
        alias("[ppb]", "ppb");
        alias("ug/m3", "µg/m3", "µg/m³", "ug/m³", "μg/m3", "μg/m³");
        alias("km/h", "kmh", "kph");
        alias("s", "sec", "second", "seconds");
        alias("Hz", "hz");
        alias("deg", "°", "degree", "degrees");

        quantity("temperature", "Cel", "K", "[degF]");
        quantity("humidity", "%RH");
        quantity("pressure", "Pa", "hPa", "kPa");
        quantity("power", "W", "kW");
        quantity("energy", "J", "Wh", "kWh");
        quantity("voltage", "V", "mV");
        quantity("current", "A", "mA");
        quantity("illuminance", "lx");
        quantity("concentration", "ppm", "[ppb]", "ug/m3");
        quantity("frequency", "Hz", "MHz");
        quantity("speed", "m/s", "km/h");
        quantity("battery", "%EL");
        quantity("latitude", "lat");
        quantity("longitude", "lon");
        quantity("length", "m", "mm", "cm", "km");
        quantity("duration", "s", "ms", "min", "h");
    }

    private Units() {}

    private static void alias(String canonical, String... spellings) {
        for (String s : spellings) {
            ALIASES.put(s.toLowerCase(Locale.ROOT), canonical);
        }
    }

    private static void quantity(String quantity, String... units) {
        for (String u : units) {
            QUANTITIES.put(u, quantity);
        }
    }

    /**
     * The SenML name of {@code raw}, or {@code raw} itself marked unknown. A registered SenML
     * name is taken as it is in SenML payloads; in plain JSON the device's habits come first.
     */
    public static Unit normalise(String raw, boolean senml) {
        String unit = raw.strip();
        if (unit.isEmpty()) {
            return Unit.NONE;
        }
        String lower = unit.toLowerCase(Locale.ROOT);
        if (senml && REGISTERED.contains(unit)) {
            return new Unit(unit, true);
        }
        if (!senml && JSON_ONLY_ALIASES.containsKey(lower) && unit.length() == 1) {
            return new Unit(JSON_ONLY_ALIASES.get(lower), true);
        }
        if (REGISTERED.contains(unit)) {
            return new Unit(unit, true);
        }
        String alias = ALIASES.get(lower);
        return alias != null ? new Unit(alias, true) : new Unit(unit, false);
    }

    /** What a unit measures ("temperature" for Cel), or "" when the unit says nothing definite. */
    public static String quantityOf(String unit) {
        return QUANTITIES.getOrDefault(unit, "");
    }
}
