import Foundation
import OrderImport

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
        for candidate in inbox.candidates(mappings) {
            report.waitingFiles += 1
            do {
                try FeedReader(mapping: candidate.mapping).checkHeader(try InputFile(path: candidate.url.path))
            } catch {
                report.problems.append("inbox/\(candidate.mapping.inbox)/\(candidate.name): \(error) (read through \(candidate.mapping.file))")
            }
        }
        // Files no mapping reads would wait forever: say so.
        let folders = Set(mappings.map(\.inbox))
        if let names = try? FileManager.default.contentsOfDirectory(atPath: home.inbox.path) {
            for folder in names.sorted() where !folder.hasPrefix(".") {
                let url = home.inbox.appendingPathComponent(folder)
                guard let files = try? FileManager.default.contentsOfDirectory(atPath: url.path) else { continue }
                for name in files.sorted() where !name.hasPrefix(".") {
                    let readers = mappings.filter { $0.inbox == folder && $0.matches(fileName: name) }
                    if readers.isEmpty {
                        report.problems.append("inbox/\(folder)/\(name): no mapping reads it\(folders.contains(folder) ? " (its name matches no pattern)" : " (no mapping has inbox: \(folder))"); it stays in the inbox")
                    }
                }
            }
        }
        return report
    }
}
