package com.fetchsms.wallet;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import io.restassured.response.Response;

/** Requests raced against each other: every caller on its own thread, all released at once. */
final class Concurrently {

    private Concurrently() {
    }

    /** The answers of {@code callers} simultaneous {@code call}s, in the order they were started. */
    static List<Response> call(int callers, Supplier<Response> call) throws InterruptedException, ExecutionException {
        ExecutorService threads = Executors.newFixedThreadPool(callers);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<CompletableFuture<Response>> calls = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                calls.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return call.get();
                }, threads));
            }
            go.countDown();
            List<Response> answers = new ArrayList<>();
            for (CompletableFuture<Response> started : calls) {
                answers.add(started.get());
            }
            return answers;
        } finally {
            threads.shutdownNow();
        }
    }
}
