package com.fetchsms.ingest.domain;

/**
 * Where one part of a concatenated (multipart) SMS belongs, from its User Data Header.
 *
 * <p>
 * A long SMS is split by the sender into parts that share a {@code reference}; the receiver collects {@code total}
 * parts with the same sender and reference and joins their user data in {@code part} order before decoding
 * ({@link SmsText}). Parts with an 8-bit reference (IEI {@code 0x00}) carry 0–255, parts with a 16-bit reference (IEI
 * {@code 0x08}) 0–65535; the numbers are only unique per sender and recent time window.
 *
 * @param reference
 *            the concatenated message's reference number, shared by all its parts
 * @param total
 *            how many parts the message has, at least 1
 * @param part
 *            this part's 1-based sequence number, 1 ≤ part ≤ total
 */
public record Concatenation(int reference, int total, int part) {

    /**
     * @throws IllegalArgumentException
     *             if the numbers cannot describe a part ({@code total < 1}, {@code part} outside 1–{@code total}, or a
     *             negative {@code reference})
     */
    public Concatenation {
        if (reference < 0 || reference > 0xFFFF) {
            throw new IllegalArgumentException("reference must be 0-65535, was " + reference);
        }
        if (total < 1 || total > 0xFF) {
            throw new IllegalArgumentException("total must be 1-255, was " + total);
        }
        if (part < 1 || part > total) {
            throw new IllegalArgumentException("part must be 1-" + total + ", was " + part);
        }
    }

    /** @return whether this is the final part ({@code part == total}) */
    public boolean isLast() {
        return part == total;
    }
}
