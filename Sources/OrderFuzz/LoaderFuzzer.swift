import Foundation
import OrderEngine
import OrderImport
import OrderRules

/// Feeds fuzzed text to the YAML loaders as a user edits the files: a mapping, `rules.yaml`
/// and `orderflow.yaml`, each through the public entry point the engine calls.
enum LoaderFuzzer {
    /// A mapping file; when it loads, the repository's sample file of its format is read through it,
    /// so transforms, date patterns, regexes and XPaths that the loader accepted are exercised too.
    static func mapping(_ bytes: UnsafeBufferPointer<UInt8>) {
        let text = String(decoding: bytes, as: UTF8.self)
        let mapping: Mapping
        do {
            mapping = try MappingLoader().load(yaml: text, file: "mappings/fuzz.yaml", name: "fuzz")
        } catch {
            _ = error.description
            return
        }
        switch mapping.format {
        case .csv:
            if let sample = Repository.samples.csvByFeed[mapping.feed] { FeedFuzzer.read(sample, through: mapping) }
        case .xml:
            for sample in Repository.samples.xml { FeedFuzzer.read(sample, through: mapping) }
        }
    }

    /// A `rules.yaml` in a scratch home, checked against the built-in field catalog.
    static func rules(_ bytes: UnsafeBufferPointer<UInt8>) {
        _ = ScratchFolder.write(bytes, name: "rules.yaml")
        do {
            _ = try RulesFile.load(home: Home(ScratchFolder.url.path), catalog: FieldCatalog())
        } catch {
            _ = error.description
        }
    }

    /// An `orderflow.yaml`.
    static func config(_ bytes: UnsafeBufferPointer<UInt8>) {
        let path = ScratchFolder.write(bytes, name: "orderflow.yaml")
        do {
            let config = try EngineConfig.load(from: URL(fileURLWithPath: path))
            _ = config.money
        } catch {
            _ = error.description
        }
    }
}
