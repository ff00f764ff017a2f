package io.prefectcamel.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The page token of a next_page link, read without java.net.URI where the link is plainly a URL, as URI reads it. */
class NextPageTokenTest {

    @Test
    void readsTheTokenOfPrefectsAndTheFacadesLinks() {
        assertThat(NextPageLinks.findPageToken("https://api.prefect.cloud/api/accounts/a/workspaces/w/events/filter/next"
                + "?page-token=eyJvZmZzZXQiOjEwfQ%3D%3D")).isEqualTo("eyJvZmZzZXQiOjEwfQ==");
        assertThat(NextPageLinks.findPageToken("/v1/api/x/events/filter/next?limit=5&page_token=a%2Bb#frag"))
                .isEqualTo("a+b");
        assertThat(NextPageLinks.findPageToken("http://127.0.0.1:8080/x")).isNull();
        assertThat(NextPageLinks.findPageToken("http://h/x?other=1")).isNull();
        assertThat(NextPageLinks.findPageToken("not a link?page-token=x")).isNull();
        assertThat(NextPageLinks.findPageToken("http://h/x?page-token=%zz")).isNull();
        assertThatThrownBy(() -> NextPageLinks.pageToken("http://h/x")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theQueryIsWhatJavaNetUriReads() {
        String chars = "abcXYZ019-._~:/?#[]@!$&'()*+,;=% \"<>{}|\\^`é";
        Random random = new Random(42);
        String[] starts = { "https://api.prefect.cloud/api/", "http://127.0.0.1:4200/", "/v1/api/", "//h/", "ftp://h/", "http://",
            "" };
        for (int i = 0; i < 20_000; i++) {
            StringBuilder url = new StringBuilder(starts[random.nextInt(starts.length)]);
            int n = random.nextInt(30);
            for (int j = 0; j < n; j++) {
                char c = chars.charAt(random.nextInt(chars.length()));
                url.append(c);
                if (c == '%' && random.nextBoolean()) {
                    url.append("3D");
                }
            }
            String link = url.toString();
            String expected;
            try {
                expected = URI.create(link).getRawQuery();
            } catch (IllegalArgumentException notAUrl) {
                expected = null;
            }
            assertThat(NextPageLinks.rawQuery(link)).as(link).isEqualTo(expected);
        }
    }
}
