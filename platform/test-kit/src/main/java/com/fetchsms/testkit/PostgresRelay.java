package com.fetchsms.testkit;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

/**
 * A TCP relay in front of the local PostgreSQL server (Vert.x sockets piped both ways), so a test can take the
 * database away from the application as an outage or a network partition would: {@link #cut()} closes every
 * connection through it and refuses new ones (connection refused), {@link #restore()} accepts them again on the same
 * port. Point the application's datasource at {@link #jdbcUrl}/{@link #reactiveUrl} of its {@link PostgresDatabase}.
 */
public final class PostgresRelay implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx();
    private final NetClient upstream = vertx.createNetClient();
    private final Set<NetSocket> open = ConcurrentHashMap.newKeySet();
    private volatile NetServer server;
    private final int port;

    private PostgresRelay() {
        server = listen(0);
        port = server.actualPort();
    }

    /** A relay on a free port of 127.0.0.1 to {@code PGHOST:PGPORT}. */
    public static PostgresRelay start() {
        return new PostgresRelay();
    }

    public String jdbcUrl(PostgresDatabase database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database.name();
    }

    public String reactiveUrl(PostgresDatabase database) {
        return "postgresql://127.0.0.1:" + port + "/" + database.name();
    }

    /** Closes every connection through the relay and refuses new ones until {@link #restore()}. */
    public synchronized void cut() {
        if (server != null) {
            await(server.close());
            server = null;
        }
        open.forEach(NetSocket::close);
        open.clear();
    }

    /** Accepts connections again, on the same port. */
    public synchronized void restore() {
        if (server == null) {
            server = listen(port);
        }
    }

    @Override
    public void close() {
        cut();
        await(vertx.close());
    }

    private NetServer listen(int onPort) {
        NetServer listening = vertx.createNetServer().connectHandler(client -> {
            client.pause();
            upstream.connect(Integer.parseInt(PostgresDatabase.port()), PostgresDatabase.host())
                    .onSuccess(database -> {
                        open.add(client);
                        open.add(database);
                        client.closeHandler(ignored -> open.remove(client));
                        database.closeHandler(ignored -> open.remove(database));
                        client.pipeTo(database);
                        database.pipeTo(client);
                        client.resume();
                    })
                    .onFailure(failure -> client.close());
        });
        return await(listening.listen(onPort, "127.0.0.1"));
    }

    private static <T> T await(io.vertx.core.Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("The PostgreSQL relay could not " + e.getMessage(), e);
        }
    }
}
