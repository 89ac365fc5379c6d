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
import io.amoskys.model.runtime.trees.TreeGraph;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ONNX Runtime session for one model: rows of float32 in, one raw score per row out. A row
 * is one vector's features ({@code [N, F]}), or for a sequence model (descriptor {@code window}
 * W > 1) one window of W vectors, oldest first ({@code [N, W, F]}). Calls run
 * concurrently (ONNX Runtime allows it); {@link #close()} waits for the calls in flight, since a
 * session freed under a call would crash the JVM, and later calls are told the model is closed.
 *
 * <p>A call's tensors are kept for the next call of the same row count ({@link Binding}): the input
 * over native memory the call fills, and the output pinned, so that ONNX Runtime writes the scores
 * where they are read. Letting ONNX Runtime allocate the output at every call, and the Java binding
 * wrap it and copy it out, was about half the price of a one-row call. Bounded: besides the calls in
 * flight, at most {@link #KEPT_BINDINGS} bindings and as many blocks of spare memory, each for at
 * most twice the rows of the largest batch.
 *
 * <p>A model that is one tree ensemble and element-wise steps ({@link TreeGraph}) scores calls of
 * up to {@code javaTreeRows} rows in Java instead, at least as fast as ONNX Runtime at every batch
 * size and without its fixed price per call; only once {@link #verifyTrees} found the Java scores
 * equal to ONNX Runtime's on rows that probe every split.
 */
final class OrtModel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OrtModel.class);
    /** Rows that check the Java trees against ONNX Runtime when a model opens. */
    static final int PROBE_ROWS = 512;
    /** How far a Java score may be from ONNX Runtime's: float32 rounding of the steps after the trees. */
    static final double TREE_TOLERANCE = 1e-5;
    /** Row counts whose tensors are kept: the route's batch size, its remainders, single rows. */
    private static final int KEPT_BINDINGS = 4;

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final String input;
    private final String output;
    private final int width;
    private final long[] rowShape;
    private final int column;
    private final int batchLimit;
    /** The output's rank as the model declares it: 1 ([N]) or 2 ([N, C]). */
    private final int outputRank;
    /** The output's columns per row when its shape is [N] (1) or [N, C] with C fixed; 0: not pinned. */
    private final int pinnedColumns;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed; // guarded by lock
    /** Bindings no call holds, the most recently used first; at most {@link #KEPT_BINDINGS}. */
    private final ArrayDeque<Binding> idle = new ArrayDeque<>(); // guarded by itself
    /** Memory of dropped bindings, for new ones: row counts vary from call to call on a route. */
    private final ArrayDeque<Memory> spare = new ArrayDeque<>(); // guarded by idle
    /** Scores calls of up to {@link #javaRows} rows in Java; null: ONNX Runtime scores every call. Set before publication. */
    private TreeGraph javaTrees;
    private int javaRows;

    /**
     * Direct memory for a call's input and output, which ONNX Runtime reads and writes in place
     * (given a heap buffer it would allocate and zero a direct one at every call): room for a
     * power of two of rows, so that it serves any smaller count later.
     */
    private record Memory(int rows, FloatBuffer input, FloatBuffer output) {} // output null when not pinned

    /** The tensors of calls of {@code rows} rows over a {@link Memory}, held by one call at a time. */
    private final class Binding implements AutoCloseable {
        final int rows;
        final Memory memory;
        final FloatBuffer inputMemory;
        final Map<String, OnnxTensor> inputs;
        /** Null when the output is not pinned. */
        final FloatBuffer outputMemory;
        final Map<String, OnnxTensor> outputs;

        Binding(int rows, Memory memory) throws OrtException {
            this.rows = rows;
            this.memory = memory;
            long[] shape = new long[rowShape.length + 1];
            shape[0] = rows;
            System.arraycopy(rowShape, 0, shape, 1, rowShape.length);
            inputMemory = memory.input.duplicate().clear().limit(rows * width).slice();
            OnnxTensor in = OnnxTensor.createTensor(environment, inputMemory, shape);
            inputs = Map.of(input, in);
            if (pinnedColumns == 0) {
                outputMemory = null;
                outputs = Map.of();
                return;
            }
            try {
                outputMemory = memory.output.duplicate().clear().limit(rows * pinnedColumns).slice();
                long[] outShape = outputRank == 1 ? new long[] {rows} : new long[] {rows, pinnedColumns};
                outputs = Map.of(output, OnnxTensor.createTensor(environment, outputMemory, outShape));
            } catch (OrtException | RuntimeException e) {
                in.close();
                throw e;
            }
        }

        /** Frees the tensors; the memory stays for another binding. */
        @Override
        public void close() {
            inputs.values().forEach(OnnxTensor::close);
            outputs.values().forEach(OnnxTensor::close);
        }
    }

    private OrtModel(OrtEnvironment environment, OrtSession session, ModelDescriptor d, int batchLimit, long[] outputShape) {
        this.environment = environment;
        this.session = session;
        this.input = d.input();
        this.output = d.output();
        this.width = d.features().size() * d.window();
        this.rowShape = d.window() == 1 ? new long[] {d.features().size()} : new long[] {d.window(), d.features().size()};
        this.column = d.outputIndex().orElse(0);
        this.batchLimit = batchLimit;
        this.outputRank = outputShape.length;
        this.pinnedColumns = columnsToPin(outputShape);
    }

    /** 1 for an output [N], C for [N, C] with C fixed; 0 when the declared shape leaves it open. */
    private static int columnsToPin(long[] outputShape) {
        if (outputShape.length == 1) {
            return 1;
        }
        return outputShape.length == 2 && outputShape[1] > 0 ? (int) outputShape[1] : 0;
    }

    /**
     * Opens the model and checks its tensors against the descriptor with one trial row.
     *
     * @param javaTreeRows calls of up to this many rows of a tree model are scored in Java; 0: none
     */
    static OrtModel open(OrtEnvironment environment, byte[] onnx, ModelDescriptor d, int maxBatch, int intraOpThreads,
            int javaTreeRows) throws ModelRefusedException {
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
            int limit = checkShapes(session, d, maxBatch);
            long[] outputShape = ((TensorInfo) session.getOutputInfo().get(d.output()).getInfo()).getShape();
            OrtModel model = new OrtModel(environment, session, d, limit, outputShape);
            model.run(new float[model.width], 1); // the trial row (window)
            if (javaTreeRows > 0 && d.window() == 1) {
                model.verifyTrees(TreeGraph.compile(onnx, d.input(), d.output(), model.width), javaTreeRows, d);
            }
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

    /**
     * Takes the Java evaluation of a tree model if its scores on {@link #PROBE_ROWS} probe rows are
     * ONNX Runtime's within {@link #TREE_TOLERANCE}; otherwise ONNX Runtime keeps every call. Only
     * a speed-up: nothing that goes wrong here refuses the model.
     */
    void verifyTrees(TreeGraph.Compiled compiled, int rows, ModelDescriptor d) {
        String model = d.name() + " " + d.version();
        if (compiled.graph() == null) {
            LOG.debug("{}: ONNX Runtime scores every call; not a tree graph for Java: {}", model, compiled.unsupported());
            return;
        }
        TreeGraph graph = compiled.graph();
        try {
            String difference = firstDifference(graph);
            if (difference != null) {
                LOG.warn("{}: ONNX Runtime scores every call; its trees in Java gave {}", model, difference);
                return;
            }
        } catch (OrtException | RuntimeException e) {
            LOG.warn("{}: ONNX Runtime scores every call; checking its trees in Java failed: {}", model, e.toString());
            return;
        }
        LOG.info("{}: calls of up to {} rows are scored in Java ({}), equal to ONNX Runtime on {} probe rows", model, rows,
                graph, PROBE_ROWS);
        javaRows = rows;
        javaTrees = graph;
    }

    /** @return the first probe row whose scores differ, described, or null when none does */
    private String firstDifference(TreeGraph graph) throws OrtException {
        float[] probes = graph.probeRows(PROBE_ROWS);
        float[] java = graph.score(probes, PROBE_ROWS); // rows together, and one at a time below: two ways to walk
        float[] one = new float[width];
        for (int r = 0; r < PROBE_ROWS; r++) {
            System.arraycopy(probes, r * width, one, 0, width);
            float alone = graph.score(one, 1)[0];
            if (Float.floatToIntBits(alone) != Float.floatToIntBits(java[r])) {
                return "probe row " + r + " the score " + alone + " alone, " + java[r] + " among others";
            }
        }
        float[] chunk = new float[Math.min(batchLimit, PROBE_ROWS) * width];
        for (int from = 0; from < PROBE_ROWS; from += batchLimit) {
            int count = Math.min(batchLimit, PROBE_ROWS - from);
            System.arraycopy(probes, from * width, chunk, 0, count * width);
            float[] ort = run(chunk, count);
            for (int i = 0; i < count; i++) {
                float j = java[from + i];
                if (!(Math.abs(j - ort[i]) <= TREE_TOLERANCE * Math.max(1, Math.abs(ort[i])))) {
                    return "probe row " + (from + i) + " the score " + j + ", ONNX Runtime " + ort[i];
                }
            }
        }
        return null;
    }

    int batchLimit() {
        return batchLimit;
    }

    /** Calls of up to this many rows are scored in Java, not by ONNX Runtime (0: none). */
    int javaTreeRows() {
        return javaTrees == null ? 0 : javaRows;
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
            if (count <= javaRows && javaTrees != null) {
                return javaTrees.score(rows, count);
            }
            Binding binding = take(count);
            try {
                binding.inputMemory.clear();
                binding.inputMemory.put(rows, 0, count * width);
                if (binding.outputMemory == null) {
                    try (OrtSession.Result result = session.run(binding.inputs, Set.of(output))) {
                        return scores(result.get(output).orElseThrow(), count);
                    }
                }
                try (OrtSession.Result result = session.run(binding.inputs, Set.of(), binding.outputs)) {
                    float[] scores = new float[count];
                    for (int i = 0; i < count; i++) {
                        scores[i] = binding.outputMemory.get(i * pinnedColumns + column);
                    }
                    return scores;
                }
            } finally {
                giveBack(binding);
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    /** An idle binding of {@code count} rows, or a new one over spare memory large enough, or new memory. */
    private Binding take(int count) throws OrtException {
        Memory memory = null;
        synchronized (idle) {
            for (Iterator<Binding> i = idle.iterator(); i.hasNext(); ) {
                Binding b = i.next();
                if (b.rows == count) {
                    i.remove();
                    return b;
                }
            }
            for (Iterator<Memory> i = spare.iterator(); i.hasNext() && memory == null; ) {
                Memory m = i.next();
                if (m.rows >= count) {
                    i.remove();
                    memory = m;
                }
            }
        }
        if (memory == null) {
            int rows = Integer.highestOneBit(count) == count ? count : Integer.highestOneBit(count) << 1;
            memory = new Memory(rows, direct(rows * width), pinnedColumns == 0 ? null : direct(rows * pinnedColumns));
        }
        try {
            return new Binding(count, memory);
        } catch (OrtException | RuntimeException e) {
            keepSpare(memory);
            throw e;
        }
    }

    /** Keeps {@code binding} for a later call; the least recently used beyond the few kept gives its memory back. */
    private void giveBack(Binding binding) {
        Binding dropped;
        synchronized (idle) {
            idle.addFirst(binding);
            dropped = idle.size() > KEPT_BINDINGS ? idle.removeLast() : null;
        }
        if (dropped != null) {
            dropped.close();
            keepSpare(dropped.memory);
        }
    }

    private void keepSpare(Memory memory) {
        synchronized (idle) {
            spare.addFirst(memory);
            if (spare.size() > KEPT_BINDINGS) {
                spare.removeLast(); // the collector frees it
            }
        }
    }

    /** Frees the kept tensors; no call may be in flight. */
    private void closeBindings() {
        synchronized (idle) {
            idle.forEach(Binding::close);
            idle.clear();
            spare.clear();
        }
    }

    private static FloatBuffer direct(int floats) {
        return ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
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
                closeBindings(); // the write lock: no call holds one
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
