package io.amoskys.model.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.amoskys.model.format.ModelDescriptor;
import io.amoskys.model.format.RefusalReason;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One ONNX Runtime session for one model: rows of float32 in, one raw score per row out. A row
 * is one vector's features ({@code [N, F]}), or for a sequence model (descriptor {@code window}
 * W > 1) one window of W vectors, oldest first ({@code [N, W, F]}). Calls run
 * concurrently (ONNX Runtime allows it); {@link #close()} waits for the calls in flight, since a
 * session freed under a call would crash the JVM, and later calls are told the model is closed.
 */
final class OrtModel implements AutoCloseable {
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final String input;
    private final String output;
    private final int width;
    private final long[] rowShape;
    private final int column;
    private final int batchLimit;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed; // guarded by lock
    /**
     * The input's native memory, kept from call to call: given a heap buffer, ONNX Runtime would
     * allocate a direct one of the batch's size at every call (zeroed, and freed only by the
     * collector). One call at a time takes it; a concurrent call makes its own, which is kept after.
     */
    private final AtomicReference<FloatBuffer> inputMemory = new AtomicReference<>();

    private OrtModel(OrtEnvironment environment, OrtSession session, ModelDescriptor d, int batchLimit) {
        this.environment = environment;
        this.session = session;
        this.input = d.input();
        this.output = d.output();
        this.width = d.features().size() * d.window();
        this.rowShape = d.window() == 1 ? new long[] {d.features().size()} : new long[] {d.window(), d.features().size()};
        this.column = d.outputIndex().orElse(0);
        this.batchLimit = batchLimit;
    }

    /** Opens the model and checks its tensors against the descriptor with one trial row. */
    static OrtModel open(OrtEnvironment environment, byte[] onnx, ModelDescriptor d, int maxBatch, int intraOpThreads)
            throws ModelRefusedException {
        OrtSession session;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            // Failures reach the runtime as exceptions, counted and logged at a bounded rate; ONNX
            // Runtime's own lines would go to stderr once per failed call.
            options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
            session = environment.createSession(onnx, options);
        } catch (OrtException e) {
            throw new ModelRefusedException(RefusalReason.CORRUPT, "ONNX Runtime cannot open the model: " + e.getMessage(), e);
        }
        boolean opened = false;
        try {
            OrtModel model = new OrtModel(environment, session, d, checkShapes(session, d, maxBatch));
            model.run(new float[model.width], 1); // the trial row (window)
            opened = true;
            return model;
        } catch (OrtException | IllegalStateException e) {
            throw new ModelRefusedException(RefusalReason.WRONG_SHAPE, "a trial row failed: " + e.getMessage(), e);
        } finally {
            if (!opened) {
                closeQuietly(session);
            }
        }
    }

    /** @return the most rows per call the model takes */
    private static int checkShapes(OrtSession session, ModelDescriptor d, int maxBatch) throws ModelRefusedException {
        try {
            Map<String, NodeInfo> inputs = session.getInputInfo();
            if (inputs.size() != 1 || !inputs.containsKey(d.input())) {
                throw wrongShape("the model's inputs are " + inputs.keySet() + "; the descriptor names one, '" + d.input() + "'");
            }
            long[] in = floatShape(inputs.get(d.input()), "input " + d.input());
            int f = d.features().size();
            int w = d.window();
            boolean fits = w == 1 ? in.length == 2 && (in[1] < 0 || in[1] == f)
                    : in.length == 3 && (in[1] < 0 || in[1] == w) && (in[2] < 0 || in[2] == f);
            if (!fits) {
                throw wrongShape("input " + d.input() + " has shape " + Arrays.toString(in) + " (rank " + in.length + "); the descriptor's "
                        + (w == 1 ? f + " features need [N, " + f + "] (rank 2)"
                                : "window of " + w + " vectors of " + f + " features needs [N, " + w + ", " + f + "] (rank 3)"));
            }
            if (in[0] > 1) {
                throw wrongShape("input " + d.input() + " takes batches of exactly " + in[0] + " rows; export it with a dynamic batch");
            }
            NodeInfo out = session.getOutputInfo().get(d.output());
            if (out == null) {
                throw wrongShape("the model has no output '" + d.output() + "' (it has " + session.getOutputNames() + ")");
            }
            long[] shape = floatShape(out, "output " + d.output());
            int columns = shape.length == 2 ? (int) shape[1] : 1;
            boolean indexed = d.outputIndex().isPresent();
            if (shape.length < 1 || shape.length > 2 || (indexed && shape.length == 1)
                    || (columns >= 0 && d.outputIndex().orElse(0) >= columns) || (!indexed && columns > 1)) {
                throw wrongShape("output " + d.output() + " has shape " + Arrays.toString(shape) + "; the descriptor reads "
                        + (indexed ? "column " + d.outputIndex().getAsInt() + " of [N, C]" : "[N] or [N, 1]"));
            }
            return in[0] == 1 ? 1 : maxBatch;
        } catch (OrtException e) {
            throw new ModelRefusedException(RefusalReason.CORRUPT, "cannot read the model's tensors: " + e.getMessage(), e);
        }
    }

    private static long[] floatShape(NodeInfo node, String what) throws ModelRefusedException {
        if (!(node.getInfo() instanceof TensorInfo tensor) || tensor.type != OnnxJavaType.FLOAT) {
            throw wrongShape(what + " is " + node.getInfo() + ", not a float32 tensor");
        }
        return tensor.getShape();
    }

    private static ModelRefusedException wrongShape(String detail) {
        return new ModelRefusedException(RefusalReason.WRONG_SHAPE, detail);
    }

    int batchLimit() {
        return batchLimit;
    }

    /** Floats per row: the features, times the window's vectors for a sequence model. */
    int width() {
        return width;
    }

    /**
     * @param rows {@code count} rows of the model's width, row after row
     * @return one raw score per row, or {@code null} when the model has been closed
     */
    float[] run(float[] rows, int count) throws OrtException {
        lock.readLock().lock();
        try {
            if (closed) {
                return null;
            }
            long[] shape = new long[rowShape.length + 1];
            shape[0] = count;
            System.arraycopy(rowShape, 0, shape, 1, rowShape.length);
            FloatBuffer memory = takeInputMemory(count * width);
            memory.put(rows, 0, count * width).flip();
            try (OnnxTensor x = OnnxTensor.createTensor(environment, memory, shape); // direct: used in place
                    OrtSession.Result result = session.run(Map.of(input, x), Set.of(output))) {
                return scores(result.get(output).orElseThrow(), count);
            } finally {
                inputMemory.set(memory); // the tensor is closed: the next call may fill it
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Native memory for {@code floats} floats, cleared: the kept one if free and large enough. */
    private FloatBuffer takeInputMemory(int floats) {
        FloatBuffer memory = inputMemory.getAndSet(null);
        if (memory == null || memory.capacity() < floats) {
            memory = ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        }
        return memory.clear();
    }

    private float[] scores(OnnxValue value, int count) {
        if (!(value instanceof OnnxTensor tensor) || tensor.getInfo().type != OnnxJavaType.FLOAT) {
            throw new IllegalStateException("output " + output + " is not a float32 tensor");
        }
        long[] shape = tensor.getInfo().getShape();
        int columns = shape.length == 2 ? (int) shape[1] : 1;
        if (shape[0] != count || column >= columns) {
            throw new IllegalStateException("output " + output + " has shape " + Arrays.toString(shape) + " for "
                    + count + " rows");
        }
        FloatBuffer values = tensor.getFloatBuffer();
        float[] scores = new float[count];
        for (int i = 0; i < count; i++) {
            scores[i] = values.get(i * columns + column);
        }
        return scores;
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                closeQuietly(session);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            // Nothing more to free.
        }
    }
}
