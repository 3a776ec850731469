package com.fetchsms.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A minimal HTTP/1.1 client over a plain socket, for requests that well-behaved clients refuse to send: raw request
 * targets (undecoded, with dot segments or encoded separators), header values with CR, LF or NUL, repeated headers,
 * bodies whose framing disagrees with their headers. Each worker thread keeps one keep-alive connection; a request
 * marked {@code fresh} gets its own connection and closes it.
 */
final class RawHttp {

    /** One header line as sent: name and value are written as they are, without any check. */
    record Header(String name, String value) {
    }

    /**
     * What came back: a status (0 when the connection closed without a status line), the headers (names in lower
     * case) and the body.
     */
    record Answer(int status, List<Header> headers, byte[] body, String transportError) {

        String header(String name) {
            for (Header header : headers) {
                if (header.name().equalsIgnoreCase(name)) {
                    return header.value();
                }
            }
            return null;
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final String host;
    private final int port;
    private final int timeoutMillis;
    private final ThreadLocal<Socket> connections = new ThreadLocal<>();
    private final List<Socket> all = new ArrayList<>();

    RawHttp(String host, int port, int timeoutMillis) {
        this.host = host;
        this.port = port;
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * Sends {@code head} (request line and headers, without the blank line that ends them: it is added here) and
     * {@code body}; {@code fresh}: on a connection of its own, closed afterwards.
     */
    Answer send(String method, byte[] head, byte[] body, boolean fresh) {
        byte[] request = concat(head, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), body);
        boolean headOnly = method.equals("HEAD");
        if (fresh) {
            try (Socket socket = open()) {
                return exchange(socket, request, headOnly);
            } catch (IOException e) {
                return new Answer(0, List.of(), new byte[0], e.toString());
            }
        }
        Socket socket = connections.get();
        boolean reused = socket != null;
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                if (socket == null) {
                    socket = open();
                    connections.set(socket);
                }
                Answer answer = exchange(socket, request, headOnly);
                if (answer.status() == 0 && reused && attempt == 0 && answer.transportError().startsWith("EOF")) {
                    // The server had closed the idle connection: send again on a new one.
                    closeQuietly(socket);
                    socket = null;
                    reused = false;
                    continue;
                }
                String connection = answer.header("connection");
                if (answer.status() == 0 || connection != null && connection.equalsIgnoreCase("close")) {
                    closeQuietly(socket);
                    connections.remove();
                }
                return answer;
            } catch (IOException e) {
                closeQuietly(socket);
                connections.remove();
                if (reused && attempt == 0) {
                    socket = null;
                    reused = false;
                    continue;
                }
                return new Answer(0, List.of(), new byte[0], e.toString());
            }
        }
        throw new IllegalStateException("unreachable");
    }

    private Socket open() throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(timeoutMillis);
        socket.connect(new InetSocketAddress(host, port), timeoutMillis);
        synchronized (all) {
            all.add(socket);
        }
        return socket;
    }

    private static Answer exchange(Socket socket, byte[] request, boolean headOnly) throws IOException {
        OutputStream out = socket.getOutputStream();
        try {
            out.write(request);
            out.flush();
        } catch (IOException e) {
            // The server may have answered and closed before reading the whole body (413): read what it said.
        }
        InputStream in = socket.getInputStream();
        try {
            while (true) {
                String statusLine = line(in);
                if (statusLine == null) {
                    return new Answer(0, List.of(), new byte[0], "EOF before a status line");
                }
                String[] parts = statusLine.split(" ", 3);
                int status = Integer.parseInt(parts[1]);
                List<Header> headers = new ArrayList<>();
                String line;
                while ((line = line(in)) != null && !line.isEmpty()) {
                    int colon = line.indexOf(':');
                    headers.add(new Header(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            line.substring(colon + 1).trim()));
                }
                if (status >= 100 && status < 200) {
                    continue;
                }
                Answer head = new Answer(status, headers, new byte[0], null);
                if (headOnly || status == 204 || status == 304) {
                    return head;
                }
                String encoding = head.header("transfer-encoding");
                String length = head.header("content-length");
                byte[] body;
                if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
                    body = chunked(in);
                } else if (length != null) {
                    body = in.readNBytes(Integer.parseInt(length));
                } else {
                    body = in.readAllBytes();
                    headers.add(new Header("connection", "close"));
                }
                return new Answer(status, headers, body, null);
            }
        } catch (SocketTimeoutException e) {
            return new Answer(0, List.of(), new byte[0], "no answer within the timeout");
        } catch (IOException e) {
            return new Answer(0, List.of(), new byte[0], "EOF or reset: " + e);
        } catch (RuntimeException e) {
            return new Answer(0, List.of(), new byte[0], "unreadable answer: " + e);
        }
    }

    private static byte[] chunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line(in);
            if (size == null) {
                throw new IOException("EOF in a chunked body");
            }
            int semicolon = size.indexOf(';');
            int length = Integer.parseInt((semicolon >= 0 ? size.substring(0, semicolon) : size).trim(), 16);
            if (length == 0) {
                String trailer;
                while ((trailer = line(in)) != null && !trailer.isEmpty()) {
                    // trailers are ignored
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(length));
            line(in);
        }
    }

    /** A line without its CRLF, ISO-8859-1; null at EOF before any byte. */
    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        boolean any = false;
        while ((b = in.read()) >= 0) {
            any = true;
            if (b == '\n') {
                int end = line.length();
                if (end > 0 && line.charAt(end - 1) == '\r') {
                    line.setLength(end - 1);
                }
                return line.toString();
            }
            line.append((char) b);
        }
        return any ? line.toString() : null;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static void closeQuietly(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    /** Closes every connection the workers kept. */
    void close() {
        synchronized (all) {
            all.forEach(RawHttp::closeQuietly);
            all.clear();
        }
    }
}
