import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;

/**
 * The anchor of bench/rest-bench.sh: the smallest Camel 4.17 route that does what the facade does on the wire, with
 * nothing else on (no validation, auth, metrics or request ids): platform-http on Vert.x, drop the caller's headers,
 * set the key, call the upstream with camel-http, answer its status and body.
 *
 *   java -cp "target/prefect-camel.jar:target/lib/*" bench/BareCamelRoute.java PORT UPSTREAM_URL
 */
public class BareCamelRoute {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String upstream = args[1];
        Main main = new Main();
        // not the service's application.properties, which is on the same class path
        main.setDefaultPropertyPlaceholderLocation("false");
        main.configure().setName("bare-camel-route");
        main.configure().httpServer().setEnabled(true);
        main.configure().httpServer().setHost("127.0.0.1");
        main.configure().httpServer().setPort(port);
        main.addInitialProperty("camel.component.http.automatic-retries-disabled", "true");
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from("platform-http:/v1/api?matchOnUriPrefix=true")
                        .removeHeaders("*", "CamelHttpUri|CamelHttpPath|CamelHttpMethod|CamelHttpQuery|Content-Type")
                        .process(e -> {
                            String path = e.getMessage().getHeader("CamelHttpPath", String.class);
                            e.getMessage().setHeader("CamelHttpPath", "/api" + path);
                        })
                        .setHeader("Authorization", constant("Bearer bench-key"))
                        .to(upstream + "?bridgeEndpoint=true&throwExceptionOnFailure=false");
            }
        });
        main.run();
    }
}
