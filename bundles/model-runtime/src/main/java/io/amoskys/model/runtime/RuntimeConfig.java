package io.amoskys.model.runtime;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "AMOSKYS model runtime",
        description = "Where model trust, the platform's model key and the promotion state live; ONNX Runtime session settings.")
public @interface RuntimeConfig {
    @AttributeDefinition(description = "Folder of the trusted model signing keys (KEYID.properties); "
            + "empty: ${karaf.etc}/amoskys/models/trust")
    String trustDir() default "";

    @AttributeDefinition(description = "The platform's own model signing key, made at first start; "
            + "empty: ${karaf.etc}/amoskys/models/platform.key")
    String platformKey() default "";

    @AttributeDefinition(description = "Which version of each model is active and which came before, "
            + "kept across restarts; empty: ${karaf.data}/amoskys/models/state.properties")
    String stateFile() default "";

    @AttributeDefinition(description = "Most rows in one ONNX Runtime call; larger batches are split")
    int maxBatch() default 1024;

    @AttributeDefinition(description = "Threads of one ONNX Runtime call (1 suits small batches on few cores)")
    int intraOpThreads() default 1;

    @AttributeDefinition(description = "Seconds between two log lines about one model's scoring errors of one kind "
            + "(all are counted in amoskys_model_errors_total)")
    int errorLogSeconds() default 60;

    @AttributeDefinition(description = "Seconds between two checks of the trust folder against the running models: a model "
            + "whose signing key was revoked or removed is withdrawn at the next check")
    int trustCheckSeconds() default 10;

    @AttributeDefinition(description = "Sequence models (descriptor window > 1): the most entities whose last vectors each model "
            + "version keeps; a new entity beyond it evicts one, those holding a whole window last (docs/MODELS.md; "
            + "amoskys_model_window_evictions_total)")
    int windowEntities() default RuntimeSettings.DEFAULT_WINDOW_ENTITIES;

    @AttributeDefinition(description = "Sequence models: score an entity's window on its first vector, then once every this many "
            + "of its vectors (every vector still enters the window). 0: the model's own window W, so every vector is in exactly "
            + "one scored window and an entity's detection waits up to W-1 vectors; 1: a window for every vector (W times the "
            + "cost); at most 256, and a stride beyond a model's W is W. Skipped vectors get no score from that model "
            + "(amoskys_model_window_skipped_total, not an error)")
    int windowStride() default RuntimeSettings.STRIDE_OF_THE_MODEL;

    @AttributeDefinition(description = "Tree models (one tree ensemble and element-wise steps, as the Isolation Forest and the "
            + "boosted trees): calls of up to this many rows are scored by the runtime's own Java evaluation of the signed "
            + "graph, which spares ONNX Runtime's fixed price per call and walks a block of rows through each tree together; "
            + "larger calls go to ONNX Runtime. Used only when its scores equal ONNX Runtime's on probe rows at load "
            + "(amoskys_model_java_tree_rows). Default: every call of the default maxBatch; 0: ONNX Runtime scores every call")
    int javaTreeRows() default RuntimeSettings.DEFAULT_JAVA_TREE_ROWS;
}
