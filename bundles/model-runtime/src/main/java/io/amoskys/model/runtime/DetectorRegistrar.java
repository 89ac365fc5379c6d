package io.amoskys.model.runtime;

import io.amoskys.api.Detector;

/** Publishes a model name's detector (the OSGi service registry in the platform; a map in tests). */
interface DetectorRegistrar {
    /** @return what withdraws it */
    Runnable register(String name, Detector detector);
}
