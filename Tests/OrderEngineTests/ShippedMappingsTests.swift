import Foundation
import Testing
import OrderEngine

/// The repository is itself a home: its shipped mappings are the ones a new home gets, word for word.
@Suite struct ShippedMappingsTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func theRepositorysHomeHasTheShippedMappingsAsANewHomeGetsThem() throws {
        for (name, text) in ShippedMappings.outputs {
            let file = Self.repository.appendingPathComponent("mappings/outputs/\(name).yaml")
            #expect(try String(contentsOf: file, encoding: .utf8) == text, "mappings/outputs/\(name).yaml differs from ShippedMappings")
        }
        for (name, text) in ShippedMappings.inbound {
            let file = Self.repository.appendingPathComponent("mappings/examples/\(name).yaml")
            #expect(try String(contentsOf: file, encoding: .utf8) == text, "mappings/examples/\(name).yaml differs from ShippedMappings")
        }
    }
}
