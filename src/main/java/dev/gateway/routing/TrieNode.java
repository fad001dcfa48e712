package dev.gateway.routing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One node of the segment trie: children by literal, one child for any variable, the routes whose template
 * ends here and those whose {@code **} starts here, each list in {@link RouteEntry#PRECEDENCE} order.
 */
final class TrieNode<T> {
    private final LiteralTable<TrieNode<T>> literals;
    private final List<TrieNode<T>> literalsInOrder;
    private final TrieNode<T> variable;
    private final List<RouteEntry<T>> terminal;
    private final List<RouteEntry<T>> rest;

    private TrieNode(Draft<T> draft) {
        Map<String, TrieNode<T>> children = new HashMap<>();
        List<TrieNode<T>> ordered = new ArrayList<>();
        draft.literals.forEach((key, child) -> {
            TrieNode<T> node = new TrieNode<>(child);
            children.put(key, node);
            ordered.add(node);
        });
        literals = new LiteralTable<>(children);
        literalsInOrder = List.copyOf(ordered);
        variable = draft.variable == null ? null : new TrieNode<>(draft.variable);
        terminal = sorted(draft.terminal);
        rest = sorted(draft.rest);
    }

    private static <T> List<RouteEntry<T>> sorted(List<RouteEntry<T>> routes) {
        List<RouteEntry<T>> copy = new ArrayList<>(routes);
        copy.sort(RouteEntry.PRECEDENCE);
        return List.copyOf(copy);
    }

    /** Builds the immutable trie of the given routes. */
    static <T> TrieNode<T> of(List<RouteEntry<T>> routes) {
        Draft<T> root = new Draft<>();
        for (RouteEntry<T> route : routes) {
            Draft<T> node = root;
            boolean hasRest = false;
            for (PathSegment s : route.spec().path().segments()) {
                switch (s.kind()) {
                    case LITERAL -> node = node.literals.computeIfAbsent(s.text(), k -> new Draft<>());
                    case VARIABLE -> node = node.variable == null ? (node.variable = new Draft<>()) : node.variable;
                    case REST -> hasRest = true;
                }
            }
            (hasRest ? node.rest : node.terminal).add(route);
        }
        return new TrieNode<>(root);
    }

    TrieNode<T> literal(String path, int start, int end) {
        return literals.get(path, start, end);
    }

    TrieNode<T> variable() {
        return variable;
    }

    List<RouteEntry<T>> terminal() {
        return terminal;
    }

    List<RouteEntry<T>> rest() {
        return rest;
    }

    /**
     * Appends every route in the order a request walk meets them: routes ending here, literal children,
     * the variable child, then {@code **} routes. Any request's candidates appear in this order too.
     */
    void collect(List<RouteEntry<T>> out) {
        out.addAll(terminal);
        for (TrieNode<T> child : literalsInOrder) {
            child.collect(out);
        }
        if (variable != null) {
            variable.collect(out);
        }
        out.addAll(rest);
    }

    /** The mutable shape of a node while routes are added. */
    private static final class Draft<T> {
        final Map<String, Draft<T>> literals = new TreeMap<>();
        Draft<T> variable;
        final List<RouteEntry<T>> terminal = new ArrayList<>();
        final List<RouteEntry<T>> rest = new ArrayList<>();
    }
}
