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
        abstract: "Show the records a file would produce through a mapping, and every rejection; or, for an output mapping, the document it would write; the database is not touched.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "The mapping: a name in mappings/ (orders) or mappings/outputs/ (acme-po), or a path to a YAML file.") var mapping: String
    @Argument(help: ArgumentHelp("The file to read; for an output mapping, what to render: a PO ref (purchase order), a warehouse code (pick list), nothing (reports).",
                                 valueName: "file-or-document")) var file: String?
    @Option(help: "How many records to show in the table (--json shows all).") var limit = 20
    @Option(name: .customLong("pick-list"), help: ArgumentHelp("For a pick-list output mapping: render the written pick list REF.", valueName: "ref"))
    var pickList: String?
    @Option(help: ArgumentHelp("For an output mapping: write the rendered document to this file instead of standard output.", valueName: "file"))
    var out: String?

    func run() throws {
        let home = Home(global.home)
        if OutputPreview.isOutputMapping(mapping, home: home) { return try renderOutput(home) }
        guard let file else { throw ValidationError("give the file to read through the mapping '\(mapping)'") }
        if pickList != nil || out != nil { throw ValidationError("--pick-list and --out are for output mappings (mappings/outputs/)") }
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

extension MappingTestCommand {
    /// `mapping test` on an output mapping: the document's bytes on standard output (or `--out`), where the export
    /// would write it on standard error; nothing is written to the outbox or the database.
    func renderOutput(_ home: Home) throws {
        if output.json { throw ValidationError("--json is for inbound mappings; an output mapping's document is printed as written") }
        let engine = try global.existingEngine()
        let result = try OutputPreview(engine: engine, mappings: try engine.loadMappings())
            .render(mapping: mapping, argument: file, pickList: pickList)
        if let out {
            try Data(result.bytes).write(to: URL(fileURLWithPath: out))
        } else {
            FileHandle.standardOutput.write(Data(result.bytes))
        }
        FileHandle.standardError.write(Data("\(result.document) through \(result.mapping): \(result.rows) row(s), \(result.bytes.count) byte(s); would be written as outbox/\(result.folder)/\(result.fileName)\n".utf8))
    }
}

/// A mapping that cannot be read or loaded: printed as `Error: <file>:<line>:<col>: ...` and exit status 1.
struct MappingFileProblem: Error, CustomStringConvertible {
    var description: String
}
