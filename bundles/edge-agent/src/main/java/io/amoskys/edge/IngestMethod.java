package io.amoskys.edge;

import io.amoskys.schema.v1.Ack;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.lite.ProtoLiteUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The client side of {@code amoskys.v1.Ingest/Publish}. Envelopes go out as the exact bytes that
 * were signed and spooled; acks come back as messages.
 */
final class IngestMethod {
    static final MethodDescriptor<byte[], Ack> PUBLISH = MethodDescriptor.<byte[], Ack>newBuilder()
            .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
            .setFullMethodName(MethodDescriptor.generateFullMethodName("amoskys.v1.Ingest", "Publish"))
            .setRequestMarshaller(new MethodDescriptor.Marshaller<>() {
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
            })
            .setResponseMarshaller(ProtoLiteUtils.marshaller(Ack.getDefaultInstance()))
            .build();

    private IngestMethod() {}
}
