package com.fetchsms.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class ReservationConcurrencyTest {

    @Inject
    Pool pool;

    @Test
    void fiftyParallelVerificationsOnTenNumbersGiveExactlyTenNumbersOnceEach() throws Exception {
        String area = TestInventory.freshAreaCode();
        TestInventory.addNumbers(area, 10);
        List<Integer> statuses = race(50, () -> TestInventory.reserve(UUID.randomUUID(), 2, "short", null, area));

        assertEquals(10, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
        assertEquals(40, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
        assertEquals(10L, count("""
                SELECT count(DISTINCT r.number) FROM reservation r JOIN phone_number n USING (number)
                WHERE n.area_code = $1 AND r.status = 'active' AND r.service_id = 2""", area));
        assertEquals(10L, count("""
                SELECT count(*) FROM reservation r JOIN phone_number n USING (number)
                WHERE n.area_code = $1 AND r.status = 'active'""", area));
    }

    @Test
    void fiftyParallelRentalsOnTenPristineNumbersGiveEachNumberToOneRental() throws Exception {
        String area = TestInventory.freshAreaCode();
        TestInventory.addNumbers(area, 10);
        List<Integer> statuses = race(50, () -> TestInventory.reserve(UUID.randomUUID(), 1, "long", 30, area));

        assertEquals(10, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
        assertEquals(40, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
        assertEquals(10L, count("SELECT count(*) FROM phone_number WHERE area_code = $1 AND state = 'rented'", area));
        assertEquals(10L, count("""
                SELECT count(DISTINCT r.number) FROM reservation r JOIN phone_number n USING (number)
                WHERE n.area_code = $1 AND r.status = 'active' AND r.mode = 'long'""", area));
    }

    @Test
    void rentalsAndVerificationsRacingForTheSameNumbersNeverShareOne() throws Exception {
        String area = TestInventory.freshAreaCode();
        TestInventory.addNumbers(area, 5);
        List<Callable<Response>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(i % 2 == 0
                    ? () -> TestInventory.reserve(UUID.randomUUID(), 1, "long", 7, area)
                    : () -> TestInventory.reserve(UUID.randomUUID(), 4, "short", null, area));
        }
        List<Integer> statuses = raceAll(calls);
        assertEquals(20, statuses.stream().filter(s -> s == 201 || s == 409).count(), statuses.toString());
        // no rented number carries any other active reservation
        assertEquals(0L, count("""
                SELECT count(*) FROM reservation r JOIN phone_number n USING (number)
                WHERE n.area_code = $1 AND n.state = 'rented' AND r.status = 'active' AND r.mode = 'short'""", area));
        assertEquals(0L, count("""
                SELECT count(*) FROM (SELECT number FROM reservation r JOIN phone_number n USING (number)
                                      WHERE n.area_code = $1 AND r.status = 'active' AND r.mode = 'long'
                                      GROUP BY number HAVING count(*) > 1) twice""", area));
    }

    private static List<Integer> race(int calls, Callable<Response> call) throws Exception {
        List<Callable<Response>> all = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            all.add(call);
        }
        return raceAll(all);
    }

    private static List<Integer> raceAll(List<Callable<Response>> calls) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(calls.size());
        try {
            List<Future<Response>> futures = executor.invokeAll(calls);
            List<Integer> statuses = new ArrayList<>();
            for (Future<Response> future : futures) {
                statuses.add(future.get().statusCode());
            }
            return statuses;
        } finally {
            executor.shutdownNow();
        }
    }

    private long count(String sql, Object arg) {
        return pool.preparedQuery(sql).execute(Tuple.of(arg)).await().indefinitely().iterator().next().getLong(0);
    }
}
