package io.amoskys.model.runtime.admin;

/**
 * How a shadow version compares with the active one on the same vectors since it started
 * shadowing (or since the last promotion or rollback).
 *
 * @param rows vectors both scored
 * @param agreement share of those rows on which both gave the same verdict at their thresholds
 * @param meanShift mean |shadow score - active score|
 * @param maxShift largest |shadow score - active score|
 * @param activeP50Micros median time of the active version's ONNX Runtime calls on those vectors
 */
public record ShadowReport(String name, String activeVersion, String shadowVersion, long rows, double agreement,
        long activeFlagged, long shadowFlagged, double meanShift, double maxShift, double activeP50Micros,
        double activeP99Micros, double shadowP50Micros, double shadowP99Micros, long shadowErrors) {
}
