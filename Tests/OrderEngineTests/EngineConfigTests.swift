import Foundation
import GRDB
import Testing
import OrderEngine
import TestSupport

@Suite struct EngineConfigTests {
    @Test(arguments: [32 << 20, 0])
    func theCacheSizeComesFromTheConfigAndIsBackAfterAnImport(largeFile: Int) throws {
        let home = try TestHome()
        try Data("cache_mb: 96\n".utf8).write(to: home.home.configFile)
        try home.drop("customers", "c.csv", Sample.customers([Sample.account("C1")]))
        let engine = try home.engine()
        func cacheKiB() throws -> Int { try engine.database.writer.read { db in try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? 0 } }
        #expect(try cacheKiB() == -96 * 1024)
        // With largeFile 0 every file counts as large and imports through the bounded cache.
        let report = try engine.runSteps([ImportStep(mappings: engine.loadMappings(), largeFile: largeFile)])
        #expect(report.step("import")?["files"] == 1)
        #expect(try cacheKiB() == -96 * 1024)
    }

    @Test func aCacheSizeOutOfRangeIsRefusedWithTheSettingsName() throws {
        let home = try TestHome()
        try Data("cache_mb: 2\n".utf8).write(to: home.home.configFile)
        #expect { try home.engine() } throws: {
            "\($0)" == "configuration: cache_mb '2' at orderflow.yaml:1:11: expected a size in MB from 8 to 65536"
        }
    }

    /// Each bad value is refused with the setting, the value as written, its line and column, and what is expected.
    @Test(arguments: [
        ("ship_policy: partial\n", "ship_policy 'partial' at orderflow.yaml:1:14: expected part, complete or part-after:N (N days in back order)"),
        ("inbox:\n  settle: 1e309\n", "inbox.settle '1e309' at orderflow.yaml:2:11: is too large to be a duration; expected a duration from 0s to 24h, like 2s, 500ms, 5m or 2h"),
        ("inbox:\n  settle: -1\n", "inbox.settle '-1' at orderflow.yaml:2:11: must not be negative; expected a duration from 0s to 24h, like 2s, 500ms, 5m or 2h"),
        ("inbox:\n  settle: 2d\n", "inbox.settle '2d' at orderflow.yaml:2:11: is out of range; expected a duration from 0s to 24h, like 2s, 500ms, 5m or 2h"),
        ("inbox:\n  poll_interval: 1e309\n", "inbox.poll_interval '1e309' at orderflow.yaml:2:18: is too large to be a duration; expected a duration from 100ms to 24h, like 2s, 500ms, 5m or 2h"),
        ("inbox:\n  poll_interval: 0\n", "inbox.poll_interval '0' at orderflow.yaml:2:18: must be more than 0 (a poll with no pause spins the CPU); expected a duration from 100ms to 24h, like 2s, 500ms, 5m or 2h"),
        ("inbox:\n  poll_interval: -1\n", "inbox.poll_interval '-1' at orderflow.yaml:2:18: must be more than 0; expected a duration from 100ms to 24h, like 2s, 500ms, 5m or 2h"),
        ("inbox:\n  poll_interval: -5s\n", "inbox.poll_interval '-5s' at orderflow.yaml:2:18: must be more than 0; expected a duration from 100ms to 24h, like 2s, 500ms, 5m or 2h"),
        ("inbox:\n  poll_interval: 10ms\n", "inbox.poll_interval '10ms' at orderflow.yaml:2:18: is out of range; expected a duration from 100ms to 24h, like 2s, 500ms, 5m or 2h"),
        ("inbox:\n  poll_interval: soon\n", "inbox.poll_interval 'soon' at orderflow.yaml:2:18: is not a duration; expected a duration from 100ms to 24h, like 2s, 500ms, 5m or 2h"),
        ("inbox:\n  max_file_size: -1\n", "inbox.max_file_size '-1' at orderflow.yaml:2:18: must be more than 0; expected a size such as 500MB, 4GB or 1048576 (bytes)"),
        ("inbox:\n  max_file_size: 0GB\n", "inbox.max_file_size '0GB' at orderflow.yaml:2:18: must be more than 0; expected a size such as 500MB, 4GB or 1048576 (bytes)"),
        ("inbox:\n  max_file_size: 9000000000GB\n", "inbox.max_file_size '9000000000GB' at orderflow.yaml:2:18: is too large to count in bytes; expected a size such as 500MB, 4GB or 1048576 (bytes)"),
        ("inbox:\n  max_file_size: 99999999999999999999\n", "inbox.max_file_size '99999999999999999999' at orderflow.yaml:2:18: is too large to count in bytes; expected a size such as 500MB, 4GB or 1048576 (bytes)"),
        ("inbox:\n  max_files_per_poll: -1\n", "inbox.max_files_per_poll '-1' at orderflow.yaml:2:23: expected a whole number from 0 (0: no cap)"),
        ("inbox:\n  reject_empty: maybe\n", "inbox.reject_empty 'maybe' at orderflow.yaml:2:17: expected true or false"),
        ("inbox:\n  ignore: \"*.tmp\"\n", "inbox.ignore '*.tmp' at orderflow.yaml:2:11: expected a list of name patterns, e.g. [\".*\", \"*.tmp\"]"),
        ("inbox:\n  colour: blue\n", "unknown setting 'colour' in inbox at orderflow.yaml:2:3: expected one of poll_interval, settle, ignore, max_file_size, max_files_per_poll, reject_empty"),
        ("inbox: 5\n", "inbox (5) at orderflow.yaml:1:8: inbox must be a mapping of settings (poll_interval, settle, ignore, max_file_size, max_files_per_poll, reject_empty)"),
        ("outputs:\n  pick_list: ../wms\n", "outputs.pick_list '../wms' at orderflow.yaml:2:14: expected 'standard' or the name of an output mapping in mappings/outputs/ (lower-case letters, digits, - and _)"),
        ("outputs:\n  warehouse_pick_lists: [WH2]\n", "outputs.warehouse_pick_lists (a list) at orderflow.yaml:2:25: expected a mapping of warehouse to output mapping, e.g. { WH2: wms-b }"),
        ("outputs:\n  purchase_order: ubl-order\n", "unknown setting 'purchase_order' in outputs at orderflow.yaml:2:3: expected one of pick_list, warehouse_pick_lists, exception_report, back_order_report"),
        ("currency_decimals: 7\n", "currency_decimals '7' at orderflow.yaml:1:20: expected a whole number of decimal places from 0 to 4"),
        ("currency: euro\n", "currency 'euro' at orderflow.yaml:1:11: expected a three-letter ISO 4217 currency code, e.g. GBP, EUR or USD"),
        ("currency: GBP\ncurrency_rates:\n  EUR: 0,86\n", "currency_rates.EUR '0,86' at orderflow.yaml:3:8: expected what one EUR is worth in the home currency: a decimal above 0 with a dot and at most 12 decimal places, e.g. 0.8612"),
        ("currency: GBP\ncurrency_rates:\n  EUR: 0\n", "currency_rates.EUR '0' at orderflow.yaml:3:8: expected what one EUR is worth in the home currency: a decimal above 0 with a dot and at most 12 decimal places, e.g. 0.8612"),
        ("currency: GBP\ncurrency_rates:\n  EUR: 1e3\n", "currency_rates.EUR '1e3' at orderflow.yaml:3:8: expected what one EUR is worth in the home currency: a decimal above 0 with a dot and at most 12 decimal places, e.g. 0.8612"),
        ("currency: GBP\ncurrency_rates:\n  EURO: 0.86\n", "currency_rates 'EURO' at orderflow.yaml:3:3: expected a three-letter ISO 4217 currency code, e.g. EUR"),
        ("currency: GBP\ncurrency_rates:\n  GBP: 2\n", "currency_rates (a mapping) at orderflow.yaml:3:3: gives GBP a rate of 2, but GBP is the home currency (currency), worth 1; remove it"),
        ("currency_rates:\n  EUR: 0.86\n", "currency_rates (a mapping) at orderflow.yaml:2:3: says what each currency is worth in the home currency: give that currency too, e.g. currency: GBP"),
        ("units:\n  KGM: 1000\n", "units.KGM '1000' at orderflow.yaml:2:8: expected how many of another unit one KGM is: a number above 0 with at most 3 decimals, a space and the unit, e.g. 1000 GRM"),
        ("units:\n  KGM: 0 GRM\n", "units.KGM '0 GRM' at orderflow.yaml:2:8: expected how many of another unit one KGM is: a number above 0 with at most 3 decimals, a space and the unit, e.g. 1000 GRM"),
        ("units:\n  KGM: 1 kgm\n", "units.KGM '1 kgm' at orderflow.yaml:2:8: converts KGM into itself; name another unit, e.g. 1000 GRM"),
        ("units: [KGM]\n", "units (a list) at orderflow.yaml:1:8: expected a mapping of unit to what one of it is in another unit, e.g. { KGM: 1000 GRM, CS: 12 EA }"),
        ("currency_decimals: two\n", "currency_decimals 'two' at orderflow.yaml:1:20: expected a whole number of decimal places from 0 to 4"),
        ("cache_mb: [1]\n", "cache_mb (a list) at orderflow.yaml:1:11: expected a single value, not a list"),
        ("allocation_mode: fast\n", "allocation_mode 'fast' at orderflow.yaml:1:18: expected incremental or full"),
        ("despatch: never\n", "despatch 'never' at orderflow.yaml:1:11: expected on-pick-list or confirmed"),
        ("split_lines: sometimes\n", "split_lines 'sometimes' at orderflow.yaml:1:14: expected true or false"),
        ("time_zone: Mars/Olympus\n", "time_zone 'Mars/Olympus' at orderflow.yaml:1:12: is not a time zone; use a name such as UTC or Europe/London"),
        ("default_warehouse: \"\"\n", "default_warehouse '' at orderflow.yaml:1:20: must not be blank"),
        ("outbox_mode: \"0777\"\n", "outbox_mode '0777' at orderflow.yaml:1:14: expected file permissions in octal from \"0600\" to \"0666\" with the owner able to read and write, e.g. \"0640\" for a group-readable collector"),
        ("database:\n", "database at orderflow.yaml:1:10: has no value; give one or remove the line"),
        ("colour: blue\n", "unknown setting 'colour' at orderflow.yaml:1:1: expected one of database, default_warehouse, currency_decimals, currency, currency_rates, units, time_zone, ship_policy, split_lines, allocation_mode, despatch, cache_mb, outbox_mode, outputs, inbox, jobs"),
        ("- a\n- b\n", "orderflow.yaml:1:1: the file must be a mapping of settings (database, default_warehouse, currency_decimals, currency, currency_rates, units, time_zone, ship_policy, split_lines, allocation_mode, despatch, cache_mb, outbox_mode, outputs, inbox, jobs)"),
        ("ship_policy: [part\n", "orderflow.yaml:2:1: not valid YAML: did not find expected ',' or ']'"),
    ])
    func aBadValueIsRefusedWithItsLineAndColumn(yaml: String, message: String) throws {
        let (_, issues) = EngineConfig.parse(yaml: yaml)
        #expect(issues.map(\.description) == [message])
        // The engine refuses to start with the same words, never a raw DecodingError.
        let home = try TestHome()
        try Data(yaml.utf8).write(to: home.home.configFile)
        #expect { try home.engine() } throws: { "\($0)" == "configuration: \(message)" }
    }

    /// Job mistakes found while reading the file (the steps against the pipeline come later, in `JobRunner`).
    @Test(arguments: [
        ("jobs:\n  - name: a\n    every: 5m\n    steps: [allocate, allocate]\n",
         "job 'a' step 'allocate' at orderflow.yaml:4:23: is listed twice (first at line 4, column 13); a job runs each step once"),
        ("jobs:\n  - name: a\n    every: 5m\n  - name: a\n    every: 1h\n",
         "job 'a' at orderflow.yaml:4:11: a second job of this name (the first is at line 2); give each job its own name"),
        ("jobs:\n  - name: a\n", "job 'a' at orderflow.yaml:2:5: has neither 'every' (30s, 5m, 2h) nor 'cron' (\"0 6 * * MON-FRI\"); give one of them"),
        ("jobs:\n  - name: a\n    every: 0s\n", "job 'a' every '0s' at orderflow.yaml:3:12: must be more than 0; expected whole seconds from 1s to 31 days, like 30s, 5m or 2h"),
        ("jobs:\n  - name: a\n    every: 1e309\n", "job 'a' every '1e309' at orderflow.yaml:3:12: is out of range; expected whole seconds from 1s to 31 days, like 30s, 5m or 2h"),
        ("jobs:\n  - name: a\n    every: 1500ms\n", "job 'a' every '1500ms' at orderflow.yaml:3:12: is not a whole number of seconds; expected whole seconds from 1s to 31 days, like 30s, 5m or 2h"),
        ("jobs:\n  - name: a\n    every: 5m\n    missed: later\n", "job 'a' missed 'later' at orderflow.yaml:4:13: expected run-once or skip"),
        ("jobs:\n  - name: a\n    every: 5m\n    priority: 1\n", "unknown setting 'priority' in a job at orderflow.yaml:4:5: expected one of name, every, cron, time_zone, steps, missed, empty_reports"),
        ("jobs:\n  - name: a\n    every: 5m\n    empty_reports: never\n", "job 'a' empty_reports 'never' at orderflow.yaml:4:20: expected write (a report with no lines is written with its header) or skip"),
        ("jobs:\n  - every: 5m\n", "jobs[1] (a mapping) at orderflow.yaml:2:5: needs 'name:'"),
        ("jobs:\n  - name: a\n    cron: \"0 6 * * MON-FRY\"\n",
         "job 'a' cron '0 6 * * MON-FRY' at orderflow.yaml:3:20: day of week 'FRY' is not a number from 0 to 7 or SUN-SAT"),
        ("jobs:\n  - name: a\n    cron: 0 6 * * *\n    time_zone: Europe/Londn\n",
         "job 'a' time_zone 'Europe/Londn' at orderflow.yaml:4:16: is not a time zone; use a name such as UTC or Europe/London"),
    ])
    func aJobMistakeIsRefusedWithItsLineAndColumn(yaml: String, message: String) {
        let (_, issues) = EngineConfig.parse(yaml: yaml)
        #expect(issues.map(\.description) == [message])
    }

    /// Cron expressions that must not be accepted; each is an error at the cron value's line.
    @Test(arguments: ["*/0 * * * *", "5-1 * * * *", "61 * * * *", "0 6 * * MON-FRY", "@reboot", "0 0 6 * * *", "", "0 6 * *",
                      "0 0 31 2 *", "0 0 30 FEB *"])
    func anInvalidCronExpressionIsRefusedAtItsLine(cron: String) {
        let (_, issues) = EngineConfig.parse(yaml: "jobs:\n  - name: a\n    cron: \"\(cron)\"\n")
        #expect(issues.count == 1)
        #expect(issues.first?.location?.line == 3)
        #expect(issues.first?.description.hasPrefix("job 'a' cron '\(cron)' at orderflow.yaml:3:") == true)
    }

    @Test func aCronExpressionThatNeverRunsSaysWhy() {
        let (_, issues) = EngineConfig.parse(yaml: "jobs:\n  - name: a\n    cron: \"0 0 31 2 *\"\n")
        #expect(issues.map(\.description) == ["job 'a' cron '0 0 31 2 *' at orderflow.yaml:3:11: never runs: no month has that day; choose a day the month has"])
        // 29 February comes every four years: that runs.
        #expect(EngineConfig.parse(yaml: "jobs:\n  - name: a\n    cron: \"0 0 29 2 *\"\n").issues.isEmpty)
    }

    /// Every form the README documents still loads.
    @Test func theDocumentedSettingsStillLoad() throws {
        let yaml = """
            database: orderflow.sqlite     # relative to the home
            default_warehouse: MAIN
            currency_decimals: 2
            time_zone: UTC
            ship_policy: part-after:3
            split_lines: false
            allocation_mode: full
            despatch: confirmed
            cache_mb: 256
            outputs:
              pick_list: standard
              warehouse_pick_lists: { WH2: wms-b }
              exception_report: ops-report
            inbox:
              poll_interval: 500ms
              settle: 0
              ignore: [".*", "*.tmp", "*.part", "*.filepart", "*.partial"]
              max_file_size: 500MB
              max_files_per_poll: 0
              reject_empty: true
            jobs:
              - name: cycle
                every: 2s
                steps: [all]
              - name: hourly
                every: 2h
              - name: slow
                every: 5m
                steps: [allocate, export]
              - name: morning-back-orders
                cron: "0 6 * * MON-FRI"
                time_zone: Europe/London
                steps: [allocate, export]
                missed: skip
            """
        let (config, issues) = EngineConfig.parse(yaml: yaml)
        #expect(issues.isEmpty, "\(issues)")
        #expect(config.shipPolicy == .partAfter(days: 3))
        #expect(config.allocationMode == .full)
        #expect(config.despatch == .confirmed)
        #expect(config.outputs.pickList(for: "MAIN") == "standard" && config.outputs.pickList(for: "WH2") == "wms-b")
        #expect(config.outputs.exceptionReport == "ops-report" && config.outputs.backOrderReport == "standard")
        #expect(config.inbox.pollInterval == 0.5)
        #expect(config.inbox.settle == 0)
        #expect(config.inbox.maxFileSize == 500 << 20)
        #expect(config.jobs.map(\.name) == ["cycle", "hourly", "slow", "morning-back-orders"])
        #expect(config.jobs.map(\.every) == ["2s", "7200s", "300s", nil])
        #expect(config.jobs[0].steps == nil)
        #expect(config.jobs[3].steps == ["allocate", "export"])

        for text in ["2s", "2", "1.5s", "5m", "2h", "100ms", "24h"] {
            #expect(EngineConfig.parse(yaml: "inbox:\n  poll_interval: \(text)\n").issues.isEmpty, "\(text)")
        }
        for text in ["4GB", "4gb", "1048576", "1 KB", "1TB"] {
            #expect(EngineConfig.parse(yaml: "inbox:\n  max_file_size: \(text)\n").issues.isEmpty, "\(text)")
        }
        // An empty file, an empty inbox: and a jobs: whose jobs are all commented out are the defaults.
        #expect(EngineConfig.parse(yaml: "").issues.isEmpty)
        #expect(EngineConfig.parse(yaml: "inbox:\njobs:\n#  - name: cycle\n").issues.isEmpty)
    }

    /// All the mistakes of a file are reported at once, in the order they are written.
    @Test func everyMistakeOfAFileIsReportedInOrder() {
        let (_, issues) = EngineConfig.parse(yaml: "colour: red\ncache_mb: 1\ninbox:\n  settle: x\nship_policy: partial\n")
        #expect(issues.compactMap(\.location?.line) == [1, 2, 4, 5])
    }
}
