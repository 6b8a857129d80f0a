#!/usr/bin/env python3
"""Writes deploy/grafana/dashboards/*.json from the panel lists below (run it after editing; the JSON is committed).

Every expression is evaluated against a live demo by DashboardQueriesIT; use only metric names taintwatch exports.
Grafana variables allowed in expressions: $chain (regex), $__rate_interval, $__range.
"""
import json
import os
import sys

R = "$__rate_interval"
C = 'chain=~"$chain"'

def ts(title, exprs, unit="short", legend=None, w=12, h=8, kind="timeseries"):
    targets = []
    for i, e in enumerate(exprs):
        expr, leg = e if isinstance(e, tuple) else (e, legend or "")
        targets.append({"refId": chr(65 + i), "expr": expr, "legendFormat": leg,
                        "datasource": {"type": "prometheus", "uid": "${datasource}"}})
    return {"type": kind, "title": title, "targets": targets, "w": w, "h": h,
            "fieldConfig": {"defaults": {"unit": unit}, "overrides": []}}

def stat(title, exprs, unit="short", legend=None):
    return ts(title, exprs, unit, legend, w=6, h=4, kind="stat")

# "or ... * 0": a series of 0 for every method/endpoint that has traffic but no errors, so quiet is visible as 0
RPC_TRAFFIC = f"sum by (method, endpoint) (rate(taintwatch_ingest_rpc_latency_seconds_count[{R}]))"

DASHBOARDS = {
    "taintwatch-overview": ("taintwatch / Overview", [
        stat("Chains ingested", [f"count(max by (chain) (taintwatch_ingest_head_block{{{C}}}))"]),
        stat("Alerts in range", [f"sum(increase(taintwatch_alerts_emitted_total{{{C}}}[$__range]))"]),
        stat("Addresses tracked", [f"sum(taintwatch_taint_tracked_addresses{{{C}}})"]),
        stat("Targets up", ['sum(up{job="taintwatch"})']),
        ts("Head vs published vs processed block", [
            (f"max by (chain) (taintwatch_ingest_head_block{{{C}}})", "{{chain}} head"),
            (f"max by (chain) (taintwatch_ingest_last_published_block{{{C}}})", "{{chain}} published"),
            (f"max by (chain) (taintwatch_taint_last_block{{{C}}})", "{{chain}} taint engine")], "none"),
        ts("Ingest lag (blocks)", [(f"max by (chain) (taintwatch_ingest_lag_blocks{{{C}}})", "{{chain}}")], "none"),
        ts("Ingest lag (seconds behind wall clock)", [(f"max by (chain) (taintwatch_ingest_lag_seconds{{{C}}})", "{{chain}}")], "s"),
        ts("Blocks per second", [
            (f"sum by (chain) (rate(taintwatch_ingest_blocks_total{{{C}}}[{R}]))", "{{chain}} published"),
            (f"sum by (chain) (rate(taintwatch_taint_blocks_total{{{C}}}[{R}]))", "{{chain}} processed")], "ops"),
        ts("Legs per second by kind", [(f"sum by (chain, kind) (rate(taintwatch_ingest_legs_total{{{C}}}[{R}]))", "{{chain}} {{kind}}")], "ops"),
        ts("Alerts per second by severity", [(f"sum by (severity) (rate(taintwatch_alerts_emitted_total{{{C}}}[{R}]))", "{{severity}}")], "ops"),
    ]),
    "taintwatch-rpc": ("taintwatch / RPC health", [
        ts("Requests per second by method and endpoint", [(RPC_TRAFFIC, "{{method}} @ {{endpoint}}")], "reqps"),
        ts("Mean latency by method and endpoint", [(
            f"sum by (method, endpoint) (rate(taintwatch_ingest_rpc_latency_seconds_sum[{R}]))"
            f" / sum by (method, endpoint) (rate(taintwatch_ingest_rpc_latency_seconds_count[{R}]))", "{{method}} @ {{endpoint}}")], "s"),
        ts("Max latency by method and endpoint", [(
            "max by (method, endpoint) (taintwatch_ingest_rpc_latency_seconds_max)", "{{method}} @ {{endpoint}}")], "s"),
        ts("Errors per second by method, endpoint and class", [(
            f"sum by (method, endpoint, class) (rate(taintwatch_ingest_rpc_errors_total[{R}])) or {RPC_TRAFFIC} * 0",
            "{{method}} @ {{endpoint}} {{class}}")], "reqps"),
        ts("Error ratio by endpoint", [(
            f"(sum by (endpoint) (rate(taintwatch_ingest_rpc_errors_total[{R}]))"
            f" or sum by (endpoint) (rate(taintwatch_ingest_rpc_latency_seconds_count[{R}])) * 0)"
            f" / sum by (endpoint) (rate(taintwatch_ingest_rpc_latency_seconds_count[{R}]))", "{{endpoint}}")], "percentunit"),
        ts("Retries per second by endpoint", [(
            f"sum by (endpoint) (rate(taintwatch_ingest_rpc_retries_total[{R}]))"
            f" or sum by (endpoint) (rate(taintwatch_ingest_rpc_latency_seconds_count[{R}])) * 0", "{{endpoint}}")], "reqps"),
        ts("Calls per batch request (mean)", [(
            f"sum by (endpoint) (rate(taintwatch_ingest_rpc_batch_size_sum[{R}]))"
            f" / sum by (endpoint) (rate(taintwatch_ingest_rpc_batch_size_count[{R}]))", "{{endpoint}}")], "none"),
        ts("Kafka publish transaction latency", [
            (f"sum by (chain) (rate(taintwatch_ingest_publish_latency_seconds_sum{{{C}}}[{R}]))"
             f" / sum by (chain) (rate(taintwatch_ingest_publish_latency_seconds_count{{{C}}}[{R}]))", "{{chain}} mean"),
            (f"max by (chain) (taintwatch_ingest_publish_latency_seconds_max{{{C}}})", "{{chain}} max")], "s"),
        ts("Malformed logs skipped per second", [(
            f"sum by (chain) (rate(taintwatch_ingest_malformed_logs_total{{{C}}}[{R}]))"
            f" or sum by (chain) (rate(taintwatch_ingest_blocks_total{{{C}}}[{R}])) * 0", "{{chain}}")], "ops"),
    ]),
    "taintwatch-taint": ("taintwatch / Taint engine", [
        ts("Legs per second", [(f"sum by (chain) (rate(taintwatch_taint_legs_total{{{C}}}[{R}]))", "{{chain}}")], "ops"),
        ts("Blocks per second (processed, skipped duplicates)", [
            (f"sum by (chain) (rate(taintwatch_taint_blocks_total{{{C}}}[{R}]))", "{{chain}} processed"),
            (f"sum by (chain) (rate(taintwatch_taint_blocks_skipped_total{{{C}}}[{R}]))", "{{chain}} skipped")], "ops"),
        ts("Tracked addresses and seeds", [
            (f"sum by (chain) (taintwatch_taint_tracked_addresses{{{C}}})", "{{chain}} tracked"),
            (f"sum by (chain) (taintwatch_taint_seeds{{{C}}})", "{{chain}} seeds")], "none"),
        ts("Taint flows per second by kind", [(f"sum by (chain, kind) (rate(taintwatch_taint_flows_total{{{C}}}[{R}]))", "{{chain}} {{kind}}")], "ops"),
        ts("Carries cut per second (dust dropped, hop limit)", [(
            f"sum by (chain, reason) (rate(taintwatch_taint_cut_total{{{C}}}[{R}]))", "{{chain}} {{reason}}")], "ops"),
        ts("Engine lag behind ingest (blocks)", [(
            f"max by (chain) (taintwatch_ingest_last_published_block{{{C}}}) - on (chain) max by (chain) (taintwatch_taint_last_block{{{C}}})",
            "{{chain}}")], "none"),
        ts("Age of the last processed block", [(f"max by (chain) (time() - taintwatch_taint_last_block_timestamp_seconds{{{C}}})", "{{chain}}")], "s"),
        ts("Stream thread time by section (share of wall time; taint.section-times)", [(
            f"sum by (chain, section) (rate(taintwatch_taint_section_seconds_total{{{C}}}[{R}]))", "{{chain}} {{section}}")],
            "percentunit"),
        ts("Commit latency (Kafka Streams)", [
            ('max by (client_id) (kafka_stream_thread_commit_latency_avg{streams="taint"})', "avg {{client_id}}"),
            ('max by (client_id) (kafka_stream_thread_commit_latency_max{streams="taint"})', "max {{client_id}}")], "ms"),
        ts("Records processed per second (Kafka Streams)", [(
            'sum by (client_id) (kafka_stream_thread_process_rate{streams="taint"})', "{{client_id}}")], "ops"),
        ts("Input consumer lag (records)", [(
            'max by (client_id) (kafka_consumer_fetch_manager_records_lag_max{streams="taint", client_id=~".*StreamThread.*"})', "{{client_id}}")], "none"),
        ts("State store size (RocksDB estimated keys)", [(
            'sum by (rocksdb_state_id) (kafka_stream_state_estimate_num_keys{streams="taint"})', "{{rocksdb_state_id}}")], "none"),
        ts("State store size on disk and in memtables", [
            ('sum by (rocksdb_state_id) (kafka_stream_state_total_sst_files_size{streams="taint"})', "{{rocksdb_state_id}} SST files"),
            ('sum by (rocksdb_state_id) (kafka_stream_state_size_all_mem_tables{streams="taint"})', "{{rocksdb_state_id}} memtables")],
            "bytes"),
    ]),
    "taintwatch-alerts": ("taintwatch / Alerts", [
        ts("Alerts per second by severity", [(f"sum by (severity) (rate(taintwatch_alerts_emitted_total{{{C}}}[{R}]))", "{{severity}}")], "ops"),
        ts("Alerts per second by rule", [(f"sum by (rule) (rate(taintwatch_alerts_emitted_total{{{C}}}[{R}]))", "{{rule}}")], "ops"),
        ts("Alerts in range by rule and severity", [(
            f"sum by (rule, severity) (increase(taintwatch_alerts_emitted_total{{{C}}}[$__range]))", "{{rule}} {{severity}}")], "none",
            kind="bargauge"),
        ts("Confirmed block (ingest publish) to alert latency", [
            (f"histogram_quantile({q}, sum by (le) (rate(taintwatch_alerts_ingest_latency_seconds_bucket[{R}])))", f"p{int(q * 100)}")
            for q in (0.5, 0.9, 0.99)] + [("vector(0.25)", "target p99")], "s"),
        ts("Block timestamp to alert latency", [
            (f"histogram_quantile({q}, sum by (le) (rate(taintwatch_alerts_block_latency_seconds_bucket[{R}])))", f"p{int(q * 100)}")
            for q in (0.5, 0.9, 0.99)], "s"),
        ts("Webhook delivery outcomes per second", [(
            f"sum by (endpoint, outcome) (rate(taintwatch_webhook_deliveries_total[{R}]))", "{{endpoint}} {{outcome}}")], "ops"),
        ts("Webhook outbox depth", [("max by (endpoint) (taintwatch_webhook_outbox_depth)", "{{endpoint}}")], "none"),
        ts("API requests per second by status", [(f"sum by (status) (rate(taintwatch_api_requests_total[{R}]))", "{{status}}")], "reqps"),
        # the analysts' work (docs/console.md): the false-positive share per rule says which rule to tune
        ts("False-positive share of closed alerts by rule", [(
            'sum by (rule) (taintwatch_cases_closed{disposition="false-positive"}) / sum by (rule) (taintwatch_cases_closed)', "{{rule}}")],
            "percentunit", kind="bargauge"),
        ts("Closed alerts by rule, severity and disposition", [(
            "sum by (rule, severity, disposition) (taintwatch_cases_closed)", "{{rule}} {{severity}} {{disposition}}")], "none",
            kind="bargauge"),
        ts("Open alerts by age since their first tainted leg", [
            ("sum by (age) (taintwatch_cases_open)", "{{age}}"),
            ("max(taintwatch_cases_open_oldest_age_seconds) / 86400", "oldest (days)")], "none"),
        ts("Time from an alert's first tainted leg to the first analyst action", [
            (f"histogram_quantile({q}, sum by (le) (rate(taintwatch_cases_time_to_first_action_seconds_bucket[{R}])))", f"p{int(q * 100)}")
            for q in (0.5, 0.9)], "s"),
    ]),
    "taintwatch-jvm-kafka": ("taintwatch / JVM and Kafka clients", [
        ts("Heap used by instance", [
            ('sum by (instance) (jvm_memory_used_bytes{job="taintwatch", area="heap"})', "{{instance}} used"),
            ('sum by (instance) (jvm_memory_committed_bytes{job="taintwatch", area="heap"})', "{{instance}} committed")], "bytes"),
        ts("RocksDB state store memory vs budget", [
            ('sum by (instance) (taintwatch_rocksdb_memory_bytes{job="taintwatch"})', "{{instance}} used"),
            ('max by (instance) (taintwatch_rocksdb_memory_budget_bytes{job="taintwatch"})', "{{instance}} budget")], "bytes"),
        ts("GC pause time per second", [(
            f'sum by (instance, action) (rate(jvm_gc_pause_seconds_sum{{job="taintwatch"}}[{R}]))', "{{instance}} {{action}}")], "s"),
        ts("CPU usage", [
            ('max by (instance) (process_cpu_usage{job="taintwatch"})', "{{instance}} process"),
            ('max by (instance) (system_cpu_usage{job="taintwatch"})', "{{instance}} system")], "percentunit"),
        ts("Live threads", [('sum by (instance) (jvm_threads_live_threads{job="taintwatch"})', "{{instance}}")], "none"),
        ts("Kafka producer records sent per second", [(
            'sum by (instance, client_id) (kafka_producer_record_send_rate{job="taintwatch"})', "{{client_id}}")], "ops"),
        ts("Kafka producer request latency", [(
            'max by (instance, client_id) (kafka_producer_request_latency_avg{job="taintwatch"})', "{{client_id}}")], "ms"),
        ts("Kafka consumer records consumed per second", [(
            'sum by (instance, client_id) (kafka_consumer_fetch_manager_records_consumed_rate{job="taintwatch"})', "{{client_id}}")], "ops"),
        ts("Kafka consumer lag (max records)", [(
            'max by (instance, client_id) (kafka_consumer_fetch_manager_records_lag_max{job="taintwatch"} >= 0)', "{{client_id}}")], "none"),
        ts("Kafka Streams threads alive and failed", [
            ('sum by (instance, streams) (kafka_stream_alive_stream_threads{job="taintwatch"})', "{{streams}} alive"),
            (f'sum by (instance, streams) (increase(kafka_stream_failed_stream_threads_total{{job="taintwatch"}}[{R}]))', "{{streams}} failed")], "none"),
    ]),
}


def dashboard(uid, title, panels):
    out, x, y, row_h = [], 0, 0, 0
    for i, p in enumerate(panels):
        w, h = p.pop("w"), p.pop("h")
        if x + w > 24:
            x, y, row_h = 0, y + row_h, 0
        p["id"] = i + 1
        p["gridPos"] = {"x": x, "y": y, "w": w, "h": h}
        p["datasource"] = {"type": "prometheus", "uid": "${datasource}"}
        if p["type"] == "timeseries":
            p["options"] = {"legend": {"displayMode": "list", "placement": "bottom"}, "tooltip": {"mode": "multi"}}
        out.append(p)
        x += w
        row_h = max(row_h, h)
    return {
        "uid": uid, "title": title, "tags": ["taintwatch"], "timezone": "utc", "schemaVersion": 39, "version": 1,
        "editable": True, "refresh": "30s", "time": {"from": "now-1h", "to": "now"},
        "templating": {"list": [
            {"name": "datasource", "type": "datasource", "query": "prometheus", "label": "Data source",
             "current": {"text": "Prometheus", "value": "prometheus"}},
            {"name": "chain", "type": "query", "label": "Chain", "datasource": {"type": "prometheus", "uid": "${datasource}"},
             "query": {"query": "label_values(taintwatch_ingest_head_block, chain)", "refId": "chain"},
             "definition": "label_values(taintwatch_ingest_head_block, chain)",
             "includeAll": True, "multi": True, "allValue": ".*", "refresh": 2,
             "current": {"text": "All", "value": "$__all"}},
        ]},
        "panels": out,
    }


if __name__ == "__main__":
    # --check: exit 1 if the committed JSON differs from what this file generates (CI runs it)
    check = "--check" in sys.argv[1:]
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "dashboards")
    stale = []
    for uid, (title, panels) in DASHBOARDS.items():
        path = os.path.join(here, uid + ".json")
        text = json.dumps(dashboard(uid, title, panels), indent=2) + "\n"
        if check:
            if not os.path.exists(path) or open(path).read() != text:
                stale.append(path)
        else:
            with open(path, "w") as f:
                f.write(text)
    if stale:
        print("dashboards out of date with deploy/grafana/generate.py (run it): " + ", ".join(stale), file=sys.stderr)
        sys.exit(1)
