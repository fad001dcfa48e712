package dev.gateway.proxy;

import java.net.URI;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves a route's inline upstream such as {@code http://{app}.apps.internal:8080} by putting path variables
 * into the host. A variable must be a DNS label, so a request cannot steer the gateway to an arbitrary host.
 */
public final class UrlTemplateResolver implements TargetResolver {
    private static final Pattern VARIABLE = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

    private final String template;
    private final int defaultPort;

    public UrlTemplateResolver(String template) {
        this.template = template.endsWith("/") ? template.substring(0, template.length() - 1) : template;
        this.defaultPort = template.startsWith("https:") ? 443 : 80;
    }

    @Override
    public Target resolve(Map<String, String> variables) throws InvalidTargetException {
        Matcher m = VARIABLE.matcher(template);
        StringBuilder url = new StringBuilder();
        while (m.find()) {
            String value = variables.get(m.group(1));
            if (value == null || !LABEL.matcher(value).matches()) {
                throw new InvalidTargetException("path variable {" + m.group(1) + "} must be a DNS label "
                        + "(letters, digits and '-') to choose an upstream host");
            }
            m.appendReplacement(url, Matcher.quoteReplacement(value.toLowerCase()));
        }
        m.appendTail(url);
        URI uri = URI.create(url.toString());
        int port = uri.getPort() == -1 ? defaultPort : uri.getPort();
        return new Target(URI.create(uri.getScheme() + "://" + uri.getHost() + ":" + port), 1);
    }
}
