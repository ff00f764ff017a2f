/** Starts Camel JBang's command line (camel-jbang-core from Maven Central) without the jbang launcher. */
public class CamelCli {
    public static void main(String[] args) {
        org.apache.camel.dsl.jbang.core.commands.CamelJBangMain.run(args);
    }
}
