package io.amoskys.rules.sigma;

import java.util.List;

/**
 * One rule in force, for the shell.
 *
 * @param type {@code rule}, or the correlation's type
 * @param source the file or bundle entry it came from, with {@code line}
 * @param hits observations (or correlations) it matched
 * @param alerts alerts it raised (a rule a correlation keeps quiet matches without alerting)
 */
public record RuleStatus(String id, String title, String type, String level, String status, List<String> tags, String source,
        int line, long hits, long alerts) {}
