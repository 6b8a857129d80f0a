package io.taintwatch.app.layering;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering the architecture states, checked on the production classes (monitor-core, -ingest, -alerts, -app): what
 * ships carries no test broker, devnet, synthetic chain, demo or benchmark; core knows no RPC and no HTTP; ingest and
 * alerts never import each other; only the app composes the parts.
 */
class LayeringTest {
    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        // our modules' main classes (directories or jars in the reactor), not their test classes or test-jars
        production = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("-tests.jar")).importPackages("io.taintwatch");
    }

    @Test
    void theProductionCodeUsesNoTestBrokerDevnetGeneratorDemoOrBenchmark() {
        noClasses().that().resideInAnyPackage("io.taintwatch.app..", "io.taintwatch.alerts..", "io.taintwatch.ingest..",
                "io.taintwatch.model..", "io.taintwatch.taint..", "io.taintwatch.topology..", "io.taintwatch.encoding..", "io.taintwatch.labels..",
                "io.taintwatch.kafka..")
            .should().dependOnClassesThat().resideInAnyPackage("io.taintwatch.embedded..", "io.taintwatch.synth..", "io.taintwatch.demo..",
                "io.taintwatch.bench..", "org.apache.kafka.server..", "kafka..", "scala..")
            .check(production);
    }

    @Test
    void coreKnowsNoRpcNoHttpAndNoOtherModule() {
        noClasses().that().resideInAnyPackage("io.taintwatch.model..", "io.taintwatch.taint..", "io.taintwatch.topology..",
                "io.taintwatch.encoding..", "io.taintwatch.labels..", "io.taintwatch.kafka..")
            .should().dependOnClassesThat().resideInAnyPackage("io.taintwatch.ingest..", "io.taintwatch.alerts..", "io.taintwatch.app..",
                "com.sun.net.httpserver..", "java.net.http..", "okhttp3..", "org.web3j.protocol..")
            .check(production);
    }

    @Test
    void ingestAndAlertsNeverImportEachOther() {
        noClasses().that().resideInAPackage("io.taintwatch.ingest..").should().dependOnClassesThat().resideInAnyPackage("io.taintwatch.alerts..",
            "io.taintwatch.app..").check(production);
        noClasses().that().resideInAPackage("io.taintwatch.alerts..").should().dependOnClassesThat().resideInAnyPackage("io.taintwatch.ingest..",
            "io.taintwatch.app..").check(production);
    }
}
