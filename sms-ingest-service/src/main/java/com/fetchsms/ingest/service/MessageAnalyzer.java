package com.fetchsms.ingest.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fetchsms.ingest.config.IngestConfig;
import com.fetchsms.ingest.domain.CodeExtractor;
import com.fetchsms.ingest.domain.ServiceDetector;
import com.fetchsms.ingest.domain.ServiceRule;
import com.fetchsms.ingest.domain.ServiceRules;

/**
 * Detects which catalog service an SMS is for and extracts its code. The detection rules are data: the built-in
 * {@code detection/services.json}, or the file named by {@code fetchsms.ingest.rules-file}, read once at start.
 */
@ApplicationScoped
public class MessageAnalyzer {

    private static final Logger LOG = Logger.getLogger(MessageAnalyzer.class);

    /** The outcome: the service's slug and name ({@code null} when none), the code ({@code null} when none). */
    public record Analysis(String service, String serviceName, String code) {
    }

    private final ServiceDetector detector;

    public MessageAnalyzer(IngestConfig config) {
        List<ServiceRule> rules = config.rulesFile().map(MessageAnalyzer::load).orElseGet(ServiceRules::defaults);
        LOG.infof("Service detection: %d services%s", rules.size(),
                config.rulesFile().map(file -> " from " + file).orElse(""));
        this.detector = new ServiceDetector(rules);
    }

    public Analysis analyze(String sender, String body) {
        Optional<ServiceRule> service = detector.detect(sender, body);
        String code = CodeExtractor.extract(body).orElse(null);
        return new Analysis(service.map(ServiceRule::slug).orElse(null), service.map(ServiceRule::name).orElse(null),
                code);
    }

    private static List<ServiceRule> load(String file) {
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            return ServiceRules.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read fetchsms.ingest.rules-file " + file, e);
        }
    }
}
