package com.fetchsms.ingest.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.runtime.Startup;

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
@Startup
public class MessageAnalyzer {

    private static final Logger LOG = Logger.getLogger(MessageAnalyzer.class);

    /** The outcome: the service's slug and name ({@code null} when none), the code ({@code null} when none). */
    public record Analysis(String service, String serviceName, String code) {
    }

    private final ServiceDetector detector;
    private final Map<String, String> names = new HashMap<>();

    public MessageAnalyzer(IngestConfig config) {
        List<ServiceRule> rules = config.rulesFile().map(MessageAnalyzer::load).orElseGet(ServiceRules::defaults);
        LOG.infof("Service detection: %d services%s", rules.size(),
                config.rulesFile().map(file -> " from " + file).orElse(""));
        this.detector = new ServiceDetector(rules);
        rules.forEach(rule -> names.putIfAbsent(rule.slug(), rule.name()));
    }

    /** The display name of the service with this slug ({@code null} for {@code null} or a slug of no rule). */
    public String serviceName(String slug) {
        return slug == null ? null : names.get(slug);
    }

    /**
     * Only the start of a long text is analysed: a code sits in the first part of a concatenated SMS, and the
     * extractor's cost grows faster than linearly with the length (this runs on the event loop).
     */
    static final int ANALYSED_CHARACTERS = 1600;

    public Analysis analyze(String sender, String body) {
        String text = body.length() > ANALYSED_CHARACTERS ? body.substring(0, ANALYSED_CHARACTERS) : body;
        Optional<ServiceRule> service = detector.detect(sender, text);
        String code;
        try {
            code = CodeExtractor.extract(text).orElse(null);
        } catch (StackOverflowError e) {
            LOG.warnf("Code extraction gave up on a pathological %d-character text from %s", text.length(), sender);
            code = null;
        }
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
