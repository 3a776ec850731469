package com.fetchsms.webhook;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.eclipse.microprofile.config.ConfigProvider;

/**
 * A real client of {@code GET /v1/events}: the JDK HTTP client (HTTP/1.1) reading the answer line by line as it
 * arrives, on a thread of its own, parsed as the EventSource specification reads a stream. Closing it closes the
 * connection.
 */
final class SseClient implements AutoCloseable {

    /** A dispatched message, and when its blank line arrived. */
    record Message(String id, String event, String data, long arrivedNanos) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    final HttpResponse<Stream<String>> response;
    private final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> comments = new LinkedBlockingQueue<>();
    final List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Thread reader;

    private SseClient(HttpResponse<Stream<String>> response) {
        this.response = response;
        this.reader = new Thread(this::read, "sse-client");
        reader.setDaemon(true);
        if (response.statusCode() == 200) {
            reader.start();
        }
    }

    static URI uri() {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        return URI.create("http://127.0.0.1:" + port + "/v1/events");
    }

    /** Connects with {@code Authorization: Bearer token} (none when null) and, when not null, {@code Last-Event-ID}. */
    static SseClient open(String token, String lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri()).header("Accept", "text/event-stream").GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        try {
            return new SseClient(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofLines()));
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static SseClient open(String token) {
        return open(token, null);
    }

    int status() {
        return response.statusCode();
    }

    /** The answer's body when it is not a stream (an error). */
    String errorBody() {
        try (Stream<String> body = response.body()) {
            return String.join("\n", body.toList());
        }
    }

    private void read() {
        String id = null;
        String event = null;
        StringBuilder data = null;
        try (Stream<String> body = response.body()) {
            for (String line : (Iterable<String>) body::iterator) {
                lines.add(line);
                if (line.isEmpty()) {
                    if (data != null) {
                        messages.add(new Message(id, event, data.toString(), System.nanoTime()));
                    }
                    event = null;
                    data = null;
                    continue;
                }
                if (line.startsWith(":")) {
                    comments.add(line);
                    continue;
                }
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                switch (field) {
                    case "id" -> id = value;
                    case "event" -> event = value;
                    case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                    default -> {
                    }
                }
            }
        } catch (RuntimeException closed) {
            // the test closed the stream
        }
    }

    /** The next message within {@code timeout}; fails the test when none comes. */
    Message next(Duration timeout) {
        try {
            Message message = messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (message == null) {
                throw new AssertionError("No event within " + timeout + "; lines so far: " + lines);
            }
            return message;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next comment line within {@code timeout}. */
    String nextComment(Duration timeout) {
        try {
            String comment = comments.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (comment == null) {
                throw new AssertionError("No comment within " + timeout + "; lines so far: " + lines);
            }
            return comment;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        response.body().close();
        reader.interrupt();
    }
}
