package io.amoskys.rules.sigma;

import java.util.Optional;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.Node;

/** A reason to refuse a rule, with the 1-based line it concerns. */
final class RuleException extends Exception {
    private static final long serialVersionUID = 1L;
    final int line;

    RuleException(int line, String reason) {
        super(reason, null, false, false);
        this.line = line;
    }

    RuleException(Node node, String reason) {
        this(lineOf(node), reason);
    }

    static int lineOf(Node node) {
        return node == null ? 0 : lineOf(node.getStartMark());
    }

    static int lineOf(Optional<Mark> mark) {
        return mark.map(m -> m.getLine() + 1).orElse(0);
    }
}
