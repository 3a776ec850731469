package com.fetchsms.dashboard.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import com.fetchsms.dashboard.client.PublicApi;
import com.fetchsms.dashboard.domain.Quote;
import com.fetchsms.dashboard.domain.ServiceListing;

import io.smallrye.mutiny.Uni;

/**
 * The price of choosing an area code, as the catalog quotes it ({@code GET /v1/services/quote} with
 * {@code custom_area_code=true}), so a form never shows a surcharge the API no longer charges.
 */
@ApplicationScoped
public class Surcharges {

    private static final Logger LOG = Logger.getLogger(Surcharges.class);

    @Inject
    @RestClient
    PublicApi api;

    /**
     * The area-code surcharge of {@code service} in cents: a verification's ({@code days} null) or a rental's for that
     * term. Null when there is no such service, or the catalog could not quote it: the form then names no amount.
     */
    public Uni<Integer> areaCode(ServiceListing service, Integer days) {
        if (service == null) {
            return Uni.createFrom().nullItem();
        }
        return api.quote(service.slug(), days == null ? "short" : "long", days, true).map(Quote::surchargeCents)
                .onFailure().recoverWithItem(failure -> {
                    LOG.debugf("No area-code surcharge for %s: %s", service.slug(), failure.getMessage());
                    return null;
                });
    }
}
