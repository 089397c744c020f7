import Foundation
import OrderEngine
import OrderImport
import OrderRules

/// Feeds fuzzed text to the YAML loaders as a user edits the files: a mapping, `rules.yaml`
/// and `orderflow.yaml`, each through the public entry point the engine calls.
enum LoaderFuzzer {
    /// A mapping file; when it loads, the repository's sample file of its format is read through it,
    /// so transforms, date patterns, regexes and XPaths that the loader accepted are exercised too.
    static func mapping(_ bytes: UnsafeBufferPointer<UInt8>) -> [String] {
        let text = String(decoding: bytes, as: UTF8.self)
        let mapping: Mapping
        do {
            mapping = try MappingLoader().load(yaml: text, file: "mappings/fuzz.yaml", name: "fuzz")
        } catch {
            return ["refused: \(error.description)"]
        }
        let samples: [String] = switch mapping.format {
        case .csv: Repository.samples.csvByFeed[mapping.feed].map { [$0] } ?? []
        case .xml: Repository.samples.xml
        }
        return ["loaded (\(mapping.feed.rawValue))"]
            + samples.map { "\(($0 as NSString).lastPathComponent): \(FeedFuzzer.read($0, through: mapping))" }
    }

    /// A `rules.yaml` in a scratch home, checked against the built-in field catalog.
    static func rules(_ bytes: UnsafeBufferPointer<UInt8>) -> [String] {
        _ = ScratchFolder.write(bytes, name: "rules.yaml")
        do {
            let rules = try RulesFile.load(home: Home(ScratchFolder.url.path), catalog: FieldCatalog())
            return ["loaded: \(rules.pipeline.map(\.name).joined(separator: ", "))"]
        } catch {
            return ["refused: \(error.description)"]
        }
    }

    /// An `orderflow.yaml`.
    static func config(_ bytes: UnsafeBufferPointer<UInt8>) -> [String] {
        let path = ScratchFolder.write(bytes, name: "orderflow.yaml")
        do {
            let config = try EngineConfig.load(from: URL(fileURLWithPath: path))
            return ["loaded: \(config.jobs.count) jobs, \(config.money.fractionDigits) decimals"]
        } catch {
            return ["refused: \(error.description)"]
        }
    }
}
