package io.amoskys.bus.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Lets a call through only with a client certificate, and hands its common name (the agent id)
 * to the call. The TLS layer asks for a certificate without requiring one (so that a client
 * without one is refused here, with a reason it can read, and counted); the CA check itself is
 * in the handshake ({@link CountingTrustManager}).
 */
final class ClientCertificateInterceptor implements ServerInterceptor {
    /** The agent id certified by the caller's certificate. */
    static final Context.Key<String> CERTIFIED_AGENT = Context.key("amoskys-certified-agent");

    private final GrpcMetrics metrics;

    ClientCertificateInterceptor(GrpcMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        X509Certificate certificate = clientCertificate(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
        if (certificate == null) {
            metrics.refused(GrpcMetrics.Refusal.NO_CLIENT_CERTIFICATE);
            call.close(Status.UNAUTHENTICATED.withDescription("no client certificate"), new Metadata());
            return new ServerCall.Listener<>() {};
        }
        String agent = commonName(certificate);
        if (agent == null) {
            metrics.refused(GrpcMetrics.Refusal.NO_AGENT_NAME);
            call.close(Status.UNAUTHENTICATED.withDescription("the client certificate names no agent (no CN)"), new Metadata());
            return new ServerCall.Listener<>() {};
        }
        return Contexts.interceptCall(Context.current().withValue(CERTIFIED_AGENT, agent), call, headers, next);
    }

    private static X509Certificate clientCertificate(SSLSession session) {
        if (session == null) {
            return null;
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x509 ? x509 : null;
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }

    static String commonName(X509Certificate certificate) {
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType())) {
                    return rdn.getValue().toString();
                }
            }
            return null;
        } catch (InvalidNameException e) {
            return null;
        }
    }
}
