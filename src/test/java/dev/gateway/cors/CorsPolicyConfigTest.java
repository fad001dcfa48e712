package dev.gateway.cors;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gateway.config.CorsConfig;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CorsPolicyConfigTest {

    @ParameterizedTest(name = "{0} / {1} / {2} / {3}")
    @CsvSource(delimiter = '|', value = {
            "*                        | GET   | X-A   | true  | cors: origins '*' cannot be combined with credentials: true",
            "app.example.com          | GET   | X-A   | false | cors: invalid origin 'app.example.com'",
            "https://app.example.com/ | GET   | X-A   | false | cors: invalid origin 'https://app.example.com/'",
            "https://u@app.test       | GET   | X-A   | false | cors: invalid origin 'https://u@app.test'",
            "https://app.test:99999   | GET   | X-A   | false | cors: invalid origin 'https://app.test:99999'",
            "https://app.test         | GE T  | X-A   | false | cors: invalid method 'GE T'",
            "https://app.test         | GET   | X A   | false | cors: invalid header 'X A'",
    })
    void rejectsBadRules(String origin, String method, String header, boolean credentials, String message) {
        CorsConfig config = new CorsConfig(List.of(origin), List.of(method), List.of(header), List.of(), credentials,
                Duration.ofMinutes(5));

        assertThatThrownBy(() -> new CorsPolicy(config)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message);
    }
}
