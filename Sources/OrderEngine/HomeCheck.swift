import Foundation
import OrderImport
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

    public func run() -> Report {
        var report = Report(mappings: 0, waitingFiles: 0, problems: [])
        do {
            _ = try EngineConfig.load(from: home.configFile)
        } catch {
            report.problems.append(error.description)
        }
        let mappings: [Mapping]
        do {
            mappings = try MappingLoader().loadFolder(home.mappings)
        } catch {
            report.problems.append(contentsOf: error.errors.map(\.description))
            return report
        }
        report.mappings = mappings.count
        let inbox = Inbox(home: home)
        var settings = (try? EngineConfig.load(from: home.configFile))?.inbox ?? EngineConfig.InboxSettings()
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
