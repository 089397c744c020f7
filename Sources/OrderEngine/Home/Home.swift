import Foundation
import OrderInbox
import OrderExport

/// A working home: the folders and files one engine owns.
///
/// The repository root is itself a home, so a fresh clone runs as it is.
public struct Home: Sendable {
    public let root: URL
    public init(_ path: String) {
        root = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
    }

    public var inbox: URL { root.appendingPathComponent("inbox", isDirectory: true) }
    public var outbox: URL { root.appendingPathComponent("outbox", isDirectory: true) }
    public var mappings: URL { root.appendingPathComponent("mappings", isDirectory: true) }
    public var archive: URL { root.appendingPathComponent("archive", isDirectory: true) }
    public var failed: URL { root.appendingPathComponent("failed", isDirectory: true) }
    /// Claimed input files while they are imported; a file here after a crash is finished on the next start.
    public var processing: URL { root.appendingPathComponent("processing", isDirectory: true) }
    public var configFile: URL { root.appendingPathComponent("orderflow.yaml") }
    /// Stages and the pipeline of steps and process rules.
    public var rulesFile: URL { root.appendingPathComponent("rules.yaml") }
    public var lockFile: URL { root.appendingPathComponent(".orderflow.lock") }

    public func database(_ config: EngineConfig) -> URL {
        URL(fileURLWithPath: config.database, relativeTo: root).standardizedFileURL
    }

    /// Creates the folders, the default config and the standard mappings; never overwrites a file.
    /// - Returns: the paths created.
    @discardableResult
    public func initialize() throws -> [String] {
        let fm = FileManager.default
        var created: [String] = []
        for folder in [inbox, outbox, mappings, outputMappings, mappingExamples] + Feed.allFolders.map({ inbox.appendingPathComponent($0) })
            + ["picklists", "purchase-orders", "exceptions"].map({ outbox.appendingPathComponent($0) }) {
            if !fm.fileExists(atPath: folder.path) {
                try fm.createDirectory(at: folder, withIntermediateDirectories: true)
                created.append(relative(folder))
            }
        }
        var files = [(configFile, DefaultFiles.config), (rulesFile, DefaultFiles.rules)]
        for (name, text) in DefaultFiles.mappings { files.append((mappings.appendingPathComponent(name), text)) }
        for (name, text) in ShippedMappings.inbound { files.append((mappingExamples.appendingPathComponent("\(name).yaml"), text)) }
        for (name, text) in ShippedMappings.outputs { files.append((outputMappings.appendingPathComponent("\(name).yaml"), text)) }
        for (url, text) in files where !fm.fileExists(atPath: url.path) {
            try Data(text.utf8).write(to: url, options: .atomic)
            created.append(relative(url))
        }
        return created
    }

    /// Makes what an older engine (or another umask) left readable private: the database and its
    /// journal files 0600; archive/, failed/ and processing/ 0700, which closes everything below them.
    func makePrivate(database path: String) {
        for file in [path, path + "-wal", path + "-shm"] { chmod(file, FileModes.Mode.privateFile.bits) }
        for folder in [archive, failed, processing] { chmod(folder.path, FileModes.Mode.privateFolder.bits) }
    }

    func relative(_ url: URL) -> String {
        let path = url.standardizedFileURL.path
        let base = root.path.hasSuffix("/") ? root.path : root.path + "/"
        return path.hasPrefix(base) ? String(path.dropFirst(base.count)) : path
    }
}

import OrderImport
extension Feed {
    /// The inbox folders of the standard layout.
    static var allFolders: [String] { allCases.map(\.rawValue) }
}

extension Home {
    /// For commands that only read (status, orders, search, ...): refuses a folder that is not a home, or a
    /// home with no database, instead of creating an empty database there and reporting "no orders".
    public func requireDatabase() throws(EngineError) {
        let fm = FileManager.default
        let path = root.path
        guard fm.fileExists(atPath: configFile.path) || fm.fileExists(atPath: mappings.path) else {
            throw .notPossible("\(path) is not an orderflow home (no orderflow.yaml, no mappings/); create one with 'orderflow init --home \(path)', or name yours with --home")
        }
        // A broken orderflow.yaml is for the engine's opening to report; its database line, if readable, still counts.
        let database = database(EngineConfig.read(from: configFile).config)
        guard fm.fileExists(atPath: database.path) else {
            throw .notPossible("no database at \(database.path): this home has not been set up; 'orderflow init --home \(path)' creates it (then 'orderflow cycle' imports the inbox)")
        }
    }
}

extension Home {
    /// The folders the inbox watcher moves files through.
    public var inboxFolders: InboxFolders {
        InboxFolders(inbox: inbox, processing: processing, archive: archive, failed: failed)
    }
}
