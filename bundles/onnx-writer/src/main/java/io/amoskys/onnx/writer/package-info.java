/**
 * ONNX models written from Java without protobuf or generated classes: a model is built from
 * immutable values ({@link io.amoskys.onnx.writer.OnnxModel}, {@link io.amoskys.onnx.writer.OnnxGraph},
 * {@link io.amoskys.onnx.writer.OnnxNode}, {@link io.amoskys.onnx.writer.OnnxAttribute},
 * {@link io.amoskys.onnx.writer.OnnxConstant}, {@link io.amoskys.onnx.writer.OnnxValueInfo}) and encoded
 * in the protocol buffers wire format with the field numbers of {@code onnx.proto} (which
 * {@code onnx-ml.proto} shares).
 *
 * <p>Encoding is deterministic: fields are written in one fixed order, lists in the order given and
 * metadata sorted by key, so the same model always gives the same bytes (reproducible artifacts,
 * stable signatures). Only the parts of the format the platform's exporters need are covered; no
 * reading, no checking beyond what a value's constructor can see.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.amoskys.onnx.writer;
