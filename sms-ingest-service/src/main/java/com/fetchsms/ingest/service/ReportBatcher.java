package com.fetchsms.ingest.service;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.fetchsms.ingest.config.IngestConfig;
import com.fetchsms.ingest.domain.Gateway;
import com.fetchsms.ingest.domain.InboundSms;
import com.fetchsms.ingest.domain.IngestResult;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;

/**
 * Group commit for reports that arrive one per request (the native route and every adapter): while a gateway's
 * transactions are in flight, its next reports wait in a queue and go together, in arrival order, into the next
 * transaction ({@link IngestService#ingestAll}: the same per-report outcomes as one by one, a later report seeing what
 * an earlier one stored). A report that finds a free slot starts its transaction at once, so at low rates nothing
 * waits; under load one transaction, one lock statement and one set of writes serve many reports (decision 0013).
 *
 * <p>
 * Each report keeps the instant it arrived: a report without the gateway's own {@code received_at} is dated by it,
 * not by the start of the transaction it joined. A report whose transaction fails transiently is answered 503 like
 * the others of that transaction (the gateway sends it again).
 */
final class ReportBatcher {

    /** Ingests reports of one gateway in one transaction, with the instants they arrived: one outcome per report. */
    @FunctionalInterface
    interface Ingestion {
        Uni<List<IngestService.Outcome>> ingestAll(Gateway gateway, List<InboundSms> reports, List<Instant> arrivals);
    }

    private record Waiting(Gateway gateway, InboundSms sms, Instant arrived, UniEmitter<? super IngestResult> answer) {
    }

    private final Ingestion ingest;
    private final int maxBatch;
    private final int maxInFlight;
    private final DistributionSummary batchSizes;
    private final Map<UUID, Lane> lanes = new ConcurrentHashMap<>();

    ReportBatcher(Ingestion ingest, IngestConfig config, MeterRegistry registry) {
        this.ingest = ingest;
        this.maxBatch = Math.max(1, config.grouping().maxReports());
        this.maxInFlight = Math.max(1, config.grouping().maxInFlight());
        this.batchSizes = DistributionSummary.builder("fetchsms_ingest_group_reports")
                .description("Reports of single-report requests ingested together in one transaction")
                .serviceLevelObjectives(1, 2, 5, 10, 20, 50, 100).register(registry);
        Gauge.builder("fetchsms_ingest_group_waiting_reports", lanes, ReportBatcher::waiting)
                .description("Single reports waiting for one of their gateway's transactions").register(registry);
    }

    /** Ingests one validated report of {@code gateway}, alone or with the gateway's other waiting reports. */
    Uni<IngestResult> submit(Gateway gateway, InboundSms sms) {
        Instant arrived = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return Uni.createFrom().emitter(answer -> {
            Lane lane = lanes.computeIfAbsent(gateway.id(), id -> new Lane());
            lane.add(new Waiting(gateway, sms, arrived, answer));
            lane.pump();
        });
    }

    private static double waiting(Map<UUID, Lane> lanes) {
        int waiting = 0;
        for (Lane lane : lanes.values()) {
            waiting += lane.waiting();
        }
        return waiting;
    }

    /** One gateway's queue and the number of its transactions in flight. */
    private final class Lane {

        private final ArrayDeque<Waiting> queue = new ArrayDeque<>();
        private int inFlight;

        synchronized int waiting() {
            return queue.size();
        }

        synchronized void add(Waiting waiting) {
            queue.add(waiting);
        }

        void pump() {
            List<Waiting> group;
            synchronized (this) {
                if (inFlight >= maxInFlight || queue.isEmpty()) {
                    return;
                }
                group = new ArrayList<>(Math.min(queue.size(), maxBatch));
                while (!queue.isEmpty() && group.size() < maxBatch) {
                    group.add(queue.poll());
                }
                inFlight++;
            }
            batchSizes.record(group.size());
            List<InboundSms> reports = new ArrayList<>(group.size());
            List<Instant> arrivals = new ArrayList<>(group.size());
            for (Waiting waiting : group) {
                reports.add(waiting.sms());
                arrivals.add(waiting.arrived());
            }
            // the gateway as its latest report saw it (all of the group are the same gateway)
            Gateway gateway = group.get(group.size() - 1).gateway();
            ingest.ingestAll(gateway, reports, arrivals).subscribe().with(outcomes -> {
                done();
                for (int i = 0; i < group.size(); i++) {
                    IngestService.Outcome outcome = outcomes.get(i);
                    if (outcome.failure() != null) {
                        group.get(i).answer().fail(outcome.failure());
                    } else {
                        group.get(i).answer().complete(outcome.result());
                    }
                }
            }, failure -> {
                done();
                group.forEach(waiting -> waiting.answer().fail(failure));
            });
        }

        private void done() {
            synchronized (this) {
                inFlight--;
            }
            pump();
        }
    }
}
