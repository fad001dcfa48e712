package dev.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class UrlTemplateResolverTest {
    private final UrlTemplateResolver resolver = new UrlTemplateResolver("http://{app}.apps.internal:8080");

    @Test
    void putsALabelIntoTheHost() throws Exception {
        assertThat(resolver.resolve(Map.of("app", "Billing")).origin().toString())
                .isEqualTo("http://billing.apps.internal:8080");
        assertThat(new UrlTemplateResolver("http://{app}.svc").resolve(Map.of("app", "a")).origin().toString())
                .isEqualTo("http://a.svc:80");
    }

    @Test
    void refusesVariablesThatWouldChangeTheHostStructure() {
        for (String evil : new String[] {"evil.com#", "a.b", "x@y", "a%2Fb", "-a", ""}) {
            assertThatThrownBy(() -> resolver.resolve(Map.of("app", evil)))
                    .as(evil).isInstanceOf(TargetResolver.InvalidTargetException.class);
        }
    }
}
