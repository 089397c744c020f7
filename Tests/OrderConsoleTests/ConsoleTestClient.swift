import Foundation
import Hummingbird
import HummingbirdTesting
@testable import OrderConsole
@testable import OrderDaemon
import OrderEngine
import Testing
import TestSupport

/// A browser's part in the tests: keeps the session cookie and the forms' CSRF token.
struct ConsoleTestClient {
    let client: any TestClientProtocol
    var cookie = ""
    var csrf = ""

    init(_ client: any TestClientProtocol) { self.client = client }

    /// GETs a page, keeping the session it sets and the token of its forms.
    @discardableResult
    mutating func get(_ uri: String) async throws -> (status: HTTPResponse.Status, body: String, location: String?) {
        let response = try await client.execute(uri: uri, method: .get, headers: cookie.isEmpty ? [:] : [.cookie: cookie])
        if let set = response.headers[.setCookie], let pair = set.split(separator: ";").first { cookie = String(pair) }
        let body = String(buffer: response.body)
        if let start = body.range(of: "name=\"csrf\" value=\"")?.upperBound { csrf = String(body[start...].prefix { $0 != "\"" }) }
        return (response.status, body, response.headers[.location])
    }

    /// POSTs a form with the session's token.
    mutating func post(_ uri: String, _ fields: [String: String]) async throws -> (status: HTTPResponse.Status, body: String, location: String?) {
        let encoded = (["csrf": csrf].merging(fields) { $1 }).map { key, value in
            "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        }.joined(separator: "&")
        let response = try await client.execute(uri: uri, method: .post,
                                                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie],
                                                body: ByteBuffer(string: encoded))
        return (response.status, String(buffer: response.body), response.headers[.location])
    }
}

/// A home with the repository's sample drop imported and cycled: orders in most stages.
enum ConsoleFixture {
    static func sampleHome() throws -> TestHome {
        let home = try TestHome()
        let drop = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("examples/drop")
        for feed in ["customers", "products", "suppliers", "orders", "receipts"] {
            let folder = drop.appendingPathComponent(feed)
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() {
                try home.copy(folder.appendingPathComponent(name), into: feed)
            }
        }
        try home.cycle()
        return home
    }

    /// A console acting through a mailbox answered by the engine's own code, as `run --http` does.
    static func acting(_ home: TestHome) throws -> (Console, Task<Void, Never>) {
        let mailbox = EngineMailbox()
        let console = try Console(engine: home.engine(), mailbox: mailbox, options: .init(address: ConsoleAddress(host: "127.0.0.1", port: 0)))
        let runner = try JobRunner(engine: home.engine())
        let loop = Task {
            while !Task.isCancelled {
                if mailbox.hasLetters { runner.answer(mailbox, options: Engine.RunOptions()) }
                try? await Task.sleep(for: .milliseconds(5))
            }
        }
        return (console, loop)
    }

    /// Browses `home` on a console acting through the engine (`acting`), as one browser with its session;
    /// the engine's answering loop stops afterwards.
    static func browseActing(_ home: TestHome, _ body: @Sendable (inout ConsoleTestClient) async throws -> Void) async throws {
        let (console, loop) = try acting(home)
        defer { loop.cancel() }
        try await browse(console, body)
    }

    /// Browses `home` on a read-only console (`orderflow serve`), as one browser with its session.
    static func browseReadOnly(_ home: TestHome, _ body: @Sendable (inout ConsoleTestClient) async throws -> Void) async throws {
        try await browse(readOnly(home), body)
    }

    /// Browses `console` through its router, as one browser with its session.
    static func browse(_ console: Console, _ body: @Sendable (inout ConsoleTestClient) async throws -> Void) async throws {
        try await Application(router: console.makeRouter()).test(.router) { client in
            var browser = ConsoleTestClient(client)
            try await body(&browser)
        }
    }

    static func readOnly(_ home: TestHome) throws -> Console {
        try Console(engine: home.engine(), mailbox: nil, options: .init(address: ConsoleAddress(host: "127.0.0.1", port: 0)))
    }
}
