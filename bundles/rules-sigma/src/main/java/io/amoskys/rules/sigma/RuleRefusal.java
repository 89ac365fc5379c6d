package io.amoskys.rules.sigma;

/**
 * A rule the engine would not load: where it is and why.
 *
 * @param source the file or bundle entry the rule came from
 * @param line the 1-based line of the offending YAML node (0 when unknown)
 * @param rule the rule's id or title when the parser got that far, else {@code "?"}
 * @param reason what is wrong, in words an author can act on
 */
public record RuleRefusal(String source, int line, String rule, String reason) {
    @Override
    public String toString() {
        return source + ":" + line + ": " + rule + " refused: " + reason;
    }
}
