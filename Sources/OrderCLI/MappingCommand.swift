import ArgumentParser
import Foundation
import OrderEngine
import OrderImport

struct MappingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mapping", abstract: "Work with mapping files.", subcommands: [MappingTestCommand.self])
}

struct MappingTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Show the records a file would produce through a mapping, and every rejection; the database is not touched.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "The mapping: a name in mappings/ (orders) or a path to a YAML file.") var mapping: String
    @Argument(help: "The file to read.") var file: String
    @Option(help: "How many records to show in the table (--json shows all).") var limit = 20

    func run() throws {
        let home = Home(global.home)
        let path: URL
        let givenAsPath = mapping.hasSuffix(".yaml") || mapping.hasSuffix(".yml") || mapping.contains("/")
        if givenAsPath {
            path = URL(fileURLWithPath: mapping)
        } else {
            path = home.mappings.appendingPathComponent("\(mapping).yaml")
        }
        // A problem with the mapping is the user's file, not the command line: said without the usage text.
        guard let text = try? String(contentsOf: path, encoding: .utf8) else {
            throw MappingFileProblem(description: "cannot read the mapping \(path.path); give a name in \(home.mappings.path) or a path")
        }
        let loaded: Mapping
        do {
            // Positions are given in the file as the user named it (`bad.yaml:15:11`, `mappings/orders.yaml:3:5`).
            loaded = try MappingLoader().load(yaml: text, file: givenAsPath ? mapping : "mappings/\(path.lastPathComponent)",
                                              name: path.deletingPathExtension().lastPathComponent)
        } catch {
            throw MappingFileProblem(description: error.description)
        }
        let result = MappingPreview(mapping: loaded, home: home, clock: global.clock).run(path: file, limit: output.json ? nil : limit)
        if output.json {
            try Output.json(result)
        } else {
            if let error = result.fileError {
                print("the whole file would be rejected: \(error)")
            } else {
                let columns = loaded.feed.fields.map(\.name).filter { name in result.records.contains { $0.fields[name] != nil } }
                let custom = Array(Set(result.records.flatMap(\.custom.keys))).sorted()
                print("\(result.recordCount) record(s) would import through \(result.mapping); showing \(result.records.count)")
                print("\(result.recordsRead) read, \(result.rejectedCount) refused, \(result.duplicateCount) already imported (ignored)"
                      + (result.skippedCount > 0 ? ", \(result.skippedCount) row(s) skipped by the mapping's skip_when" : ""))
                if !result.records.isEmpty {
                    Output.table(["line"] + columns + custom, result.records.map { r in
                        ([r.location.map { "\(r.line) \($0)" } ?? "\(r.line)"] + columns.map { r.fields[$0] ?? "" } + custom.map { r.custom[$0] ?? "" })
                            .map { $0.replacingOccurrences(of: "\r", with: "").replacingOccurrences(of: "\n", with: "\\n") }
                    })
                }
            }
            if !result.rejections.isEmpty {
                print("\n\(result.rejections.count) rejection(s) and duplicate(s):")
                for r in result.rejections {
                    print("  line \(r.line)\(r.location.map { " (\($0))" } ?? ""): \(r.kind.hasPrefix("duplicate") ? "[duplicate] " : "")\(r.message)")
                }
            }
        }
        if result.fileError != nil { throw ExitCode(1) }
    }
}

/// A mapping that cannot be read or loaded: printed as `Error: <file>:<line>:<col>: ...` and exit status 1.
struct MappingFileProblem: Error, CustomStringConvertible {
    var description: String
}
