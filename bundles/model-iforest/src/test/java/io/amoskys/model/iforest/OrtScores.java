package io.amoskys.model.iforest;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.Map;

/** Scores rows with ONNX Runtime, the way the model runtime will: float32 [N, F] in, [N, 1] out. */
final class OrtScores {
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    private OrtScores() {}

    static double[] of(byte[] onnx, double[][] rows) throws OrtException {
        float[][] input = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            input[i] = new float[rows[i].length];
            for (int j = 0; j < rows[i].length; j++) {
                input[i][j] = (float) rows[i][j];
            }
        }
        try (OrtSession session = ENV.createSession(onnx, new OrtSession.SessionOptions());
                OnnxTensor tensor = OnnxTensor.createTensor(ENV, input);
                OrtSession.Result result = session.run(Map.of(IsolationForestOnnx.INPUT, tensor))) {
            float[][] scores = (float[][]) result.get(IsolationForestOnnx.OUTPUT).orElseThrow().getValue();
            double[] out = new double[scores.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = scores[i][0];
            }
            return out;
        }
    }
}
