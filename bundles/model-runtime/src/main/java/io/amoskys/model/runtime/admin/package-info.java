/**
 * The model runtime's admin service, for the shell and other bundles ({@code amoskys:evaluate}
 * reads a model's threshold here): the versions of every model with their states, promotion,
 * rollback and shadow reports; 1.1: a model's detector that scores every window, for evaluation;
 * 1.2: every version's score distribution, for the dashboard.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package io.amoskys.model.runtime.admin;
