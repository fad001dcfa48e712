package dev.gateway.routing;

/**
 * A problem found when analysing a route table: {@code route} is the index (in insertion order) of the route
 * it is about, {@code other} the index of the route it collides with or loses to (-1 when none).
 */
public record RouteFinding(boolean error, int route, int other, String message) {
}
