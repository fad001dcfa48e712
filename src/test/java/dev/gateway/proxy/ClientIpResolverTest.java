package dev.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;

import dev.gateway.config.Cidr;
import org.junit.jupiter.api.Test;

class ClientIpResolverTest {
    private static InetAddress ip(String text) {
        return Cidr.literal(text);
    }

    private final ClientIpResolver resolver = new ClientIpResolver(List.of("127.0.0.1/32", "10.0.0.0/8", "fd00::/8"));

    @Test
    void withoutTrustedProxiesTheHeaderIsNeverRead() {
        assertThat(ClientIpResolver.PEER_ONLY.resolve(ip("127.0.0.1"), List.of("1.2.3.4"))).isEqualTo("127.0.0.1");
    }

    @Test
    void anUntrustedPeerIsTheClientWhateverItSays() {
        assertThat(resolver.resolve(ip("203.0.113.9"), List.of("1.2.3.4, 10.0.0.1"))).isEqualTo("203.0.113.9");
    }

    @Test
    void theRightmostUntrustedAddressIsTheClientSoSpoofedEntriesOnTheLeftDoNotCount() {
        assertThat(resolver.resolve(ip("127.0.0.1"), List.of("203.0.113.7"))).isEqualTo("203.0.113.7");
        assertThat(resolver.resolve(ip("127.0.0.1"), List.of("6.6.6.6, 203.0.113.7, 10.1.2.3")))
                .isEqualTo("203.0.113.7");
        // the same client rotating what it writes itself still resolves to itself
        assertThat(resolver.resolve(ip("127.0.0.1"), List.of("7.7.7.7, 203.0.113.7", "10.1.2.3")))
                .isEqualTo("203.0.113.7");
        assertThat(resolver.resolve(ip("10.9.9.9"), List.of("10.0.0.5, 10.0.0.6"))).as("all trusted: the leftmost")
                .isEqualTo("10.0.0.5");
    }

    @Test
    void portsBracketsAndIpv6AreUnderstoodAndGarbageStopsTheWalk() {
        assertThat(resolver.resolve(ip("127.0.0.1"), List.of("203.0.113.7:5123"))).isEqualTo("203.0.113.7");
        assertThat(resolver.resolve(ip("127.0.0.1"), List.of("[2001:db8::1]:443"))).isEqualTo("2001:db8:0:0:0:0:0:1");
        assertThat(resolver.resolve(ip("127.0.0.1"), List.of("2001:db8::2, fd00::1"))).isEqualTo("2001:db8:0:0:0:0:0:2");
        assertThat(resolver.resolve(ip("127.0.0.1"), List.of("203.0.113.7, unknown, 10.0.0.1")))
                .as("the hop that wrote garbage is as far as we can trust").isEqualTo("10.0.0.1");
        assertThat(resolver.resolve(ip("127.0.0.1"), List.of("evil.example.com"))).isEqualTo("127.0.0.1");
    }

    @Test
    void cidrBlocksAreStrict() {
        assertThat(Cidr.parse("10.0.0.0/8").contains(ip("10.255.0.1"))).isTrue();
        assertThat(Cidr.parse("10.0.0.0/8").contains(ip("11.0.0.1"))).isFalse();
        assertThat(Cidr.parse("192.168.1.128/25").contains(ip("192.168.1.200"))).isTrue();
        assertThat(Cidr.parse("192.168.1.128/25").contains(ip("192.168.1.100"))).isFalse();
        assertThat(Cidr.parse("0.0.0.0/0").contains(ip("8.8.8.8"))).isTrue();
        assertThat(Cidr.parse("::1").contains(ip("::1"))).isTrue();
        assertThat(Cidr.parse("::1").contains(ip("127.0.0.1"))).isFalse();
        assertThat(Cidr.literal("999.1.1.1")).isNull();
        assertThat(Cidr.literal("localhost")).as("never a name lookup").isNull();
        assertThat(Cidr.literal("1:2")).isNull();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Cidr.parse("10.0.0.1/8"))
                .hasMessageContaining("host bits set (did you mean 10.0.0.0/8?)");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33"))
                .hasMessageContaining("prefix length");
    }
}
