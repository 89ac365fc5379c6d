package io.amoskys.api;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * The name under which routes address a plugin: {@code amoskys:KIND/NAME}.
 *
 * <p>A Declarative Services component property type: annotate the component with
 * {@code @PluginName("zscore")} and DS registers the property {@value #PROPERTY}. Names are
 * unique per kind; when two services share one, the one with the highest service ranking wins.
 */
@ComponentPropertyType
public @interface PluginName {
    /** Makes the service property {@value #PROPERTY}. */
    String PREFIX_ = "amoskys.";

    /** The service property that carries a plugin's name. */
    String PROPERTY = "amoskys.plugin.name";

    String value();
}
