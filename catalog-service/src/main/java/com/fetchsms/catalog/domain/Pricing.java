package com.fetchsms.catalog.domain;

import com.fetchsms.common.contract.PurchaseMode;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The price rules.
 *
 * <ul>
 * <li>Short-term: the service's {@code price_cents}, plus the area-code surcharge when one is chosen.</li>
 * <li>Long-term: the term's total from the long-term table, plus the surcharge. {@code per_day_cents} =
 * total ÷ days and {@code discount_pct} = 100 × (1 − total ÷ (days × base daily rate)), both rounded half up to a
 * whole number (30 days: 1200 ÷ 30 = 40; 1 − 1200 ÷ 9000 = 86.67 % → 87). The surcharge is not part of either: it is
 * a flat add-on per purchase.</li>
 * </ul>
 */
public final class Pricing {

    private Pricing() {
    }

    public static Quote shortTerm(CatalogEntry service, int surchargeCents) {
        return new Quote(service.slug(), PurchaseMode.SHORT.code(), null, service.priceCents(), 0, null, surchargeCents,
                service.priceCents() + surchargeCents);
    }

    public static Quote longTerm(CatalogEntry product, int days, int termCents, int surchargeCents) {
        int perDay = divideHalfUp(termCents, days);
        int listPrice = days * product.priceCents();
        int discount = listPrice <= termCents
                ? 0
                : BigDecimal.valueOf(listPrice - termCents).multiply(BigDecimal.valueOf(100))
                        .divide(BigDecimal.valueOf(listPrice), 0, RoundingMode.HALF_UP).intValueExact();
        return new Quote(product.slug(), PurchaseMode.LONG.code(), days, product.priceCents(), discount, perDay,
                surchargeCents, termCents + surchargeCents);
    }

    static int divideHalfUp(int dividend, int divisor) {
        return BigDecimal.valueOf(dividend).divide(BigDecimal.valueOf(divisor), 0, RoundingMode.HALF_UP)
                .intValueExact();
    }
}
