package io.amoskys.bus.grpc;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CA-based trust manager, counting the client certificates it refuses: those handshakes fail
 * before gRPC sees a call, so this is the only place they can be counted.
 */
final class CountingTrustManager extends X509ExtendedTrustManager {
    private static final Logger LOG = LoggerFactory.getLogger(CountingTrustManager.class);

    private final X509ExtendedTrustManager delegate;
    private final GrpcMetrics metrics;

    CountingTrustManager(X509ExtendedTrustManager delegate, GrpcMetrics metrics) {
        this.delegate = delegate;
        this.metrics = metrics;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        try {
            delegate.checkClientTrusted(chain, authType, engine);
        } catch (CertificateException e) {
            throw refused(chain, e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        try {
            delegate.checkClientTrusted(chain, authType, socket);
        } catch (CertificateException e) {
            throw refused(chain, e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        try {
            delegate.checkClientTrusted(chain, authType);
        } catch (CertificateException e) {
            throw refused(chain, e);
        }
    }

    private CertificateException refused(X509Certificate[] chain, CertificateException e) {
        metrics.refused(GrpcMetrics.Refusal.UNTRUSTED_CLIENT_CERTIFICATE);
        String subject = chain == null || chain.length == 0 ? "(empty chain)" : chain[0].getSubjectX500Principal().getName();
        LOG.info("Refused a gRPC client whose certificate {} is not signed by the AMOSKYS CA: {}", subject, e.getMessage());
        return e;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        delegate.checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        delegate.checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate.checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return delegate.getAcceptedIssuers();
    }
}
