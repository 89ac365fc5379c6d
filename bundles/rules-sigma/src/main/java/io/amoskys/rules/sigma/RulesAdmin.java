package io.amoskys.rules.sigma;

import java.util.List;

/** The Sigma engine as the shell sees it. */
public interface RulesAdmin {
    /** The rules in force, in load order. */
    List<RuleStatus> rules();

    /** The rules refused, with file, line and reason. */
    List<RuleRefusal> refusals();

    /** The folder whose rule files are watched. */
    String folder();
}
