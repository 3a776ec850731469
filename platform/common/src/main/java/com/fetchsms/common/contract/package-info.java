/**
 * The bodies of the platform's internal calls, written once and read by both sides: the service that answers a route
 * deserialises the request and serialises the answer with these records, and the caller (fetchsms-common's clients)
 * sends and reads the same records. Nothing crosses a service boundary as an untyped JSON object. JSON names are the
 * platform's snake_case (decision 0007).
 */
package com.fetchsms.common.contract;
