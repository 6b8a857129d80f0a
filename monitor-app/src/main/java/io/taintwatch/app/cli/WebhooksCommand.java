package io.taintwatch.app.cli;

import io.taintwatch.alerts.delivery.WebhookRedelivery;
import io.taintwatch.alerts.delivery.WebhooksConfig;
import io.taintwatch.app.config.ConfigKeys;
import io.taintwatch.app.config.PipelineConfig;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code taintwatch webhooks redeliver}: sends dead-lettered webhooks again (docs/alert-schema.md, "Webhooks"). */
@Command(name = "webhooks", mixinStandardHelpOptions = true, description = "Webhook delivery tools.",
    subcommands = {WebhooksCommand.Redeliver.class})
public final class WebhooksCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "redeliver", mixinStandardHelpOptions = true,
        description = {"Sends the open dead letters of the webhook dead-letter topic to their endpoints again, signed as usual, in the",
            "order they were dead-lettered, and records each delivery there (which lets the alert service deliver that alert's",
            "later versions again). A version is never sent before an earlier open one of the same alert; the first failure stops",
            "its endpoint. Safe while the alert service runs. Prints one line per dead letter; exits 1 if any was not delivered."})
    static final class Redeliver implements Callable<Integer> {
        @CommandLine.Mixin
        KafkaOptions config;

        @Option(names = "--endpoint", paramLabel = "NAME", split = ",", description = "Only these endpoints (default: every configured one).")
        Set<String> endpoints;

        @Option(names = "--from", paramLabel = "TIME", description = "Only dead letters written at or after TIME (ISO-8601 instant, or a UTC date YYYY-MM-DD).")
        String from;

        @Option(names = "--to", paramLabel = "TIME", description = "Only dead letters written before TIME (ISO-8601 instant, or a UTC date YYYY-MM-DD).")
        String to;

        @Option(names = "--dry-run", description = "List what would be sent; send nothing.")
        boolean dryRun;

        @Option(names = "--retry-for", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long one dead letter is retried before its endpoint is given up (default: ${DEFAULT-VALUE}).")
        long retryForSeconds;

        PrintStream out = System.out;

        @Override
        public Integer call() throws Exception {
            PipelineConfig s = config.load();
            WebhooksConfig hooks = s.webhooks();
            if (hooks.endpoints().isEmpty()) {
                throw new UserException("no webhook endpoints configured (" + ConfigKeys.WEBHOOKS + ")");
            }
            String dlqTopic = s.topics().webhookDlq();
            WebhookRedelivery.Selection selection = new WebhookRedelivery.Selection(endpoints, time("--from", from), time("--to", to), dryRun);
            Map<WebhookRedelivery.Result, Integer> counts = new EnumMap<>(WebhookRedelivery.Result.class);
            List<WebhookRedelivery.Line> lines;
            try (WebhookRedelivery r = new WebhookRedelivery(s.kafka(), dlqTopic, hooks,
                Clock.systemUTC(), Duration.ofSeconds(retryForSeconds))) {
                lines = r.run(selection, l -> {
                    out.printf("%-13s %s %s v%s (dead-lettered %s: %s): %s%n", l.result().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '),
                        l.letter().endpoint(), l.letter().alertId(), l.letter().alertVersion() == null ? "?" : l.letter().alertVersion(),
                        l.letter().failedAt(), l.letter().reason(), l.detail());
                    counts.merge(l.result(), 1, Integer::sum);
                });
            } catch (IllegalArgumentException e) {
                throw new UserException(e.getMessage());
            }
            out.printf("%d dead letters: %d delivered, %d would be delivered, %d skipped, %d failed, %d not attempted%n", lines.size(),
                counts.getOrDefault(WebhookRedelivery.Result.DELIVERED, 0), counts.getOrDefault(WebhookRedelivery.Result.WOULD_DELIVER, 0),
                counts.getOrDefault(WebhookRedelivery.Result.SKIPPED, 0), counts.getOrDefault(WebhookRedelivery.Result.FAILED, 0),
                counts.getOrDefault(WebhookRedelivery.Result.NOT_ATTEMPTED, 0));
            out.flush();
            return counts.containsKey(WebhookRedelivery.Result.FAILED) || counts.containsKey(WebhookRedelivery.Result.NOT_ATTEMPTED) ? 1 : 0;
        }

        private static Instant time(String option, String value) {
            if (value == null) {
                return null;
            }
            try {
                return value.length() == 10 ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(value);
            } catch (DateTimeParseException e) {
                throw new UserException(option + ": '" + value + "' is not an ISO-8601 instant (2026-03-01T12:00:00Z) or date (2026-03-01)");
            }
        }
    }
}
