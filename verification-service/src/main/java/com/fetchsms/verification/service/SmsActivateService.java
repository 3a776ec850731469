package com.fetchsms.verification.service;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fetchsms.common.client.CatalogClient;
import com.fetchsms.common.client.UpstreamUnavailableException;
import com.fetchsms.common.client.WalletClient;
import com.fetchsms.common.contract.ServiceListing;
import com.fetchsms.common.error.ApiException;
import com.fetchsms.common.purchase.PurchaseRequest;
import com.fetchsms.common.security.Caller;
import com.fetchsms.common.security.KeyParameterAuthenticator;
import com.fetchsms.common.security.RateLimitFilter;
import com.fetchsms.verification.config.SmsActivateConfig;
import com.fetchsms.verification.domain.ProtocolAnswer;
import com.fetchsms.verification.domain.ProtocolDocuments;
import com.fetchsms.verification.domain.ProtocolWord;
import com.fetchsms.verification.domain.Verification;
import com.fetchsms.verification.repository.ActivationRepository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The SMS-Activate protocol over FetchSMS verifications (decision 0023): {@code api_key} is a FetchSMS API key (the
 * same account, wallet, rate-limit bucket and ledger as its REST requests), an activation is a verification named by
 * its integer {@code activation_id}, a service is named by its catalog {@code activate_code}. Every purchase, read and
 * cancel goes through {@link VerificationService}, so what this API does is what the REST API does, and shows there.
 */
@ApplicationScoped
public class SmsActivateService {

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    /** The protocol's own field names (camelCase), unlike the REST API's snake_case mapper. */
    private static final ObjectMapper PROTOCOL_JSON = new ObjectMapper();
    private static final String CURRENCY = "USD";
    private static final int ACTIVE_PAGE = 100;

    private final KeyParameterAuthenticator keys;
    private final VerificationService verifications;
    private final ActivationRepository activations;
    private final Pool pool;
    private final CatalogClient catalog;
    private final WalletClient wallet;
    private final SmsActivateConfig config;
    private final AtomicReference<CachedServices> services = new AtomicReference<>();

    private record CachedServices(List<ServiceListing> list, long readAtNanos) {
    }

    public SmsActivateService(KeyParameterAuthenticator keys, VerificationService verifications,
            ActivationRepository activations, Pool pool, CatalogClient catalog, WalletClient wallet,
            SmsActivateConfig config) {
        this.keys = keys;
        this.verifications = verifications;
        this.activations = activations;
        this.pool = pool;
        this.catalog = catalog;
        this.wallet = wallet;
        this.config = config;
    }

    /**
     * Answers one request: its parameters from the query string and, for a POST, the form body. The key is checked
     * first ({@code BAD_KEY}), then the key's rate limit (the platform's 429, as for the key's REST requests), then
     * the action ({@code BAD_ACTION}).
     */
    public Uni<ProtocolAnswer> handle(Map<String, String> params) {
        return keys.authenticate(params.get("api_key")).chain(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().item(ProtocolWord.BAD_KEY.answer());
            }
            Caller caller = found.get();
            return keys.acquire(caller).chain(decision -> decision.allowed()
                    ? act(caller, params)
                    : Uni.createFrom().failure(RateLimitFilter.refusal(decision)));
        });
    }

    private Uni<ProtocolAnswer> act(Caller caller, Map<String, String> params) {
        String action = params.getOrDefault("action", "");
        return switch (action) {
            case "getBalance" -> balance(caller);
            case "getNumber" -> number(caller, params, false);
            case "getNumberV2" -> number(caller, params, true);
            case "getStatus" -> status(caller, params.get("id"), false);
            case "getStatusV2" -> status(caller, params.get("id"), true);
            case "setStatus" -> setStatus(caller, params.get("id"), params.get("status"));
            case "getPrices" -> prices(params.get("service"), params.get("country"));
            case "getNumbersStatus" -> numbersStatus(params.get("country"));
            case "getActiveActivations" -> activeActivations(caller);
            default -> Uni.createFrom().item(ProtocolWord.BAD_ACTION.answer());
        };
    }

    private Uni<ProtocolAnswer> balance(Caller caller) {
        return wallet.balance(caller.accountId()).map(answer -> {
            if (!answer.ok()) {
                // the key names an account wallet-service no longer knows: the key is no good
                return ProtocolWord.BAD_KEY.answer();
            }
            return ProtocolAnswer.text("ACCESS_BALANCE:" + dollars(answer.body().balanceCents()).toPlainString());
        });
    }

    private Uni<ProtocolAnswer> number(Caller caller, Map<String, String> params, boolean v2) {
        return services().chain(list -> {
            Optional<ServiceListing> service = verificationService(list, params.get("service"));
            if (service.isEmpty()) {
                return Uni.createFrom().item(ProtocolWord.BAD_SERVICE.answer());
            }
            if (!soldCountry(params.get("country"))) {
                return Uni.createFrom().item(ProtocolWord.NO_NUMBERS.answer());
            }
            Integer cap = null;
            String maxPrice = params.get("maxPrice");
            if (maxPrice != null && !maxPrice.isBlank()) {
                cap = capCents(maxPrice);
                if (cap == null) {
                    return Uni.createFrom().item(wrongMaxPrice(service.get().priceCents()));
                }
            }
            PurchaseRequest request = new PurchaseRequest(Integer.toString(service.get().id()), null, null, cap);
            return verifications.create(caller, request, null)
                    .chain(created -> bought(created.purchase(), v2))
                    .onFailure(ApiException.class).recoverWithItem(failure -> refused((ApiException) failure));
        });
    }

    private Uni<ProtocolAnswer> bought(Verification v, boolean v2) {
        return activations.activationIds(pool, List.of(v.id())).map(ids -> {
            long activationId = ids.get(v.id());
            if (!v2) {
                return ProtocolAnswer.text("ACCESS_NUMBER:" + activationId + ":" + digits(v.number()));
            }
            return json(new ProtocolDocuments.NumberV2(activationId, digits(v.number()), dollars(v.costCents()),
                    CURRENCY, Integer.toString(config.country()), true, TIME.format(v.row().createdAt()),
                    TIME.format(v.row().expiresAt()), "any"));
        });
    }

    /** A purchase the REST API would refuse, in the protocol's words. */
    private static ProtocolAnswer refused(ApiException refusal) {
        return switch (refusal.status()) {
            case 402 -> ProtocolWord.NO_BALANCE.answer();
            case 404 -> ProtocolWord.BAD_SERVICE.answer();
            case 409 -> refusal.priceCents() != null
                    ? wrongMaxPrice(refusal.priceCents())
                    : ProtocolWord.NO_NUMBERS.answer();
            default -> throw refusal;
        };
    }

    private Uni<ProtocolAnswer> status(Caller caller, String id, boolean v2) {
        return activation(caller, id).chain(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().item(ProtocolWord.NO_ACTIVATION.answer());
            }
            return verifications.get(caller, found.get()).map(v -> {
                String word = statusWord(v);
                if (!v2 || word.equals("STATUS_CANCEL")) {
                    return ProtocolAnswer.text(word);
                }
                ProtocolDocuments.Sms sms = v.code() == null
                        ? null
                        : new ProtocolDocuments.Sms(TIME.format(v.receivedAt()), v.code(), null);
                return json(new ProtocolDocuments.StatusV2(0, sms, null));
            });
        });
    }

    /** {@code getStatus}'s word for a verification. */
    static String statusWord(Verification v) {
        return switch (v.status()) {
            case Verification.WAITING -> "STATUS_WAIT_CODE";
            case Verification.RECEIVED -> v.awaitingAnotherCode()
                    ? "STATUS_WAIT_RETRY:" + v.code()
                    : "STATUS_OK:" + v.code();
            default -> "STATUS_CANCEL";
        };
    }

    /**
     * {@code setStatus}: 1 (the number was given to the service) → {@code ACCESS_READY}; 3 (another code, as
     * {@code POST /v1/verifications/{id}/another-code}) → {@code ACCESS_RETRY_GET}; 6 (done) →
     * {@code ACCESS_ACTIVATION} once a code arrived; 8 (cancel) → {@code ACCESS_CANCEL}, refunded as a REST cancel;
     * anything else, or a status the activation's state does not allow, → {@code BAD_STATUS}.
     */
    private Uni<ProtocolAnswer> setStatus(Caller caller, String id, String status) {
        return activation(caller, id).chain(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().item(ProtocolWord.NO_ACTIVATION.answer());
            }
            UUID verification = found.get();
            return switch (status == null ? "" : status.trim()) {
                case "1" -> verifications.get(caller, verification).map(v -> Verification.WAITING.equals(v.status())
                        || Verification.RECEIVED.equals(v.status())
                                ? ProtocolAnswer.text("ACCESS_READY")
                                : ProtocolWord.BAD_STATUS.answer());
                case "3" -> verifications.anotherCode(caller.accountId(), verification)
                        .map(asked -> ProtocolAnswer.text("ACCESS_RETRY_GET"))
                        .onFailure(ApiException.class)
                        .recoverWithItem(failure -> conflictIsBadStatus((ApiException) failure));
                case "6" -> verifications.get(caller, verification).map(v -> Verification.RECEIVED.equals(v.status())
                        ? ProtocolAnswer.text("ACCESS_ACTIVATION")
                        : ProtocolWord.BAD_STATUS.answer());
                case "8" -> verifications.cancel(caller, verification)
                        .map(cancelled -> ProtocolAnswer.text("ACCESS_CANCEL"))
                        .onFailure(ApiException.class)
                        .recoverWithItem(failure -> conflictIsBadStatus((ApiException) failure));
                default -> Uni.createFrom().item(ProtocolWord.BAD_STATUS.answer());
            };
        });
    }

    private static ProtocolAnswer conflictIsBadStatus(ApiException refusal) {
        if (refusal.status() == 409) {
            return ProtocolWord.BAD_STATUS.answer();
        }
        throw refusal;
    }

    /** {@code getPrices}: {@code {"187": {"tg": {"cost": 0.70, "count": 12}, …}}}, filtered by service and country. */
    private Uni<ProtocolAnswer> prices(String service, String country) {
        return services().map(list -> {
            Map<String, Object> byCountry = new LinkedHashMap<>();
            if (soldCountry(country)) {
                Map<String, ProtocolDocuments.Price> byService = new LinkedHashMap<>();
                for (ServiceListing s : verificationServices(list)) {
                    if (service == null || service.isBlank() || s.activateCode().equals(service.trim())) {
                        byService.put(s.activateCode(),
                                new ProtocolDocuments.Price(dollars(s.priceCents()), s.shortAvailable()));
                    }
                }
                byCountry.put(Integer.toString(config.country()), byService);
            }
            return json(byCountry);
        });
    }

    /** {@code getNumbersStatus}: numbers in stock per service, {@code {"tg_0": "12", …}}. */
    private Uni<ProtocolAnswer> numbersStatus(String country) {
        return services().map(list -> {
            Map<String, String> counts = new LinkedHashMap<>();
            if (soldCountry(country)) {
                for (ServiceListing s : verificationServices(list)) {
                    counts.put(s.activateCode() + "_0", Long.toString(s.shortAvailable()));
                }
            }
            return json(counts);
        });
    }

    /** {@code getActiveActivations}: the verifications still waiting for their code, newest first. */
    private Uni<ProtocolAnswer> activeActivations(Caller caller) {
        return verifications.list(caller, verifications.page("active", null, Integer.toString(ACTIVE_PAGE)))
                .chain(waiting -> Uni.combine().all()
                        .unis(activations.activationIds(pool, waiting.stream().map(Verification::id).toList()),
                                services())
                        .with((ids, list) -> {
                            if (waiting.isEmpty()) {
                                return json(new ProtocolDocuments.NoActivations("error", "NO_ACTIVATIONS"));
                            }
                            Map<Integer, String> codes = new LinkedHashMap<>();
                            list.forEach(s -> codes.put(s.id(), s.activateCode()));
                            List<ProtocolDocuments.Activation> items = new ArrayList<>();
                            for (Verification v : waiting) {
                                items.add(new ProtocolDocuments.Activation(ids.get(v.id()),
                                        codes.getOrDefault(v.serviceId(), v.service()), digits(v.number()),
                                        dollars(v.costCents()), statusWord(v), v.code(), null,
                                        TIME.format(v.row().createdAt()), Integer.toString(config.country()), true,
                                        CURRENCY));
                            }
                            return json(new ProtocolDocuments.ActiveActivations("success", items));
                        }));
    }

    /** The verification an activation id names, when it is the caller's; a malformed id names none. */
    private Uni<Optional<UUID>> activation(Caller caller, String id) {
        long activationId;
        try {
            activationId = Long.parseLong(id == null ? "" : id.trim());
        } catch (NumberFormatException e) {
            return Uni.createFrom().item(Optional.empty());
        }
        return activations.find(pool, caller.accountId(), activationId);
    }

    /** catalog-service's services, reused for {@code fetchsms.sms-activate.services-cache}. */
    private Uni<List<ServiceListing>> services() {
        CachedServices cached = services.get();
        if (cached != null && System.nanoTime() - cached.readAtNanos() < config.servicesCache().toNanos()) {
            return Uni.createFrom().item(cached.list());
        }
        return catalog.services().map(answer -> {
            if (!answer.ok()) {
                throw new UpstreamUnavailableException("catalog-service answered " + answer.status()
                        + " to the list of services");
            }
            List<ServiceListing> list = List.of(answer.body());
            services.set(new CachedServices(list, System.nanoTime()));
            return list;
        });
    }

    private static List<ServiceListing> verificationServices(List<ServiceListing> list) {
        // the rental product (id 1) is not bought as an activation
        return list.stream().filter(s -> s.id() != 1 && s.activateCode() != null).toList();
    }

    private static Optional<ServiceListing> verificationService(List<ServiceListing> list, String code) {
        if (code == null || code.isBlank()) {
            return Optional.empty();
        }
        String wanted = code.trim();
        return verificationServices(list).stream().filter(s -> s.activateCode().equals(wanted)).findFirst();
    }

    /** No {@code country} is the country sold (FetchSMS sells one); an explicit other one has no numbers. */
    private boolean soldCountry(String country) {
        return country == null || country.isBlank() || country.trim().equals(Integer.toString(config.country()));
    }

    /** {@code maxPrice} in dollars as whole cents (rounded down); null when it is not a positive amount. */
    static Integer capCents(String maxPrice) {
        try {
            BigDecimal cents = new BigDecimal(maxPrice.trim()).movePointRight(2).setScale(0, RoundingMode.DOWN);
            if (cents.signum() <= 0 || cents.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
                return null;
            }
            return cents.intValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    private static ProtocolAnswer wrongMaxPrice(int priceCents) {
        return ProtocolAnswer.text(ProtocolWord.WRONG_MAX_PRICE.name() + ":" + dollars(priceCents).toPlainString());
    }

    static BigDecimal dollars(long cents) {
        return BigDecimal.valueOf(cents, 2);
    }

    /** An E.164 number as the protocol writes it: country code and number, digits only. */
    static String digits(String e164) {
        return e164 == null ? null : e164.replaceAll("\\D", "");
    }

    private static ProtocolAnswer json(Object document) {
        try {
            return ProtocolAnswer.json(PROTOCOL_JSON.writeValueAsString(document));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write " + document.getClass().getSimpleName(), e);
        }
    }
}
