package com.fetchsms.dashboard.rest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import jakarta.ws.rs.POST;

/**
 * Every form of the dashboard: the address of each {@code @POST} method of its resources, with a well-formed id in
 * place of each path parameter. Read from the compiled resources, so that a new form is checked without being listed.
 */
final class Forms {

    static final String ID = "0b6f1e2a-9c3d-4e5f-8a7b-1c2d3e4f5a6b";

    private static final String PACKAGE = Forms.class.getPackageName();

    private Forms() {
    }

    static List<String> all() {
        List<String> forms = new ArrayList<>();
        for (Class<?> resource : resources()) {
            jakarta.ws.rs.Path base = resource.getAnnotation(jakarta.ws.rs.Path.class);
            for (Method method : resource.getDeclaredMethods()) {
                if (!method.isAnnotationPresent(POST.class)) {
                    continue;
                }
                jakarta.ws.rs.Path sub = method.getAnnotation(jakarta.ws.rs.Path.class);
                forms.add(address(base.value(), sub == null ? "" : sub.value()));
            }
        }
        if (forms.size() < 3) {
            throw new AssertionError("too few forms found: " + forms);
        }
        return forms.stream().sorted().toList();
    }

    private static String address(String base, String sub) {
        String path = "/app/" + strip(base) + (sub.isEmpty() ? "" : "/" + strip(sub));
        return path.replace("//", "/").replaceAll("\\{[^}]+}", ID);
    }

    private static String strip(String segment) {
        return segment.replaceAll("^/+|/+$", "");
    }

    private static List<Class<?>> resources() {
        Path classes = Path.of("target", "classes", PACKAGE.replace('.', '/'));
        try (Stream<Path> files = Files.list(classes)) {
            List<Class<?>> resources = new ArrayList<>();
            for (Path file : files.filter(f -> f.toString().endsWith(".class") && !f.toString().contains("$"))
                    .toList()) {
                String name = file.getFileName().toString().replace(".class", "");
                Class<?> type = Class.forName(PACKAGE + "." + name, false, Forms.class.getClassLoader());
                if (type.isAnnotationPresent(jakarta.ws.rs.Path.class)) {
                    resources.add(type);
                }
            }
            return resources;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
