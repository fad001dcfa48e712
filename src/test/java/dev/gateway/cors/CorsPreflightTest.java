package dev.gateway.cors;

import static dev.gateway.cors.CorsFixtures.asMap;
import static dev.gateway.cors.CorsFixtures.expected;
import static dev.gateway.cors.CorsFixtures.policy;
import static dev.gateway.cors.CorsFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CorsPreflightTest {
    private static final String VARY = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";
    private static final String LIST_OK = "ACAO=https://app.example.com; ACAM=GET, PUT, DELETE, PATCH; MAX=600";

    @ParameterizedTest(name = "{0}: {1} {2} [{3}] -> {4}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            // specific origin list: echo, configured methods, requested headers that are allowed
            "list | https://app.example.com | PUT | x-request-id,content-type | 204 | " + LIST_OK + "; ACAH=x-request-id, content-type",
            "list | https://app.example.com | PUT |                           | 204 | " + LIST_OK,
            "list | https://app.example.com | PUT | X-Request-ID , CONTENT-TYPE, | 204 | " + LIST_OK + "; ACAH=x-request-id, content-type",
            "list | https://app.example.com | PUT | authorization             | 204 | " + LIST_OK + "; ACAH=authorization",
            "list | https://app.example.com | PUT | x-other                   | 403 | ",
            "list | https://app.example.com | PUT | x-request-id, x-other     | 403 | ",
            "list | https://app.example.com | PUT | bad header                | 403 | ",
            // origin: case-insensitive scheme and host, echoed as sent; default ports normalised
            "list | HTTPS://App.Example.COM | PUT |                           | 204 | ACAO=HTTPS://App.Example.COM; ACAM=GET, PUT, DELETE, PATCH; MAX=600",
            "list | https://app.example.com:443 | PUT |                       | 204 | ACAO=https://app.example.com:443; ACAM=GET, PUT, DELETE, PATCH; MAX=600",
            "list | http://plain.example    | GET |                           | 204 | ACAO=http://plain.example; ACAM=GET, PUT, DELETE, PATCH; MAX=600",
            "list | http://plain.example:80 | GET |                           | 204 | ACAO=http://plain.example:80; ACAM=GET, PUT, DELETE, PATCH; MAX=600",
            "list | http://localhost:8080   | GET |                           | 204 | ACAO=http://localhost:8080; ACAM=GET, PUT, DELETE, PATCH; MAX=600",
            "list | http://localhost        | GET |                           | 403 | ",
            "list | http://app.example.com  | GET |                           | 403 | ",
            "list | https://app.example.com:8443 | GET |                      | 403 | ",
            "list | https://app.example.com.evil.test | GET |                 | 403 | ",
            "list | https://evil-app.example.com | GET |                      | 403 | ",
            "list | https://app.example.com/ | GET |                          | 403 | ",
            "list | https://app.example.com https://evil.test | GET |         | 403 | ",
            "list | null                    | GET |                           | 403 | ",
            "list | \"\"                    | GET |                           | 403 | ",
            "list |                         | GET |                           | 403 | ",
            // methods: configured list, CORS-safelisted methods always pass, Fetch method normalisation
            "list | https://app.example.com | PATCH |                         | 204 | " + LIST_OK,
            "list | https://app.example.com | patch |                         | 403 | ",
            "list | https://app.example.com | put |                           | 204 | " + LIST_OK,
            "list | https://app.example.com | POST |                          | 204 | " + LIST_OK,
            "list | https://app.example.com | OPTIONS |                       | 403 | ",
            "list | https://app.example.com | \"\" |                          | 403 | ",
            "list-creds | https://app.example.com | HEAD |                    | 204 | ACAO=https://app.example.com; ACAM=PUT; ACAC=true; MAX=90",
            "list-creds | https://app.example.com | DELETE |                  | 403 | ",
            "any-method-creds | https://app.example.com | PURGE |            | 204 | ACAO=https://app.example.com; ACAM=PURGE; ACAC=true; MAX=300",
            "wild-auth | https://a.test        | PURGE |                       | 204 | ACAO=*; ACAM=*; MAX=0; ACAH=*",
            // credentials: origin echoed, headers '*' echoes the requested ones but never covers Authorization
            "list-creds | https://app.example.com | PUT | x-a, X-B           | 204 | ACAO=https://app.example.com; ACAM=PUT; ACAC=true; MAX=90; ACAH=x-a, x-b",
            "list-creds | https://app.example.com | PUT | x-a, authorization | 403 | ",
            "list-creds | https://other.test   | PUT | x-a                   | 403 | ",
            // wildcard origin without credentials: '*' everywhere, Authorization only when listed
            "wild | https://anything.test      | PUT | x-a, x-b              | 204 | ACAO=*; ACAM=GET, POST, PUT; MAX=300; ACAH=*",
            "wild | https://anything.test      | PUT |                       | 204 | ACAO=*; ACAM=GET, POST, PUT; MAX=300; ACAH=*",
            "wild | null                       | PUT |                       | 204 | ACAO=*; ACAM=GET, POST, PUT; MAX=300; ACAH=*",
            "wild | https://anything.test      | PUT | Authorization         | 403 | ",
            "wild | https://anything.test      | DELETE |                    | 403 | ",
            "wild-auth | https://a.test        | PUT | x-a, Authorization    | 204 | ACAO=*; ACAM=*; MAX=0; ACAH=*, authorization",
            // the opaque origin 'null' only when listed literally; no max-age configured
            "null-origin | null                | GET |                       | 204 | ACAO=null; ACAM=GET",
            "null-origin | http://null         | GET |                       | 403 | ",
    })
    void answersPreflights(String config, String origin, String method, String headers, int status, String expected) {
        CorsPolicy.Answer answer = policy(config).preflight(request(origin, method, headers));

        Map<String, String> want = new HashMap<>(expected(expected));
        want.put("Vary", VARY);
        assertThat(answer.status()).isEqualTo(status);
        assertThat(asMap(answer.headers())).isEqualTo(want);
    }

    @ParameterizedTest(name = "{0} origin={1} acrm={2} -> {3}")
    @CsvSource(delimiter = '|', value = {
            "OPTIONS | https://a.test | PUT | true",
            "OPTIONS | null           | GET | true",
            "OPTIONS | https://a.test |     | false",
            "OPTIONS |                | PUT | false",
            "GET     | https://a.test | PUT | false",
            "options | https://a.test | PUT | false",
    })
    void recognisesPreflights(String method, String origin, String requestMethod, boolean preflight) {
        assertThat(CorsPolicy.isPreflight(method, request(origin, requestMethod, null))).isEqualTo(preflight);
    }
}
