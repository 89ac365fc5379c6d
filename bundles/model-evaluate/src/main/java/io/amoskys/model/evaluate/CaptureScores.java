package io.amoskys.model.evaluate;

/**
 * The scores a model gave one capture's vectors.
 *
 * @param unscored vectors the detector answered no score for (another schema, a value not finite)
 */
public record CaptureScores(LabelledCapture capture, double[] scores, long unscored) {

    /** The highest score, or NaN when no vector was scored. */
    public double max() {
        double max = Double.NaN;
        for (double s : scores) {
            max = Double.isNaN(max) ? s : Math.max(max, s);
        }
        return max;
    }
}
