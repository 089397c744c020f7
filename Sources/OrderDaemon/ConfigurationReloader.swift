import Foundation
import Logging
import OrderEngine

/// Applies edits of the configuration (orderflow.yaml, rules.yaml, the mappings) to a running engine at a
/// cycle boundary, after validation.
///
/// The daemon asks it before each poll. When nothing changed it costs a few `stat` calls. When a file
/// changed, everything is loaded and checked as a whole: if it is good the engine switches to it (a new
/// `JobRunner`, so a new job runs and a removed one stops); if not, the engine keeps its last good
/// configuration and the broken edit is reported once (a log error on one line naming file:line:col, and a
/// failed run of `configuration` in the record), and again only when the files change again.
public struct ConfigurationReloader: Sendable {
    /// What the configuration files looked like: each file's path, size and modification time.
    public struct Fingerprint: Sendable, Hashable {
        var files: [String: [Int64]]

        public static func of(_ home: Home) -> Fingerprint {
            var files: [String: [Int64]] = [:]
            var paths = [home.configFile.path, home.rulesFile.path]
            if let names = try? FileManager.default.contentsOfDirectory(atPath: home.mappings.path) {
                paths += names.map { home.mappings.appendingPathComponent($0).path }
            }
            for path in paths {
                var info = stat()
                guard stat(path, &info) == 0 else { continue }
                files[path] = [Int64(info.st_size), Int64(info.st_mtim.tv_sec), Int64(info.st_mtim.tv_nsec), Int64(info.st_ino)]
            }
            return Fingerprint(files: files)
        }
    }

    /// What one check found.
    public enum Outcome: Sendable {
        case unchanged
        /// The edit is good: run on this runner from now on.
        case applied(JobRunner)
        /// The edit is broken (reported now, once); the engine keeps its runner.
        case rejected(String)
        /// The edit is still broken and was already reported.
        case stillRejected
    }

    let home: Home
    var current: Fingerprint
    var rejected: Fingerprint?

    /// Starts from the files as they are now (the configuration the engine started with).
    public init(home: Home) {
        self.home = home
        current = .of(home)
    }

    /// Checks the files; on a change, loads and validates everything and says what to do.
    public mutating func check(_ runner: JobRunner) -> Outcome {
        let now = Fingerprint.of(home)
        if now == current { return .unchanged }
        if now == rejected { return .stillRejected }
        // A file being saved may be caught half-written: its next save changes the fingerprint again.
        do {
            let config = try EngineConfig.load(from: home.configFile)
            let engine = runner.engine.reconfigured(config)
            let mappings = try engine.loadMappings()
            let next = try JobRunner(engine: engine, mappings: mappings, rules: try engine.loadRules(mappings: mappings))
            if config.database != runner.engine.config.database {
                engine.logger.warning("a changed database setting applies when the engine restarts",
                                      metadata: ["config.database": "\(config.database)"])
            }
            current = now
            rejected = nil
            engine.logger.notice("configuration reloaded", metadata: [
                "jobs": "\(next.jobs.map { "\($0.name) (\($0.schedule))" }.joined(separator: ", "))",
            ])
            return .applied(next)
        } catch {
            rejected = now
            let message = EngineError.oneLine(error)
            runner.engine.logger.error("configuration edit rejected; the engine keeps running on its last good configuration",
                                       metadata: ["error": "\(message)"])
            try? runner.recordRejectedConfiguration(message)
            return .rejected(message)
        }
    }
}
