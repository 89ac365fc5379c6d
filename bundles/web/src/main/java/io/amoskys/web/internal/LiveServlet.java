package io.amoskys.web.internal;

import io.amoskys.api.admin.BusTraffic;
import io.amoskys.api.admin.PlatformStatus;
import io.amoskys.api.alert.AlertStore;
import io.amoskys.http.auth.BrowserSessions;
import io.amoskys.http.auth.HttpBasicGate;
import io.amoskys.http.auth.JsonReply;
import io.amoskys.http.auth.Roles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.servlet.AsyncContext;
import javax.servlet.Servlet;
import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.apache.camel.util.json.Jsoner;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /amoskys/api/v1/live}: Server-Sent Events, one {@code status} event a second with
 * {@link Snapshot#live()} to every open page. The snapshot is made once per tick whatever the
 * number of pages; at most {@value #MAX_CLIENTS} streams are open, {@value #MAX_PER_USER} per user
 * (so one user cannot take them all). A stream of a browser session ends with the session (the
 * page then asks for a login), and any stream ends when its user's account changes (removed, a new
 * password, other roles).
 *
 * <p>Writes are non-blocking (a {@link WriteListener} per page): the ticker hands each page the
 * newest event and goes on, so a page that stops reading (a laptop put to sleep, a stalled link)
 * holds up nobody else. What such a page has not taken is replaced by each newer event, not queued:
 * it holds at most one event in memory, and gets the newest status once it reads again, or ends
 * when Jetty's idle timeout fails the write that waits.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/amoskys/api/v1/live")
@HttpWhiteboardServletName("amoskys-api-v1-live")
@HttpWhiteboardServletAsyncSupported
public class LiveServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final int MAX_CLIENTS = 64;
    static final int MAX_PER_USER = 8;
    private static final Logger LOG = LoggerFactory.getLogger(LiveServlet.class);

    /**
     * One open page: its async response, its user and browser session (null for HTTP Basic), and
     * the event waiting for the connection to take it. Its writes run on the ticker or on Jetty's
     * thread that says the connection can take more, one at a time (the lock).
     */
    private final class Client implements WriteListener {
        final AsyncContext context;
        final String user;
        final String sessionId;
        /** For a stream opened with HTTP Basic: the user's account at the login, checked at every tick. */
        final String account;
        private final ServletOutputStream out;
        /** The newest event not written yet; an older one it replaced was never needed. */
        private byte[] waiting;
        /** Written but maybe still in Jetty's buffer. */
        private boolean unflushed;
        /** Whether the write listener is set: before it, a write could block. */
        private boolean listening;
        /** Ended: its response is complete, and Jetty may hand its output to the connection's next request. */
        private boolean ended;

        Client(AsyncContext context, String user, String sessionId, String account) throws IOException {
            this.context = context;
            this.user = user;
            this.sessionId = sessionId;
            this.account = account;
            this.out = context.getResponse().getOutputStream();
        }

        /** From now on, writes do not block: Jetty says when the connection can take more. */
        synchronized void listen() {
            if (ended) {
                return;
            }
            listening = true;
            out.setWriteListener(this); // Jetty then calls onWritePossible
        }

        /** Makes {@code text} the next event to write, and writes what the connection takes now. */
        synchronized void offer(String text) {
            waiting = text.getBytes(StandardCharsets.UTF_8);
            if (listening && !ended) {
                write();
            }
        }

        @Override
        public synchronized void onWritePossible() {
            write();
        }

        synchronized void markEnded() {
            ended = true;
        }

        @Override
        public void onError(Throwable t) {
            end(this); // the page went away, or did not read for Jetty's idle timeout
        }

        /** Writes and flushes while the connection is ready; when it is not, Jetty calls onWritePossible later. */
        private void write() {
            try {
                while (!ended && out.isReady()) {
                    if (waiting != null) {
                        byte[] next = waiting;
                        waiting = null;
                        out.write(next);
                        unflushed = true;
                    } else if (unflushed) {
                        unflushed = false;
                        out.flush();
                    } else {
                        return;
                    }
                }
            } catch (IOException | IllegalStateException e) {
                end(this);
            }
        }
    }

    private final transient HttpBasicGate gate;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private transient volatile BusTraffic traffic;
    private final transient Snapshot snapshot;
    private final transient Set<Client> clients = ConcurrentHashMap.newKeySet();
    private final transient ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "amoskys-web-live");
        t.setDaemon(true);
        return t;
    });

    @Activate
    public LiveServlet(@Reference HttpBasicGate gate, @Reference PlatformStatus platform, @Reference AlertStore alerts) {
        this.gate = gate;
        this.snapshot = new Snapshot(platform, alerts, () -> traffic);
        ticker.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() {
        ticker.shutdownNow();
        List.copyOf(clients).forEach(this::end);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        var user = gate.admit(request, response, Roles.READERS);
        if (user.isEmpty()) {
            return;
        }
        String name = user.get().name();
        String sessionId = gate.session(request).map(BrowserSessions.Session::id).orElse(null);
        response.setStatus(200);
        response.setContentType("text/event-stream; charset=utf-8");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Accel-Buffering", "no");
        AsyncContext context = request.startAsync();
        context.setTimeout(0); // the stream lasts as long as the page; a gone page fails the next write
        Client client = new Client(context, name, sessionId, sessionId == null ? gate.accountAtLogin(name) : null);
        String full = admit(client);
        if (full != null) {
            JsonReply.error(response, 503, full);
            context.complete();
            return;
        }
        client.listen();
        ticker.execute(() -> client.offer("retry: 3000\n\n" + event(Jsoner.serialize(snapshot.live()))));
    }

    /**
     * Adds the page, or says why it cannot open now: the limits are checked and the page counted
     * under one lock, so that requests sent at once cannot all pass the check before any is counted.
     */
    private String admit(Client client) {
        synchronized (clients) {
            if (clients.size() >= MAX_CLIENTS) {
                return "already " + MAX_CLIENTS + " live pages open: close one, or reload later";
            }
            if (clients.stream().filter(c -> c.user.equals(client.user)).count() >= MAX_PER_USER) {
                return client.user + " has " + MAX_PER_USER + " live pages open already: close one";
            }
            clients.add(client);
            return null;
        }
    }

    private void tick() {
        if (clients.isEmpty()) {
            return;
        }
        String event;
        try {
            event = event(Jsoner.serialize(snapshot.live()));
        } catch (RuntimeException e) {
            LOG.warn("The dashboard's live status could not be made: {}", e.toString());
            return;
        }
        for (Client client : clients) {
            try {
                boolean ended = client.sessionId != null ? gate.stillOpen(client.sessionId).isEmpty()
                        : !gate.accountUnchanged(client.user, client.account);
                if (ended) {
                    end(client); // logged out, expired or the account changed: the page reconnects and is told to log in
                } else {
                    client.offer(event);
                }
            } catch (RuntimeException e) {
                // One page's trouble ends that page: an exception out of tick() would stop every update.
                LOG.warn("A live page of {} failed and was closed: {}", client.user, e.toString());
                end(client);
            }
        }
    }

    private static String event(String json) {
        return "event: status\ndata: " + json + "\n\n";
    }

    private void end(Client client) {
        client.markEnded(); // before the response completes: nothing is written to it after
        boolean removed;
        synchronized (clients) {
            removed = clients.remove(client);
        }
        if (removed) {
            try {
                client.context.complete();
            } catch (IllegalStateException e) {
                // already completed by the container
            }
        }
    }
}
