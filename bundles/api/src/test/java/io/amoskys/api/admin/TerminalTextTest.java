package io.amoskys.api.admin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class TerminalTextTest {
    /** An OSC 52 clipboard write, a colour, a carriage return over the line, a bidi override: as a hostile DNS name carries them. */
    private static final String HOSTILE = "evil\u001b]52;c;cm0gLXJmIH4=\u0007.example\u001b[8m\rok\u202egnp.exe\u009b2J";

    @Test
    void aValueKeepsNothingThatActsOnTheTerminal() {
        String shown = TerminalText.printable(HOSTILE + "\nsecond line\tcell");
        assertEquals("evil\\u001b]52;c;cm0gLXJmIH4=\\u0007.example\\u001b[8m\\u000dok\\u202egnp.exe\\u009b2J"
                + "\\u000asecond line\\u0009cell", shown);
        assertEquals("", TerminalText.printable(null));
        String plain = "host:2001:db8::1 ünïcödé 名前";
        assertSame(plain, TerminalText.printable(plain), "plain text is passed as it is");
        assertArrayEquals(new Object[] {"a\\u001bb", "42", ""}, TerminalText.cells("a\u001bb", 42, null));
    }

    @Test
    void linesKeepTheirLayoutButNoEscapes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream terminal = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        PrintStream out = TerminalText.lines(terminal);
        out.println("title\t" + HOSTILE);
        out.printf(Locale.ROOT, "  %-6s %s%n", "entity", "a\u001b[2Jb");
        out.print('\u001b');
        out.append("x\u0007y").append('\n');
        out.print(12);
        out.println((Object) "ü\u0085");
        out.write(new byte[] {'r', 0x1b, '[', 'm', 0x7f, '\n'}, 0, 6);
        out.flush();
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertEquals("title\tevil\\u001b]52;c;cm0gLXJmIH4=\\u0007.example\\u001b[8m\\u000dok\\u202egnp.exe\\u009b2J" + System.lineSeparator()
                + "  entity a\\u001b[2Jb\n"
                + "\\u001bx\\u0007y\n"
                + "12ü\\u0085" + System.lineSeparator()
                + "r?[m?\n", text);
    }
}
