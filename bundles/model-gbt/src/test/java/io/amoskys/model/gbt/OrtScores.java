package io.amoskys.model.gbt;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.Map;

/** Scores rows with ONNX Runtime as the model runtime does: float32 [N, F] in, [N, 1] out, one thread. */
final class OrtScores {
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    private OrtScores() {}

    static float[] of(byte[] onnx, float[][] rows) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            try (OrtSession session = ENV.createSession(onnx, options);
                    OnnxTensor tensor = OnnxTensor.createTensor(ENV, rows);
                    OrtSession.Result result = session.run(Map.of(GbtOnnx.INPUT, tensor))) {
                float[][] scores = (float[][]) result.get(GbtOnnx.OUTPUT).orElseThrow().getValue();
                float[] out = new float[scores.length];
                for (int i = 0; i < out.length; i++) {
                    out[i] = scores[i][0];
                }
                return out;
            }
        }
    }

    static double maxDifference(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError(a.length + " scores against " + b.length);
        }
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs((double) a[i] - b[i]);
            if (Double.isNaN(d)) {
                return Double.POSITIVE_INFINITY;
            }
            max = Math.max(max, d);
        }
        return max;
    }
}
