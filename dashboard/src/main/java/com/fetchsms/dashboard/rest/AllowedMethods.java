package com.fetchsms.dashboard.rest;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;

/**
 * Which methods the dashboard answers at an address, for the {@code Allow} header of a 405: read once from its
 * resources' {@code @Path} and method annotations (the REST layer refuses the method without saying what is allowed).
 */
@ApplicationScoped
public class AllowedMethods {

    private record Route(Pattern path, String method) {
    }

    @Inject
    BeanManager beans;

    private volatile List<Route> routes;

    /** The methods answered at {@code path} (relative to {@code /app}, e.g. {@code /wallet/deposits}), sorted. */
    public Set<String> at(String path) {
        String normal = "/" + strip(path);
        Set<String> allowed = new TreeSet<>();
        for (Route route : routes()) {
            if (route.path().matcher(normal).matches()) {
                allowed.add(route.method());
                if (route.method().equals("GET")) {
                    allowed.add("HEAD");
                }
            }
        }
        return allowed;
    }

    private List<Route> routes() {
        List<Route> known = routes;
        if (known == null) {
            List<Route> found = new ArrayList<>();
            beans.getBeans(Object.class, Any.Literal.INSTANCE).stream().map(bean -> bean.getBeanClass())
                    .filter(type -> type.isAnnotationPresent(Path.class)).distinct()
                    .forEach(resource -> found.addAll(routesOf(resource)));
            known = routes = List.copyOf(found);
        }
        return known;
    }

    private static List<Route> routesOf(Class<?> resource) {
        List<Route> found = new ArrayList<>();
        String base = strip(resource.getAnnotation(Path.class).value());
        for (Method method : resource.getDeclaredMethods()) {
            String verb = verb(method);
            if (verb == null) {
                continue;
            }
            Path sub = method.getAnnotation(Path.class);
            String path = "/" + base + (sub == null || strip(sub.value()).isEmpty() ? "" : "/" + strip(sub.value()));
            found.add(new Route(Pattern.compile(template(path.replace("//", "/"))), verb));
        }
        return found;
    }

    private static String verb(Method method) {
        if (method.isAnnotationPresent(GET.class)) {
            return "GET";
        }
        if (method.isAnnotationPresent(POST.class)) {
            return "POST";
        }
        if (method.isAnnotationPresent(PUT.class)) {
            return "PUT";
        }
        if (method.isAnnotationPresent(DELETE.class)) {
            return "DELETE";
        }
        return method.isAnnotationPresent(HEAD.class) ? "HEAD" : null;
    }

    /** A {@code @Path} template as a pattern: each {@code {name}} one segment, the rest literal. */
    private static String template(String path) {
        StringBuilder pattern = new StringBuilder();
        int at = 0;
        while (at < path.length()) {
            int open = path.indexOf('{', at);
            if (open < 0) {
                pattern.append(Pattern.quote(path.substring(at)));
                break;
            }
            pattern.append(Pattern.quote(path.substring(at, open))).append("[^/]+");
            at = path.indexOf('}', open) + 1;
        }
        return pattern.toString();
    }

    private static String strip(String segment) {
        return segment.replaceAll("^/+|/+$", "");
    }
}
