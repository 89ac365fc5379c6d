package io.amoskys.core.plugins;

import io.amoskys.api.PluginKind;

/** Told when the plugin that serves a kind and name changes (arrives, leaves or is replaced). */
public interface PluginListener {
    void pluginChanged(PluginKind kind, String name);
}
