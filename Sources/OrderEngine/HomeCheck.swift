import Foundation
import OrderImport
import OrderInbox
import OrderModel
import OrderOutput
import OrderStore

/// `orderflow check`: everything that would stop or spoil an import, found before it runs.
public struct HomeCheck: Sendable {
    public let home: Home
    public init(home: Home) { self.home = home }

    public struct Report: Sendable, Codable {
        public var mappings: Int
        /// The output mappings in `mappings/outputs/` that load.
        public var outputMappings: Int = 0
        public var waitingFiles: Int
        public var problems: [String]
        enum CodingKeys: String, CodingKey { case mappings, outputMappings = "output_mappings", waitingFiles = "waiting_files", problems }
    }

    /// Finds every problem the engine would refuse to run with: the config (each mistake with its line
    /// and column), the mappings, `rules.yaml`, the jobs' steps against the pipeline, and the headers
    /// of the files waiting in the inbox; the output mappings, the names `outputs:` gives and, when the home
    /// has a database, the suppliers' `po_format`s. Opens only a database that exists, so it never creates one.
    public func run() -> Report {
        var report = Report(mappings: 0, waitingFiles: 0, problems: [])
        let (config, issues) = EngineConfig.read(from: home.configFile)
        report.problems += issues.map { "configuration: \($0)" }
        let database = home.database(config)
        var isFolder: ObjCBool = false
        let folder = database.deletingLastPathComponent()
        if !FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder) || !isFolder.boolValue {
            report.problems.append("configuration: database '\(config.database)': the folder \(folder.path) does not exist; the engine cannot open its database there")
        }
        let mappings: [Mapping]
        do {
            mappings = try MappingLoader().loadFolder(home.mappings)
        } catch {
            report.problems.append(contentsOf: error.errors.map(\.description))
            // rules.yaml may name custom fields of the broken mappings: it is checked once they load.
            return report
        }
        report.mappings = mappings.count
        checkOutputs(config, mappings: mappings, database: database, into: &report)
        do {
            let rules = try RulesFile.load(home: home, catalog: RulesFile.catalog(mappings))
            let (_, problems) = JobDefinition.definitions(config, pipeline: rules.pipeline.map(\.name))
            report.problems += problems.map { "jobs: \($0)" }
        } catch {
            report.problems.append(error.description)
        }
        let inbox = Inbox(folders: home.inboxFolders)
        var settings = config.inbox
        settings.settle = -.infinity
        settings.maxFilesPerPoll = 0
        let scan = inbox.scan(mappings, settings: settings, fileClock: FixedClock(Timestamp(secondsSinceEpoch: .max / 2)), observations: nil)
        for candidate in scan.ready {
            report.waitingFiles += 1
            do {
                try FeedReader(mapping: candidate.mapping).checkHeader(try InputFile(path: candidate.url.path))
            } catch {
                report.problems.append("inbox/\(candidate.mapping.inbox)/\(candidate.name): \(error) (read through \(candidate.mapping.file))")
            }
        }
        report.waitingFiles += scan.waiting
        report.problems += scan.oddities.map { $0.reason + "; the engine moves it to failed/ unread" } + scan.unmapped.map(\.reason)
        return report
    }

    /// Every output mapping loads (each mistake with its file:line:col), every name under `outputs:` is a mapping
    /// of its document, and so is every supplier's `po_format` that is not a built-in layout.
    ///
    /// A name whose file is there but does not load is not said twice: its file's mistakes are.
    private func checkOutputs(_ config: EngineConfig, mappings: [Mapping], database: URL, into report: inout Report) {
        var outputs = OutputMappings([])
        var broken = false
        do {
            outputs = try OutputMappings.read(home: home, mappings: mappings)
            report.outputMappings = outputs.byName.count
        } catch {
            report.problems += error.errors.map(\.description)
            broken = true
        }
        func check(_ name: String, _ kind: OutputDocumentKind, _ recipient: String) {
            if broken, ["yaml", "yml"].contains(where: { ext in
                FileManager.default.fileExists(atPath: home.outputMappings.appendingPathComponent("\(name).\(ext)").path)
            }) { return }
            do {
                _ = try outputs.mapping(named: name, for: kind, recipient: recipient)
            } catch {
                report.problems.append(error.description)
            }
        }
        let setting = { (key: String) in "outputs.\(key) in \(EngineConfig.fileName)" }
        check(config.outputs.pickList, .pickList, setting("pick_list"))
        for (warehouse, name) in config.outputs.warehousePickLists.sorted(by: { $0.key < $1.key }) {
            check(name, .pickList, setting("warehouse_pick_lists.\(warehouse)"))
        }
        check(config.outputs.exceptionReport, .exceptionReport, setting("exception_report"))
        check(config.outputs.backOrderReport, .backOrderReport, setting("back_order_report"))

        guard OrderDatabase.presence(at: database.path) == .existing else { return }
        let formats: [String: [String]]
        do {
            formats = try OrderDatabase(path: database.path, cacheMB: 16).supplierPOFormats()
        } catch {
            report.problems.append("database \(database.path): cannot read the suppliers' po_format: \(error)")
            return
        }
        for (format, suppliers) in formats.sorted(by: { $0.key < $1.key }) where !OutputMappings.isBuiltIn(format, for: .purchaseOrder) {
            let shown = suppliers.prefix(3).joined(separator: ", ") + (suppliers.count > 3 ? " and \(suppliers.count - 3) more" : "")
            check(format, .purchaseOrder, "the po_format of supplier\(suppliers.count == 1 ? "" : "s") \(shown)")
        }
    }
}
