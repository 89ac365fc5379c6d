package io.amoskys.bus.grpc;

import io.amoskys.schema.v1.Ack;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.lite.ProtoLiteUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code amoskys.v1.Ingest/Publish} written by hand: the schema bundle generates messages only.
 * Envelopes travel as raw bytes because the bus verifies the signature over the exact bytes
 * sent; parsing and re-serialising them here could change what was signed.
 */
public final class PublishMethod {
    public static final String SERVICE = "amoskys.v1.Ingest";

    public static final MethodDescriptor<byte[], Ack> DESCRIPTOR = MethodDescriptor.<byte[], Ack>newBuilder()
            .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
            .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Publish"))
            .setRequestMarshaller(new RawBytes())
            .setResponseMarshaller(ProtoLiteUtils.marshaller(Ack.getDefaultInstance()))
            .build();

    private PublishMethod() {}

    /** Passes message bytes through untouched. */
    static final class RawBytes implements MethodDescriptor.Marshaller<byte[]> {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try (stream) {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
