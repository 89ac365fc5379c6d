package io.amoskys.responder.nftables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amoskys.api.event.Alert;
import io.amoskys.api.response.Action;
import io.amoskys.api.response.ActionOutcome;
import io.amoskys.api.response.ActionRequest;
import io.amoskys.api.response.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the responder plans and which configurations it refuses; nothing here runs nft. */
class NftablesPlanTest {
    @TempDir
    Path dir;

    private NftablesResponder responder(Map<String, Object> config) throws IOException {
        Map<String, Object> values = new HashMap<>(config);
        values.putIfAbsent("nftPath", fakeNft().toString());
        return new NftablesResponder(Configs.nftables(values));
    }

    /** An executable file standing in for nft, so these tests run where nft is not installed. */
    private Path fakeNft() throws IOException {
        Path nft = dir.resolve("nft");
        if (!Files.exists(nft)) {
            Files.writeString(nft, "#!/bin/sh\nexit 0\n");
            Files.setPosixFilePermissions(nft, PosixFilePermissions.fromString("rwx------"));
        }
        return nft;
    }

    private static Alert alert(String entity, Map<String, String> groupBy) {
        return Alert.builder().id("a1").rule("scan").entityId(entity).title("port scan").groupBy(groupBy).build();
    }

    @Test
    void plansABlockOfTheEntitysAddress() throws IOException {
        List<ActionRequest> plan = responder(Map.of()).plan(alert("host:10.9.0.2", Map.of()));
        assertEquals(1, plan.size());
        ActionRequest request = plan.get(0);
        assertEquals("block", request.verb());
        assertEquals(Target.address("10.9.0.2"), request.target());
        assertEquals("drop packets from 10.9.0.2 for 600 s (nftables set inet amoskys blocked4)", request.description());
        assertEquals(Duration.ofSeconds(600), request.lasts());
        assertEquals("blocked4", request.parameters().get("set"));
        assertEquals("inet", request.parameters().get("family"));
        assertEquals("amoskys", request.parameters().get("table"));
        assertEquals("600", request.parameters().get("timeoutSeconds"));
    }

    @Test
    void writesIpv6AddressesCanonically() throws IOException {
        ActionRequest request = responder(Map.of("blockSeconds", 30L)).plan(alert("2001:DB8:0:0:0:0:0:1", Map.of())).get(0);
        assertEquals(Target.address("2001:db8::1"), request.target());
        assertEquals("blocked6", request.parameters().get("set"));
        assertEquals(Duration.ofSeconds(30), request.lasts());
        byte[] bytes = new byte[16];
        bytes[12] = (byte) 0xff;
        bytes[13] = (byte) 0xff;
        bytes[15] = 1;
        assertEquals("::ffff:1", IpLiteral.rfc5952(bytes));
        assertEquals("2001:db8:0:1:1:1:1:1", IpLiteral.parse("2001:db8:0:1:1:1:1:1").text());
        assertEquals("2001:db8::1:0:0:1", IpLiteral.parse("2001:db8:0:0:1:0:0:1").text());
        assertEquals("fe80::1", IpLiteral.parse("[fe80::0:1]").text());
        assertEquals("10.1.2.3", IpLiteral.parse("::ffff:10.1.2.3").text());
    }

    @Test
    void takesTheAddressFromAGroupByValueWhenConfigured() throws IOException {
        NftablesResponder responder = responder(Map.of("addressFrom", "groupBy:src"));
        ActionRequest request = responder.plan(alert("host:10.0.0.1", Map.of("src", "192.0.2.7"))).get(0);
        assertEquals(Target.address("192.0.2.7"), request.target());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> responder.plan(alert("host:10.0.0.1", Map.of("dst", "192.0.2.8"))));
        assertTrue(e.getMessage().contains("no group-by value 'src'"), e.getMessage());
    }

    @Test
    void refusesWhatIsNoAddressWithoutResolvingIt() throws IOException {
        NftablesResponder responder = responder(Map.of());
        for (String entity : List.of("host:localhost", "host:web01.example.com", "mac:aa:bb:cc:dd:ee:ff", "10.0.0.256",
                "010.1.2.3", "1.2.3", "proc:123", "host:", "fe80::1%eth0", "aa:bb:cc:dd:ee:ff")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> responder.plan(alert(entity, Map.of())), entity);
            assertTrue(e.getMessage().contains("IP address"), e.getMessage());
        }
        for (String entity : List.of("127.0.0.1", "0.0.0.0", "::1", "::", "224.0.0.1", "255.255.255.255", "ff02::1")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> responder.plan(alert(entity, Map.of())), entity);
            assertTrue(e.getMessage().contains("not a single remote host's address"), e.getMessage());
        }
    }

    @Test
    void aGoodConfigurationHasNoProblems() throws IOException {
        assertEquals(List.of(), responder(Map.of()).configurationProblems());
        assertEquals(List.of(), responder(Map.of("interface", "lo", "hooks", new String[] {"prerouting"})).configurationProblems());
    }

    @Test
    void anInterfaceMissingForNowIsNoProblemSoItDisarmsNothing() throws Exception {
        // nft matches iifname by name: the block holds once a VPN or bridge interface comes (back) up.
        NftablesResponder responder = responder(Map.of("interface", "nosuch0"));
        assertEquals(List.of(), responder.configurationProblems());
        ActionRequest block = responder.plan(alert("host:203.0.113.9", Map.of())).get(0);
        ActionOutcome outcome = responder.execute(new Action("act-1", "nftables", "a1", "scan", "host:203.0.113.9", block, 1));
        assertEquals(ActionOutcome.Status.SUCCEEDED, outcome.status(), outcome.output());
        assertTrue(outcome.output().contains("interface 'nosuch0' does not exist on this host now"), outcome.output());
    }

    @Test
    void namesEachConfigurationProblem() throws IOException {
        assertProblem(Map.of("interface", "eth0\" accept"), "is no interface name");
        assertProblem(Map.of("table", "my-table"), "table 'my-table' is no nft identifier");
        assertProblem(Map.of("set4", "log"), "set4 'log' is an nft keyword");
        assertProblem(Map.of("set6", "blocked4"), "set4 and set6 must differ");
        assertProblem(Map.of("nftPath", dir.resolve("missing").toString()), "nft not found at");
        assertProblem(Map.of("nftPath", "nft"), "not an absolute path");
        assertProblem(Map.of("blockSeconds", 0L), "blockSeconds must be positive");
        assertProblem(Map.of("addressFrom", "src"), "addressFrom 'src' is neither");
        assertProblem(Map.of("hooks", new String[] {"output"}), "hook 'output' is none of");
        assertProblem(Map.of("commandTimeoutSeconds", 0), "commandTimeoutSeconds must be positive");
        Path plain = Files.writeString(dir.resolve("not-executable"), "");
        assertProblem(Map.of("nftPath", plain.toString()), "is not executable");
    }

    @Test
    void anInterfaceInAnotherNamespaceIsNotCheckedHere() throws IOException {
        assertEquals(List.of(), responder(Map.of("interface", "veth-x", "commandPrefix", new String[] {"ip", "netns", "exec", "x"}))
                .configurationProblems());
    }

    private void assertProblem(Map<String, Object> config, String expected) throws IOException {
        List<String> problems = responder(config).configurationProblems();
        assertTrue(problems.stream().anyMatch(p -> p.contains(expected)), "expected '" + expected + "' in " + problems);
    }

    @Test
    void theBlockScriptRebuildsTheTableAndRenewsTheElement() throws IOException {
        NftSettings settings = new NftSettings(Configs.nftables(Map.of("interface", "eth0", "hooks", new String[] {"input"})));
        String script = NftScript.block(settings, IpLiteral.parse("10.9.0.2"), 600, NftScript.comment("id with \"quotes\""));
        assertTrue(script.contains("add chain inet amoskys input { type filter hook input priority -10; policy accept; }\n"), script);
        assertTrue(script.contains("add rule inet amoskys input iifname \"eth0\" ip saddr @blocked4 drop\n"), script);
        assertTrue(script.contains("delete chain inet amoskys forward\n"), script);
        assertTrue(!script.contains("add chain inet amoskys forward {"), script);
        assertTrue(script.endsWith("add element inet amoskys blocked4 { 10.9.0.2 timeout 600s comment \"id_with__quotes_\" }\n"), script);
        assertEquals(Set.of("a1"), Set.of(NftScript.commentIn("elements = { 10.9.0.2 timeout 10m expires 9m comment \"a1\" }")));
    }
}
