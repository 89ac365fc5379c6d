package io.amoskys.agent.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartsTest {
    @TempDir
    Path dir;

    @Test
    void hashesEachFileVersionOnceAndKeepsTheCacheBounded() throws Exception {
        ExeHasher hasher = new ExeHasher(2, 1024);
        Path a = Files.writeString(dir.resolve("a"), "a");
        Path b = Files.writeString(dir.resolve("b"), "b");
        Path c = Files.writeString(dir.resolve("c"), "c");
        String first = hasher.sha256(a.toString(), a);
        assertEquals(ExeHasher.hash(a), first);
        assertEquals(first, hasher.sha256(a.toString(), a));
        assertEquals(1, hasher.hashed());

        Files.writeString(a, "changed");
        assertEquals(ExeHasher.hash(a), hasher.sha256(a.toString(), a), "a new version is hashed again");
        hasher.sha256(b.toString(), b);
        hasher.sha256(c.toString(), c);
        assertEquals(2, hasher.entries());
        assertEquals(4, hasher.hashed());
    }

    @Test
    void skipsLargeAndUnreadableFiles() throws Exception {
        ExeHasher hasher = new ExeHasher(8, 4);
        Path big = Files.writeString(dir.resolve("big"), "more than four bytes");
        assertNull(hasher.sha256(big.toString(), big));
        assertNull(hasher.sha256("gone", dir.resolve("gone")));
        assertEquals(0, hasher.entries());
        assertFalse(FdCounter.count(dir.resolve("no-such-process")).known());
        assertNull(ProcReader.exePath(dir.resolve("no-such-process")));
    }

    @Test
    void readsUserNamesAgainWhenPasswdChanges() throws Exception {
        Path passwd = Files.writeString(dir.resolve("passwd"), "# comment\nroot:x:0:0::/root:/bin/sh\nalice:x:1000:1000::/home/a:/bin/sh\nbad:x:zz:1::/:/\n");
        Files.setLastModifiedTime(passwd, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
        UserNames users = new UserNames(passwd);
        users.refresh();
        assertEquals("alice", users.name(1000));
        assertEquals("root", users.name(0));
        assertNull(users.name(4242));

        Files.writeString(passwd, "bob:x:1000:1000::/home/b:/bin/sh\n");
        Files.setLastModifiedTime(passwd, FileTime.from(Instant.parse("2021-01-01T00:00:00Z")));
        users.refresh();
        assertEquals("bob", users.name(1000));
        assertNull(users.name(0));
    }

    @Test
    void aGecosFieldInLatin1CostsNoName() throws Exception {
        byte[] passwd = "root:x:0:0::/root:/bin/sh\njose:x:1001:1001:Jos\u00e9 Pe\u00f1a:/home/j:/bin/sh\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        UserNames users = new UserNames(Files.write(dir.resolve("passwd"), passwd));
        users.refresh();
        assertEquals("root", users.name(0));
        assertEquals("jose", users.name(1001));
    }

    @Test
    void parentChainStopsAtFourAncestorsAndAtLoops() {
        Map<Integer, ProcessSample> byPid = Map.of(
                1, sample(1, 0, "systemd"), 2, sample(2, 1, "sshd"), 3, sample(3, 2, "bash"),
                4, sample(4, 3, "tmux"), 5, sample(5, 4, "zsh"), 6, sample(6, 5, "vim"),
                8, sample(8, 9, "x"), 9, sample(9, 8, "y"));
        assertEquals("bash>sshd>systemd", ParentChain.of(byPid.get(4), byPid));
        assertEquals("zsh>tmux>bash>sshd", ParentChain.of(byPid.get(6), byPid));
        assertEquals("", ParentChain.of(byPid.get(1), byPid));
        assertEquals("y", ParentChain.of(byPid.get(8), byPid), "back at the process itself: stop");
    }

    private static ProcessSample sample(int pid, int ppid, String name) {
        return new ProcessSample(pid, ppid, name, 'S', 0, 1, 0, 0, 0, 0);
    }

    @Test
    void aMaxProcessesBelowOneIsRefusedNamingIt() {
        ProcessAgent.Config config = new ProcessAgent.Config() {
            public long intervalMillis() { return 5000; }
            public int maxProcesses() { return 0; }
            public String procRoot() { return "/proc"; }
            public String passwdFile() { return "/etc/passwd"; }
            public Class<? extends java.lang.annotation.Annotation> annotationType() { return ProcessAgent.Config.class; }
        };
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new ProcessAgent(config));
        assertEquals("io.amoskys.agent.process: maxProcesses must be at least 1, was 0 (the agent would report nothing)", e.getMessage());
    }
}
