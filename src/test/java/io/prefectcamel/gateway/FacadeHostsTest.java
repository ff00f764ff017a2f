package io.prefectcamel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which Host header values the facade builds links on (facade.allowed-hosts). */
class FacadeHostsTest {

    @Test
    void loopbackNamesOnAnyPortAreAllowedByDefault() {
        FacadeHosts hosts = new FacadeHosts("", "0.0.0.0");

        assertThat(hosts.allows("localhost:8080")).isTrue();
        assertThat(hosts.allows("LOCALHOST:1")).isTrue();
        assertThat(hosts.allows("127.0.0.1:8080")).isTrue();
        assertThat(hosts.allows("[::1]:8080")).isTrue();
        assertThat(hosts.allows("localhost")).isTrue();
    }

    @Test
    void otherNamesAreNot() {
        FacadeHosts hosts = new FacadeHosts("", "0.0.0.0");

        assertThat(hosts.allows("attacker.example")).isFalse();
        assertThat(hosts.allows("attacker.example:8080")).isFalse();
        assertThat(hosts.allows("localhost.attacker.example:8080")).isFalse();
        assertThat(hosts.allows("localhost:8080@attacker.example")).isFalse();
        assertThat(hosts.allows("localhost:*")).isFalse();
        assertThat(hosts.allows("0.0.0.0:8080")).isFalse();
        assertThat(hosts.allows("")).isFalse();
        assertThat(hosts.allows(null)).isFalse();
    }

    @Test
    void configuredNamesWithAPortAnyPortOrNoPort() {
        FacadeHosts hosts = new FacadeHosts(" facade.internal:8443, tools.example:* ,bare.example", "0.0.0.0");

        assertThat(hosts.allows("facade.internal:8443")).isTrue();
        assertThat(hosts.allows("facade.internal:8444")).isFalse();
        assertThat(hosts.allows("facade.internal")).isFalse();
        assertThat(hosts.allows("tools.example:9")).isTrue();
        assertThat(hosts.allows("tools.example")).isTrue();
        assertThat(hosts.allows("bare.example")).isTrue();
        assertThat(hosts.allows("bare.example:80")).isFalse();
    }

    @Test
    void aSpecificListenAddressIsAllowedOnAnyPort() {
        assertThat(new FacadeHosts("", "10.0.0.5").allows("10.0.0.5:8080")).isTrue();
        assertThat(new FacadeHosts("", "fd00::5").allows("[fd00::5]:8080")).isTrue();
    }

    @Test
    void theLoopbackUrlIsTheServersOwn() {
        assertThat(FacadeHosts.loopbackUrl("0.0.0.0", 8080)).isEqualTo("http://127.0.0.1:8080");
        assertThat(FacadeHosts.loopbackUrl("", 8080)).isEqualTo("http://127.0.0.1:8080");
        assertThat(FacadeHosts.loopbackUrl("::1", 9000)).isEqualTo("http://[::1]:9000");
        assertThat(FacadeHosts.loopbackUrl("10.0.0.5", 80)).isEqualTo("http://10.0.0.5:80");
    }
}
