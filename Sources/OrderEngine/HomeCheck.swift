import Foundation
import OrderImport
import OrderInbox
import OrderModel

/// `orderflow check`: everything that would stop or spoil an import, found before it runs.
public struct HomeCheck: Sendable {
    public let home: Home
    public init(home: Home) { self.home = home }

    public struct Report: Sendable, Codable {
        public var mappings: Int
        public var waitingFiles: Int
        public var problems: [String]
        enum CodingKeys: String, CodingKey { case mappings, waitingFiles = "waiting_files", problems }
    }

    /// Finds every problem the engine would refuse to run with: the config (each mistake with its line
    /// and column), the mappings, `rules.yaml`, the jobs' steps against the pipeline, and the headers
    /// of the files waiting in the inbox. Opens no database, so it never creates one.
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
}
